import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runMeasuredCli } from '../support/run-measured-cli.ts';
import { tempDir } from '../support/temp.ts';
import { writeGraphUsersFile } from '../support/users-files.ts';

// REPORT_MEMORY_USERS overrides the size (issue 18: "a million-user report ... stays a sane size").
const USERS = Number(process.env.REPORT_MEMORY_USERS ?? 100_000);
// The users file streams into a scratch snapshot the preview's workers read, the report keeps the session's counts and
// a few users, and the redaction reads the snapshot a batch at a time: a cap far below what the users take as objects.
const HEAP_MB = Number(process.env.REPORT_MEMORY_HEAP_MB ?? 160);
const RSS_MB = Number(process.env.REPORT_MEMORY_RSS_MB ?? 1024);
const TEMPLATE = fileURLToPath(new URL('../../resources/templates/entra-scim-default.schema.json', import.meta.url));

describe('a report of a large users file with a capped heap', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it(`reports ${USERS.toLocaleString('en-US')} users with a ${HEAP_MB} MB heap, pseudonymised, at the size of a small tenant's report`, { timeout: 1_800_000 }, async () => {
    const file = join(dir.path, 'users.json');
    const bytes = writeGraphUsersFile(file, USERS);
    const out = join(dir.path, 'report.json');
    const run = await runMeasuredCli(['report', '--mappings', TEMPLATE, '--users', file, '--vendor', 'hithrive', '--format', 'json', '--out', out], [`--max-old-space-size=${HEAP_MB}`]);
    console.log(
      `report --format json of ${USERS} users (${Math.round(bytes / 2 ** 20)} MB in) with --max-old-space-size=${HEAP_MB}: exit ${run.code} in ${run.seconds.toFixed(1)} s, peak RSS ${run.peakRssMb} MB`,
    );
    // a heap too small for the tenant ends the process with "JavaScript heap out of memory" on stderr
    expect(run.stderr).toBe('');
    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
    const report = readFileSync(out, 'utf8');
    const model = JSON.parse(report) as { meta: { users: number; redaction: string }; summary: { byAction: Record<string, number> }; samples: unknown[]; findings: { count: number; examples: string[] }[] };
    expect(model.meta).toMatchObject({ users: USERS, redaction: 'pseudonymise' });
    expect(Object.values(model.summary.byAction).reduce((a, b) => a + b, 0)).toBe(USERS);
    expect(model.samples).toHaveLength(3);
    expect(model.findings.every((f) => f.examples.length <= 3)).toBe(true);
    expect(model.findings.some((f) => f.count > 1_000)).toBe(true);
    // the demo tenant's report is about 47 KB: the tenant's size shows only in the counts
    expect(report.length).toBeLessThan(100 * 1024);
    expect(run.peakRssMb).not.toBeNull();
    expect(run.peakRssMb!).toBeLessThanOrEqual(RSS_MB);
  });
});
