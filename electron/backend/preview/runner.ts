import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { MappingSet, ScimDialect } from '../../../shared/mapping/model.ts';
import { compileMappingSet, type CompiledMappingSet } from '../../../shared/preview/compile.ts';
import { mergeRowStats, newRowStats, previewUser, type PreviewContext, type RowStats } from '../../../shared/preview/engine.ts';
import { finishPreview, previewLeavers, provisionedIds } from '../../../shared/preview/run.ts';
import type { PreviewResult, PreviousState, PreviousTarget, UserPreview } from '../../../shared/preview/types.ts';
import { reviveRequest } from '../../../shared/scim/requests/render.ts';
import type { WorkerMessage, WorkerTask } from './protocol.ts';

export interface PreviewJob {
  set: MappingSet;
  users: readonly SourceObject[];
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

// The worker entry is TypeScript; worker-entry.mjs registers tsx inside the worker first, so this works from
// vitest, tsx and the CLI alike (a bundled build would point this at the bundled worker instead).
const WORKER_URL = new URL('./worker-entry.mjs', import.meta.url);

interface ChunkResult {
  users: UserPreview[];
  stats: RowStats;
}

/**
 * Previews a mapping set over a whole snapshot off the calling thread (architecture.md "Work off the UI
 * thread"): the snapshot is split into one chunk per worker, progress is reported as workers go, and an
 * AbortSignal terminates them.
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
    const result = await this.compute(job, options);
    if (key !== null) {
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

  private async compute(job: PreviewJob, options: RunOptions): Promise<PreviewResult> {
    options.signal?.throwIfAborted?.();
    const compiled = compileMappingSet(job.set, {
      ...(job.dialect ? { dialect: job.dialect } : {}),
      ...(job.baseUrl ? { baseUrl: job.baseUrl } : {}),
    });
    const emptyPrevious: PreviousState = new Map();
    let previous: PreviousState = emptyPrevious;
    if (job.previousUsers) {
      // The earlier snapshot against an empty target gives what the target holds now.
      const provisionedBefore = provisionedIds(compiled, job.previousUsers, emptyPrevious);
      const before = await this.runChunks(job, compiled, job.previousUsers, emptyPrevious, provisionedBefore, 'previous', options);
      const state = new Map<string, PreviousTarget>();
      const sourceById = new Map(job.previousUsers.map((u) => [String(u.objectId ?? ''), u]));
      for (const user of before.users) {
        if (user.action !== 'create' || !user.target) continue;
        state.set(user.id, { targetId: String(user.target.id), resource: user.target, source: sourceById.get(user.id)! });
      }
      previous = state;
    }
    const provisioned = provisionedIds(compiled, job.users, previous);
    const current = await this.runChunks(job, compiled, job.users, previous, provisioned, 'users', options);
    const context: PreviewContext = { previous, provisioned, skipOutOfScopeDeletions: job.skipOutOfScopeDeletions ?? false };
    const users = current.users;
    for (const leaver of previewLeavers(compiled, job.users, context)) users.push(leaver);
    return finishPreview(compiled, users, current.stats, job.vendor ?? null);
  }

  private async runChunks(
    job: PreviewJob,
    compiled: CompiledMappingSet,
    users: readonly SourceObject[],
    previous: PreviousState,
    provisioned: ReadonlyMap<string, string>,
    phase: PreviewProgress['phase'],
    options: RunOptions,
  ): Promise<ChunkResult> {
    const total = users.length;
    if (total < this.inProcessBelow || this.workers === 1) {
      return this.runInProcess(compiled, users, previous, provisioned, job, phase, options);
    }
    const chunkCount = Math.min(this.workers, Math.max(1, Math.ceil(total / 1000)));
    const chunkSize = Math.ceil(total / chunkCount);
    const done = new Array<number>(chunkCount).fill(0);
    const report = () => options.onProgress?.({ phase, done: done.reduce((a, b) => a + b, 0), total });
    const progressEvery = Math.max(500, Math.floor(chunkSize / 20));
    const running: Worker[] = [];
    const chunks: Array<Promise<ChunkResult>> = [];
    for (let c = 0; c < chunkCount; c++) {
      const slice = users.slice(c * chunkSize, (c + 1) * chunkSize) as SourceObject[];
      const previousEntries: Array<[string, PreviousTarget]> = [];
      if (previous.size > 0) {
        for (const user of slice) {
          const entry = previous.get(String(user.objectId ?? ''));
          if (entry) previousEntries.push([String(user.objectId), entry]);
        }
      }
      const task: WorkerTask = {
        set: job.set,
        ...(job.dialect ? { dialect: job.dialect } : {}),
        ...(job.baseUrl ? { baseUrl: job.baseUrl } : {}),
        skipOutOfScopeDeletions: job.skipOutOfScopeDeletions ?? false,
        users: slice,
        previous: previousEntries,
        provisioned: [...provisioned],
        progressEvery,
      };
      const worker = new Worker(WORKER_URL, { workerData: task });
      running.push(worker);
      chunks.push(
        new Promise<ChunkResult>((resolve, reject) => {
          worker.on('message', (message: WorkerMessage) => {
            if (message.type === 'progress') {
              done[c] = message.done;
              report();
            } else if (message.type === 'done') {
              done[c] = slice.length;
              report();
              resolve({ users: message.users, stats: message.stats });
            } else reject(new Error(`Preview worker failed: ${message.message}`));
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (code !== 0) reject(options.signal?.aborted ? new PreviewCancelledError() : new Error(`Preview worker exited with code ${code}`));
          });
        }),
      );
    }
    const abort = () => {
      for (const worker of running) void worker.terminate();
    };
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      const results = await Promise.all(chunks);
      if (options.signal?.aborted) throw new PreviewCancelledError();
      const stats = newRowStats(compiled.rows.length);
      const merged: UserPreview[] = [];
      for (const result of results) {
        mergeRowStats(stats, result.stats);
        const renderOptions = compiled.baseUrl ? { baseUrl: compiled.baseUrl } : {};
        for (const user of result.users) {
          user.requests = user.requests.map((request) => reviveRequest(request, renderOptions));
          merged.push(user);
        }
      }
      return { users: merged, stats };
    } catch (error) {
      abort();
      throw options.signal?.aborted ? new PreviewCancelledError() : error;
    } finally {
      options.signal?.removeEventListener('abort', abort);
      await Promise.all(running.map((worker) => worker.terminate()));
    }
  }

  private async runInProcess(
    compiled: CompiledMappingSet,
    users: readonly SourceObject[],
    previous: PreviousState,
    provisioned: ReadonlyMap<string, string>,
    job: PreviewJob,
    phase: PreviewProgress['phase'],
    options: RunOptions,
  ): Promise<ChunkResult> {
    const context: PreviewContext = { previous, provisioned, skipOutOfScopeDeletions: job.skipOutOfScopeDeletions ?? false };
    const stats = newRowStats(compiled.rows.length);
    const results: UserPreview[] = [];
    for (let i = 0; i < users.length; i++) {
      if (options.signal?.aborted) throw new PreviewCancelledError();
      results.push(previewUser(compiled, users[i]!, context, stats));
      if ((i + 1) % 500 === 0) {
        options.onProgress?.({ phase, done: i + 1, total: users.length });
        // Yield so a cancel request (and the UI's events) can get through between batches.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    options.onProgress?.({ phase, done: users.length, total: users.length });
    return { users: results, stats };
  }
}
