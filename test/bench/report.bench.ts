/**
 * Reports at scale (issue 18: "a million-user report is built in seconds and stays a sane size"). For a generated
 * N-user Graph users JSON, `scim-planner report` in each text format against the floor measured in the same run:
 * `scim-planner preview --format summary` on the same files (read the users, preview them, write the summary and the
 * findings, nothing else). Every run is its own process (wall time, peak RSS); the report's size is printed beside.
 *
 *   npx tsx test/bench/report.bench.ts [users]      (default 100,000; REPORT_BENCH_FORMATS=json,md to choose)
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

await main();
