import type { SnapshotSummary } from '../../../shared/api.ts';
import { notFound } from '../errors.ts';
import { ProvisioningStore } from '../provisioning/store.ts';
import { ensureDemoProject } from '../workspace/demo-tenant.ts';
import type { OpenOptions } from '../workspace/db.ts';
import { WorkspaceStore, type ProjectRecord } from '../workspace/store.ts';
import { DisposableStore, toDisposable, type Disposable } from './disposables.ts';

interface Job {
  readonly name: string;
  readonly controller: AbortController;
  readonly done: Promise<unknown>;
}

/** Why a job's signal was aborted when its workspace closed; jobs record themselves as cancelled. */
export class WorkspaceClosedError extends Error {
  constructor(readonly workspacePath: string) {
    super(`The workspace ${workspacePath} was closed`);
    this.name = 'WorkspaceClosedError';
  }
}

/**
 * One open workspace file and everything running against it (issue 17). A call or a job reads the
 * session once and keeps it, so it never writes into a workspace opened after it started. Closing the
 * session aborts its jobs and waits for them, then releases its services (the mock server), and only
 * then closes the database: nothing is left writing to a closed connection.
 */
export class WorkspaceSession {
  private readonly disposables = new DisposableStore();
  private readonly jobs = new Set<Job>();
  private closing: Promise<void> | undefined;
  private provisioningStore: ProvisioningStore | undefined;

  private constructor(
    readonly store: WorkspaceStore,
    readonly projectId: number,
  ) {}

  /**
   * Opens (or creates) a workspace file; the first start loads the demo tenant into it. Read-only opens
   * (commands that only list or look up) never write, so they take the first project as it is; with no
   * project at all, id 0 matches nothing and every list is empty.
   */
  static open(path: string, options: OpenOptions = {}): WorkspaceSession {
    const store = WorkspaceStore.open(path, options);
    try {
      const projectId = options.readOnly ? (store.listProjects()[0]?.id ?? 0) : ensureDemoProject(store);
      return new WorkspaceSession(store, projectId);
    } catch (error) {
      store.close();
      throw error;
    }
  }

  get path(): string {
    return this.store.path;
  }

  /** True from the moment closing starts: no new job may start then. */
  get closed(): boolean {
    return this.closing !== undefined;
  }

  /** The provisioning area's statements on this workspace's connection, prepared once. */
  get provisioning(): ProvisioningStore {
    return (this.provisioningStore ??= new ProvisioningStore(this.store.db));
  }

  project(): ProjectRecord {
    const project = this.store.listProjects().find((p) => p.id === this.projectId);
    if (!project) throw notFound('The current project no longer exists in this workspace');
    return project;
  }

  /** a snapshot of this project, or a not-found error naming it */
  snapshot(snapshotId: number): SnapshotSummary {
    const snapshot = this.store.getSnapshot(snapshotId);
    if (!snapshot || snapshot.projectId !== this.projectId) throw notFound(`Snapshot ${snapshotId} does not exist in this project`);
    return snapshot;
  }

  /** the newest snapshot of this project, or a clear error when there is none */
  latestSnapshot(): SnapshotSummary {
    const snapshot = this.store.listSnapshots(this.projectId)[0];
    if (!snapshot) throw notFound('This project has no directory snapshot yet: load the demo tenant, sign in and fetch, or import a file');
    return snapshot;
  }

  /**
   * Runs work that writes to this workspace as it goes (a provisioning cycle). Closing the workspace
   * aborts `controller` with a WorkspaceClosedError and waits for the work to end.
   */
  job<T>(name: string, work: (signal: AbortSignal) => Promise<T>, controller = new AbortController()): Promise<T> {
    if (this.closing) throw new WorkspaceClosedError(this.path);
    const done = work(controller.signal);
    const job: Job = { name, controller, done };
    this.jobs.add(job);
    const forget = () => void this.jobs.delete(job);
    done.then(forget, forget);
    return done;
  }

  /** A service that lives as long as this workspace is open (the mock server on its database). */
  add(disposable: Disposable): Disposable {
    return this.disposables.add(disposable);
  }

  /** Lets go of a service that stopped on its own before the workspace closed. */
  remove(disposable: Disposable): void {
    this.disposables.delete(disposable);
  }

  onClose(dispose: () => void | Promise<void>): Disposable {
    return this.add(toDisposable(dispose));
  }

  /**
   * Writes one unit of work to this workspace even when it has been closed meanwhile: the file is opened
   * again for the write. For work that only writes at its end (a Graph fetch), see DirectoryService.
   */
  write<T>(work: (store: WorkspaceStore, projectId: number) => T): T {
    if (this.store.db.open) return work(this.store, this.projectId);
    const store = new WorkspaceStore(this.path);
    try {
      return work(store, this.projectId);
    } finally {
      store.close();
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const jobs = [...this.jobs];
      for (const job of jobs) job.controller.abort(new WorkspaceClosedError(this.path));
      await Promise.allSettled(jobs.map((job) => job.done));
      try {
        await this.disposables.dispose();
      } finally {
        this.store.close();
      }
    })();
    return this.closing;
  }
}

/** Opens a workspace for one piece of work and closes it after (the CLI's commands, one workspace each). */
export async function withWorkspace<T>(
  path: string,
  work: (session: WorkspaceSession) => T | Promise<T>,
  options: OpenOptions = {},
): Promise<T> {
  const session = WorkspaceSession.open(path, options);
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}
