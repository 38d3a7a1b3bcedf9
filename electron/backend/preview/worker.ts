import { parentPort, workerData } from 'node:worker_threads';
import { compileMappingSet } from '../../../shared/preview/compile.ts';
import { newRowStats, previewUser, type PreviewContext } from '../../../shared/preview/engine.ts';
import type { UserPreview } from '../../../shared/preview/types.ts';
import type { WorkerMessage, WorkerTask } from './protocol.ts';

/**
 * One worker evaluates one chunk of the snapshot: the mapping set is compiled once here (each row once per
 * worker), then every user of the chunk is previewed.
 */
function run(task: WorkerTask): WorkerMessage {
  const compiled = compileMappingSet(task.set, {
    ...(task.dialect ? { dialect: task.dialect } : {}),
    ...(task.baseUrl ? { baseUrl: task.baseUrl } : {}),
  });
  const context: PreviewContext = {
    previous: new Map(task.previous),
    provisioned: new Map(task.provisioned),
    skipOutOfScopeDeletions: task.skipOutOfScopeDeletions,
  };
  const stats = newRowStats(compiled.rows.length);
  const users: UserPreview[] = new Array(task.users.length);
  for (let i = 0; i < task.users.length; i++) {
    users[i] = previewUser(compiled, task.users[i]!, context, stats);
    if ((i + 1) % task.progressEvery === 0) parentPort!.postMessage({ type: 'progress', done: i + 1 } satisfies WorkerMessage);
  }
  return { type: 'done', users, stats };
}

try {
  parentPort!.postMessage(run(workerData as WorkerTask));
} catch (error) {
  parentPort!.postMessage({ type: 'failed', message: (error as Error).stack ?? String(error) } satisfies WorkerMessage);
}
