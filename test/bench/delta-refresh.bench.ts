/**
 * Delta refresh against the full fetch it replaces (issue 18: with 1% changed, at most 10% of the full fetch). Both
 * run the app's whole path into a workspace: the full fetch reads users, groups and members and keeps the deltaLinks
 * (fetchGraphSnapshotTracked, written into the workspace as read and committed); the refresh reads only the changes and writes a child snapshot that
 * shares the unchanged rows (readRefresh + storeGraphChanges). The fake Graph runs in a child process with a latency
 * per request; process start-up is left out of both.
 *
 *   npx tsx --expose-gc test/bench/delta-refresh.bench.ts [users=100000] [latencyMs=20] [percentChanged=1]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { GraphDeltaReader, readRefresh } from '../../electron/backend/directory/graph-delta.ts';
import { fetchGraphSnapshotTracked } from '../../electron/backend/directory/graph-fetch.ts';
import { GraphReader } from '../../electron/backend/directory/graph-reader.ts';
import { storeGraphChanges } from '../../electron/backend/directory/snapshot.ts';
import { WorkspaceStore } from '../../electron/backend/workspace/store.ts';

const users = Number(process.argv[2] ?? 100_000);
const latencyMs = Number(process.argv[3] ?? 20);
const percent = Number(process.argv[4] ?? 1);

const serve = fileURLToPath(new URL('../support/fake-graph/serve.ts', import.meta.url));
const child = spawn(process.execPath, ['--import', 'tsx', serve, String(users), String(latencyMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
const nextLine = async () => JSON.parse((await lines.next()).value as string) as Record<string, unknown>;
const { baseUrl, accessToken } = (await nextLine()) as { baseUrl: string; accessToken: string };

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
async function measure<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number; rssMb: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  peakRss = process.memoryUsage().rss;
  const started = performance.now();
  const value = await run();
  const seconds = (performance.now() - started) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return { value, seconds, rssMb: Math.round(peakRss / 2 ** 20) };
}

const dir = mkdtempSync(join(tmpdir(), 'delta-refresh-bench-'));
const store = new WorkspaceStore(join(dir, 'bench.scimplan'));
const projectId = store.createProject('Bench').id;
const options = { graphBaseUrl: baseUrl, getAccessToken: async () => accessToken };
const reader = new GraphReader(options);
const deltaReader = new GraphDeltaReader(options);
const who = { tenantName: null, who: 'bench' };

// Warm-up: the fake Graph serialises each user once per query and caches it, so the full fetch below measures the
// reader. With the very query the fetch sends (the tenant's directory extensions included, as graph-fetch.bench.ts
// found: another $select misses that cache), and streamed, so this process never holds the tenant.
const directoryExtensions = (await reader.readDirectoryExtensions()).map((e) => e.name);
await reader.streamUsers({ directoryExtensions, extraSelect: ['userType'], total: null }, () => {});

const full = await measure(async () => {
  const fetched = await fetchGraphSnapshotTracked(reader, deltaReader, { writeInto: { path: store.path, projectId }, extraSelect: ['userType'] });
  return fetched.commit(store, projectId, who);
});
child.stdin!.write(`change ${percent}\n`);
const changed = await nextLine();
const refresh = await measure(async () => {
  const read = await readRefresh(deltaReader, store.getDeltaState(full.value.id)!, {}, () => {
    throw new Error('the deltaLink was refused');
  });
  if (read.kind !== 'changes') throw new Error('the deltaLink was refused');
  return { snapshot: storeGraphChanges(store, full.value.id, read.changes, 'refreshed'), changes: read.changes.users.length };
});
const ownRows = store.db.prepare('SELECT count(*) FROM snapshot_users WHERE snapshot_id = ?').pluck().get(refresh.value.snapshot.id) as number;

clearInterval(sampler);
store.close();
rmSync(dir, { recursive: true, force: true });
child.stdin!.end();
await once(child, 'exit');

console.log(
  `${users.toLocaleString('en-US')} users, ${latencyMs} ms latency per request, ${percent}% changed: ${JSON.stringify(changed)}\n`,
);
console.log('| variant | users in the snapshot | wall time | ratio to the full fetch | peak RSS | user rows written |');
console.log('|---|---|---|---|---|---|');
console.log(`| full fetch (users, groups, members; deltaLinks kept) | ${full.value.userCount.toLocaleString('en-US')} | ${full.seconds.toFixed(2)} s | 1.00× | ${full.rssMb} MB | ${full.value.userCount.toLocaleString('en-US')} |`);
console.log(
  `| delta refresh (${refresh.value.changes.toLocaleString('en-US')} user changes read) | ${refresh.value.snapshot.userCount.toLocaleString('en-US')} | ${refresh.seconds.toFixed(2)} s | ${(refresh.seconds / full.seconds).toFixed(3)}× | ${refresh.rssMb} MB | ${ownRows.toLocaleString('en-US')} |`,
);
