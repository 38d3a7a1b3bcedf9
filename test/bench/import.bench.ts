/**
 * Import of a generated N-user Graph users JSON into a workspace (issue 18: a million users at ≤ 2.5× the floor and
 * ≤ 1.5 GB peak RSS). The floor is the least any import can do with the same file: parsed as a stream and each user's
 * raw JSON inserted in one transaction, nothing else (no checks, no source objects, no search columns).
 * Each variant runs in its own process (peak RSS per process), best of IMPORT_BENCH_RUNS (default 1) runs.
 *
 *   npx tsx test/bench/import.bench.ts [users]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuUsage, resourceUsage } from 'node:process';
import { fileURLToPath } from 'node:url';
import { fileTextChunks, importUsersFile } from '../../electron/backend/directory/snapshot.ts';
import { WorkspaceStore } from '../../electron/backend/workspace/store.ts';
import { GraphUsersJsonReader } from '../../shared/directory/graph-json-import.ts';
import { writeGraphUsersFile } from '../support/users-files.ts';

const USERS = Number(process.argv[2] ?? 100_000);
const RUNS = Number(process.env.IMPORT_BENCH_RUNS ?? 1);

interface Measurement {
  seconds: number;
  cpuSeconds: number;
  peakMb: number;
  users: number;
}

/** The floor: the streaming parser and one INSERT of the raw JSON per user, in one transaction. */
function floor(file: string, workspace: string): number {
  const store = new WorkspaceStore(workspace);
  try {
    store.db.exec('CREATE TABLE raw_users (ordinal INTEGER NOT NULL, raw TEXT NOT NULL)');
    const insert = store.db.prepare('INSERT INTO raw_users (ordinal, raw) VALUES (?, ?)');
    return store.db.transaction(() => {
      const reader = new GraphUsersJsonReader((user, ordinal) => insert.run(ordinal, JSON.stringify(user)));
      for (const chunk of fileTextChunks(file)) reader.push(chunk);
      return reader.end();
    })();
  } finally {
    store.close();
  }
}

/** The app's path: `scim-planner import` and the Import panel (checks, source objects, search columns, one transaction). */
function appImport(file: string, workspace: string): number {
  const store = new WorkspaceStore(workspace);
  try {
    const project = store.createProject('bench');
    return importUsersFile(store, { projectId: project.id, label: 'bench', fileName: file, chunks: fileTextChunks(file) }).snapshot.userCount;
  } finally {
    store.close();
  }
}

function child(variant: string, file: string, workspace: string): void {
  const started = performance.now();
  const cpu = cpuUsage();
  const users = variant === 'floor' ? floor(file, workspace) : appImport(file, workspace);
  const used = cpuUsage(cpu);
  console.log(
    JSON.stringify({
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: (used.user + used.system) / 1e6,
      peakMb: resourceUsage().maxRSS / 1024,
      users,
    } satisfies Measurement),
  );
}

function measureOnce(variant: string, file: string, dir: string, run: number): Measurement {
  const workspace = join(dir, `${variant}-${run}.scimplan`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), String(USERS), '--child', variant, file, workspace], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  rmSync(workspace, { force: true });
  rmSync(`${workspace}-wal`, { force: true });
  rmSync(`${workspace}-shm`, { force: true });
  if (result.status !== 0) throw new Error(`variant ${variant} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Measurement;
}

function measure(variant: string, file: string, dir: string): Measurement {
  const runs = Array.from({ length: RUNS }, (_, run) => measureOnce(variant, file, dir, run));
  return runs.reduce((best, m) => (m.seconds < best.seconds ? m : best));
}

function parent(): void {
  const dir = mkdtempSync(join(tmpdir(), 'import-bench-'));
  try {
    const file = join(dir, 'users.json');
    writeGraphUsersFile(file, USERS);
    const megabytes = statSync(file).size / 2 ** 20;
    const base = measure('floor', file, dir);
    const app = measure('import', file, dir);
    if (base.users !== USERS || app.users !== USERS) throw new Error(`expected ${USERS} users, the floor read ${base.users} and the import ${app.users}`);
    const line = (name: string, m: Measurement) =>
      `| ${name} | ${m.seconds.toFixed(1)} s | ${(m.seconds / base.seconds).toFixed(2)}× | ${m.cpuSeconds.toFixed(1)} s | ${(m.cpuSeconds / base.cpuSeconds).toFixed(2)}× | ${m.peakMb.toFixed(0)} MB |`;
    console.log(`Import of a ${USERS.toLocaleString('en-US')}-user Graph users JSON (${megabytes.toFixed(0)} MB); each variant in its own process, best of ${RUNS}\n`);
    console.log('| variant | wall time | ratio to floor | CPU time | CPU ratio | peak RSS (process) |');
    console.log('|---|---|---|---|---|---|');
    console.log(line('floor: parsed as a stream, raw rows inserted in one transaction', base));
    console.log(line('scim-planner import (checks, source objects, search columns)', app));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const childIndex = process.argv.indexOf('--child');
if (childIndex >= 0) child(process.argv[childIndex + 1]!, process.argv[childIndex + 2]!, process.argv[childIndex + 3]!);
else parent();
