/**
 * Reports at scale (issue 18: "a million-user report is built in seconds and stays a sane size"). For a generated
 * N-user Graph users JSON, `scim-planner report` in each text format against the floor measured in the same run:
 * `scim-planner preview --format summary` on the same files (read the users, preview them, write the summary and the
 * findings, nothing else). Every run is its own process (wall time, peak RSS); the report's size is printed beside.
 *
 *   npx tsx test/bench/report.bench.ts [users]      (default 100,000; REPORT_BENCH_FORMATS=json,md to choose)
 *
 * With `--workspace FILE` (read only; its first project's newest snapshot, its mappings and vendor, or `--vendor ID`),
 * the report the app builds from a workspace against its floor, the preview alone of the same inputs (no users file to
 * import: the report's own cost). Each in its own process, alternated REPORT_BENCH_RUNS times (default 2).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildReport, type SnapshotUsers } from '../../electron/backend/reports/build.ts';
import { workspaceReportInput } from '../../electron/backend/reports/service.ts';
import { startUsersPreview, summaryOfRun } from '../../electron/backend/services/preview.ts';
import { vendorProfileOf } from '../../electron/backend/services/vendors.ts';
import { WorkspaceStore } from '../../electron/backend/workspace/store.ts';
import { renderJson } from '../../shared/reports/index.ts';
import { runMeasuredCli, type MeasuredRun } from '../support/run-measured-cli.ts';
import { writeGraphUsersFile } from '../support/users-files.ts';

const USERS = Number(process.argv[2] ?? 100_000);
const FORMATS = (process.env.REPORT_BENCH_FORMATS ?? 'json,md,csv,html').split(',');
const MAPPINGS = fileURLToPath(new URL('../../resources/templates/entra-scim-default.schema.json', import.meta.url));

async function measured(args: string[]): Promise<MeasuredRun> {
  const run = await runMeasuredCli(args);
  if (run.code !== 0 && run.code !== 1) throw new Error(`scim-planner ${args[0]} failed (exit ${run.code ?? run.signal}):\n${run.stderr}`);
  return run;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'report-bench-'));
  try {
    const users = join(dir, 'users.json');
    const megabytes = writeGraphUsersFile(users, USERS) / 2 ** 20;
    const inputs = ['--mappings', MAPPINGS, '--users', users, '--vendor', 'hithrive'];
    let summaryBytes = 0;
    const floor = await runMeasuredCli(['preview', ...inputs, '--format', 'summary'], [], (chunk) => (summaryBytes += Buffer.byteLength(chunk)));
    if (floor.code !== 0 && floor.code !== 1) throw new Error(`the floor failed (exit ${floor.code ?? floor.signal}):\n${floor.stderr}`);
    const size = (bytes: number) => (bytes < 2 ** 20 ? `${(bytes / 1024).toFixed(0)} KB` : `${(bytes / 2 ** 20).toFixed(1)} MB`);
    const line = (name: string, run: MeasuredRun, bytes: number) =>
      `| ${name} | ${run.seconds.toFixed(1)} s | ${(run.seconds / floor.seconds).toFixed(2)}× | ${run.peakRssMb ?? '?'} MB | ${size(bytes)} |`;
    const rows = [line('floor: preview --format summary (summary and findings JSON)', floor, summaryBytes)];
    for (const format of FORMATS) {
      const out = join(dir, `report.${format}`);
      const run = await measured(['report', ...inputs, '--format', format, '--out', out]);
      rows.push(line(`report --format ${format}`, run, statSync(out).size));
    }
    console.log(`Reports for a ${USERS.toLocaleString('en-US')}-user Graph users JSON (${megabytes.toFixed(0)} MB), HiThrive, Entra's default mappings, redaction pseudonymise; each run its own process\n`);
    console.log('| variant | wall time | ratio to floor | peak RSS (process) | output size |');
    console.log('|---|---|---|---|---|');
    for (const row of rows) console.log(row);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface WorkspaceRun {
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  bytes: number;
}

/** One variant in this (child) process: the preview alone ('floor') or the whole report ('report'). */
async function workspaceChild(variant: string, path: string, vendorId: string | undefined): Promise<void> {
  const store = WorkspaceStore.open(path, { readOnly: true });
  try {
    const project = store.listProjects()[0]!;
    const { users, loadGroups, ...input } = workspaceReportInput(store, project, vendorId ? { vendorId } : {});
    const rest = { ...input, groups: loadGroups() };
    const profile = vendorId ? vendorProfileOf(store, project.id, vendorId) : rest.profile;
    const started = performance.now();
    const cpu = process.cpuUsage();
    let bytes = 0;
    if (variant === 'floor') {
      const { find: _find, ...snapshot } = users as SnapshotUsers;
      const run = await startUsersPreview({ set: rest.set, users: snapshot, groups: [...(rest.groups ?? [])], profile });
      bytes = JSON.stringify(summaryOfRun(run).summary).length;
      await run.close();
    } else {
      const report = await buildReport({ ...rest, users, profile, options: { redaction: 'pseudonymise' } });
      bytes = Buffer.byteLength(renderJson(report));
    }
    const used = process.cpuUsage(cpu);
    const result: WorkspaceRun = { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), bytes };
    console.log(JSON.stringify(result));
  } finally {
    store.close();
  }
}

function workspaceRun(variant: string, path: string, vendorId: string | undefined): WorkspaceRun {
  const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--workspace-child', variant, path, ...(vendorId ? [vendorId] : [])];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`the ${variant} run failed (exit ${result.status ?? result.signal}):\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as WorkspaceRun;
}

function workspaceBench(path: string, vendorId: string | undefined): void {
  const runs = Number(process.env.REPORT_BENCH_RUNS ?? 2);
  console.log(`Report of the newest snapshot of ${path} (read only)${vendorId ? `, vendor ${vendorId}` : ''}; each run its own process (timed part, CPU of all threads, peak RSS)\n`);
  console.log('| run | preview alone (floor): wall, CPU, RSS | report (JSON): wall, CPU, RSS, size | ratio |');
  console.log('|---|---|---|---|');
  for (let i = 1; i <= runs; i++) {
    const floor = workspaceRun('floor', path, vendorId);
    const report = workspaceRun('report', path, vendorId);
    const cell = (r: WorkspaceRun) => `${r.seconds.toFixed(1)} s, ${r.cpuSeconds.toFixed(1)} s, ${r.peakRssMb} MB`;
    console.log(`| ${i} | ${cell(floor)} | ${cell(report)}, ${(report.bytes / 1024).toFixed(0)} KB | ${(report.seconds / floor.seconds).toFixed(2)}× |`);
  }
}

const child = process.argv.indexOf('--workspace-child');
const workspace = process.argv.indexOf('--workspace');
const vendorFlag = process.argv.indexOf('--vendor');
if (child >= 0) await workspaceChild(process.argv[child + 1]!, process.argv[child + 2]!, process.argv[child + 3]);
else if (workspace >= 0) workspaceBench(process.argv[workspace + 1]!, vendorFlag >= 0 ? process.argv[vendorFlag + 1] : undefined);
else await main();
