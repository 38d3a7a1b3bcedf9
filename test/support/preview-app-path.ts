// Child process for the preview memory test: opens a workspace as the app does (Backend, dispatch) and runs the
// Preview screen's calls on a snapshot: preview.run, preview.listUsers for each action and a search, preview.getUser.
// Prints one JSON line with what they answered and the heaps the workers reported, for the parent to check.
import { Backend } from '../../electron/backend/backend.ts';
import { dispatch } from '../../electron/backend/dispatch.ts';
import type { MethodName, PreviewRunSummary, PreviewUserDetail, PreviewUserRow } from '../../shared/api.ts';
import { USER_ACTIONS } from '../../shared/preview/types.ts';

const [workspacePath, snapshotId, search] = process.argv.slice(2);
const backend = new Backend({ mode: 'browser', version: 'stress', workspacePath: workspacePath! });

async function call<T>(name: MethodName, input: unknown): Promise<T> {
  const envelope = await dispatch(backend.handlers, name, input);
  if (!envelope.ok) throw new Error(`${name}: ${envelope.error.message}`);
  return envelope.value as T;
}

try {
  const summary = await call<PreviewRunSummary>('preview.run', { snapshotId: Number(snapshotId) });
  const listed: Record<string, number> = {};
  for (const action of USER_ACTIONS) listed[action] = (await call<{ total: number }>('preview.listUsers', { runId: summary.runId, action, limit: 1 })).total;
  const found = await call<{ total: number; items: PreviewUserRow[] }>('preview.listUsers', { runId: summary.runId, search, limit: 5 });
  const last = await call<{ total: number; items: PreviewUserRow[] }>('preview.listUsers', { runId: summary.runId, offset: summary.users - 1, limit: 50 });
  const detail = await call<PreviewUserDetail>('preview.getUser', { runId: summary.runId, userId: last.items[0]!.id });
  process.stdout.write(
    `${JSON.stringify({
      users: summary.users,
      byAction: summary.byAction,
      errors: summary.errors,
      warnings: summary.warnings,
      listed,
      found: { total: found.total, upns: found.items.map((row) => row.userPrincipalName) },
      last: { total: last.total, count: last.items.length, id: last.items[0]!.id },
      detail: { id: detail.id, requests: detail.requests.length, action: detail.action },
      heapUsedMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    })}\n`,
  );
} finally {
  await backend.close();
}
