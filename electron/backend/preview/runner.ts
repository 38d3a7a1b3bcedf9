import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { MappingSet, ScimDialect } from '../../../shared/mapping/model.ts';
import { PreviewChunk, sourcesById } from '../../../shared/preview/chunk.ts';
import { compileMappingSet, type CompiledMappingSet } from '../../../shared/preview/compile.ts';
import { mergeRowStats, newRowStats, type RowStats } from '../../../shared/preview/engine.ts';
import { previousStateFrom, snapshotFindings, summarise } from '../../../shared/preview/run.ts';
import { coverageOf, FindingGroups, type CoverageData, type PreviewIndexRow } from '../../../shared/preview/summary.ts';
import { USER_ACTIONS, type Finding, type PreviewResult, type PreviewSummary, type PreviousState, type UserPreview } from '../../../shared/preview/types.ts';
import { reviveRequest } from '../../../shared/scim/requests/render.ts';
import { unpackPairs, type ChunkInput, type FromWorker, type SourceIdentity, type ToWorker, type VendorViewUser, type WorkerInit } from './protocol.ts';
import { SnapshotSourceReader } from './snapshot-reader.ts';
import { previewWorkerScript } from './worker-script.ts';

/** A snapshot in a workspace file, read by the workers themselves (the app's path: nothing is cloned in). */
export interface WorkspaceUsers {
  workspacePath: string;
  snapshotId: number;
  userCount: number;
}

export interface PreviewJob {
  set: MappingSet;
  /** the users as objects; or `workspace` for a snapshot the workers read */
  users?: readonly SourceObject[];
  workspace?: WorkspaceUsers;
  previousUsers?: readonly SourceObject[];
  vendor?: string | null;
  dialect?: ScimDialect;
  baseUrl?: string;
  skipOutOfScopeDeletions?: boolean;
  /**
   * Results are cached per (mapping revision, snapshot, previous state): the caller names them, because
   * hashing 100,000 users to find out would cost more than a cache hit saves.
   */
  cacheKey?: { mappingRevision: string | number; snapshot: string | number; previous: string | number | null };
}

export interface PreviewProgress {
  phase: 'previous' | 'users';
  done: number;
  total: number;
}

export interface RunOptions {
  onProgress?: (progress: PreviewProgress) => void;
  signal?: AbortSignal;
}

export interface PreviewRunnerOptions {
  /** worker threads per run; defaults to the machine's parallelism, at most 4 */
  workers?: number;
  /** snapshots smaller than this run on the calling thread: a worker's start-up costs more than they do */
  inProcessBelow?: number;
  /** how many results the cache keeps (most recent first) */
  cacheSize?: number;
}

export class PreviewCancelledError extends Error {
  constructor() {
    super('The preview was cancelled.');
    this.name = 'AbortError';
  }
}


/** Users the calling thread previews between two yields (so a cancel and the app's events get through). */
const LOCAL_BATCH = 500;

/** Where one chunk's previews live: a worker thread, or the calling thread for small snapshots. */
interface ChunkHandle {
  get(ids: string[] | null, view: 'full' | 'vendor'): Promise<UserPreview[] | VendorViewUser[]>;
  close(): Promise<void>;
}

class LocalChunk implements ChunkHandle {
  constructor(readonly chunk: PreviewChunk) {}

  get(ids: string[] | null, view: 'full' | 'vendor'): Promise<UserPreview[] | VendorViewUser[]> {
    const users = this.chunk.get(ids);
    if (view === 'full') return Promise.resolve(users);
    return Promise.resolve(users.map((user) => ({ ...user, requests: [] as [], identity: this.chunk.identity(user.id) })));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

class WorkerChunk implements ChunkHandle {
  private nextRequest = 1;
  private readonly pending = new Map<number, { resolve: (users: UserPreview[] | VendorViewUser[]) => void; reject: (error: Error) => void }>();
  private failure: Error | null = null;

  constructor(readonly worker: Worker) {
    // An idle session must not keep the process alive (a CLI that forgot to close it still exits); the worker
    // holds the event loop only while a request to it is pending.
    worker.unref();
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'users') {
        this.pending.get(message.requestId)?.resolve(message.users);
        this.settled(message.requestId);
      } else if (message.type === 'failed' && message.requestId !== undefined) {
        this.pending.get(message.requestId)?.reject(new Error(`Preview worker failed: ${message.message}`));
        this.settled(message.requestId);
      }
    });
    worker.on('exit', () => this.fail(new Error('The preview worker has stopped; run the preview again.')));
    worker.on('error', (error) => this.fail(error));
  }

  private settled(requestId: number): void {
    this.pending.delete(requestId);
    if (this.pending.size === 0) this.worker.unref();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }

  get(ids: string[] | null, view: 'full' | 'vendor'): Promise<UserPreview[] | VendorViewUser[]> {
    if (this.failure) return Promise.reject(this.failure);
    const requestId = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ type: 'get', requestId, ids, view } satisfies ToWorker);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

function identityToSource(identity: SourceIdentity): SourceObject {
  const source: Record<string, string> = { objectId: identity.objectId };
  if (identity.userPrincipalName !== null) source.userPrincipalName = identity.userPrincipalName;
  if (identity.originalUserPrincipalName !== null) source.originalUserPrincipalName = identity.originalUserPrincipalName;
  if (identity.userType !== null) source.userType = identity.userType;
  return source as SourceObject;
}

/**
 * A finished preview whose per-user results stay where they were computed (worker threads, or this thread):
 * the session holds the summary, the mapping-level findings, the finding groups, the coverage and one small
 * index row per user, and fetches full previews only for the users asked for.
 */
export class PreviewSession {
  readonly findings: Finding[];
  readonly summary: PreviewSummary;
  readonly coverage: CoverageData[];
  private readonly chunkOfRow: Uint16Array;
  private readonly rowById = new Map<string, number>();

  constructor(
    readonly compiled: CompiledMappingSet,
    readonly vendor: string | null,
    readonly rows: PreviewIndexRow[],
    /** which chunk holds each row's preview */
    chunkOfRow: Uint16Array,
    private readonly chunks: readonly ChunkHandle[],
    readonly stats: RowStats,
    readonly groups: FindingGroups,
    /** user objectId → target id of the users that exist in the target after the cycle (group members link to these) */
    readonly provisioned: ReadonlyMap<string, string>,
  ) {
    this.chunkOfRow = chunkOfRow;
    rows.forEach((r, index) => this.rowById.set(r.id, index));
    const missingUserName = rows.filter((r) => r.codes.includes('USERNAME_MISSING')).length;
    this.findings = snapshotFindings(compiled, stats, missingUserName);
    groups.addAll(this.findings);
    this.coverage = coverageOf(compiled, stats);
    const byAction = Object.fromEntries(USER_ACTIONS.map((action) => [action, 0])) as PreviewSummary['byAction'];
    let errors = 0;
    let warnings = 0;
    for (const finding of this.findings) {
      if (finding.severity === 'error') errors++;
      else if (finding.severity === 'warning') warnings++;
    }
    for (const r of rows) {
      byAction[r.action]++;
      errors += r.errors;
      warnings += r.warnings;
    }
    this.summary = { users: rows.length, byAction, errors, warnings };
  }

  get dialect(): ScimDialect {
    return this.compiled.dialect;
  }

  rowOf(id: string): PreviewIndexRow | undefined {
    const index = this.rowById.get(id);
    return index === undefined ? undefined : this.rows[index];
  }

  private revive(user: UserPreview): UserPreview {
    const options = this.compiled.baseUrl ? { baseUrl: this.compiled.baseUrl } : {};
    // Requests that crossed a thread boundary lost their lazy curl getter (structured clone keeps data only).
    if (user.requests.length > 0 && !('curl' in user.requests[0]!)) user.requests = user.requests.map((r) => reviveRequest(r, options));
    return user;
  }

  /** Full previews of the given users (in the order asked), or of every user in snapshot order. */
  async users(ids?: readonly string[]): Promise<UserPreview[]> {
    if (ids === undefined) {
      const parts = await Promise.all(this.chunks.map((chunk) => chunk.get(null, 'full') as Promise<UserPreview[]>));
      return parts.flat().map((user) => this.revive(user));
    }
    const perChunk = new Map<number, string[]>();
    for (const id of ids) {
      const index = this.rowById.get(id);
      if (index === undefined) continue;
      const chunk = this.chunkOfRow[index]!;
      perChunk.set(chunk, [...(perChunk.get(chunk) ?? []), id]);
    }
    const fetched = new Map<string, UserPreview>();
    await Promise.all(
      [...perChunk].map(async ([chunk, chunkIds]) => {
        for (const user of (await this.chunks[chunk]!.get(chunkIds, 'full')) as UserPreview[]) fetched.set(user.id, this.revive(user));
      }),
    );
    return ids.map((id) => fetched.get(id)).filter((user): user is UserPreview => user !== undefined);
  }

  async user(id: string): Promise<UserPreview | undefined> {
    return (await this.users([id]))[0];
  }

  /**
   * What the vendor rules read: every user without requests, plus the identity fields of the source (the rules'
   * guest check reads objectId and originalUserPrincipalName).
   */
  async vendorView(): Promise<{ result: PreviewResult; sources: SourceObject[] }> {
    const parts = (await Promise.all(this.chunks.map((chunk) => chunk.get(null, 'vendor')))) as VendorViewUser[][];
    const users: UserPreview[] = [];
    const sources: SourceObject[] = [];
    for (const part of parts) {
      for (const { identity, ...user } of part) {
        users.push(user);
        sources.push(identityToSource(identity));
      }
    }
    return { result: { vendor: this.vendor, dialect: this.dialect, findings: this.findings, users, summary: this.summary }, sources };
  }

  /** Materialises the whole result (the CLI's JSON output). */
  async result(): Promise<PreviewResult> {
    const users = await this.users();
    return { vendor: this.vendor, dialect: this.dialect, findings: this.findings, users, summary: summarise(this.findings, users) };
  }

  async close(): Promise<void> {
    await Promise.all(this.chunks.map((chunk) => chunk.close()));
  }
}

/**
 * Previews a mapping set over a whole snapshot off the calling thread (architecture.md "Work off the UI
 * thread"): the snapshot is split into one chunk per worker, each worker previews its chunk and keeps it, and
 * an AbortSignal terminates them. `start` returns the session (pages on demand); `run` materialises the result.
 */
export class PreviewRunner {
  private readonly workers: number;
  private readonly inProcessBelow: number;
  private readonly cacheSize: number;
  private readonly cache = new Map<string, PreviewResult>();

  constructor(options: PreviewRunnerOptions = {}) {
    this.workers = Math.max(1, options.workers ?? Math.min(4, availableParallelism()));
    this.inProcessBelow = options.inProcessBelow ?? 2000;
    this.cacheSize = options.cacheSize ?? 4;
  }

  cached(job: PreviewJob): PreviewResult | undefined {
    const key = this.keyOf(job);
    return key === null ? undefined : this.cache.get(key);
  }

  clearCache(): void {
    this.cache.clear();
  }

  async run(job: PreviewJob, options: RunOptions = {}): Promise<PreviewResult> {
    const key = this.keyOf(job);
    if (key !== null) {
      const hit = this.cache.get(key);
      if (hit) {
        // Refresh recency: Map iteration order is insertion order.
        this.cache.delete(key);
        this.cache.set(key, hit);
        return hit;
      }
    }
    const session = await this.start(job, options);
    let result: PreviewResult;
    try {
      result = await session.result();
    } finally {
      await session.close();
    }
    if (key !== null && this.cacheSize > 0) {
      this.cache.set(key, result);
      while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    }
    return result;
  }

  private keyOf(job: PreviewJob): string | null {
    if (!job.cacheKey) return null;
    const { mappingRevision, snapshot, previous } = job.cacheKey;
    return JSON.stringify([mappingRevision, snapshot, previous, job.dialect ?? null, job.baseUrl ?? null, job.vendor ?? null, job.skipOutOfScopeDeletions ?? false]);
  }

  /** Previews the snapshot and keeps the results where they were computed; close the session when done. */
  async start(job: PreviewJob, options: RunOptions = {}): Promise<PreviewSession> {
    options.signal?.throwIfAborted?.();
    if (!job.users && !job.workspace) throw new Error('A preview job needs users or a workspace snapshot');
    const compiled = compileMappingSet(job.set, {
      ...(job.dialect ? { dialect: job.dialect } : {}),
      ...(job.baseUrl ? { baseUrl: job.baseUrl } : {}),
    });
    // The earlier snapshot against an empty target gives what the target holds now (CLI --previous only).
    const previous: PreviousState = job.previousUsers ? previousStateFrom(compiled, job.previousUsers) : new Map();
    const total = job.users ? job.users.length : job.workspace!.userCount;
    const local = total < this.inProcessBelow || this.workers === 1;
    const parts = local
      ? await this.startLocal(job.users ?? readWholeSnapshot(job.workspace!), job, compiled, previous, options)
      : await this.startWorkers(job, compiled, previous, total, options);

    // Users the target holds that are gone from the directory: previewed here, from the previous state.
    if (previous.size > 0) {
      const leavers = new PreviewChunk(compiled, [], { source: () => undefined }, previous, job.skipOutOfScopeDeletions ?? false);
      leavers.previewLeavers(new Set(parts.rows.map((row) => row.id)));
      if (leavers.rows.length > 0) {
        const chunkOfRow = new Uint16Array(parts.rows.length + leavers.rows.length);
        chunkOfRow.set(parts.chunkOfRow);
        chunkOfRow.fill(parts.handles.length, parts.rows.length);
        parts.rows.push(...leavers.rows);
        parts.chunkOfRow = chunkOfRow;
        parts.handles.push(new LocalChunk(leavers));
        parts.groups.merge(leavers.groups.partials());
        mergeRowStats(parts.stats, leavers.stats);
      }
    }
    return new PreviewSession(compiled, job.vendor ?? null, parts.rows, parts.chunkOfRow, parts.handles, parts.stats, parts.groups, parts.provisioned);
  }

  private async startLocal(
    users: readonly SourceObject[],
    job: PreviewJob,
    compiled: CompiledMappingSet,
    previous: PreviousState,
    options: RunOptions,
  ): Promise<SessionParts> {
    const chunk = new PreviewChunk(compiled, users, sourcesById(users), previous, job.skipOutOfScopeDeletions ?? false);
    const provisioned = new Map(chunk.provisioned());
    chunk.setProvisioned(provisioned);
    const total = chunk.size;
    for (let from = 0; from < total; from += LOCAL_BATCH) {
      if (options.signal?.aborted) throw new PreviewCancelledError();
      const to = Math.min(total, from + LOCAL_BATCH);
      chunk.previewRange(from, to);
      options.onProgress?.({ phase: 'users', done: to, total });
      if (to < total) await new Promise((resolve) => setImmediate(resolve));
    }
    if (total === 0) options.onProgress?.({ phase: 'users', done: 0, total: 0 });
    return { rows: chunk.rows, chunkOfRow: new Uint16Array(chunk.rows.length), handles: [new LocalChunk(chunk)], stats: chunk.stats, groups: chunk.groups, provisioned };
  }

  private async startWorkers(
    job: PreviewJob,
    compiled: CompiledMappingSet,
    previous: PreviousState,
    total: number,
    options: RunOptions,
  ): Promise<SessionParts> {
    const chunkCount = Math.min(this.workers, Math.max(1, Math.ceil(total / 1000)));
    const chunkSize = Math.ceil(total / chunkCount);
    const progressEvery = Math.max(500, Math.floor(chunkSize / 20));
    const done = new Array<number>(chunkCount).fill(0);
    const report = () => options.onProgress?.({ phase: 'users', done: done.reduce((a, b) => a + b, 0), total });
    const script = await previewWorkerScript();
    const workers: Worker[] = [];
    let starts: string[] = [];
    if (!job.users) {
      const reader = new SnapshotSourceReader(job.workspace!.workspacePath);
      try {
        starts = reader.boundaries(job.workspace!.snapshotId, total, chunkCount);
      } finally {
        reader.close();
      }
    }
    const loaded: Array<Promise<string>> = [];
    const finished: Array<Promise<Extract<FromWorker, { type: 'done' }>>> = [];
    for (let c = 0; c < (job.users ? chunkCount : starts.length); c++) {
      const from = c * chunkSize;
      const to = Math.min(total, from + chunkSize);
      let input: ChunkInput;
      const previousEntries: WorkerInit['previous'] = [];
      if (job.users) {
        const slice = job.users.slice(from, to) as SourceObject[];
        input = { kind: 'objects', users: slice };
        if (previous.size > 0) {
          for (const user of slice) {
            const entry = previous.get(String(user.objectId ?? ''));
            if (entry) previousEntries.push([String(user.objectId), entry]);
          }
        }
      } else {
        const { workspacePath, snapshotId } = job.workspace!;
        input = { kind: 'workspace', path: workspacePath, snapshotId, fromId: starts[c]!, toId: starts[c + 1] ?? null };
      }
      const init: WorkerInit = {
        set: job.set,
        ...(job.dialect ? { dialect: job.dialect } : {}),
        ...(job.baseUrl ? { baseUrl: job.baseUrl } : {}),
        skipOutOfScopeDeletions: job.skipOutOfScopeDeletions ?? false,
        input,
        previous: previousEntries,
        progressEvery,
      };
      const worker = new Worker(script, { workerData: init });
      workers.push(worker);
      const size = to - from;
      const loadedStep = deferred<string>();
      const doneStep = deferred<Extract<FromWorker, { type: 'done' }>>();
      loaded.push(loadedStep.promise);
      finished.push(doneStep.promise);
      const fail = (error: Error) => {
        loadedStep.reject(error);
        doneStep.reject(error);
      };
      const listener = (message: FromWorker) => {
        if (message.type === 'loaded') loadedStep.resolve(message.provisioned);
        else if (message.type === 'progress') {
          done[c] = message.done;
          report();
        } else if (message.type === 'done') {
          done[c] = size;
          report();
          worker.off('message', listener);
          doneStep.resolve(message);
        } else if (message.type === 'failed' && message.requestId === undefined) fail(new Error(`Preview worker failed: ${message.message}`));
      };
      worker.on('message', listener);
      worker.on('error', fail);
      worker.on('exit', (code) => fail(options.signal?.aborted ? new PreviewCancelledError() : new Error(`Preview worker exited with code ${code}`)));
    }
    // A rejection not awaited yet (a worker failing while another still loads) must not go unhandled.
    for (const promise of [...loaded, ...finished]) promise.catch(() => undefined);
    const terminate = () => {
      for (const worker of workers) void worker.terminate();
    };
    options.signal?.addEventListener('abort', terminate, { once: true });
    try {
      const provisioned = (await Promise.all(loaded)).join('');
      if (options.signal?.aborted) throw new PreviewCancelledError();
      for (const worker of workers) worker.postMessage({ type: 'preview', provisioned } satisfies ToWorker);
      const results = await Promise.all(finished);
      if (options.signal?.aborted) throw new PreviewCancelledError();
      const stats = newRowStats(compiled.rows.length);
      const groups = new FindingGroups();
      for (const result of results) {
        mergeRowStats(stats, result.stats);
        groups.merge(result.groups);
      }
      return { ...inSnapshotOrder(results), handles: workers.map((worker) => new WorkerChunk(worker)), stats, groups, provisioned: unpackPairs(provisioned) };
    } catch (error) {
      terminate();
      throw options.signal?.aborted ? new PreviewCancelledError() : error;
    } finally {
      options.signal?.removeEventListener('abort', terminate);
    }
  }
}

/**
 * The chunks' rows in snapshot order: chunks of given users are consecutive slices already; chunks a worker read
 * from the workspace are key ranges, each sorted by key, so their rows are put back by ordinal.
 */
function inSnapshotOrder(results: ReadonlyArray<Extract<FromWorker, { type: 'done' }>>): { rows: PreviewIndexRow[]; chunkOfRow: Uint16Array } {
  const count = results.reduce((n, result) => n + result.rows.length, 0);
  const rows: PreviewIndexRow[] = new Array(count);
  const chunkOfRow = new Uint16Array(count);
  let next = 0;
  results.forEach((result, chunk) => {
    result.rows.forEach((row, i) => {
      const at = result.ordinals ? result.ordinals[i]! : next++;
      rows[at] = row;
      chunkOfRow[at] = chunk;
    });
  });
  return { rows, chunkOfRow };
}

/** A snapshot too small for workers (or a one-core machine): read on this thread, in snapshot order. */
function readWholeSnapshot(workspace: WorkspaceUsers): SourceObject[] {
  const reader = new SnapshotSourceReader(workspace.workspacePath);
  try {
    const { users, ordinals } = reader.read(workspace.snapshotId, '', null);
    const ordered: SourceObject[] = new Array(users.length);
    users.forEach((user, i) => (ordered[ordinals[i]!] = user));
    return ordered;
  } finally {
    reader.close();
  }
}

interface SessionParts {
  /** user objectId → target id of every user that exists in the target after the cycle (group members) */
  provisioned: ReadonlyMap<string, string>;
  rows: PreviewIndexRow[];
  chunkOfRow: Uint16Array;
  handles: ChunkHandle[];
  stats: RowStats;
  groups: FindingGroups;
}

/** A promise with its settle functions; settling twice is ignored, as promises do. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
