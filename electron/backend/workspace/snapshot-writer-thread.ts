/**
 * A snapshot written in steps (snapshot-writer.ts) from a thread of its own, so the SQLite inserts and commits of a
 * Graph fetch run beside the network, the JSON parsing and the conversion instead of after them (issue 18). Each page
 * is converted into column values on the caller's thread, or on the writer's while it keeps up (appendGraphUsers); the
 * writer thread inserts them in lots under
 * the same rules as SnapshotWriter (out of sight until completed, the write lock released between lots, deleted on a
 * cancel or a failure). `commit` and `discard` wait for the thread, so they keep SnapshotWriter's synchronous use.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { resolve } from 'node:path';
import type { SnapshotSummary } from '../../../shared/api.ts';
import { workerScript } from '../worker-script.ts';
import type { GraphUser } from '../../../shared/directory/graph-to-source.ts';
import { toSourceSnapshotUsers, type SourceContext } from '../directory/snapshot.ts';
import { snapshotUserColumns, type SnapshotUserRow } from './snapshot-rows.ts';
import type { MembersPage, SnapshotTarget, StagedGroup } from './snapshot-writer.ts';
import type { SnapshotMeta, SnapshotUserInput, WorkspaceStore } from './store.ts';

export type ToWriter =
  | { type: 'rows'; rows: SnapshotUserRow[] }
  /** users as Graph gave them, converted by the writer with the context it was given last */
  | { type: 'users'; users: readonly GraphUser[] }
  | { type: 'context'; context: SourceContext }
  | { type: 'members'; groupId: string; page: MembersPage }
  | { type: 'group'; group: StagedGroup; deleted: boolean }
  | { type: 'complete'; snapshot: SnapshotMeta }
  | { type: 'discard' };

/** Told on the worker's own channel as batches are written, or when writing failed. */
export type FromWriter = { type: 'begun'; snapshotId: number } | { type: 'written' } | { type: 'failed'; error: WriterError };

/** The answer to `complete` and `discard`, on the channel the caller waits on. */
export type WriterReply = { type: 'done' } | { type: 'failed'; error: WriterError };

export interface WriterError {
  name: string;
  message: string;
}

export interface WriterStart {
  target: SnapshotTarget;
  /** [0] counts replies on `replies` (the caller waits on it); [1] is set once the caller discards (queued rows are dropped) */
  flags: Int32Array;
  replies: MessagePort;
}

export const REPLIES = 0;
export const DISCARDING = 1;

/**
 * Characters of batches posted and not yet written (each batch is cloned into the writer's heap and waits there). A
 * page of users is about 4 million characters of column values, so the caller runs about 12 pages ahead of the writer
 * at most, and the member pages of the lists read beside the users count in the same budget; the writer's lot
 * (LOT_ROWS) waits on top of these. Twelve pages because a lot's inserts and commit keep the writer from its queue for
 * about 0.4 s at a million users, about as long as 11 pages take to arrive: with 4 pages (16 million characters) the read
 * stalled on every lot, 66 s in all of a 100 s fetch (docs/benchmarks.md, "Session 10 at a million users").
 */
const MAX_CHARS_IN_FLIGHT = 48_000_000;

/**
 * The same while a group is being appended (its memberships and its row, which holds its whole member list: 110 MB for
 * a million members, built in one piece). That keeps the writer from its queue for seconds, which no queue covers, so
 * the read waits anyway; a short queue then keeps the process's peak memory where it was with 4 pages (issue 18's
 * 1.5 GB budget).
 */
const MAX_CHARS_IN_FLIGHT_WHILE_GROUP = 16_000_000;

/**
 * A page of users goes to the writer unconverted while less than this waits for it (about one page of rows): the writer
 * is keeping up, so it converts the page itself. See appendGraphUsers.
 */
const WRITER_KEEPING_UP_CHARS = 4_000_000;

/** The characters of a batch's strings: the measure of what waits for the writer. */
function charsOf(values: readonly unknown[]): number {
  let chars = 0;
  for (const value of values) {
    if (typeof value === 'string') chars += value.length;
    else if (Array.isArray(value)) chars += charsOf(value);
    else if (value !== null && typeof value === 'object') chars += charsOf(Object.values(value));
    else chars += 8;
  }
  return chars;
}

/** A failure of the writer thread, named for the admin: what failed, and that nothing was kept. */
export class SnapshotWriteError extends Error {
  override readonly name = 'SnapshotWriteError';
  constructor(path: string, cause: WriterError) {
    super(`Writing the snapshot into ${path} failed: ${cause.message} The read was stopped and nothing was kept.`);
  }
}

/** An error from the writer thread as it was thrown there (its name and message; the class stays in that thread). */
function rebuilt(cause: WriterError): Error {
  const error = new Error(cause.message);
  error.name = cause.name;
  return error;
}

function snapshotWriterScript(): Promise<URL> {
  return workerScript({
    prebuilt: new URL('./snapshot-writer-worker.mjs', import.meta.url),
    source: new URL('./snapshot-writer-worker.ts', import.meta.url),
    tsxEntry: new URL('./snapshot-writer-worker-entry.mjs', import.meta.url),
  });
}

export class SnapshotWriterThread {
  /** the size (charsOf) of each batch posted and not yet written, and whether it is a group, oldest first: the writer answers in order */
  private inFlight: { chars: number; group: boolean }[] = [];
  private groupsInFlight = 0;
  private charsInFlight = 0;
  private waiters: (() => void)[] = [];
  private failure: Error | null = null;
  private ended = false;
  private users = 0;
  private contextSent: SourceContext | null = null;

  private constructor(
    private readonly worker: Worker,
    private readonly target: SnapshotTarget,
    private readonly flags: Int32Array,
    private readonly replies: MessagePort,
    readonly snapshotId: number,
  ) {
    worker.on('message', (message: FromWriter) => {
      if (message.type === 'written') {
        const written = this.inFlight.shift();
        this.charsInFlight -= written?.chars ?? 0;
        if (written?.group) this.groupsInFlight--;
      }
      else if (message.type === 'failed') this.failure ??= new SnapshotWriteError(target.path, message.error);
      this.wake();
    });
    worker.on('error', (error) => {
      this.failure ??= new SnapshotWriteError(target.path, error);
      this.ended = true;
      this.wake();
    });
    worker.on('exit', () => {
      if (!this.ended) this.failure ??= new SnapshotWriteError(target.path, { name: 'Error', message: 'The snapshot writer thread stopped.' });
      this.ended = true;
      this.wake();
    });
  }

  /** Starts the writer thread, which opens the target workspace and begins a snapshot that stays out of sight. */
  static async begin(target: SnapshotTarget): Promise<SnapshotWriterThread> {
    const flags = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(await snapshotWriterScript(), {
      workerData: { target, flags, replies: port2 } satisfies WriterStart,
      transferList: [port2],
    });
    let listening: { message(m: FromWriter): void; error(e: Error): void; exit(code: number): void };
    const first = await new Promise<FromWriter>((resolveFirst, reject) => {
      listening = {
        message: resolveFirst,
        error: reject,
        exit: (code) => reject(new Error(`The snapshot writer thread stopped before it began (exit code ${code}).`)),
      };
      worker.once('message', listening.message).once('error', listening.error).once('exit', listening.exit);
    }).finally(() => {
      // each one by name: a Worker's own listeners (which keep its port referenced) must stay
      worker.off('message', listening.message).off('error', listening.error).off('exit', listening.exit);
    });
    if (first.type !== 'begun') {
      port1.close();
      await worker.terminate();
      // the workspace's own error (not a workspace, one from the future...) reaches the admin as it was worded
      throw rebuilt(first.type === 'failed' ? first.error : { name: 'Error', message: 'The snapshot writer thread did not begin.' });
    }
    return new SnapshotWriterThread(worker, target, flags, port1, first.snapshotId);
  }

  /**
   * Converts users on this thread and hands them to the writer; resolves once what waits for the writer is within
   * MAX_CHARS_IN_FLIGHT, so a fast network never piles pages up in memory. Throws the writer's failure.
   */
  async appendUsers(batch: readonly SnapshotUserInput[]): Promise<void> {
    this.check();
    const rows = batch.map((user) => snapshotUserColumns(user, this.users++));
    await this.send({ type: 'rows', rows }, rows);
  }

  /**
   * A page of users as Graph gave them. Converting them (source objects, column values) is most of this thread's work
   * in a fetch, while the writer thread idled a quarter of the time (docs/benchmarks.md, "Session 11"). So the page
   * goes to the writer unconverted when the writer is keeping up (WRITER_KEEPING_UP_CHARS), and is converted here when
   * it is behind: the two threads share the conversion as their load goes. Either way the rows are the same.
   */
  async appendGraphUsers(users: readonly GraphUser[], context: SourceContext): Promise<void> {
    this.check();
    if (this.charsInFlight >= WRITER_KEEPING_UP_CHARS) return this.appendUsers(toSourceSnapshotUsers(users, context));
    if (context !== this.contextSent) {
      // once per read: the context holds the assigned users' ids, too many to send with every page
      this.worker.postMessage({ type: 'context', context } satisfies ToWriter);
      this.contextSent = context;
    }
    this.users += users.length;
    await this.send({ type: 'users', users }, users);
  }

  /** Hands the next page of a group's member list to the writer, which stages it until the group completes. */
  appendMembers(groupId: string, page: MembersPage): Promise<void> {
    this.check();
    return this.send({ type: 'members', groupId, page }, [page.rawJson, page.sourceJson, page.members]);
  }

  /** The group whose member pages were handed over is complete (`deleted`: it was deleted while read, kept with none). */
  appendStagedGroup(group: StagedGroup, deleted: boolean): Promise<void> {
    this.check();
    return this.send({ type: 'group', group, deleted }, [group.raw, group.source]);
  }

  /** Resolves once everything posted is written; throws the writer's failure. */
  async written(): Promise<void> {
    while (this.inFlight.length > 0 && !this.failure) await new Promise<void>((wake) => this.waiters.push(wake));
    this.check();
  }

  /**
   * Completes the snapshot in `store`'s workspace (the one it was begun in) and makes it visible; waits for the writer
   * thread, which then ends.
   */
  commit(store: WorkspaceStore, snapshot: SnapshotMeta): SnapshotSummary {
    if (resolve(store.path) !== resolve(this.target.path))
      throw new Error(`This snapshot is being written to ${this.target.path}, not to ${store.path}.`);
    this.check();
    const reply = this.call({ type: 'complete', snapshot });
    if (reply.type === 'failed') throw rebuilt(reply.error);
    this.end();
    return store.getSnapshot(this.snapshotId)!;
  }

  /** Deletes what was written (a cancel or a failed read) and waits for the writer thread, which then ends. */
  discard(): void {
    if (this.ended) return;
    Atomics.store(this.flags, DISCARDING, 1);
    const reply = this.call({ type: 'discard' });
    this.end();
    if (reply.type === 'failed') throw rebuilt(reply.error);
  }

  private check(): void {
    if (this.failure) throw this.failure;
    if (this.ended) throw new Error('This snapshot was already committed or discarded.');
  }

  /**
   * Posts a batch of `size` values (charsOf) and waits while the writer is further behind than MAX_CHARS_IN_FLIGHT
   * (MAX_CHARS_IN_FLIGHT_WHILE_GROUP while a group waits to be written).
   */
  private async send(message: ToWriter, size: readonly unknown[]): Promise<void> {
    const chars = charsOf(size);
    const group = message.type === 'group';
    this.inFlight.push({ chars, group });
    if (group) this.groupsInFlight++;
    this.charsInFlight += chars;
    this.worker.postMessage(message);
    const limit = () => (this.groupsInFlight > 0 ? MAX_CHARS_IN_FLIGHT_WHILE_GROUP : MAX_CHARS_IN_FLIGHT);
    while (this.charsInFlight > limit() && !this.failure) await new Promise<void>((wake) => this.waiters.push(wake));
    this.check();
  }

  /**
   * Posts a message and blocks until the writer answers on the reply channel (Atomics.wait on the reply counter):
   * commit and discard run where callers expect them to be done when they return (a `finally`, a workspace write).
   */
  private call(message: ToWriter): WriterReply {
    this.worker.postMessage(message);
    for (;;) {
      const seen = Atomics.load(this.flags, REPLIES);
      const received = receiveMessageOnPort(this.replies);
      if (received) return received.message as WriterReply;
      Atomics.wait(this.flags, REPLIES, seen);
    }
  }

  private end(): void {
    this.ended = true;
    this.replies.close();
    // the thread ends on its own once its connection is closed; nothing of it keeps this process alive
    this.worker.unref();
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
