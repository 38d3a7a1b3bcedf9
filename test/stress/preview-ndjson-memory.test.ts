import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runMeasuredCli } from '../support/run-measured-cli.ts';
import { tempDir } from '../support/temp.ts';
import { demoUserCopies, writeGraphUsersFile } from '../support/users-files.ts';

// PREVIEW_MEMORY_USERS overrides the size (the goal is a million on one laptop).
const USERS = Number(process.env.PREVIEW_MEMORY_USERS ?? 100_000);
// The users file streams into a scratch snapshot the workers read a range at a time, so the main thread holds no
// source objects (it held about 400 MB of them for 100,000 users before): a cap far below the file's size.
const HEAP_MB = Number(process.env.PREVIEW_MEMORY_HEAP_MB ?? 160);
// The whole process (main thread, two workers under their own heap limit, SQLite's caches): clearly under 1.5 GB.
const RSS_MB = Number(process.env.PREVIEW_MEMORY_RSS_MB ?? 1024);
const TEMPLATE = fileURLToPath(new URL('../../resources/templates/entra-scim-default.schema.json', import.meta.url));

describe('previewing a large users file as ndjson with a capped heap', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it(`previews ${USERS.toLocaleString('en-US')} users with a ${HEAP_MB} MB heap, one line per user as they are produced`, { timeout: 1_800_000 }, async () => {
    const file = join(dir.path, 'users.json');
    const bytes = writeGraphUsersFile(file, USERS);
    const expected = demoUserCopies(USERS);
    let pending = '';
    let count = 0;
    let outputBytes = 0;
    const mismatches: string[] = [];
    // Each line is checked as it arrives and dropped: the test holds no more of the output than the command does.
    const onStdout = (chunk: string) => {
      outputBytes += Buffer.byteLength(chunk);
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const user = JSON.parse(line) as { id: string; userPrincipalName: string | null; requests: unknown[] };
        const want = expected.next().value;
        if (mismatches.length < 5 && (user.id !== want?.id || !user.userPrincipalName)) {
          mismatches.push(`line ${count + 1}: ${user.id} (${user.userPrincipalName}) where ${want?.id} was expected`);
        }
        count++;
      }
    };
    const run = await runMeasuredCli(['preview', '--mappings', TEMPLATE, '--users', file, '--format', 'ndjson'], [`--max-old-space-size=${HEAP_MB}`], onStdout);
    console.log(
      `preview --format ndjson of ${USERS} users (${Math.round(bytes / 2 ** 20)} MB in, ${Math.round(outputBytes / 2 ** 20)} MB out) with --max-old-space-size=${HEAP_MB}: exit ${run.code} in ${run.seconds.toFixed(1)} s, peak RSS ${run.peakRssMb} MB`,
    );
    expect(run.signal).toBeNull();
    expect([0, 1]).toContain(run.code);
    expect(run.stderr).toEqual(run.code === 1 ? expect.stringMatching(/^Exit code 1: the preview found \d+ errors?/) : '');
    expect(pending).toBe('');
    expect(mismatches).toEqual([]);
    expect(count).toBe(USERS);
    expect(run.peakRssMb).not.toBeNull();
    expect(run.peakRssMb!).toBeLessThanOrEqual(RSS_MB);
  });
});
