import { availableParallelism } from 'node:os';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { MappingSet, ScimDialect } from '../../../shared/mapping/model.ts';
import { PreviewChunk, sourcesById, type UserChecks } from '../../../shared/preview/chunk.ts';
import { compileMappingSet, type CompiledMappingSet } from '../../../shared/preview/compile.ts';
import { mergeRowStats, newRowStats, type ProvisionedLookup, type RowStats } from '../../../shared/preview/engine.ts';
import { previousStateFrom, snapshotFindings, summarise } from '../../../shared/preview/run.ts';
import { coverageOf, FindingGroups, type PreviewIndexRow } from '../../../shared/preview/summary.ts';
import { type CoverageData, type Finding, type PreviewResult, type PreviewSummary, type PreviousState, type UserPreview } from '../../../shared/preview/types.ts';
import { scanPart, type RedactionScanPart } from '../../../shared/reports/redact-scan.ts';
import { reviveRequest } from '../../../shared/scim/requests/render.ts';
import { VendorUserChecks, VendorUserMerge, type MergedVendorUsers, type UniqueValueSends, type VendorProfile, type VendorUserPartial } from '../../../shared/vendors/index.ts';
import { ACKED, CANCEL, PackedPairs, type ChunkInit, type ChunkInput, type FromWorker } from './protocol.ts';
import { MemoryRows } from './memory-rows.ts';
import { PreviewRowStore, type PreviewRowFilter, type PreviewRows, type PreviewRowsPage } from './row-store.ts';
import { SnapshotSourceReader } from './snapshot-reader.ts';
import { PreviewWorkerPool, type PooledWorker } from './worker-pool.ts';

/** A snapshot in a workspace file, read by the workers themselves (the app's path: nothing is cloned in). */
interface WorkspaceUsers {
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
  /**
   * The vendor whose per-user rules run on each user where it is previewed (its worker); the session then holds
   * their merged result (`vendorUsers`) and each user's findings, and no user's target has to cross a thread.
   */
  vendorProfile?: VendorProfile;
  dialect?: ScimDialect;
  baseUrl?: string;
  skipOutOfScopeDeletions?: boolean;
  /**
   * Results are cached per (mapping revision, snapshot, previous state): the caller names them, because
   * hashing 100,000 users to find out would cost more than a cache hit saves.
   */
  cacheKey?: { mappingRevision: string | number; snapshot: string | number; previous: string | number | null };
}

interface PreviewProgress {
  phase: 'previous' | 'users';
  done: number;
  total: number;
}

interface RunOptions {
  onProgress?: (progress: PreviewProgress) => void;
  signal?: AbortSignal;
}

interface PreviewRunnerOptions {
  /** worker threads per run; defaults to the machine's parallelism, at most 4 */
  workers?: number;
  /** snapshots smaller than this run on the calling thread: a worker's start-up costs more than they do */
  inProcessBelow?: number;
  /** how many results the cache keeps (most recent first) */
  cacheSize?: number;
  /** runs of up to this many users keep their index rows in memory, larger ones in a temporary SQLite file (ROWS_IN_MEMORY_UP_TO) */
  rowsInMemoryUpTo?: number;
}

/**
 * Runs of up to this many users keep their index rows in memory (about 40 MB at 100,000): writing them to the SQLite
 * file cost the main thread about 1 s per 100,000 users, more than a scan in memory costs the table at that size.
 */
const ROWS_IN_MEMORY_UP_TO = 150_000;

export class PreviewCancelledError extends Error {
  constructor() {
    super('The preview was cancelled.');
    this.name = 'AbortError';
  }
}

/** Users the calling thread previews between two yields (so a cancel and the app's events get through). */
const LOCAL_BATCH = 500;

type DoneMessage = Extract<FromWorker, { type: 'done' }>;

/** Where one chunk's previews live: a pooled worker thread, or the calling thread for small snapshots. */
interface ChunkHandle {
  get(ids: string[] | null): Promise<UserPreview[]>;
  /** the chunk's sends of the unique values with these hashes (VendorUserMerge) */
  sends(hashes: number[]): Promise<UniqueValueSends[]>;
  /** the chunk's users a report's redaction must know (ChunkWorker's 'scan') */
  scan(texts: string[], wanted: string[]): Promise<RedactionScanPart>;
  close(): Promise<void>;
}

class LocalChunk implements ChunkHandle {
  constructor(
    readonly chunk: PreviewChunk,
    private readonly checks: VendorUserChecks | null,
    /** the chunk's users, in snapshot order */
    private readonly users: readonly SourceObject[],
  ) {}

  scan(texts: string[], wanted: string[]): Promise<RedactionScanPart> {
    return Promise.resolve(scanPart(texts, wanted, this.users));
  }

  get(ids: string[] | null): Promise<UserPreview[]> {
    return Promise.resolve(this.chunk.get(ids));
  }

  sends(hashes: number[]): Promise<UniqueValueSends[]> {
    return Promise.resolve(this.checks?.sendsOf(new Set(hashes)) ?? []);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Checks that run the vendor's per-user rules on a chunk whose row `position` is snapshot place `base + position`. */
function vendorChecks(profile: VendorProfile | undefined, set: MappingSet, base: number): { checks: VendorUserChecks; hook: UserChecks } | null {
  if (!profile) return null;
  const checks = new VendorUserChecks(profile, set, { guests: true });
  return { checks, hook: { check: (preview, identity, position) => checks.add(preview, identity, base + position) } };
}

/** One chunk held by a pooled worker: its pass (open → rows → done; users given in memory: open → loaded → preview → rows → done), then requests until closed. */
class WorkerChunk implements ChunkHandle {
  private nextRequest = 1;
  private readonly pending = new Map<number, { resolve: (value: never) => void; reject: (error: Error) => void }>();
  private failure: Error | null = null;
  private passing = false;
  private closed = false;
  readonly loaded = deferred<string>();
  readonly done = deferred<DoneMessage>();
  /** CANCEL and ACKED (protocol.ts), shared with the worker */
  private readonly flags = new Int32Array(new SharedArrayBuffer(8));

  constructor(
    private readonly worker: PooledWorker,
    readonly id: number,
    /** stores a batch of the pass's rows; the worker sends the next ones once it returns */
    private readonly onRows: (rows: PreviewIndexRow[], ordinals: number[]) => void,
  ) {
    // A failure before anyone awaits the step (one chunk failing while another still loads) must not go unhandled.
    this.loaded.promise.catch(() => undefined);
    this.done.promise.catch(() => undefined);
    worker.attach(id, { message: (message) => this.message(message), stopped: (error) => this.fail(error) });
  }

  open(init: ChunkInit): void {
    this.passing = true;
    this.worker.hold();
    this.worker.post({ type: 'open', chunk: this.id, init, flags: this.flags });
  }

  preview(provisioned: string): void {
    this.worker.post({ type: 'preview', chunk: this.id, provisioned });
  }

  private message(message: FromWorker): void {
    if (message.type === 'loaded') this.loaded.resolve(message.provisioned);
    else if (message.type === 'rows') {
      if (this.failure) return;
      try {
        this.onRows(message.rows, message.ordinals);
      } catch (error) {
        this.fail(error as Error);
        void this.close();
        return;
      }
      // Back-pressure: the worker waits when IN_FLIGHT batches are not yet stored.
      Atomics.add(this.flags, ACKED, 1);
      Atomics.notify(this.flags, ACKED);
    } else if (message.type === 'done') {
      this.endPass();
      this.done.resolve(message);
    } else if (message.type === 'users' || message.type === 'sends' || message.type === 'scanned') {
      const answer = message.type === 'users' ? message.users : message.type === 'sends' ? message.sends : message.found;
      this.pending.get(message.requestId)?.resolve(answer as never);
      this.settled(message.requestId);
    } else if (message.type === 'failed') {
      const error = new Error(`Preview worker failed: ${message.message}`);
      if (message.requestId === undefined) this.fail(error);
      else {
        this.pending.get(message.requestId)?.reject(error);
        this.settled(message.requestId);
      }
    }
  }

  private endPass(): void {
    if (!this.passing) return;
    this.passing = false;
    this.worker.release();
  }

  private settled(requestId: number): void {
    if (this.pending.delete(requestId)) this.worker.release();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.endPass();
    this.loaded.reject(error);
    this.done.reject(error);
    for (const [requestId, { reject }] of this.pending) {
      reject(error);
      this.settled(requestId);
    }
  }

  private request<T>(message: (requestId: number) => Parameters<PooledWorker['post']>[0]): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const requestId = this.nextRequest++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(requestId, { resolve: resolve as (value: never) => void, reject });
      this.worker.hold();
      this.worker.post(message(requestId));
    });
  }

  get(ids: string[] | null): Promise<UserPreview[]> {
    return this.request((requestId) => ({ type: 'get', chunk: this.id, requestId, ids }));
  }

  sends(hashes: number[]): Promise<UniqueValueSends[]> {
    return this.request((requestId) => ({ type: 'sends', chunk: this.id, requestId, hashes }));
  }

  scan(texts: string[], wanted: string[]): Promise<RedactionScanPart> {
    return this.request((requestId) => ({ type: 'scan', chunk: this.id, requestId, texts, wanted }));
  }

  /** Stops the pass (if it still runs) and drops the chunk's results in the worker. */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      Atomics.store(this.flags, CANCEL, 1);
      Atomics.notify(this.flags, ACKED);
      this.fail(new Error('The preview session is closed; run the preview again.'));
      this.worker.detach(this.id);
    }
    return Promise.resolve();
  }

  /** A cancel: the pass's awaiters get PreviewCancelledError at once, the worker stops at its next batch. */
  stop(): void {
    this.fail(new PreviewCancelledError());
    void this.close();
  }
}

/**
 * A finished preview whose per-user results stay where they were computed (worker threads, or this thread):
 * the session holds the summary, the mapping-level findings, the finding groups and the coverage; its users' index
 * rows (what the table lists, filters and searches) are in memory for a small run, otherwise in a temporary SQLite
 * file (row-store.ts), and full
 * previews are fetched only for the users asked for. So its memory does not grow with the tenant.
 */
export class PreviewSession {
  readonly findings: Finding[];
  readonly summary: PreviewSummary;
  readonly coverage: CoverageData[];

  constructor(
    readonly compiled: CompiledMappingSet,
    readonly vendor: string | null,
    /** every user's index row, in snapshot order, with the chunk that holds its preview */
    private readonly store: PreviewRows,
    private readonly chunks: readonly ChunkHandle[],
    readonly stats: RowStats,
    readonly groups: FindingGroups,
    /** user objectId → target id of the users that exist in the target after the cycle (group members link to these) */
    readonly provisioned: ProvisionedLookup,
    /** the vendor's per-user rules merged over every chunk, when the job named a vendor profile */
    readonly vendorUsers: MergedVendorUsers | null = null,
    /** the most V8 heap each worker used for its chunk (the bench reports it); empty when run on this thread */
    readonly workerPeakHeapMb: readonly number[] = [],
  ) {
    const missingUserName = store.page({ findingCode: 'USERNAME_MISSING' }, 0, 0).total;
    this.findings = snapshotFindings(compiled, stats, missingUserName);
    groups.addAll(this.findings);
    this.coverage = coverageOf(compiled, stats);
    // The groups hold every finding of every chunk, so the totals follow the finding list's counts (severityTotals).
    const { errors, warnings } = groups.totals();
    this.summary = { users: store.size, byAction: store.byAction(), errors, warnings };
  }

  get dialect(): ScimDialect {
    return this.compiled.dialect;
  }

  rowOf(id: string): PreviewIndexRow | undefined {
    return this.store.row(id);
  }

  /** Index rows in snapshot order, from `offset`, at most `limit` (all from `offset` when omitted). */
  indexRows(offset = 0, limit = -1): PreviewIndexRow[] {
    return this.store.rows(offset, limit);
  }

  /** The index rows that pass a filter, in snapshot order: how many there are, and the page asked for. */
  pageRows(filter: PreviewRowFilter, offset: number, limit: number, countLimit?: number): PreviewRowsPage {
    return this.store.page(filter, offset, limit, countLimit);
  }

  /**
   * What a report's redaction must know of the snapshot's users (shared/reports/redact-scan.ts), each chunk scanning its
   * own users where they are (a million users read again by both workers at once, not by this thread): the chunks'
   * parts in snapshot order, for RedactionScan.addFound.
   */
  redactionParts(texts: string[], wanted: string[]): Promise<RedactionScanPart[]> {
    return Promise.all(this.chunks.map((chunk) => chunk.scan(texts, wanted)));
  }

  /** Findings found after the pass (the vendor's duplicates) added to their user's row. */
  addUserFindings(id: string, findings: readonly Finding[]): void {
    this.store.addFindings(id, findings);
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
      const all: UserPreview[] = [];
      for (let from = 0; from < this.summary.users; from += USERS_PAGE) all.push(...(await this.users(this.indexRows(from, USERS_PAGE).map((row) => row.id))));
      return all;
    }
    const perChunk = new Map<number, string[]>();
    for (const id of ids) {
      const chunk = this.store.chunkOf(id);
      if (chunk === undefined) continue;
      let list = perChunk.get(chunk);
      if (!list) perChunk.set(chunk, (list = []));
      list.push(id);
    }
    const fetched = new Map<string, UserPreview>();
    await Promise.all(
      [...perChunk].map(async ([chunk, chunkIds]) => {
        for (const user of await this.chunks[chunk]!.get(chunkIds)) fetched.set(user.id, this.revive(user));
      }),
    );
    return ids.map((id) => fetched.get(id)).filter((user): user is UserPreview => user !== undefined);
  }

  async user(id: string): Promise<UserPreview | undefined> {
    return (await this.users([id]))[0];
  }

  /** Materialises the whole result (the CLI's JSON output). */
  async result(): Promise<PreviewResult> {
    const users = await this.users();
    return { vendor: this.vendor, dialect: this.dialect, findings: this.findings, users, summary: summarise(this.findings, users), coverage: this.coverage };
  }

  async close(): Promise<void> {
    await Promise.all(this.chunks.map((chunk) => chunk.close()));
    this.store.close();
  }
}

/** Full previews fetched from the chunks at a time when the whole result is materialised. */
const USERS_PAGE = 500;

/**
 * Previews a mapping set over a whole snapshot off the calling thread (docs/architecture.md, "Work off the UI thread"):
 * the snapshot is split into one chunk per worker, each worker previews its chunk and keeps it, and an AbortSignal
 * terminates them. `start` returns the session (pages on demand); `run` materialises the result.
 */
export class PreviewRunner {
  private readonly workers: number;
  private readonly inProcessBelow: number;
  private readonly cacheSize: number;
  private readonly rowsInMemoryUpTo: number;
  private readonly cache = new Map<string, PreviewResult>();
  private readonly pool: PreviewWorkerPool;
  private nextChunk = 1;

  constructor(options: PreviewRunnerOptions = {}) {
    this.workers = Math.max(1, options.workers ?? Math.min(4, availableParallelism()));
    this.inProcessBelow = options.inProcessBelow ?? 2000;
    this.cacheSize = options.cacheSize ?? 4;
    this.rowsInMemoryUpTo = options.rowsInMemoryUpTo ?? ROWS_IN_MEMORY_UP_TO;
    this.pool = new PreviewWorkerPool(this.workers);
  }

  /** The worker threads kept for the next run (tests check that runs reuse them). */
  workerThreadIds(): number[] {
    return this.pool.threadIds();
  }

  /** Stops the pooled workers; sessions still open lose their results. */
  async close(): Promise<void> {
    await this.pool.close();
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
    const store = total <= this.rowsInMemoryUpTo ? new MemoryRows() : new PreviewRowStore();
    let parts: SessionParts | undefined;
    try {
      parts = local
        ? await this.startLocal(job.users ?? readWholeSnapshot(job.workspace!), job, compiled, previous, store, options)
        : await this.startWorkers(job, compiled, previous, total, store, options);
      store.finish();
      // Users the target holds that are gone from the directory: previewed here, from the previous state.
      if (previous.size > 0) {
        const first = store.nextOrdinal();
        const vendor = vendorChecks(job.vendorProfile, job.set, first);
        const leavers = new PreviewChunk(compiled, [], { source: () => undefined }, previous, job.skipOutOfScopeDeletions ?? false, vendor?.hook);
        leavers.previewLeavers({ has: (id: string) => store.has(id) });
        if (leavers.rows.length > 0) {
          store.add(leavers.rows, leavers.rows.map((_, i) => first + i), parts.handles.length);
          parts.handles.push(new LocalChunk(leavers, vendor?.checks ?? null, []));
          parts.groups.merge(leavers.groups.partials());
          mergeRowStats(parts.stats, leavers.stats);
          if (vendor) parts.vendor.push(vendor.checks.partial());
        }
      }
      const vendorUsers = job.vendorProfile ? await mergeVendorUsers(job.vendorProfile, parts) : null;
      if (options.signal?.aborted) throw new PreviewCancelledError();
      return new PreviewSession(compiled, job.vendor ?? null, store, parts.handles, parts.stats, parts.groups, parts.provisioned, vendorUsers, parts.peakHeapMb);
    } catch (error) {
      await Promise.all((parts?.handles ?? []).map((handle) => handle.close()));
      store.close();
      throw error;
    }
  }

  private async startLocal(
    users: readonly SourceObject[],
    job: PreviewJob,
    compiled: CompiledMappingSet,
    previous: PreviousState,
    store: PreviewRows,
    options: RunOptions,
  ): Promise<SessionParts> {
    const vendor = vendorChecks(job.vendorProfile, job.set, 0);
    const chunk = new PreviewChunk(compiled, users, sourcesById(users), previous, job.skipOutOfScopeDeletions ?? false, vendor?.hook);
    const provisioned = new Map(chunk.provisioned());
    chunk.setProvisioned(provisioned);
    const total = chunk.size;
    for (let from = 0; from < total; from += LOCAL_BATCH) {
      if (options.signal?.aborted) throw new PreviewCancelledError();
      const to = Math.min(total, from + LOCAL_BATCH);
      chunk.previewRange(from, to);
      // The rows go to the store as they come, so a large snapshot previewed here holds no more than a batch of them.
      store.add(chunk.rows.splice(0), Array.from({ length: to - from }, (_, i) => from + i), 0);
      options.onProgress?.({ phase: 'users', done: to, total });
      if (to < total) await new Promise((resolve) => setImmediate(resolve));
    }
    if (total === 0) options.onProgress?.({ phase: 'users', done: 0, total: 0 });
    return {
      handles: [new LocalChunk(chunk, vendor?.checks ?? null, users)],
      stats: chunk.stats,
      groups: chunk.groups,
      provisioned,
      vendor: vendor ? [vendor.checks.partial()] : [],
      peakHeapMb: [],
    };
  }

  private async startWorkers(
    job: PreviewJob,
    compiled: CompiledMappingSet,
    previous: PreviousState,
    total: number,
    store: PreviewRows,
    options: RunOptions,
  ): Promise<SessionParts> {
    const chunkCount = Math.min(this.workers, Math.max(1, Math.ceil(total / 1000)));
    const chunkSize = Math.ceil(total / chunkCount);
    let previewed = 0;
    let starts: number[] = [];
    if (!job.users) {
      const reader = new SnapshotSourceReader(job.workspace!.workspacePath);
      try {
        starts = reader.boundaries(job.workspace!.snapshotId, chunkCount);
      } finally {
        reader.close();
      }
    }
    const count = job.users ? chunkCount : starts.length;
    const workers = await this.pool.take(count);
    const handles: WorkerChunk[] = [];
    const stop = () => {
      for (const handle of handles) handle.stop();
    };
    options.signal?.addEventListener('abort', stop, { once: true });
    try {
      options.signal?.throwIfAborted?.();
      for (let c = 0; c < count; c++) {
        const from = c * chunkSize;
        const to = Math.min(total, from + chunkSize);
        let input: ChunkInput;
        const previousEntries: ChunkInit['previous'] = [];
        if (job.users) {
          const slice = job.users.slice(from, to) as SourceObject[];
          input = { kind: 'objects', users: slice, firstOrdinal: from };
          if (previous.size > 0) {
            for (const user of slice) {
              const entry = previous.get(String(user.objectId ?? ''));
              if (entry) previousEntries.push([String(user.objectId), entry]);
            }
          }
        } else {
          const { workspacePath, snapshotId } = job.workspace!;
          input = { kind: 'workspace', path: workspacePath, snapshotId, from: starts[c]!, to: starts[c + 1] ?? null };
          // Which users an ordinal range holds is known once read: every chunk gets the whole previous state to look in.
          for (const entry of previous) previousEntries.push(entry);
        }
        const handle = new WorkerChunk(workers[c % workers.length]!, this.nextChunk++, (rows, ordinals) => {
          store.add(rows, ordinals, c);
          previewed += rows.length;
          options.onProgress?.({ phase: 'users', done: previewed, total });
        });
        handles.push(handle);
        handle.open({
          set: job.set,
          ...(job.dialect ? { dialect: job.dialect } : {}),
          ...(job.baseUrl ? { baseUrl: job.baseUrl } : {}),
          skipOutOfScopeDeletions: job.skipOutOfScopeDeletions ?? false,
          input,
          previous: previousEntries,
          vendor: job.vendorProfile ?? null,
        });
      }
      // Users given in memory: every chunk's provisioned users go to every chunk before any user is previewed. A
      // workspace chunk previews at once, finds its users' managers in the file, and tells its provisioned users last.
      let provisioned = '';
      if (job.users) {
        provisioned = (await Promise.all(handles.map((handle) => handle.loaded.promise))).join('');
        for (const handle of handles) handle.preview(provisioned);
      }
      const results = await Promise.all(handles.map((handle) => handle.done.promise));
      if (!job.users) provisioned = results.map((result) => result.provisioned ?? '').join('');
      if (previewed === 0) options.onProgress?.({ phase: 'users', done: 0, total });
      const stats = newRowStats(compiled.rows.length);
      const groups = new FindingGroups();
      for (const result of results) {
        mergeRowStats(stats, result.stats);
        groups.merge(result.groups);
      }
      const vendor = results.flatMap((result) => (result.vendor ? [result.vendor] : []));
      return { handles, stats, groups, provisioned: new PackedPairs(provisioned), vendor, peakHeapMb: results.map((result) => result.peakHeapMb) };
    } catch (error) {
      stop();
      throw options.signal?.aborted ? new PreviewCancelledError() : error;
    } finally {
      options.signal?.removeEventListener('abort', stop);
    }
  }
}

/**
 * The vendor's per-user rules over every chunk: their partials merged, then the sends of the values two chunks
 * may share fetched from every chunk (only when some hash meets another: usually none).
 */
async function mergeVendorUsers(profile: VendorProfile, parts: SessionParts): Promise<MergedVendorUsers> {
  const merge = new VendorUserMerge(profile);
  for (const partial of parts.vendor) merge.add(partial);
  const candidates = [...merge.candidates()];
  if (candidates.length > 0) {
    for (const sends of await Promise.all(parts.handles.map((handle) => handle.sends(candidates)))) merge.addSends(sends);
  }
  return merge.finish();
}

/** A snapshot too small for workers (or a one-core machine): read on this thread, in snapshot order. */
function readWholeSnapshot(workspace: WorkspaceUsers): SourceObject[] {
  const reader = new SnapshotSourceReader(workspace.workspacePath);
  try {
    return reader.read(workspace.snapshotId).users;
  } finally {
    reader.close();
  }
}

interface SessionParts {
  /** user objectId → target id of every user that exists in the target after the cycle (group members) */
  provisioned: ProvisionedLookup;
  handles: ChunkHandle[];
  stats: RowStats;
  groups: FindingGroups;
  /** each chunk's partial of the vendor's per-user rules (empty without a vendor profile) */
  vendor: VendorUserPartial[];
  /** the most V8 heap each worker used for its chunk */
  peakHeapMb: number[];
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
