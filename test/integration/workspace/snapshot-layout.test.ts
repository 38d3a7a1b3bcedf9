import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importUsersFile } from '../../../electron/backend/directory/snapshot.ts';
import { compareStoredSnapshots } from '../../../electron/backend/workspace/snapshot-compare.ts';
import { sourceDigest, snapshotUsersSql } from '../../../electron/backend/workspace/snapshot-rows.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import { migrations } from '../../../electron/backend/workspace/migrations.ts';
import { SNAPSHOT_LAYOUT_MIGRATION_VERSION } from '../../../electron/backend/workspace/migrations/snapshot-layout.ts';
import { APPLICATION_IDS } from '../../../electron/backend/sqlite-file.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * Migration 10 (snapshot-layout.ts): snapshot_users appended in ordinal order with a digest of each user's source, so
 * snapshot compare reads an index and opens the JSON only where digests differ.
 */
const dirs: { cleanup(): void }[] = [];
function workspacePath(): string {
  const dir = tempDir();
  dirs.push(dir);
  return join(dir.path, 'w.scimplan');
}
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

const ROW = `snapshot_id, ordinal, id, user_principal_name, display_name, mail, department, account_enabled, user_type,
             search_text, raw, source`;

/** A workspace at version 9 with two snapshots whose rows were inserted out of ordinal order. */
function version9Workspace(path: string): unknown[] {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.transaction(() => {
    for (const m of migrations.filter((m) => m.version < SNAPSHOT_LAYOUT_MIGRATION_VERSION)) m.up(db);
    db.pragma(`user_version = ${SNAPSHOT_LAYOUT_MIGRATION_VERSION - 1}`);
    db.pragma(`application_id = ${APPLICATION_IDS.workspace}`);
  })();
  db.prepare("INSERT INTO projects (name, created_at) VALUES ('Fabrikam', '2025-06-01')").run();
  const snapshot = db.prepare("INSERT INTO snapshots (project_id, label, origin, fetched_at, user_count, group_count) VALUES (1, ?, 'graph', '2025-06-02', 3, 0)");
  snapshot.run('first');
  snapshot.run('second');
  const insert = db.prepare(`INSERT INTO snapshot_users (${ROW}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  for (const [snapshotId, ordinal, id, department] of [
    [2, 1, 'c3', 'Sales'],
    [1, 2, 'a1', 'Sales'],
    [1, 0, 'b2', null],
    [2, 0, 'a1', 'Sales'],
    [1, 1, 'c3', 'Finance'],
    [2, 2, 'b2', 'Légal ✓'],
  ] as const) {
    const source = JSON.stringify({ objectId: id, department });
    insert.run(snapshotId, ordinal, id, `${id}@fabrikam.example`, `User ${id}`, null, department, 1, 'Member', id, JSON.stringify({ id }), source);
  }
  const rows = db.prepare(`SELECT ${ROW} FROM snapshot_users ORDER BY snapshot_id, ordinal`).all();
  db.close();
  return rows;
}

describe('migration 10: snapshot users appended in order, with a source digest', () => {
  it('keeps every row of a version-9 workspace, in snapshot and ordinal order, each with the digest of its source', () => {
    const path = workspacePath();
    const before = version9Workspace(path);
    const store = WorkspaceStore.open(path);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(SNAPSHOT_LAYOUT_MIGRATION_VERSION);
      expect(store.db.prepare(`SELECT ${ROW} FROM snapshot_users ORDER BY snapshot_id, ordinal`).all()).toEqual(before);
      // appended in order: the rowid follows (snapshot_id, ordinal)
      expect(store.db.prepare('SELECT snapshot_id, ordinal FROM snapshot_users ORDER BY rowid').raw().all()).toEqual([
        [1, 0], [1, 1], [1, 2], [2, 0], [2, 1], [2, 2],
      ]);
      for (const row of store.db.prepare('SELECT source, source_digest AS digest FROM snapshot_users').all() as { source: string; digest: number }[])
        expect(row.digest).toBe(sourceDigest(row.source));
      expect(store.getUser(2, 'b2@FABRIKAM.example')?.source).toEqual({ objectId: 'b2', department: 'Légal ✓' });
      const diff = compareStoredSnapshots(store.db, 1, 2);
      expect(diff.changed.map((c) => [c.id, c.changes.map((x) => x.attribute)])).toEqual([
        ['c3', ['department']],
        ['b2', ['department']],
      ]);
      expect(diff.unchanged).toBe(1);
    } finally {
      store.close();
    }
  });
});

describe('snapshot_users as written by the workspace writers', () => {
  it('refuses a snapshot that holds one user id twice, naming it, and stores nothing', () => {
    const store = new WorkspaceStore(workspacePath());
    try {
      const project = store.createProject('p');
      const user = (id: string, name: string) => ({ raw: { id, displayName: name }, source: { objectId: id, displayName: name } });
      expect(() =>
        store.addSnapshot({ projectId: project.id, label: 'twice', origin: 'json', users: [user('u1', 'Ann'), user('u2', 'Bob'), user('u1', 'Ann again')] }),
      ).toThrow(/User id u1 appears more than once; a snapshot holds each user once\. Nothing was stored\./);
      expect(store.listSnapshots(project.id)).toEqual([]);
      expect(store.db.prepare('SELECT count(*) FROM snapshot_users').pluck().get()).toBe(0);
    } finally {
      store.close();
    }
  });

  it('gives users whose sources an import derived again (an extension first seen late) the digest of their final source', () => {
    const store = new WorkspaceStore(workspacePath());
    try {
      const project = store.createProject('p');
      const text = JSON.stringify({
        value: [
          { id: '1', userPrincipalName: 'a@contoso.com' },
          { id: '2', userPrincipalName: 'b@contoso.com', extension_0123456789abcdef0123456789abcdef_badge: 'B-2' },
        ],
      });
      const { snapshot } = importUsersFile(store, { projectId: project.id, label: 'late', fileName: 'users.json', chunks: [text] });
      const rows = store.db.prepare('SELECT source, source_digest AS digest FROM snapshot_users WHERE snapshot_id = ? ORDER BY ordinal').all(snapshot.id) as {
        source: string;
        digest: number;
      }[];
      expect(JSON.parse(rows[0]!.source)).toHaveProperty('extension_0123456789abcdef0123456789abcdef_badge', null);
      for (const row of rows) expect(row.digest).toBe(sourceDigest(row.source));
    } finally {
      store.close();
    }
  });

  it('compare reads ids, digests and ordinals from the index alone, and a row without a digest is compared by its text', () => {
    const store = new WorkspaceStore(workspacePath());
    try {
      const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${snapshotUsersSql('u.id, u.source_digest AS digest, u.ordinal')} ORDER BY id`).all({ own: 2, base: null }) as {
        detail: string;
      }[]).map((r) => r.detail).join(' | ');
      expect(plan).toMatch(/^MERGE \(UNION ALL\)/);
      expect(plan.match(/SEARCH u USING COVERING INDEX snapshot_users_by_id \(snapshot_id=\?\)/g)).toHaveLength(2);

      const project = store.createProject('p');
      const users = (department: string) => [
        { raw: { id: 'u1' }, source: { objectId: 'u1', department: 'Sales' } },
        { raw: { id: 'u2' }, source: { objectId: 'u2', department } },
      ];
      const from = store.addSnapshot({ projectId: project.id, label: 'a', origin: 'json', users: users('Sales') });
      const to = store.addSnapshot({ projectId: project.id, label: 'b', origin: 'json', users: users('Finance') });
      // rows written without a digest on both sides: the text decides
      store.db.prepare('UPDATE snapshot_users SET source_digest = NULL').run();
      const diff = compareStoredSnapshots(store.db, from.id, to.id);
      expect(diff.changed).toEqual([{ id: 'u2', changes: [expect.objectContaining({ attribute: 'department' })] }]);
      expect(diff.unchanged).toBe(1);
    } finally {
      store.close();
    }
  });

  it('orders ids as SQLite does (UTF-8 bytes), so ids beyond U+FFFF merge with the rest', () => {
    const store = new WorkspaceStore(workspacePath());
    try {
      const project = store.createProject('p');
      // U+1F600 sorts after U+FF21 in UTF-8 but before it in UTF-16 code units
      const ids = ['a', '\u{1F600}', '\uFF21', 'z'];
      const users = (keep: readonly string[]) => keep.map((id) => ({ raw: { id }, source: { objectId: id } }));
      const from = store.addSnapshot({ projectId: project.id, label: 'a', origin: 'json', users: users(ids.filter((id) => id !== '\uFF21')) });
      const to = store.addSnapshot({ projectId: project.id, label: 'b', origin: 'json', users: users(ids) });
      expect(compareStoredSnapshots(store.db, from.id, to.id)).toEqual({ added: ['\uFF21'], removed: [], changed: [], unchanged: 3 });
    } finally {
      store.close();
    }
  });
});
