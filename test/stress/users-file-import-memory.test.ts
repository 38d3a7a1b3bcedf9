import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { writeGraphUsersFile } from '../support/users-files.ts';
import { runMeasuredCli } from '../support/run-measured-cli.ts';
import { tempDir } from '../support/temp.ts';

// IMPORT_MEMORY_USERS overrides the size (the goal is a million on one laptop).
const USERS = Number(process.env.IMPORT_MEMORY_USERS ?? 200_000);

describe('importing a large Graph users JSON with a capped heap', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it(`imports ${USERS.toLocaleString('en-US')} users with a 256 MB heap: the file streams through, never held whole`, { timeout: 1_800_000 }, async () => {
    const file = join(dir.path, 'users.json');
    const bytes = writeGraphUsersFile(file, USERS);
    const workspace = join(dir.path, 'large.scimplan');
    const run = await runMeasuredCli(['import', file, '--workspace', workspace, '--json'], ['--max-old-space-size=256']);
    console.log(
      `import of ${USERS} users (${Math.round(bytes / 2 ** 20)} MB) with --max-old-space-size=256: exit ${run.code} in ${run.seconds.toFixed(1)} s, peak RSS ${run.peakRssMb} MB`,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const snapshot = JSON.parse(run.stdout) as { id: number };
    expect(snapshot).toMatchObject({ userCount: USERS, origin: 'json' });
    const db = new Database(workspace, { readonly: true });
    try {
      // a new workspace also holds the demo tenant's snapshot: count this import's only
      const rows = db.prepare('SELECT count(*) AS n, max(ordinal) AS last FROM snapshot_users WHERE snapshot_id = ?').get(snapshot.id) as { n: number; last: number };
      expect(rows).toEqual({ n: USERS, last: USERS - 1 });
    } finally {
      db.close();
    }
  });
});
