import type { SnapshotSummary } from '../../shared/api.ts';
import { UserFacingError } from './dispatch.ts';
import type { BackendEvents } from './events.ts';
import type { DirectoryServiceOptions } from './directory/service.ts';
import type { ProjectRecord, WorkspaceStore } from './workspace/store.ts';

/**
 * What every area's handlers get from the backend: the open workspace (which File > Open may swap,
 * so always read it through this object), the current project, the event bus, and the lookups with
 * the admin-facing errors every area needs.
 */
export interface BackendContext {
  readonly store: WorkspaceStore;
  readonly projectId: number;
  readonly events: BackendEvents;
  readonly version: string;
  readonly mode: 'electron' | 'browser';
  project(): ProjectRecord;
  /** a snapshot of the current project, or a not-found error naming it */
  snapshot(snapshotId: number): SnapshotSummary;
  /** the newest snapshot of the current project, or a clear error when there is none */
  latestSnapshot(): SnapshotSummary;
  /** long-lived services (running jobs, listeners) register how to stop when the backend closes */
  onClose(dispose: () => void | Promise<void>): void;
  /** how sign-ins are kept (Electron: safeStorage-encrypted files) and, in tests, MSAL's network seam */
  readonly directory: DirectoryServiceOptions;
}

export function notFound(message: string): UserFacingError {
  return new UserFacingError('not-found', message);
}
