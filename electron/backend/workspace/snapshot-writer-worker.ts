/**
 * The writer thread of a fetch (snapshot-writer-thread.ts): a SnapshotWriter on a connection of its own, fed column
 * values. A failure discards the snapshot at once and is reported; the caller then only gets `done` for a discard.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toSourceSnapshotUsers, type SourceContext } from '../directory/snapshot.ts';
import { SnapshotWriter } from './snapshot-writer.ts';
import { DISCARDING, REPLIES, type FromWriter, type ToWriter, type WriterError, type WriterReply, type WriterStart } from './snapshot-writer-thread.ts';

const { target, flags, replies } = workerData as WriterStart;
const port = parentPort!;
const tell = (message: FromWriter) => port.postMessage(message);
const errorOf = (error: unknown): WriterError =>
  error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };

function reply(message: WriterReply): void {
  replies.postMessage(message);
  Atomics.add(flags, REPLIES, 1);
  Atomics.notify(flags, REPLIES);
}

let writer: SnapshotWriter | null = null;
/** the read's source context, for the users pages the writer converts itself (SnapshotWriterThread.appendGraphUsers) */
let context: SourceContext = {};
let failure: WriterError | null = null;

/** The last reply: the thread ends once its channels are closed. */
function replyAndEnd(message: WriterReply): void {
  reply(message);
  port.close();
  replies.close();
}

try {
  writer = SnapshotWriter.begin(target);
  tell({ type: 'begun', snapshotId: writer.snapshotId });
} catch (error) {
  tell({ type: 'failed', error: errorOf(error) });
  port.close();
  replies.close();
}

port.on('message', (message: ToWriter) => {
  if (message.type === 'context') {
    context = message.context;
    return;
  }
  if (message.type === 'complete') {
    if (failure) return reply({ type: 'failed', error: failure });
    try {
      writer!.complete(message.snapshot);
      writer = null;
    } catch (error) {
      // the snapshot stays out of sight until the caller discards it (as SnapshotWriter.commit leaves it)
      return reply({ type: 'failed', error: errorOf(error) });
    }
    return replyAndEnd({ type: 'done' });
  }
  if (message.type === 'discard') {
    try {
      writer?.discard();
      replyAndEnd({ type: 'done' });
    } catch (error) {
      replyAndEnd({ type: 'failed', error: errorOf(error) });
    } finally {
      writer = null;
    }
    return;
  }
  // a batch queued before a cancel, or after a failure: nothing more is written
  if (failure || Atomics.load(flags, DISCARDING) !== 0) return tell({ type: 'written' });
  try {
    if (message.type === 'rows') writer!.appendRows(message.rows);
    else if (message.type === 'users') writer!.appendUsers(toSourceSnapshotUsers(message.users, context));
    else if (message.type === 'members') writer!.stageMembers(message.groupId, message.page);
    else writer!.appendStagedGroup(message.group, message.deleted);
    tell({ type: 'written' });
  } catch (error) {
    failure = errorOf(error);
    try {
      writer?.discard();
    } catch {
      // the first failure is the one to report; a snapshot left behind stays out of sight, and a later process deletes it
    }
    writer = null;
    tell({ type: 'failed', error: failure });
  }
});
