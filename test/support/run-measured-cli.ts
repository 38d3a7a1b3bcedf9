import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface MeasuredRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  seconds: number;
  peakRssMb: number | null;
}

/**
 * Runs `scim-planner ARGS` in its own process (with `nodeOptions` such as a capped heap), timing it and reading its peak RSS.
 * With `onStdout`, the output goes there as it comes (and `stdout` stays empty): a large output is never held.
 */
export async function runMeasuredCli(args: string[], nodeOptions: string[] = [], onStdout?: (chunk: string) => void): Promise<MeasuredRun> {
  const cli = fileURLToPath(new URL('../../bin/scim-planner.mjs', import.meta.url));
  const reporter = new URL('./report-peak-rss.mjs', import.meta.url).href;
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeOptions, '--import', reporter, cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', onStdout ?? ((c: string) => (stdout += c)));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  const peak = /@peak-rss-kb (\d+)/.exec(stderr);
  return {
    code,
    signal,
    stdout,
    stderr: stderr.replace(/\n@peak-rss-kb \d+\n$/, ''),
    seconds: (performance.now() - started) / 1000,
    peakRssMb: peak ? Math.round(Number(peak[1]) / 1024) : null,
  };
}
