import type { Handlers } from '../../shared/api.ts';
import { BackendEvents } from './events.ts';
import { UserFacingError } from './dispatch.ts';
import { defaultWorkspacePath } from './paths.ts';
import { ensureDemoProject } from './workspace/demo-tenant.ts';
import { WorkspaceStore } from './workspace/store.ts';

export interface BackendOptions {
  mode: 'electron' | 'browser';
  workspacePath?: string;
  version: string;
}

/**
 * The backend: one workspace, one handler map, one event bus. Electron IPC, the browser bridge and
 * the CLI all sit on top of this.
 */
export class Backend {
  readonly events = new BackendEvents();
  readonly handlers: Handlers;
  private store: WorkspaceStore;
  private projectId: number;

  constructor(private readonly options: BackendOptions) {
    this.store = new WorkspaceStore(options.workspacePath ?? defaultWorkspacePath());
    this.projectId = ensureDemoProject(this.store);
    this.handlers = this.createHandlers();
  }

  get workspacePath(): string {
    return this.store.path;
  }

  /** File > Open / New: switch to another workspace file; the old one is closed only once the new one opened. */
  openWorkspace(path: string): void {
    const next = new WorkspaceStore(path);
    let projectId: number;
    try {
      projectId = ensureDemoProject(next);
    } catch (error) {
      next.close();
      throw error;
    }
    this.store.close();
    this.store = next;
    this.projectId = projectId;
    this.events.emit('workspace.changed', { reason: 'opened' });
  }

  /** File > Save As: a consistent copy through SQLite's online backup, then continue in the copy. */
  async saveWorkspaceAs(path: string): Promise<void> {
    await this.store.db.backup(path);
    this.openWorkspace(path);
  }

  close(): void {
    this.store.close();
  }

  private project() {
    const project = this.store.listProjects().find((p) => p.id === this.projectId);
    if (!project) throw new UserFacingError('not-found', 'The current project no longer exists in this workspace');
    return project;
  }

  private snapshot(snapshotId: number) {
    const snapshot = this.store.getSnapshot(snapshotId);
    if (!snapshot || snapshot.projectId !== this.projectId) {
      throw new UserFacingError('not-found', `Snapshot ${snapshotId} does not exist in this project`);
    }
    return snapshot;
  }

  private createHandlers(): Handlers {
    return {
      'app.info': () => {
        const project = this.project();
        return {
          version: this.options.version,
          mode: this.options.mode,
          workspacePath: this.store.path,
          projectId: project.id,
          projectName: project.name,
        };
      },
      'tenant.listSnapshots': () => this.store.listSnapshots(this.projectId),
      'tenant.listUsers': ({ snapshotId, search, offset, limit }) => {
        this.snapshot(snapshotId);
        return { offset, ...this.store.listUsers(snapshotId, search, offset, limit) };
      },
      'tenant.getUser': ({ snapshotId, userId }) => {
        this.snapshot(snapshotId);
        const user = this.store.getUser(snapshotId, userId);
        if (!user) throw new UserFacingError('not-found', `No user ${userId} in snapshot ${snapshotId}`);
        return user;
      },
      'tenant.deleteSnapshot': ({ snapshotId }) => {
        this.snapshot(snapshotId);
        const deleted = this.store.deleteSnapshot(snapshotId);
        this.events.emit('workspace.changed', { reason: 'snapshot deleted' });
        return { deleted };
      },
    };
  }
}
