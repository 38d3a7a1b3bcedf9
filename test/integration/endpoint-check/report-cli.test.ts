import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/temp.ts';
import { DEFAULT_MAPPINGS, DEMO_USERS, fakeIo, main, startMock, type Mock } from './helpers.ts';

const dir = tempDir('endpoint-check-report-cli-');
let mock: Mock | null = null;
afterEach(async () => {
  await mock?.stop();
  mock = null;
});
afterAll(() => dir.cleanup());

const reportArgs = (...extra: string[]) => ['report', '--mappings', DEFAULT_MAPPINGS, '--users', DEMO_USERS, '--vendor', 'generic', ...extra];

describe('scim-planner report --endpoint-check', () => {
  it('puts the run check-endpoint printed into the report, in HTML and Markdown, without the token', async () => {
    mock = await startMock('strict');
    const check = fakeIo();
    const args = ['check-endpoint', '--target', mock.server.url, '--token', 'mock-token', '--mappings', DEFAULT_MAPPINGS, '--users', DEMO_USERS, '--yes'];
    expect(await main(args, check.io)).toBe(1);
    const runFile = join(dir.path, 'run.json');
    writeFileSync(runFile, check.text());
    const run = JSON.parse(check.text()) as { runId: string; failed: number };

    for (const format of ['html', 'md']) {
      const out = join(dir.path, `report.${format}`);
      const { io } = fakeIo();
      expect(await main(reportArgs('--endpoint-check', runFile, '--format', format, '--out', out), io)).toBe(0);
      const text = readFileSync(out, 'utf8');
      expect(text).toContain('Vendor endpoint check');
      expect(text).toContain(`run ${run.runId} started`);
      expect(text).toMatch(new RegExp(`\\d+ passed, ${run.failed} failed`));
      expect(text).toContain('Evidence for each failed step');
      expect(text).not.toContain('mock-token');
    }
  });

  it('refuses a file that is not a run, naming the file and the field (exit 2)', async () => {
    const bad = join(dir.path, 'bad.json');
    writeFileSync(bad, JSON.stringify({ target: 'https://vendor.example/scim/v2', steps: 'none' }));
    const { io, errors } = fakeIo();
    expect(await main(reportArgs('--endpoint-check', bad, '--format', 'md', '--out', join(dir.path, 'never.md')), io)).toBe(2);
    expect(errors()).toContain(`The endpoint check file "${bad}": It is not an endpoint check run`);
    expect(errors()).toMatch(/steps: /);
  });
});
