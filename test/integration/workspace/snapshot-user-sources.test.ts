import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SnapshotSourceReader } from '../../../electron/backend/preview/snapshot-reader.ts';
import { compareStoredSnapshots } from '../../../electron/backend/workspace/snapshot-compare.ts';
import { sourceDigest } from '../../../electron/backend/workspace/snapshot-rows.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import { migrations } from '../../../electron/backend/workspace/migrations.ts';
import { SNAPSHOT_USER_SOURCES_MIGRATION_VERSION } from '../../../electron/backend/workspace/migrations/snapshot-user-sources.ts';
import { APPLICATION_IDS } from '../../../electron/backend/sqlite-file.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * Migration 13 (snapshot-user-sources.ts): a user's source JSON in snapshot_user_sources, keyed (snapshot_id,
 * ordinal), written by every writer and read through snapshot-rows.ts by every reader.
 */
const dirs: { cleanup(): void }[] = [];
function workspacePath(): string {
  const dir = tempDir();
  dirs.push(dir);
  return join(dir.path, 'w.scimplan');
}
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

const BEFORE = SNAPSHOT_USER_SOURCES_MIGRATION_VERSION - 1;
const source = (id: string, department: string | null) => JSON.stringify({ objectId: id, department, 'extension_x': null });

/**
 * A workspace at version 12: snapshot 1 whole (a1, b2, c3), snapshot 2 refreshed on top of it (b2 replaced, c3 removed,
 * d4 added), their rows inserted out of ordinal order with the source in snapshot_users' own column.
 */
function version12Workspace(path: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.transaction(() => {
    for (const m of migrations.filter((m) => m.version <= BEFORE)) m.up(db);
    db.pragma(`user_version = ${BEFORE}`);
    db.pragma(`application_id = ${APPLICATION_IDS.workspace}`);
  })();
  db.prepare("INSERT INTO projects (name, created_at) VALUES ('Fabrikam', '2025-06-01')").run();
  db.prepare("INSERT INTO snapshots (project_id, label, origin, fetched_at, user_count, group_count) VALUES (1, 'full', 'graph', '2025-06-02', 3, 0)").run();
  db.prepare(
    "INSERT INTO snapshots (project_id, label, origin, fetched_at, user_count, group_count, parent_id, base_id) VALUES (1, 'refresh', 'graph', '2025-06-03', 3, 0, 1, 1)",
  ).run();
  db.prepare("INSERT INTO snapshot_removed_users (snapshot_id, id) VALUES (2, 'c3')").run();
  const insert = db.prepare(
    `INSERT INTO snapshot_users (snapshot_id, ordinal, id, source_digest, user_principal_name, display_name, search_text, raw, source)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const [snapshotId, ordinal, id, department] of [
    [2, 3, 'd4', 'Légal ✓'],
    [1, 2, 'c3', 'Finance'],
    [1, 0, 'a1', 'Sales'],
    [2, 1, 'b2', 'Finance'],
    [1, 1, 'b2', null],
  ] as const) {
    const text = source(id, department);
    insert.run(snapshotId, ordinal, id, sourceDigest(text), `${id}@fabrikam.example`, `User ${id}`, id, JSON.stringify({ id }), text);
  }
  db.close();
}

/** What the readers give for both snapshots: the Tenant store's users, the preview's ranges and lookups, compare. */
function readAll(store: WorkspaceStore, path: string) {
  const reader = new SnapshotSourceReader(path, { stream: true });
  try {
    return {
      users: [1, 2].map((id) => [...store.iterateUsers(id)].map((u) => [u.id, u.source])),
      byUpn: store.getUser(2, 'B2@fabrikam.example')?.source,
      ranges: [1, 2].map((id) => reader.read(id)),
      tail: reader.read(2, 2, null),
      byId: [reader.source(1, 'c3'), reader.source(2, 'c3'), reader.source(2, 'd4')],
      diff: compareStoredSnapshots(store.db, 1, 2),
    };
  } finally {
    reader.close();
  }
}

const expected = {
  users: [
    [
      ['a1', { objectId: 'a1', department: 'Sales', extension_x: null }],
      ['b2', { objectId: 'b2', department: null, extension_x: null }],
      ['c3', { objectId: 'c3', department: 'Finance', extension_x: null }],
    ],
    [
      ['a1', { objectId: 'a1', department: 'Sales', extension_x: null }],
      ['b2', { objectId: 'b2', department: 'Finance', extension_x: null }],
      ['d4', { objectId: 'd4', department: 'Légal ✓', extension_x: null }],
    ],
  ],
};

describe("migration 13: snapshot users' sources in a table of their own", () => {
  it('moves every source of a version-12 workspace, refreshed snapshots included, and every reader gives the same users', () => {
    const path = workspacePath();
    version12Workspace(path);
    const old = WorkspaceStore.open(path, { readOnly: true });
    let before: ReturnType<typeof readAll>;
    try {
      before = readAll(old, path);
    } finally {
      old.close();
    }
    const store = WorkspaceStore.open(path);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(SNAPSHOT_USER_SOURCES_MIGRATION_VERSION);
      const columns = (store.db.pragma('table_info(snapshot_users)') as { name: string }[]).map((c) => c.name);
      expect(columns).not.toContain('source');
      // appended in (snapshot, ordinal) order, each source the text it was, its digest unchanged
      expect(store.db.prepare('SELECT snapshot_id, ordinal FROM snapshot_user_sources ORDER BY rowid').raw().all()).toEqual([
        [1, 0], [1, 1], [1, 2], [2, 1], [2, 3],
      ]);
      const rows = store.db
        .prepare('SELECT u.id, s.source, u.source_digest AS digest FROM snapshot_users u JOIN snapshot_user_sources s USING (snapshot_id, ordinal) WHERE snapshot_id = 2 ORDER BY ordinal')
        .all() as { id: string; source: string; digest: number }[];
      expect(rows.map((r) => [r.id, r.source])).toEqual([
        ['b2', source('b2', 'Finance')],
        ['d4', source('d4', 'Légal ✓')],
      ]);
      for (const row of rows) expect(row.digest).toBe(sourceDigest(row.source));
      const after = readAll(store, path);
      expect(after).toEqual(before);
      expect(after.users).toEqual(expected.users);
      expect(after.ranges[1]!.ordinals).toEqual([0, 1, 2]);
      expect(after.tail.users.map((u) => u.objectId)).toEqual(['d4']);
      expect(after.byId.map((u) => u?.objectId)).toEqual(['c3', undefined, 'd4']);
      expect(after.diff.added).toEqual(['d4']);
      expect(after.diff.removed).toEqual(['c3']);
      expect(after.diff.changed.map((c) => c.id)).toEqual(['b2']);
    } finally {
      store.close();
    }
  });

  it('reads a version-12 workspace opened read-only without migrating it or changing a byte', () => {
    const path = workspacePath();
    version12Workspace(path);
    const bytes = readFileSync(path);
    const store = WorkspaceStore.open(path, { readOnly: true });
    try {
      const read = readAll(store, path);
      expect(read.users).toEqual(expected.users);
      expect(read.byUpn).toEqual({ objectId: 'b2', department: 'Finance', extension_x: null });
      expect(read.ranges.map((r) => r.users.map((u) => u.objectId))).toEqual([['a1', 'b2', 'c3'], ['a1', 'b2', 'd4']]);
      expect(read.byId.map((u) => u?.objectId)).toEqual(['c3', undefined, 'd4']);
      expect(read.diff.changed.map((c) => c.id)).toEqual(['b2']);
      expect(store.db.pragma('user_version', { simple: true })).toBe(BEFORE);
    } finally {
      store.close();
    }
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });
});

describe('snapshot_user_sources as the writers keep it', () => {
  const user = (id: string, department: string) => ({ raw: { id, userPrincipalName: `${id}@contoso.com` }, source: { objectId: id, department } });
  const sourcesOf = (store: WorkspaceStore, snapshotId: number) =>
    store.db.prepare('SELECT ordinal, source FROM snapshot_user_sources WHERE snapshot_id = ? ORDER BY ordinal').raw().all(snapshotId) as [number, string][];
  const rowsOf = (store: WorkspaceStore, snapshotId: number) =>
    store.db.prepare('SELECT ordinal FROM snapshot_users WHERE snapshot_id = ? ORDER BY ordinal').pluck().all(snapshotId);

  it('a refresh replaces and removes its own sources with its own rows, and deleting a snapshot deletes its sources', () => {
    const store = new WorkspaceStore(workspacePath());
    try {
      const project = store.createProject('p');
      const base = store.addSnapshot({ projectId: project.id, label: 'full', origin: 'json', users: [user('u1', 'Sales'), user('u2', 'Sales')] });
      expect(sourcesOf(store, base.id)).toEqual([
        [0, JSON.stringify({ objectId: 'u1', department: 'Sales' })],
        [1, JSON.stringify({ objectId: 'u2', department: 'Sales' })],
      ]);
      const deltaState = { users: 'u', groups: 'g', directoryExtensions: [] };
      const first = store.refreshSnapshot(base.id, { label: 'r1', deltaState }, (writer) => {
        writer.putUser(user('u3', 'Legal').raw, user('u3', 'Legal').source);
        writer.putUser(user('u3', 'Finance').raw, user('u3', 'Finance').source);
        writer.putUser(user('u2', 'Legal').raw, user('u2', 'Legal').source);
      });
      const second = store.refreshSnapshot(first.id, { label: 'r2', deltaState }, (writer) => {
        writer.removeUser('u3');
        writer.putUser(user('u1', 'HR').raw, user('u1', 'HR').source);
      });
      // one source for each of a snapshot's own rows, at the row's place, the last one written
      expect(sourcesOf(store, first.id)).toEqual([
        [1, JSON.stringify({ objectId: 'u2', department: 'Legal' })],
        [2, JSON.stringify({ objectId: 'u3', department: 'Finance' })],
      ]);
      expect(sourcesOf(store, second.id).map(([ordinal]) => ordinal)).toEqual(rowsOf(store, second.id));
      expect([...store.iterateUsers(second.id)].map((u) => u.source)).toEqual([
        { objectId: 'u1', department: 'HR' },
        { objectId: 'u2', department: 'Legal' },
      ]);
      store.deleteSnapshot(second.id);
      expect(sourcesOf(store, second.id)).toEqual([]);
    } finally {
      store.close();
    }
  });
});
