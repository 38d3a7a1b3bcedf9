/**
 * Reading 100,000 users from a fake Graph with 50 ms latency per page (issue 7: at most 10 s and 1 GB).
 * The fake Graph runs in a child process so its own work is not counted; the baseline is the least any
 * reader can do for the same pages: plain fetch + JSON.parse following @odata.nextLink.
 *
 *   npx tsx test/bench/graph-fetch.bench.ts [users] [latencyMs]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { GraphReader } from '../../electron/backend/directory/graph-reader.ts';
import { graphUserToSource } from '../../shared/directory/graph-to-source.ts';
import type { SourceObject } from '../../shared/directory/source-object.ts';
import { MANAGER_EXPAND, graphUserSelect } from '../../shared/directory/source-schema.ts';

const users = Number(process.argv[2] ?? 100_000);
const latencyMs = Number(process.argv[3] ?? 50);

const serve = fileURLToPath(new URL('../support/fake-graph/serve.ts', import.meta.url));
const child = spawn(process.execPath, ['--import', 'tsx', serve, String(users), String(latencyMs)], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
const { baseUrl, accessToken } = JSON.parse(line) as { baseUrl: string; accessToken: string };

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);

async function measure(
  name: string,
  run: () => Promise<number>,
): Promise<{ name: string; seconds: number; count: number; rssMb: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  peakRss = process.memoryUsage().rss;
  const started = performance.now();
  const count = await run();
  const seconds = (performance.now() - started) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return { name, seconds, count, rssMb: Math.round(peakRss / 2 ** 20) };
}

const path = `/v1.0/users?$select=${graphUserSelect().join(',')}&$expand=${MANAGER_EXPAND}&$top=999`;

/** Plain fetch + JSON.parse along @odata.nextLink: the floor for any reader of the same pages. */
async function plainRead(): Promise<number> {
  let next: string | undefined = `${baseUrl.replace(/\/$/, '')}${path}`;
  const all: unknown[] = [];
  while (next) {
    const response = await fetch(next, { headers: { Authorization: `Bearer ${accessToken}` } });
    const page = (await response.json()) as { value: unknown[]; '@odata.nextLink'?: string };
    for (const u of page.value) all.push(u);
    next = page['@odata.nextLink'];
  }
  return all.length;
}

// Warm-up: the fake Graph serialises each user once and caches it, so the runs below measure the
// reader and the 50 ms latency, not the fake server's first-time JSON work.
await plainRead();

const rows = [];
rows.push(await measure('fetch + JSON.parse, following nextLink (baseline)', plainRead));
const reader = new GraphReader({ graphBaseUrl: baseUrl, getAccessToken: async () => accessToken });
rows.push(
  await measure(
    'GraphReader.readUsers (graph client, $count, progress)',
    async () => (await reader.readUsers()).length,
  ),
);
rows.push(
  await measure('readUsers + graphUserToSource for every user, page by page', async () => {
    const sources: SourceObject[] = [];
    await reader.readUsers({ onPage: (page) => page.forEach((u) => sources.push(graphUserToSource(u))) });
    return sources.length;
  }),
);

clearInterval(sampler);
child.stdin!.end();
await once(child, 'exit');

const base = rows[0]!.seconds;
console.log(
  `${users.toLocaleString('en-US')} users, ${Math.ceil(users / 999)} pages of 999, ${latencyMs} ms latency per request\n`,
);
console.log('| variant | users | wall time | ratio to baseline | peak RSS (reader process) |');
console.log('|---|---|---|---|---|');
for (const r of rows)
  console.log(
    `| ${r.name} | ${r.count.toLocaleString('en-US')} | ${r.seconds.toFixed(2)} s | ${(r.seconds / base).toFixed(2)}× | ${r.rssMb} MB |`,
  );
