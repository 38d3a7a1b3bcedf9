import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../../electron/cli/command.ts';
import { command as fetchCommand } from '../../../electron/cli/fetch.ts';
import { SnapshotSourceReader } from '../../../electron/backend/preview/snapshot-reader.ts';
import { compareStoredSnapshots } from '../../../electron/backend/workspace/snapshot-compare.ts';
import { migrations } from '../../../electron/backend/workspace/migrations.ts';
import { snapshotUsersSql } from '../../../electron/backend/workspace/snapshot-rows.ts';
import { SNAPSHOT_DELTA_MIGRATION_VERSION } from '../../../electron/backend/workspace/migrations/snapshot-delta.ts';
import { APPLICATION_IDS } from '../../../electron/backend/sqlite-file.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import type { GraphUser } from '../../../shared/directory/graph-to-source.ts';
import { demoGraphData } from '../../support/fake-graph/demo-data.ts';
import { startFakeGraph, type FakeGraph } from '../../support/fake-graph/server.ts';

const temp = mkdtempSync(join(tmpdir(), 'delta-refresh-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function fakeIO() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => void out.push(t), err: (t) => void err.push(t), stdin: Readable.from([]), env: {} };
  return { io, out, err };
}

function withStore<T>(path: string, work: (store: WorkspaceStore, projectId: number) => T): T {
  const store = new WorkspaceStore(path);
  try {
    return work(store, store.listProjects()[0]!.id);
  } finally {
    store.close();
  }
}

const sortedBy = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => (a.id < b.id ? -1 : 1));

describe('scim-planner fetch --refresh (Graph delta)', () => {
  const data = demoGraphData(240);
  let graph: FakeGraph;
  const workspace = join(temp, 'refresh.scimplan');
  const auth = () => ['--access-token', graph.accessToken, '--graph-base-url', graph.baseUrl, '--workspace', workspace];
  const run = async (...args: string[]) => {
    const { io, out, err } = fakeIO();
    const code = await fetchCommand.run([...auth(), ...args], io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const users = data.users as GraphUser[];
  // Who changes how: picked among users that are nobody's manager, so a removal changes nothing else.
  const managers = new Set(users.map((u) => u.manager?.id).filter(Boolean));
  const plain = users.filter((u) => !managers.has(u.id) && u.manager);
  const [edited, hardDeleted, softDeleted, reassigned] = plain;
  const newManager = users.find((u) => managers.has(u.id) && u.id !== reassigned!.manager!.id)!;
  const group = data.groups!.find((g) => (g.members ?? []).length >= 2)!;
  const added: GraphUser = { ...edited!, id: '7d1e0000-0000-4000-8000-00000000a001', userPrincipalName: 'new.hire@contoso.example', displayName: 'New Hire', mail: 'new.hire@contoso.example' };

  let first = 0;
  let refreshed = 0;
  beforeAll(async () => {
    graph = await startFakeGraph(data);
    const fetched = await run();
    expect(fetched.code).toBe(0);
    first = withStore(workspace, (store, projectId) => store.listSnapshots(projectId)[0]!.id);
  });
  afterAll(() => graph.close());

  it('keeps the deltaLinks with a full read, taken before the users are read', () => {
    const state = withStore(workspace, (store) => store.getDeltaState(first))!;
    expect(state.users).toMatch(/\/v1\.0\/users\/delta\?\$deltatoken=/);
    expect(state.groups).toMatch(/\/v1\.0\/groups\/delta\?\$deltatoken=/);
    const latest = graph.requests.findIndex((r) => r.url.startsWith('/v1.0/users/delta'));
    const firstUsersPage = graph.requests.findIndex((r) => r.url.startsWith('/v1.0/users?'));
    expect(latest).toBeGreaterThanOrEqual(0);
    expect(latest).toBeLessThan(firstUsersPage);
    expect(withStore(workspace, (store) => store.getSnapshot(first))).toMatchObject({ refreshable: true, parentId: null });
  });

  it('applies added, changed, removed (deleted: gone; changed: soft-deleted), manager and membership changes', async () => {
    graph.tenant.upsertUser(added);
    graph.tenant.updateUser(edited!.id, { department: 'Delta Research', jobTitle: 'Refreshed' });
    graph.tenant.hardDeleteUser(hardDeleted!.id);
    graph.tenant.softDeleteUser(softDeleted!.id);
    graph.tenant.setManager(reassigned!.id, newManager.id);
    const members = (group.members ?? []).slice(1);
    graph.tenant.setGroupMembers(group.id, [...members, { '@odata.type': '#microsoft.graph.user', id: added.id }]);

    const result = await run('--refresh');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(new RegExp(`Refreshed snapshot ${first} into snapshot \\d+`));
    withStore(workspace, (store, projectId) => {
      const snapshot = store.listSnapshots(projectId)[0]!;
      refreshed = snapshot.id;
      expect(snapshot).toMatchObject({ parentId: first, refreshable: true, userCount: users.length, origin: 'graph' });
      expect(store.getUser(refreshed, hardDeleted!.id)).toBeUndefined();
      expect(store.getUser(refreshed, softDeleted!.id)!.source.IsSoftDeleted).toBe(true);
      expect(store.getUser(first, softDeleted!.id)!.source.IsSoftDeleted).toBe(false);
      expect(store.getUser(refreshed, edited!.id)!.source).toMatchObject({ department: 'Delta Research', jobTitle: 'Refreshed' });
      expect(store.getUser(refreshed, 'new.hire@contoso.example')!.id).toBe(added.id);
      expect(store.getUser(refreshed, reassigned!.id)!.source.manager).toBe(newManager.id);
      expect(store.getUser(refreshed, reassigned!.id)!.raw.manager).toMatchObject({ id: newManager.id, userPrincipalName: newManager.userPrincipalName });
      const groupMembers = store.listMemberships(refreshed).filter((m) => m.groupId === group.id).map((m) => m.memberId);
      expect(groupMembers.sort()).toEqual([...members.map((m) => m.id), added.id].sort());
      // Only what changed has rows of its own: the unchanged users are the parent's rows.
      const ownRows = store.db.prepare('SELECT count(*) FROM snapshot_users WHERE snapshot_id = ?').pluck().get(refreshed);
      expect(ownRows).toBe(4);
      // The Tenant table pages the whole snapshot in order, with the new user last.
      const page = store.listUsers(refreshed, '', 0, 1000);
      expect(page.total).toBe(users.length);
      expect(page.items.map((u) => u.id)).toEqual([...users.filter((u) => u.id !== hardDeleted!.id).map((u) => u.id), added.id]);
      expect(store.listUsers(refreshed, 'delta research', 0, 10).items.map((u) => u.id)).toEqual([edited!.id]);
      // Compare reads only the rows the two snapshots do not share, and finds every change.
      const diff = compareStoredSnapshots(store.db, first, refreshed);
      expect(diff.added).toEqual([added.id]);
      expect(diff.removed).toEqual([hardDeleted!.id]);
      expect(diff.changed.map((c) => c.id).sort()).toEqual([edited!.id, softDeleted!.id, reassigned!.id].sort());
      expect(diff.changed.find((c) => c.id === softDeleted!.id)!.changes).toEqual([{ attribute: 'IsSoftDeleted', before: false, after: true }]);
      expect(diff.unchanged).toBe(users.length - 1 - 3);
    });
  });

  it('gives the snapshot a full read of the changed tenant gives (the soft-deleted user aside)', async () => {
    const full = await run('--label', 'full read');
    expect(full.code).toBe(0);
    withStore(workspace, (store, projectId) => {
      const fullId = store.listSnapshots(projectId)[0]!.id;
      // A full read lists no user in the recycle bin; the refresh keeps it, soft-deleted, as Entra would deprovision it.
      expect(compareStoredSnapshots(store.db, fullId, refreshed)).toMatchObject({ added: [softDeleted!.id], removed: [], changed: [] });
      expect(sortedBy(store.listGroups(refreshed)).map((g) => g.source)).toEqual(sortedBy(store.listGroups(fullId)).map((g) => g.source));
      const memberships = (id: number) => store.listMemberships(id).map((m) => `${m.groupId}/${m.memberId}`).sort();
      expect(memberships(refreshed)).toEqual(memberships(fullId));
      store.deleteSnapshot(fullId);
    });
  });

  it('gives the preview reader the whole refreshed snapshot with ordinals 0..n-1', () => {
    const reader = new SnapshotSourceReader(workspace);
    try {
      const { users: sources, ordinals } = reader.read(refreshed);
      expect([...ordinals].sort((a, b) => a - b)).toEqual(sources.map((_, i) => i));
      const inOrder = withStore(workspace, (store) => [...store.iterateUsers(refreshed)].map((u) => u.source));
      const byOrdinal: unknown[] = [];
      sources.forEach((s, i) => (byOrdinal[ordinals[i]!] = s));
      expect(byOrdinal).toEqual(inOrder);
      // The workers' ordinal ranges, read one after the other, give the same users and ordinals.
      const starts = reader.boundaries(refreshed, 3);
      const ranges = starts.map((from, i) => reader.read(refreshed, from, starts[i + 1] ?? null));
      expect(ranges.flatMap((range) => range.ordinals)).toEqual(ordinals);
      expect(ranges.flatMap((range) => range.users)).toEqual(sources);
      expect(reader.source(refreshed, hardDeleted!.id)).toBeUndefined();
    } finally {
      reader.close();
    }
  });

  it('refreshes a refreshed snapshot, and deleting the parent keeps the child whole', async () => {
    graph.tenant.updateUser(added.id, { department: 'Second round' });
    const again = await run('--refresh');
    expect(again.code).toBe(0);
    withStore(workspace, (store, projectId) => {
      const second = store.listSnapshots(projectId)[0]!;
      expect(second.parentId).toBe(refreshed);
      const before = [...store.iterateUsers(second.id)];
      expect(store.getUser(second.id, added.id)!.source.department).toBe('Second round');
      expect(store.getUser(second.id, hardDeleted!.id)).toBeUndefined();

      // The first snapshot's rows are shared: it leaves the list but its rows stay for the refreshed ones.
      expect(store.deleteSnapshot(first)).toBe(true);
      expect(store.listSnapshots(projectId).map((s) => s.id)).not.toContain(first);
      expect(store.getSnapshot(first)).toBeUndefined();
      expect([...store.iterateUsers(second.id)]).toEqual(before);
      expect(store.deleteSnapshot(refreshed)).toBe(true);
      expect([...store.iterateUsers(second.id)]).toEqual(before);
      // The last one gone, nothing is left behind.
      expect(store.deleteSnapshot(second.id)).toBe(true);
      const ids = [first, refreshed, second.id].join(',');
      const rows = (table: string) => store.db.prepare(`SELECT count(*) FROM ${table} WHERE snapshot_id IN (${ids})`).pluck().get();
      expect(store.db.prepare(`SELECT count(*) FROM snapshots WHERE id IN (${ids})`).pluck().get()).toBe(0);
      expect([rows('snapshot_users'), rows('snapshot_groups'), rows('snapshot_memberships'), rows('snapshot_removed_users')]).toEqual([0, 0, 0, 0]);
    });
  });

  it('falls back to a full read with a clear message when the deltaLink has expired', async () => {
    expect((await run()).code).toBe(0);
    const parent = withStore(workspace, (store, projectId) => store.listSnapshots(projectId)[0]!.id);
    graph.tenant.expireDeltaLinks();
    graph.tenant.updateUser(edited!.id, { department: 'After expiry' });
    const result = await run('--refresh');
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/deltaLink can no longer be used \(.*410 syncStateNotFound.*\); reading the whole tenant instead/);
    expect(result.out).toMatch(/full read/);
    withStore(workspace, (store, projectId) => {
      const snapshot = store.listSnapshots(projectId)[0]!;
      expect(snapshot).toMatchObject({ parentId: parent, refreshable: true, userCount: graph.tenant.users.length });
      expect(store.getUser(snapshot.id, edited!.id)!.source.department).toBe('After expiry');
      expect(store.db.prepare('SELECT base_id FROM snapshots WHERE id = ?').pluck().get(snapshot.id)).toBeNull();
    });
    // Graph's other way of asking for a full resync: a 400 with resyncRequired.
    graph.tenant.expireDeltaLinks({ status: 400, code: 'resyncRequired' });
    const again = await run('--refresh');
    expect(again.code).toBe(0);
    expect(again.err).toMatch(/deltaLink can no longer be used \(.*400 resyncRequired.*\); reading the whole tenant instead/);
  });

  it('says what is wrong when there is nothing to refresh, and refuses flags a refresh cannot honour', async () => {
    const empty = join(temp, 'empty.scimplan');
    const { io, err } = fakeIO();
    expect(await fetchCommand.run(['--access-token', graph.accessToken, '--graph-base-url', graph.baseUrl, '--workspace', empty, '--refresh'], io)).toBe(1);
    expect(err.join('\n')).toMatch(/has no Graph snapshot to refresh; run scim-planner fetch first/);
    await expect(run('--refresh', '--out', join(temp, 'x.json'))).rejects.toThrow(/--out cannot be used with --refresh/);
  });
});

describe('the rows of a snapshot (snapshot-rows.ts)', () => {
  it('reads its own rows and its base as a merge of two index scans, never a sort (EXPLAIN QUERY PLAN)', () => {
    const store = new WorkspaceStore(join(temp, 'plans.scimplan'));
    try {
      const plan = (sql: string) =>
        (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ own: 2, base: 1, limit: 10, offset: 0, fromId: 'a' }) as { detail: string }[])
          .map((r) => r.detail)
          .join(' | ');
      const page = plan(`${snapshotUsersSql('u.id, u.ordinal')} ORDER BY ordinal LIMIT @limit OFFSET @offset`);
      expect(page).toMatch(/^MERGE \(UNION ALL\)/);
      expect(page.match(/USING INDEX snapshot_users_order \(snapshot_id=\?\)/g)).toHaveLength(2);
      expect(page).not.toMatch(/TEMP B-TREE/);
      const range = plan(`${snapshotUsersSql('u.id, u.ordinal, u.source', 'u.id >= @fromId')} ORDER BY id`);
      expect(range.match(/USING INDEX snapshot_users_by_id \(snapshot_id=\? AND id>\?\)/g)).toHaveLength(2);
      expect(range).not.toMatch(/TEMP B-TREE/);
    } finally {
      store.close();
    }
  });
});

/** A workspace at the version before refreshable snapshots, with one Graph snapshot of two users. */
function olderWorkspace(path: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.transaction(() => {
    for (const m of migrations.filter((m) => m.version < SNAPSHOT_DELTA_MIGRATION_VERSION)) m.up(db);
    db.pragma(`user_version = ${SNAPSHOT_DELTA_MIGRATION_VERSION - 1}`);
    db.pragma(`application_id = ${APPLICATION_IDS.workspace}`);
  })();
  db.prepare("INSERT INTO projects (name, created_at) VALUES ('Fabrikam', '2025-06-01')").run();
  db.prepare("INSERT INTO snapshots (project_id, label, origin, fetched_at, user_count, group_count) VALUES (1, 'Graph: old', 'graph', '2025-06-02', 2, 0)").run();
  const insert = db.prepare(
    "INSERT INTO snapshot_users (snapshot_id, ordinal, id, user_principal_name, search_text, raw, source) VALUES (1, ?, ?, ?, ?, ?, ?)",
  );
  insert.run(0, 'u1', 'ann@fabrikam.example', 'ann', '{"id":"u1"}', '{"objectId":"u1"}');
  insert.run(1, 'u2', 'bob@fabrikam.example', 'bob', '{"id":"u2"}', '{"objectId":"u2"}');
  db.close();
}

describe('migration of a workspace written before refreshable snapshots', () => {
  it('keeps every snapshot whole and readable, with no deltaLinks', () => {
    const path = join(temp, 'old.scimplan');
    olderWorkspace(path);

    withStore(path, (store, projectId) => {
      expect(store.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(SNAPSHOT_DELTA_MIGRATION_VERSION);
      expect(store.listSnapshots(projectId)).toEqual([
        expect.objectContaining({ id: 1, label: 'Graph: old', userCount: 2, parentId: null, refreshable: false }),
      ]);
      expect(store.listUsers(1, '', 0, 10).items.map((u) => u.id)).toEqual(['u1', 'u2']);
      expect(store.getUser(1, 'bob@fabrikam.example')!.source).toEqual({ objectId: 'u2' });
      expect(store.getDeltaState(1)).toBeNull();
    });
  });

  it('opened read-only (report --workspace), it stays at its version and still reads every snapshot whole', () => {
    const path = join(temp, 'old-read-only.scimplan');
    olderWorkspace(path);
    const store = WorkspaceStore.open(path, { readOnly: true });
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(SNAPSHOT_DELTA_MIGRATION_VERSION - 1);
      expect(store.listSnapshots(1)).toEqual([expect.objectContaining({ id: 1, userCount: 2, parentId: null, refreshable: false })]);
      expect(store.listUsers(1, 'bob', 0, 10).items.map((u) => u.id)).toEqual(['u2']);
    } finally {
      store.close();
    }
    const reader = new SnapshotSourceReader(path);
    try {
      expect(reader.read(1).users).toEqual([{ objectId: 'u1' }, { objectId: 'u2' }]);
    } finally {
      reader.close();
    }
    const reopened = new Database(path, { readonly: true });
    expect((reopened.pragma('table_info(snapshots)') as { name: string }[]).map((c) => c.name)).not.toContain('base_id');
    reopened.close();
  });
});
