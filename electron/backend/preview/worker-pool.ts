import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './protocol.ts';
import { previewWorkerScript } from './worker-script.ts';

/**
 * Preview worker threads kept across runs. Starting a worker (a thread, a V8 isolate, loading and compiling the
 * bundle) took a quarter to half a second per worker on the project's machine: most of the time of a 10,000-user
 * re-run after an edit (docs/benchmarks.md, "Preview screen"). A pooled worker holds the chunks of several
 * sessions at once, each under its own id (protocol.ts), so sessions kept for paging do not pin threads; a cancel
 * stops a chunk through its flag instead of terminating a thread other sessions use.
 */

/** How long a worker that holds no chunk stays up for the next run. */
const IDLE_MS = 60_000;

/**
 * Each worker's old-generation heap limit. Without one V8 let a worker's heap grow to about four times what it kept
 * alive (380 MB for 126 MB live at 300,000 users, 500 MB at a million: docs/benchmarks.md), as garbage not yet
 * collected; the limit makes it collect sooner. It leaves room for a kept million-user run beside a new one (the
 * Preview screen keeps runs for paging): at 384 MB that second run ran out of heap.
 */
const WORKER_HEAP_MB = 640;

/** What a chunk hears from its worker. */
interface ChunkListener {
  message(message: FromWorker): void;
  /** the worker stopped (it crashed, ran idle, or the pool closed): the chunk's results are gone */
  stopped(error: Error): void;
}

export class PooledWorker {
  private readonly listeners = new Map<number, ChunkListener>();
  /** operations waiting on the worker: while there are any, it keeps the process alive */
  private holds = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly worker: Worker,
    private readonly idleMs: number,
    private readonly onStop: (worker: PooledWorker) => void,
  ) {
    // An idle pool must not keep the process alive (a CLI run exits when its work is done).
    worker.unref();
    worker.on('message', (message: FromWorker) => this.listeners.get(message.chunk)?.message(message));
    worker.on('error', (error) => this.stop(error));
    worker.on('exit', (code) => this.stop(new Error(`The preview worker stopped (exit code ${code}); run the preview again.`)));
    this.idleUnlessUsed();
  }

  get threadId(): number {
    return this.worker.threadId;
  }

  /** Operations pending on this worker (the pool gives new chunks to the least busy). */
  get load(): number {
    return this.holds;
  }

  get alive(): boolean {
    return !this.stopped;
  }

  attach(chunk: number, listener: ChunkListener): void {
    if (this.stopped) {
      listener.stopped(new Error('The preview worker has stopped; run the preview again.'));
      return;
    }
    this.listeners.set(chunk, listener);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** Forgets a chunk here and in the worker (which drops its results). */
  detach(chunk: number): void {
    if (!this.listeners.delete(chunk) || this.stopped) return;
    this.post({ type: 'close', chunk });
    this.idleUnlessUsed();
  }

  post(message: ToWorker): void {
    if (!this.stopped) this.worker.postMessage(message);
  }

  hold(): void {
    if (this.holds++ === 0) this.worker.ref();
  }

  release(): void {
    if (--this.holds === 0) this.worker.unref();
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }

  private idleUnlessUsed(): void {
    if (this.listeners.size > 0 || this.stopped) return;
    this.idleTimer = setTimeout(() => {
      // Out of the pool first: a run starting before the thread has exited must not be given it.
      this.stop(new Error('The preview worker was idle and has stopped.'));
      void this.worker.terminate();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private stop(error: Error): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const listeners = [...this.listeners.values()];
    this.listeners.clear();
    for (const listener of listeners) listener.stopped(error);
    this.onStop(this);
  }
}

export class PreviewWorkerPool {
  private readonly workers: PooledWorker[] = [];

  constructor(
    private readonly size: number,
    private readonly idleMs = IDLE_MS,
  ) {}

  /** `count` (at most the pool's size) distinct workers, the least busy first; starts the missing ones. */
  async take(count: number): Promise<PooledWorker[]> {
    const wanted = Math.min(count, this.size);
    if (this.workers.length < wanted) {
      const script = await previewWorkerScript();
      while (this.workers.length < wanted) {
        const pooled: PooledWorker = new PooledWorker(new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } }), this.idleMs, (stopped) => {
          const index = this.workers.indexOf(stopped);
          if (index >= 0) this.workers.splice(index, 1);
        });
        this.workers.push(pooled);
      }
    }
    // A stable sort: equally busy workers keep their order, so a lone session always starts on the same threads.
    return [...this.workers].sort((a, b) => a.load - b.load).slice(0, wanted);
  }

  /** The threads currently up (tests check that runs reuse them). */
  threadIds(): number[] {
    return this.workers.map((worker) => worker.threadId);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((worker) => worker.terminate()));
  }
}
