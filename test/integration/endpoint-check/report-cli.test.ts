import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../../../electron/backend/reports/pdf.ts';
import { tempDir } from '../../support/temp.ts';
import { DEFAULT_MAPPINGS, DEMO_USERS, fakeIo, main, startMock } from './helpers.ts';

const hasPdfToText = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const dir = tempDir('endpoint-check-report-cli-');
const runFile = join(dir.path, 'run.json');
let run: { runId: string; failed: number };

/** A full check against the strict mock, printed as JSON by the CLI, as an admin would keep it for the report. */
beforeAll(async () => {
  const mock = await startMock('strict');
  try {
    const check = fakeIo();
    const args = ['check-endpoint', '--target', mock.server.url, '--token', 'mock-token', '--mappings', DEFAULT_MAPPINGS, '--users', DEMO_USERS, '--yes'];
    expect(await main(args, check.io)).toBe(1);
    writeFileSync(runFile, check.text());
    run = JSON.parse(check.text()) as typeof run;
  } finally {
    await mock.stop();
  }
}, 60_000);
afterAll(() => dir.cleanup());

const reportArgs = (...extra: string[]) => ['report', '--mappings', DEFAULT_MAPPINGS, '--users', DEMO_USERS, '--vendor', 'generic', ...extra];

function expectSection(text: string): void {
  expect(text).toContain('Vendor endpoint check');
  expect(text).toContain(`run ${run.runId} started`);
  expect(text).toMatch(new RegExp(`\\d+ passed, ${run.failed} failed`));
  expect(text).toContain('Evidence for each failed step');
  expect(text).not.toContain('mock-token');
}

describe('scim-planner report --endpoint-check', () => {
  it('puts the run check-endpoint printed into the report, in HTML and Markdown, without the token', async () => {
    for (const format of ['html', 'md']) {
      const out = join(dir.path, `report.${format}`);
      const { io } = fakeIo();
      expect(await main(reportArgs('--endpoint-check', runFile, '--format', format, '--out', out), io)).toBe(0);
      expectSection(readFileSync(out, 'utf8'));
    }
  });

  it.skipIf(!findChromium() || !hasPdfToText)('prints the section into the PDF, which is the HTML printed', async () => {
    const out = join(dir.path, 'report.pdf');
    const { io } = fakeIo();
    expect(await main(reportArgs('--endpoint-check', runFile, '--sections', 'summary,endpointCheck', '--format', 'pdf', '--out', out), io)).toBe(0);
    // pdftotext lays text out in columns; joining the lines keeps the phrases whole
    expectSection(execFileSync('pdftotext', [out, '-']).toString().replace(/\s+/g, ' '));
  }, 60_000);

  it('refuses a file that is not a run, naming the file and the field (exit 2)', async () => {
    const bad = join(dir.path, 'bad.json');
    writeFileSync(bad, JSON.stringify({ target: 'https://vendor.example/scim/v2', steps: 'none' }));
    const { io, errors } = fakeIo();
    expect(await main(reportArgs('--endpoint-check', bad, '--format', 'md', '--out', join(dir.path, 'never.md')), io)).toBe(2);
    expect(errors()).toContain(`The endpoint check file "${bad}": It is not an endpoint check run`);
    expect(errors()).toMatch(/steps: /);
  });
});
