/**
 * An import's users file converted in a thread of its own (users-file-worker.ts: checks, source objects, column values)
 * while this thread inserts the rows that came before, inside the import's one transaction (issue 18: "derived source
 * objects computed in workers while the writer writes"). The transaction is synchronous (better-sqlite3), so this side
 * waits for the worker's messages with Atomics.wait and takes them with receiveMessageOnPort, never with the event loop.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { CsvImportError, JsonImportError, type ImportIssue, type UsersFileImportError } from '../../../shared/directory/import-problems.ts';
import type { UsersFileFormat, UsersFileOutcome } from '../../../shared/directory/users-file.ts';
import type { SnapshotUserRow } from '../workspace/snapshot-rows.ts';
import { workerScriptSync } from '../worker-script.ts';
import { readPieces, UsersFileRows, type SourcesToRevise } from './users-file-rows.ts';

export type ToUsersFileWorker = { type: 'text'; text: string } | { type: 'end' };

export type FromUsersFileWorker =
  | { type: 'rows'; rows: SnapshotUserRow[] }
  /** one `text` message read: the format once known, and whether the rest of the file can still change the outcome */
  | { type: 'read'; format: UsersFileFormat | null; stopped: boolean }
  | { type: 'end'; outcome: UsersFileOutcome; rows: SnapshotUserRow[]; revise: SourcesToRevise | null }
  | { type: 'failed'; error: UsersFileWorkerError };

/** An error thrown in the worker, as it crosses: a refused file keeps its problems, so it is the same error here. */
interface UsersFileWorkerError {
  name: string;
  message: string;
  problems?: { format: UsersFileFormat; issues: readonly ImportIssue[]; stoppedAtLine: number | null };
}

export interface UsersFileWorkerStart {
  fileName: string;
  /** [POSTED] counts the messages posted on `port` (this side waits on it); [BEAT] the worker's heartbeat */
  flags: Int32Array;
  port: MessagePort;
}

export const POSTED = 0;
export const BEAT = 1;
/** The worker beats this often while it lives; its event loop runs between chunks, each a fraction of a second's work. */
export const BEAT_MS = 250;

/** Text messages posted and not yet read by the worker: each is a file chunk (about 1 MB), so little waits either side. */
const TEXTS_AHEAD = 3;

/** How long one wait for the worker lasts before this side looks whether it is still there. */
const WAIT_MS = 1_000;

/**
 * A worker that neither posted nor beat for this long is gone (out of memory, or killed): its exit event cannot reach
 * a thread blocked in a transaction, so the heartbeat tells. Generous, for a machine busy with other work.
 */
const SILENT_MS = 30_000;

/** The error the worker threw, rebuilt: a refused file is a UsersFileImportError with its problems and its wording. */
function rebuilt({ name, message, problems }: UsersFileWorkerError): Error {
  const error: Error = problems
    ? problems.format === 'csv'
      ? new CsvImportError(problems.issues, problems.stoppedAtLine)
      : new JsonImportError(problems.issues, problems.stoppedAtLine)
    : new Error(message);
  error.message = message;
  // a subclass's error (not its class here) keeps its own name
  if (error.name !== name) Object.defineProperty(error, 'name', { value: name });
  return error;
}

/** The worker's description of an error it caught (see rebuilt). */
export function describeError(error: unknown): UsersFileWorkerError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const problem = error as Partial<UsersFileImportError>;
  return problem.issues && (problem.format === 'csv' || problem.format === 'json')
    ? { name: error.name, message: error.message, problems: { format: problem.format, issues: problem.issues, stoppedAtLine: problem.stoppedAtLine ?? null } }
    : { name: error.name, message: error.message };
}

/**
 * One users file converted: `format()` once the first characters told it, `rows()` every user's row in file order
 * (throwing the file's UsersFileImportError at its end, or the worker's failure), then `outcome` and `revise`.
 * `close()` ends the worker, read or not.
 */
interface UsersFileConversion {
  format(): UsersFileFormat | null;
  rows(): Iterable<SnapshotUserRow>;
  readonly outcome: UsersFileOutcome;
  readonly revise: SourcesToRevise | null;
  close(): void;
}

/**
 * A users file's conversion: in the worker, unless the whole file came in its first chunk (about 1 MB, some 600 users),
 * which is converted here at once: starting a thread would cost more than it saves.
 */
export function convertUsersFile(fileName: string, chunks: Iterator<string>): UsersFileConversion {
  const first = chunks.next();
  const second = first.done ? first : chunks.next();
  if (second.done) return convertedHere(fileName, first.done ? '' : first.value);
  const pulled = [first.value, second.value];
  const rest: Iterator<string> = { next: () => (pulled.length > 0 ? { done: false, value: pulled.shift()! } : chunks.next()) };
  return UsersFileThread.start(fileName, rest);
}

function convertedHere(fileName: string, text: string): UsersFileConversion {
  const file = new UsersFileRows(fileName);
  const rows: SnapshotUserRow[][] = [];
  for (const piece of readPieces(text)) {
    if (file.stopped) break;
    rows.push(file.push(piece));
  }
  const end = file.end();
  rows.push(end.rows);
  return {
    format: () => end.outcome.format,
    *rows() {
      for (const some of rows) yield* some;
    },
    outcome: end.outcome,
    revise: end.revise,
    close() {},
  };
}

/** A users file through the worker. */
class UsersFileThread implements UsersFileConversion {
  private received = 0;
  private textsAhead = 0;
  private sentEnd = false;
  private known: UsersFileFormat | null = null;
  private early: SnapshotUserRow[][] = [];
  private ended: Extract<FromUsersFileWorker, { type: 'end' }> | null = null;

  private constructor(
    private readonly worker: Worker,
    private readonly flags: Int32Array,
    private readonly port: MessagePort,
    private readonly chunks: Iterator<string>,
  ) {}

  static start(fileName: string, chunks: Iterator<string>): UsersFileThread {
    const flags = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
    const { port1, port2 } = new MessageChannel();
    const script = workerScriptSync({
      prebuilt: new URL('./users-file-worker.mjs', import.meta.url),
      source: new URL('./users-file-worker.ts', import.meta.url),
      tsxEntry: new URL('./users-file-worker-entry.mjs', import.meta.url),
    });
    const worker = new Worker(script, { workerData: { fileName, flags, port: port2 } satisfies UsersFileWorkerStart, transferList: [port2] });
    const thread = new UsersFileThread(worker, flags, port1, chunks);
    thread.feed();
    return thread;
  }

  /** The file's format, read from its first characters (null: the file ended before any showed). */
  format(): UsersFileFormat | null {
    while (this.known === null && !this.ended) {
      const message = this.next();
      if (message.type === 'rows') this.early.push(message.rows);
    }
    return this.known ?? this.ended?.outcome.format ?? null;
  }

  *rows(): Generator<SnapshotUserRow> {
    for (const rows of this.early) yield* rows;
    this.early = [];
    while (!this.ended) {
      const message = this.next();
      if (message.type === 'rows') yield* message.rows;
    }
    yield* this.ended.rows;
  }

  get outcome(): UsersFileOutcome {
    if (!this.ended) throw new Error('The users file has not been read to its end.');
    return this.ended.outcome;
  }

  get revise(): SourcesToRevise | null {
    return this.ended?.revise ?? null;
  }

  close(): void {
    this.port.close();
    void this.worker.terminate();
  }

  /** Keeps TEXTS_AHEAD chunks with the worker, then tells it the file ended. */
  private feed(): void {
    while (!this.sentEnd && this.textsAhead < TEXTS_AHEAD) {
      const next = this.chunks.next();
      if (next.done) this.end();
      else {
        this.worker.postMessage({ type: 'text', text: next.value } satisfies ToUsersFileWorker);
        this.textsAhead++;
      }
    }
  }

  private end(): void {
    this.sentEnd = true;
    this.worker.postMessage({ type: 'end' } satisfies ToUsersFileWorker);
  }

  /** The worker's next message, waited for; feeds it as it reads, and throws what it failed with. */
  private next(): FromUsersFileWorker {
    let beat = Atomics.load(this.flags, BEAT);
    let silentSince = Date.now();
    for (;;) {
      const got = receiveMessageOnPort(this.port);
      if (got) {
        this.received++;
        const message = got.message as FromUsersFileWorker;
        if (message.type === 'read') {
          this.textsAhead--;
          this.known ??= message.format;
          // the rest of the file cannot change the outcome: it is not read
          if (message.stopped && !this.sentEnd) this.end();
          else this.feed();
        } else if (message.type === 'end') this.ended = message;
        else if (message.type === 'failed') throw rebuilt(message.error);
        return message;
      }
      if (Atomics.wait(this.flags, POSTED, this.received, WAIT_MS) !== 'timed-out') continue;
      const now = Atomics.load(this.flags, BEAT);
      if (now !== beat) [beat, silentSince] = [now, Date.now()];
      else if (Date.now() - silentSince > SILENT_MS)
        throw new Error(`The thread reading the users file stopped answering (nothing for ${SILENT_MS / 1000} s); nothing was imported.`);
    }
  }
}
