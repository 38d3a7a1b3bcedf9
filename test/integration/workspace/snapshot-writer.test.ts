import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SnapshotWriter } from '../../../electron/backend/workspace/snapshot-writer.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * A snapshot written in steps (a Graph fetch, snapshot-writer.ts): its rows go into the workspace once, out of sight
 * until committed; the admin keeps writing meanwhile; a kill part-way leaves nothing once the workspace is opened again.
 */
const users = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({
    raw: { id: `u${from + i}`, displayName: `User ${from + i}` },
    source: { objectId: `u${from + i}` },
  }));

/** A fresh workspace with one project, closed and removed after `test`. */
function inWorkspace(test: (store: WorkspaceStore, projectId: number) => void): void {
  const dir = tempDir();
  const store = new WorkspaceStore(join(dir.path, 'w.scimplan'));
  try {
    test(store, store.createProject('p').id);
  } finally {
    store.close();
    dir.cleanup();
  }
}

describe('a snapshot written in steps', () => {
  it('is out of sight until committed, while the workspace stays writable between its batches', () => {
    inWorkspace((store, projectId) => {
      const writer = SnapshotWriter.begin({ path: store.path, projectId });
      writer.appendUsers(users(0, 300));
      expect(store.listSnapshots(projectId)).toEqual([]);
      expect(store.getSnapshot(writer.snapshotId)).toBeUndefined();
      // the admin's edit between two batches: no long write transaction holds the workspace
      const revision = store.saveMappingRevision(projectId, 'edited during the fetch', '{}');
      writer.appendUsers(users(300, 200));
      const snapshot = writer.commit(store, { label: 'Graph: contoso', origin: 'graph', tenantName: 'Contoso' });
      expect(snapshot).toMatchObject({
        id: writer.snapshotId,
        label: 'Graph: contoso',
        userCount: 500,
        tenantName: 'Contoso',
      });
      expect(store.listSnapshots(projectId).map((s) => s.id)).toEqual([snapshot.id]);
      expect(store.listMappingRevisions(projectId).map((r) => r.id)).toEqual([revision.id]);
      expect(store.listUsers(snapshot.id, '', 299, 2).items.map((u) => u.id)).toEqual(['u299', 'u300']);
    });
  });

  it('discarded (a cancel or a failed read): the snapshot and its rows are deleted', () => {
    inWorkspace((store, projectId) => {
      const writer = SnapshotWriter.begin({ path: store.path, projectId });
      writer.appendUsers(users(0, 100));
      writer.discard();
      expect(store.db.prepare('SELECT count(*) FROM snapshots').pluck().get()).toBe(0);
      expect(store.db.prepare('SELECT count(*) FROM snapshot_users').pluck().get()).toBe(0);
      expect(() => writer.appendUsers(users(100, 1))).toThrow(/already committed or discarded/);
    });
  });

  it('refuses to complete a snapshot holding one user id twice, naming it', () => {
    inWorkspace((store, projectId) => {
      const writer = SnapshotWriter.begin({ path: store.path, projectId });
      writer.appendUsers(users(0, 10));
      writer.appendUsers(users(5, 1));
      expect(() => writer.commit(store, { label: 'x', origin: 'graph' })).toThrow(/User id u5 appears more than once/);
      writer.discard();
      expect(store.db.prepare('SELECT count(*) FROM snapshot_users').pluck().get()).toBe(0);
    });
  });

  it('killed part-way (SIGKILL): never listed, left alone while its writer runs, and deleted when the workspace is next opened', async () => {
    const dir = tempDir();
    const path = join(dir.path, 'crash.scimplan');
    const setup = new WorkspaceStore(path);
    const projectId = setup.createProject('p').id;
    const kept = setup.addSnapshot({ projectId, label: 'kept', origin: 'json', users: users(0, 5) });
    setup.close();

    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/support/fetch-writer.ts', path, String(projectId), '3'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const snapshotId = await new Promise<number>((resolve, reject) => {
      let buffer = '';
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => {
        buffer += chunk;
        const done = buffer.split('\n').find((line) => line.startsWith('appended 3 '));
        if (done) resolve(Number(done.split(' ')[2]));
      });
      child.once('exit', (code) => reject(new Error(`the writer exited (${code}) before its third page`)));
    });

    // While its writer runs, another opener leaves it alone (and does not list it). Of its 15,000 users the first
    // 10,000 are written (a lot of LOT_ROWS); the rest wait converted in memory for the next lot or the commit.
    const during = new WorkspaceStore(path);
    expect(during.listSnapshots(projectId).map((s) => s.id)).toEqual([kept.id]);
    expect(during.db.prepare('SELECT count(*) FROM snapshot_users WHERE snapshot_id = ?').pluck().get(snapshotId)).toBe(
      10_000,
    );
    during.close();

    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
    const after = new WorkspaceStore(path);
    try {
      expect(after.listSnapshots(projectId).map((s) => s.id)).toEqual([kept.id]);
      expect(after.db.prepare('SELECT count(*) FROM snapshots').pluck().get()).toBe(1);
      expect(after.db.prepare('SELECT count(*) FROM snapshot_users WHERE snapshot_id <> ?').pluck().get(kept.id)).toBe(
        0,
      );
      expect(after.listUsers(kept.id, '', 0, 10).total).toBe(5);
    } finally {
      after.close();
      dir.cleanup();
    }
  });
});
