import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runMeasuredCli } from '../support/run-measured-cli.ts';
import { tempDir } from '../support/temp.ts';

// GRAPH_FETCH_MEMORY_USERS overrides the size (the goal is a million on one laptop).
const USERS = Number(process.env.GRAPH_FETCH_MEMORY_USERS ?? 200_000);

describe('fetching a large tenant from Graph with a capped heap', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it(`fetches ${USERS.toLocaleString('en-US')} users with a 256 MB heap: pages stream into the snapshot, never held whole`, { timeout: 1_800_000 }, async () => {
    // The fake Graph runs in its own process: it holds the tenant, the fetch under test must not.
    const serve = fileURLToPath(new URL('../support/fake-graph/serve.ts', import.meta.url));
    const server = spawn(process.execPath, ['--import', 'tsx', serve, String(USERS), '0'], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const [line] = (await once(createInterface({ input: server.stdout! }), 'line')) as [string];
      const { baseUrl, accessToken } = JSON.parse(line) as { baseUrl: string; accessToken: string };
      const workspace = join(dir.path, 'large.scimplan');
      const run = await runMeasuredCli(
        ['fetch', '--access-token', accessToken, '--graph-base-url', baseUrl, '--workspace', workspace],
        ['--max-old-space-size=256'],
      );
      console.log(
        `fetch of ${USERS} users with --max-old-space-size=256: exit ${run.code} in ${run.seconds.toFixed(1)} s, peak RSS ${run.peakRssMb} MB`,
      );
      expect(run.stderr).not.toMatch(/heap out of memory|fetch failed/i);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`Fetched ${USERS} users and \\d+ groups into snapshot (\\d+)`));
      const snapshotId = Number(/into snapshot (\d+)/.exec(run.stdout)![1]);
      const db = new Database(workspace, { readonly: true });
      try {
        const rows = db.prepare('SELECT count(*) AS n, max(ordinal) AS last FROM snapshot_users WHERE snapshot_id = ?').get(snapshotId);
        expect(rows).toEqual({ n: USERS, last: USERS - 1 });
        const members = db.prepare('SELECT count(*) AS n FROM snapshot_memberships WHERE snapshot_id = ?').get(snapshotId) as { n: number };
        expect(members.n).toBeGreaterThan(USERS);
      } finally {
        db.close();
      }
    } finally {
      server.stdin!.end();
      await once(server, 'exit');
    }
  });
});
