import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../mock-server/helpers.ts';

const run = promisify(execFile);

/** The CLI as an admin runs it, asynchronously: the mock server answers from this process meanwhile. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/scim-planner.mjs', ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const USERS = 'resources/demo-tenant/users.json';
const MAPPINGS = 'resources/templates/entra-scim-default.schema.json';

/** "8 failed" → { failed: 8 }: every count of the summary line by its word. */
function countsOf(line: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const match of line.matchAll(/(\d+) (created|updated|disabled|deleted|unchanged|skipped|failed|not reached)/g)) counts[match[2]!] = Number(match[1]);
  return counts;
}

// Issue 20 item 6: a wrong token printed "8 unchanged … 8 failed", the failures counted as unchanged too.
describe('scim-planner provision: each object is counted once in the summary line', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  it('with a wrong Secret Token the refused objects are failed only, and the counts add up to the users', async () => {
    const result = await cli(['provision', '--target', server.server.url, '--token', 'not-the-token', '--mappings', MAPPINGS, '--users', USERS]);
    expect(result.code).toBe(1);
    const counts = countsOf(result.stdout);
    expect(counts.failed).toBeGreaterThan(0);
    expect(counts.unchanged).toBe(0);
    const total = Object.values(counts).reduce((n, c) => n + c, 0);
    expect(total).toBe(200);
  });
});
