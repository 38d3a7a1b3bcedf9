import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeJunkFile } from '../../support/users-files.ts';
import { runMeasuredCli } from '../../support/run-measured-cli.ts';
import { tempDir } from '../../support/temp.ts';

const JUNK_BYTES = 50 * 1024 * 1024;

/** A CSV whose header is right and whose 50 MB of rows are junk: every row is checked, none is kept. */
function writeJunkRowsCsv(path: string): void {
  writeJunkFile(path, JUNK_BYTES);
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, 'userPrincipalName,displayName,accountEnabled\n', 0);
  } finally {
    closeSync(fd);
  }
}

describe('a 50 MB junk users file', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it('is refused by `import` with exit 2 and its first problems, within seconds and a few hundred MB, creating no workspace', async () => {
    const junk = join(dir.path, 'junk.csv');
    writeJunkRowsCsv(junk);
    const workspace = join(dir.path, 'never.scimplan');
    const run = await runMeasuredCli(['import', junk, '--workspace', workspace]);
    console.log(`import of 50 MB of junk rows: exit ${run.code} in ${run.seconds.toFixed(1)} s, peak RSS ${run.peakRssMb} MB`);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/The CSV file has at least 50 problems; nothing was imported\.\n {2}line 2/);
    expect(run.stderr).toMatch(/\.\.\. and 30 more\n {2}Checking stopped at line [\d,]+, after the first 50 problems; the rest of the file was not read\./);
    // only the first few dozen are listed, not hundreds of thousands
    expect(run.stderr.split('\n').length).toBeLessThan(40);
    expect(run.peakRssMb).toBeLessThan(300);
    expect(run.seconds).toBeLessThan(30);
    expect(existsSync(workspace)).toBe(false);
  });

  it('is refused as `--users` of validate with exit 2 at once when it is no users file at all', async () => {
    const junk = join(dir.path, 'junk.json');
    writeJunkFile(junk, JUNK_BYTES);
    const run = await runMeasuredCli(['validate', '--users', junk, '--mappings', 'resources/templates/entra-scim-default.schema.json', '--vendor', 'generic']);
    console.log(`validate --users with 50 MB of junk: exit ${run.code} in ${run.seconds.toFixed(1)} s, peak RSS ${run.peakRssMb} MB`);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/neither Graph users JSON .* nor a users CSV/);
    expect(run.stderr).toMatch(/line 1: no userPrincipalName column/);
    expect(run.peakRssMb).toBeLessThan(300);
    expect(run.seconds).toBeLessThan(30);
  });
});
