import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import { tempDir } from '../../support/temp.ts';

describe('workspace durability', () => {
  it('keeps every committed snapshot and no partial one after SIGKILL in the middle of a write', async () => {
    const dir = tempDir();
    const path = join(dir.path, 'crash.scimplan');
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/snapshot-writer.ts', path, '20000'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const committed = new Map<number, number>();
    let writing = 0;
    let buffer = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => {
        buffer += chunk;
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) {
          const [word, a, b] = line.split(' ');
          if (word === 'committed') committed.set(Number(a), Number(b));
          if (word === 'writing') writing = Number(a);
        }
        // Kill while the third snapshot's transaction is open, a little way into it.
        if (writing === 3 && !child.killed) setTimeout(() => child.kill('SIGKILL'), 60);
      });
      child.once('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited without SIGKILL (${signal})`))));
    });

    const store = new WorkspaceStore(path);
    const projects = store.listProjects();
    expect(projects).toHaveLength(1);
    const snapshots = store.listSnapshots(projects[0]!.id);
    const count = (id: number) =>
      (store.db.prepare('SELECT count(*) AS n FROM snapshot_users WHERE snapshot_id = ?').get(id) as { n: number }).n;
    // Every snapshot reported as committed is there, whole.
    for (const [id, users] of committed) {
      expect(snapshots.find((s) => s.id === id)?.userCount).toBe(users);
      expect(count(id)).toBe(users);
    }
    expect(committed.size).toBeGreaterThanOrEqual(2);
    // Nothing else: no snapshot row and no user rows from the interrupted transaction.
    for (const snapshot of snapshots) expect(count(snapshot.id)).toBe(snapshot.userCount);
    const orphanUsers = store.db
      .prepare('SELECT count(*) AS n FROM snapshot_users WHERE snapshot_id NOT IN (SELECT id FROM snapshots)')
      .get() as { n: number };
    expect(orphanUsers.n).toBe(0);
    expect(snapshots.length).toBeLessThanOrEqual(committed.size + 1);
    store.close();
    dir.cleanup();
  });
});
