/**
 * The full fetch of N users (default 100,000) from the fake Graph with 20–50 ms latency per request (issue 18: a
 * million users at ≤ 1.3× the floor, peak RSS ≤ 1.5 GB). The floor is the least any fetch can take: the users' pages
 * one after another at the mean latency (pages × 35 ms), plus the import floor measured in this run on the very
 * users Graph served (parsed as a stream, raw rows inserted in one transaction: import.bench.ts's floor).
 * The fake Graph, the import floor and the fetch each run in their own process (peak RSS per process); the fetch's
 * process start-up is left out (its clock starts at the fetch). The fake shares the machine's cores with the fetch, so
 * the users are read once first with the app's own query: the fake then serves each users page as bytes built once
 * (test/support/fake-graph/server.ts), as a real Graph's own CPU is not on this machine. The fake holds the whole
 * generated tenant, so it alone gets a large heap (FAKE_HEAP_MB); the import floor and the fetch run with Node's
 * defaults (a --max-old-space-size in NODE_OPTIONS is left out for them), as the app does.
 *
 *   npx tsx test/bench/graph-fetch.bench.ts [users] [latency ms | min-max, default 20-50]
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuUsage, resourceUsage } from 'node:process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { fetchGraphSnapshot } from '../../electron/backend/directory/graph-fetch.ts';
import { GraphReader } from '../../electron/backend/directory/graph-reader.ts';
import { WorkspaceStore } from '../../electron/backend/workspace/store.ts';

const USERS = Number(process.argv[2] ?? 100_000);
const LATENCY = process.argv[3] ?? '20-50';
const [minLatency, maxLatency = minLatency] = LATENCY.split('-').map(Number) as [number, number?];
const meanLatencyMs = (minLatency + maxLatency!) / 2;

interface Measurement {
  seconds: number;
  /** user + system CPU of every thread of the process during the measured part (the fetch only) */
  cpuSeconds?: number;
  peakMb: number;
  users: number;
  groups?: number;
}

/** The app's fetch (users, groups, members; written into a new workspace as read, then committed), in this child process. */
async function childFetch(baseUrl: string, accessToken: string, workspace: string): Promise<void> {
  const store = new WorkspaceStore(workspace);
  const projectId = store.createProject('bench').id;
  const started = performance.now();
  const cpu = cpuUsage();
  const reader = new GraphReader({ graphBaseUrl: baseUrl, getAccessToken: async () => accessToken });
  const fetched = await fetchGraphSnapshot(reader, { writeInto: { path: workspace, projectId }, extraSelect: ['userType'] });
  const snapshot = fetched.commit(store, projectId, { tenantName: null, who: 'bench' });
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = cpuUsage(cpu);
  store.close();
  console.log(
    JSON.stringify({
      seconds,
      cpuSeconds: (user + system) / 1e6,
      peakMb: resourceUsage().maxRSS / 1024,
      users: snapshot.userCount,
      groups: snapshot.groupCount,
    } satisfies Measurement),
  );
}

/** The fake Graph's heap: it holds every generated user as an object and every users page's bytes (about 5 GB at a million). */
const FAKE_HEAP_MB = 8192;

/** This process's environment without a heap size in NODE_OPTIONS: the measured children run with Node's defaults. */
function defaultHeapEnv(): NodeJS.ProcessEnv {
  const options = (process.env.NODE_OPTIONS ?? '').replace(/--max-old-space-size=\S+/g, '').trim();
  return { ...process.env, NODE_OPTIONS: options };
}

function runChild(args: string[]): Measurement {
  const result = spawnSync(process.execPath, ['--import', 'tsx', ...args], { encoding: 'utf8', maxBuffer: 1 << 20, env: defaultHeapEnv() });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Measurement;
}

/**
 * Reads every users page as the app's fetch asks for it (the reader's own query: the tenant's directory extensions,
 * every source property, the manager expanded), so the fake Graph's cache of serialised users is warm for the very
 * query the fetch sends and the fetch's clock counts the fetch, not the fake serialising a million users beside it.
 * Writes the users to `file` as a Graph users JSON, for the import floor; returns the number of pages.
 */
async function readUsersToFile(baseUrl: string, accessToken: string, file: string): Promise<number> {
  const reader = new GraphReader({ graphBaseUrl: baseUrl, getAccessToken: async () => accessToken });
  const directoryExtensions = (await reader.readDirectoryExtensions()).map((e) => e.name);
  const fd = openSync(file, 'w');
  let pages = 0;
  try {
    writeSync(fd, '{"value":[\n');
    await reader.streamUsers({ directoryExtensions, extraSelect: ['userType'], total: null }, (page) => {
      writeSync(fd, `${pages > 0 ? ',\n' : ''}${page.map((u) => JSON.stringify(u)).join(',\n')}`);
      pages++;
    });
    writeSync(fd, '\n]}\n');
  } finally {
    closeSync(fd);
  }
  return pages;
}

async function parent(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'graph-fetch-bench-'));
  const serve = fileURLToPath(new URL('../support/fake-graph/serve.ts', import.meta.url));
  const server = spawn(process.execPath, [`--max-old-space-size=${FAKE_HEAP_MB}`, '--import', 'tsx', serve, String(USERS), LATENCY], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    const [line] = (await once(createInterface({ input: server.stdout! }), 'line')) as [string];
    const { baseUrl, accessToken } = JSON.parse(line) as { baseUrl: string; accessToken: string };
    const file = join(dir, 'users.json');
    const pages = await readUsersToFile(baseUrl, accessToken, file);
    const importBench = fileURLToPath(new URL('./import.bench.ts', import.meta.url));
    const importFloor = runChild([importBench, String(USERS), '--child', 'floor', file, join(dir, 'floor.scimplan')]);
    const app = runChild([fileURLToPath(import.meta.url), '--child-fetch', baseUrl, accessToken, join(dir, 'fetch.scimplan')]);
    if (app.users !== USERS || importFloor.users !== USERS)
      throw new Error(`expected ${USERS} users, the floor read ${importFloor.users} and the fetch ${app.users}`);
    const latencyFloor = (pages * meanLatencyMs) / 1000;
    const floor = latencyFloor + importFloor.seconds;
    console.log(
      `Full fetch of ${USERS.toLocaleString('en-US')} users (${pages} pages of 999, ${app.groups} groups with their members), ${LATENCY} ms latency per request; load ${loadAverage()}\n`,
    );
    const cpu = (m: Measurement) => (m.cpuSeconds === undefined ? '' : `${m.cpuSeconds.toFixed(1)} s`);
    console.log('| part | wall time | ratio to floor | CPU (all threads) | peak RSS (process) |');
    console.log('|---|---|---|---|---|');
    console.log(`| latency floor: ${pages} pages × ${meanLatencyMs} ms | ${latencyFloor.toFixed(1)} s | | | |`);
    console.log(`| import floor: the same users parsed as a stream, raw rows in one transaction | ${importFloor.seconds.toFixed(1)} s | | ${cpu(importFloor)} | ${importFloor.peakMb.toFixed(0)} MB |`);
    console.log(`| **floor** (latency + import floor) | ${floor.toFixed(1)} s | 1.00× | | |`);
    console.log(`| app's fetch (users, groups, members; a writer thread beside the read) | ${app.seconds.toFixed(1)} s | ${(app.seconds / floor).toFixed(2)}× | ${cpu(app)} | ${app.peakMb.toFixed(0)} MB |`);
  } finally {
    server.stdin!.end();
    await once(server, 'exit');
    rmSync(dir, { recursive: true, force: true });
  }
}

function loadAverage(): string {
  return spawnSync('uptime', { encoding: 'utf8' }).stdout.trim().replace(/^.*load average: /, '');
}

const childIndex = process.argv.indexOf('--child-fetch');
if (childIndex >= 0) await childFetch(process.argv[childIndex + 1]!, process.argv[childIndex + 2]!, process.argv[childIndex + 3]!);
else await parent();
