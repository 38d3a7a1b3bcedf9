import type { Handlers, ImportResult, WorkspaceChange } from '../../shared/api.ts';
import type { BackendContext } from './context.ts';
import type { DirectoryServiceOptions } from './directory/options.ts';
import { BackendEvents } from './events.ts';
import { directoryHandlers } from './handlers/directory.ts';
import { DirectoryService } from './directory/service.ts';
import { importUsersIntoWorkspace } from './directory/users-file-import.ts';
import { mappingsHandlers } from './handlers/mappings.ts';
import { mockServerHandlers, mockServerService } from './handlers/mock-server.ts';
import { previewHandlers, type PreviewOptions } from './handlers/preview.ts';
import { projectHandlers } from './handlers/project.ts';
import { provisioningHandlers } from './handlers/provisioning.ts';
import { endpointCheckHandlers } from './handlers/endpoint-check.ts';
import { goLiveHandlers } from './handlers/go-live.ts';
import { reportsHandlers } from './handlers/reports.ts';
import { synchronizationHandlers } from './handlers/synchronization.ts';
import { tenantHandlers } from './handlers/tenant.ts';
import { canaryHandlers } from './handlers/canary.ts';
import { createPrivateFile, defaultWorkspacePath } from './paths.ts';
import { LogUploads } from './synchronization/log-files.ts';
import { WorkspaceSession } from './session/workspace-session.ts';

export interface BackendOptions {
  mode: 'electron' | 'browser';
  workspacePath?: string;
  version: string;
  /** sign-in storage and test seams for the directory area (electron/backend/directory/options.ts) */
  directory?: DirectoryServiceOptions;
  /** test seams of the Preview screen's runs */
  preview?: PreviewOptions;
}

/**
 * The backend: one open workspace session, one handler map, one event bus. Electron IPC (main.ts), the
 * browser bridge (bridge/) and the CLI all sit on top of this. Each area contributes its handlers
 * (electron/backend/handlers/); they reach the workspace only through the session they read per call.
 */
export class Backend {
  readonly events = new BackendEvents();
  readonly handlers: Handlers;
  /** provisioning-log files handed over by the bridge's upload route or Electron's file dialog, until compared */
  readonly logUploads = new LogUploads();
  private session: WorkspaceSession;
  private readonly disposers: (() => void | Promise<void>)[] = [];
  /** File > Open calls, one after another: a second switch waits for the first to finish closing */
  private switching: Promise<void> = Promise.resolve();

  constructor(private readonly options: BackendOptions) {
    this.session = WorkspaceSession.open(options.workspacePath ?? defaultWorkspacePath());
    const ctx = this.context();
    const mockServer = mockServerService(ctx);
    // one set of sign-ins for the directory reads and the checks against Microsoft
    const directory = new DirectoryService(ctx, ctx.directory);
    this.onClose(() => directory.close());
    this.handlers = {
      ...tenantHandlers(ctx),
      ...previewHandlers(ctx, options.preview),
      ...reportsHandlers(ctx),
      ...mockServerHandlers(ctx, mockServer),
      ...directoryHandlers(ctx, directory),
      ...mappingsHandlers(ctx),
      ...provisioningHandlers(ctx, { mockServerStatus: async () => mockServer.status() }),
      ...synchronizationHandlers(ctx, directory, this.logUploads),
      ...goLiveHandlers(ctx, directory),
      ...endpointCheckHandlers(ctx),
      ...projectHandlers(ctx),
      ...canaryHandlers(ctx, directory),
    };
  }

  get workspacePath(): string {
    return this.session.path;
  }

  /** Services that outlive a workspace (sign-ins, preview workers) register how to stop when the backend closes. */
  onClose(dispose: () => void | Promise<void>): void {
    this.disposers.push(dispose);
  }

  /**
   * File > Open / New: the new file is opened first (a file that cannot be opened leaves the current one
   * in place), becomes the workspace every call reaches, and then the old one closes: its running jobs are
   * cancelled and awaited, its mock server stopped, and only then its database closed.
   */
  openWorkspace(path: string): Promise<void> {
    const next = this.switching.then(async () => {
      const opened = WorkspaceSession.open(path);
      const previous = this.session;
      this.session = opened;
      this.emitChanged(opened, { change: 'opened' });
      await previous.close();
    });
    this.switching = next.catch(() => undefined);
    return next;
  }

  /** A users file streamed into the open workspace: the bridge's upload route and Electron's file dialog. */
  importUsersFile(input: { fileName: string; label?: string | undefined; chunks: Iterable<string> }): ImportResult {
    return importUsersIntoWorkspace(this.context(), input);
  }

  /** File > Save As: a consistent copy through SQLite's online backup, then continue in the copy. */
  async saveWorkspaceAs(path: string): Promise<void> {
    // The copy holds tenant data: it exists 0600 before SQLite's backup writes a byte into it.
    createPrivateFile(path);
    await this.session.store.db.backup(path);
    await this.openWorkspace(path);
  }

  async close(): Promise<void> {
    await this.switching;
    for (const dispose of this.disposers.splice(0).reverse()) await dispose();
    await this.session.close();
  }

  private emitChanged(session: WorkspaceSession, change: Omit<WorkspaceChange, 'workspacePath'>): void {
    this.events.emit('workspace.changed', { ...change, workspacePath: session.path });
  }

  private context(): BackendContext {
    return {
      session: () => this.session,
      events: this.events,
      changed: (session, change) => this.emitChanged(session, change),
      onClose: (dispose) => this.onClose(dispose),
      version: this.options.version,
      directory: this.options.directory ?? {},
      mode: this.options.mode,
    };
  }
}
