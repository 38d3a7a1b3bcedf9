import type { WorkspaceChange } from '../../shared/api.ts';
import type { DirectoryServiceOptions } from './directory/options.ts';
import type { BackendEvents } from './events.ts';
import type { WorkspaceSession } from './session/workspace-session.ts';

export { notFound } from './errors.ts';

/**
 * What every area's handlers get from the backend. `session()` is the workspace open now: a handler reads
 * it once per call and a job keeps the one it started with, so File > Open never moves work between files.
 */
export interface BackendContext {
  session(): WorkspaceSession;
  readonly events: BackendEvents;
  readonly version: string;
  readonly mode: 'electron' | 'browser';
  /** tells the screens what changed in which workspace (workspace.changed) */
  changed(session: WorkspaceSession, change: Omit<WorkspaceChange, 'workspacePath'>): void;
  /** services that outlive a workspace (sign-ins, preview workers) register how to stop when the backend closes */
  onClose(dispose: () => void | Promise<void>): void;
  /** how sign-ins are kept (Electron: safeStorage-encrypted files) and, in tests, MSAL's network seam */
  readonly directory: DirectoryServiceOptions;
}
