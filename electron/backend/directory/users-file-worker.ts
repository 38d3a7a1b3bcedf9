/**
 * The thread an import's users file is converted in (users-file-thread.ts): text in, rows out, each message counted in
 * `flags` so the importing thread, blocked in its transaction, wakes for it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BEAT, BEAT_MS, describeError, POSTED, type FromUsersFileWorker, type ToUsersFileWorker, type UsersFileWorkerStart } from './users-file-thread.ts';
import { readPieces, UsersFileRows } from './users-file-rows.ts';

const { fileName, flags, port } = workerData as UsersFileWorkerStart;

function post(message: FromUsersFileWorker): void {
  port.postMessage(message);
  Atomics.add(flags, POSTED, 1);
  Atomics.notify(flags, POSTED);
}

// alive while its event loop runs; unref'd, so it never keeps the thread up once its ports are closed
setInterval(() => Atomics.add(flags, BEAT, 1), BEAT_MS).unref();

const file = new UsersFileRows(fileName);
let over = false;

parentPort!.on('message', (message: ToUsersFileWorker) => {
  if (over) return;
  try {
    if (message.type === 'text') {
      for (const piece of readPieces(message.text)) {
        if (file.stopped) break;
        const rows = file.push(piece);
        if (rows.length > 0) post({ type: 'rows', rows });
      }
      post({ type: 'read', format: file.format, stopped: file.stopped });
      return;
    }
    over = true;
    post({ type: 'end', ...file.end() });
  } catch (error) {
    over = true;
    post({ type: 'failed', error: describeError(error) });
  }
  port.close();
  parentPort!.close();
});
