import type { Handlers } from '../../shared/api.ts';
import { BackendEvents } from './events.ts';
import { notFound, type BackendContext } from './context.ts';
import { defaultWorkspacePath } from './paths.ts';
import { ensureDemoProject } from './workspace/demo-tenant.ts';
import { WorkspaceStore } from './workspace/store.ts';
import { tenantHandlers } from './handlers/tenant.ts';
import { previewHandlers } from './handlers/preview.ts';
import { reportsHandlers } from './handlers/reports.ts';
import { mockServerHandlers } from './handlers/mock-server.ts';
import { directoryHandlers } from './handlers/directory.ts';
import type { DirectoryServiceOptions } from './directory/service.ts';
import { mappingsHandlers } from './handlers/mappings.ts';
import { provisioningHandlers } from './handlers/provisioning.ts';

export interface BackendOptions {
  mode: 'electron' | 'browser';
  workspacePath?: string;
  version: string;
  /** sign-in storage and test seams for the directory area (electron/backend/directory/service.ts) */
  directory?: DirectoryServiceOptions;
}

/**
 * The backend: one workspace, one handler map, one event bus. Electron IPC, the browser bridge and
 * the CLI all sit on top of this. Each area contributes its handlers (electron/backend/handlers/).
 */
export class Backend {
  readonly events = new BackendEvents();
  readonly handlers: Handlers;
  private current: { store: WorkspaceStore; projectId: number };
  private readonly disposers: (() => void | Promise<void>)[] = [];

  constructor(private readonly options: BackendOptions) {
    const store = new WorkspaceStore(options.workspacePath ?? defaultWorkspacePath());
    this.current = { store, projectId: ensureDemoProject(store) };
    const ctx = this.context();
    this.handlers = {
      ...tenantHandlers(ctx),
      ...previewHandlers(ctx),
      ...reportsHandlers(ctx),
      ...mockServerHandlers(ctx),
      ...directoryHandlers(ctx),
      ...mappingsHandlers(ctx),
      ...provisioningHandlers(ctx, { mockServerStatus: async () => this.handlers['mockServer.status']({}) }),
    };
  }

  get workspacePath(): string {
    return this.current.store.path;
  }

  /** Long-lived services (mock server, running jobs) register how to stop when the backend closes. */
  onClose(dispose: () => void | Promise<void>): void {
    this.disposers.push(dispose);
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
    this.current.store.close();
    this.current = { store: next, projectId };
    this.events.emit('workspace.changed', { reason: 'opened' });
  }

  /** File > Save As: a consistent copy through SQLite's online backup, then continue in the copy. */
  async saveWorkspaceAs(path: string): Promise<void> {
    await this.current.store.db.backup(path);
    this.openWorkspace(path);
  }

  async close(): Promise<void> {
    for (const dispose of this.disposers.splice(0).reverse()) await dispose();
    this.current.store.close();
  }

  private context(): BackendContext {
    const current = () => this.current;
    return {
      get store() {
        return current().store;
      },
      get projectId() {
        return current().projectId;
      },
      events: this.events,
      onClose: (dispose) => this.onClose(dispose),
      version: this.options.version,
      directory: this.options.directory ?? {},
      mode: this.options.mode,
      project() {
        const project = this.store.listProjects().find((p) => p.id === this.projectId);
        if (!project) throw notFound('The current project no longer exists in this workspace');
        return project;
      },
      snapshot(snapshotId) {
        const snapshot = this.store.getSnapshot(snapshotId);
        if (!snapshot || snapshot.projectId !== this.projectId) throw notFound(`Snapshot ${snapshotId} does not exist in this project`);
        return snapshot;
      },
      latestSnapshot() {
        const snapshot = this.store.listSnapshots(this.projectId)[0];
        if (!snapshot) throw notFound('This project has no directory snapshot yet: load the demo tenant, sign in and fetch, or import a file');
        return snapshot;
      },
    };
  }
}
