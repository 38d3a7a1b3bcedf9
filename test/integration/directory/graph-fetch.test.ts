import { readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchGraphSnapshot, fetchGraphSnapshotTracked } from '../../../electron/backend/directory/graph-fetch.ts';
import { GraphDeltaReader, readRefresh } from '../../../electron/backend/directory/graph-delta.ts';
import { storeGraphChanges } from '../../../electron/backend/directory/snapshot.ts';
import { DirectoryReadCancelledError, GraphReader, type FetchProgress } from '../../../electron/backend/directory/graph-reader.ts';
import { SnapshotWriteError } from '../../../electron/backend/workspace/snapshot-writer-thread.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import { SPAN } from '../../../electron/backend/workspace/tenant-users.ts';
import type { GraphGroup, GraphMemberRef } from '../../../shared/directory/graph-to-source.ts';
import { demoGraphData } from '../../support/fake-graph/demo-data.ts';
import { startFakeGraph, type FakeGraph, type FakeGraphData } from '../../support/fake-graph/server.ts';
import { referenceGraphSnapshot } from '../../support/directory/reference-graph-read.ts';
import { tempDir } from '../../support/temp.ts';

function readerFor(graph: FakeGraph, extra: Partial<ConstructorParameters<typeof GraphReader>[0]> = {}) {
  return new GraphReader({ graphBaseUrl: graph.baseUrl, getAccessToken: async () => graph.accessToken, ...extra });
}

/** Every row a snapshot holds, in a comparable form (the snapshot's own id left out). */
function snapshotRows(store: WorkspaceStore, snapshotId: number) {
  const rows = (sql: string) => store.db.prepare(sql).all(snapshotId);
  return {
    users: rows(
      `SELECT ordinal, id, user_principal_name, display_name, mail, department, account_enabled, user_type, search_text, raw, source
         FROM snapshot_users WHERE snapshot_id = ? ORDER BY ordinal`,
    ),
    groups: rows('SELECT ordinal, id, display_name, raw, source FROM snapshot_groups WHERE snapshot_id = ? ORDER BY ordinal'),
    memberships: rows(
      'SELECT group_id, member_id, member_type FROM snapshot_memberships WHERE snapshot_id = ? ORDER BY group_id, member_id',
    ),
    summary: store.db.prepare('SELECT label, origin, user_count, group_count FROM snapshots WHERE id = ?').get(snapshotId),
    // the Tenant table's index (tenant-users.ts): its words and its sort orders, built by the writer's seal
    tenantWords: store.db
      .prepare(`SELECT rowid - ? * ${SPAN} AS ordinal, words, facets FROM tenant_user_words WHERE rowid BETWEEN ? * ${SPAN} AND ? * ${SPAN} + ${SPAN - 1} ORDER BY rowid`)
      .all(snapshotId, snapshotId, snapshotId),
    tenantOrders: rows(
      'SELECT sort_column, position, sort_key, ordinal, account_enabled, user_type FROM tenant_user_order WHERE snapshot_id = ? ORDER BY sort_column, position',
    ),
  };
}

/**
 * The demo tenant at `users` users plus `extra` groups over them: every third one nests the one before, member lists
 * longer than a page, so groups, nested groups and members page while the users do.
 */
function generatedTenant(users: number, extra: number): FakeGraphData {
  const data = demoGraphData(users);
  const groups: GraphGroup[] = [...data.groups!];
  for (let g = 0; g < extra; g++) {
    const members: GraphMemberRef[] = data.users
      .filter((_, i) => (i + g) % (g + 2) === 0)
      .map((u) => ({ '@odata.type': '#microsoft.graph.user', id: u.id }));
    if (g % 3 === 2) members.push({ '@odata.type': '#microsoft.graph.group', id: groups.at(-1)!.id });
    groups.push({ id: `a0000000-0000-4000-8000-${String(g).padStart(12, '0')}`, displayName: `Generated ${g}`, mailNickname: `gen${g}`, securityEnabled: true, mailEnabled: false, groupTypes: [], members });
  }
  return { ...data, groups };
}

const stagingFolders = () => new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('scim-planner-fetch-')));

describe('the streamed Graph fetch', () => {
  const dir = tempDir();
  let store: WorkspaceStore;
  let projectId: number;
  beforeEach(() => {
    store = new WorkspaceStore(join(dir.path, `w-${Math.random().toString(36).slice(2)}.scimplan`));
    projectId = store.createProject('fetch').id;
  });
  afterEach(() => store.close());

  async function compareWithReference(data: FakeGraphData, assignedToAppId?: string, rowsPerLot?: number) {
    const graph = await startFakeGraph(data);
    try {
      const expected = await referenceGraphSnapshot(readerFor(graph, { pageSize: 40 }), store, projectId, {
        assignedToAppId,
        extraSelect: ['userType'],
        label: 'x',
        who: 'contoso',
      });
      const before = stagingFolders();
      const fetched = await fetchGraphSnapshot(readerFor(graph, { pageSize: 40 }), { writeInto: { path: store.path, projectId, rowsPerLot }, assignedToAppId, extraSelect: ['userType'] });
      const actual = fetched.commit(store, projectId, { tenantName: null, who: 'contoso' });
      expect([...stagingFolders()].filter((f) => !before.has(f))).toEqual([]);
      const reference = snapshotRows(store, expected.id);
      const streamed = snapshotRows(store, actual.id);
      expect(streamed.summary).toEqual(reference.summary);
      expect(streamed.users.length).toBe(reference.users.length);
      expect(streamed.users).toEqual(reference.users);
      expect(streamed.groups).toEqual(reference.groups);
      expect(streamed.memberships).toEqual(reference.memberships);
      expect(streamed.tenantWords.length).toBe(reference.users.length);
      expect(streamed.tenantWords).toEqual(reference.tenantWords);
      expect(streamed.tenantOrders.length).toBe(3 * reference.users.length);
      expect(streamed.tenantOrders).toEqual(reference.tenantOrders);
      return { reference, fetched, graph };
    } finally {
      await graph.close();
    }
  }

  it('stores the same snapshot as reading everything first, for the demo tenant', async () => {
    const { reference, fetched } = await compareWithReference(demoGraphData());
    expect(reference.users.length).toBe(200);
    expect(reference.groups.length).toBeGreaterThan(10);
    expect(fetched.summary.nestedGroups.length).toBe(1);
  });

  it('stores the same snapshot for a generated tenant with managers, nested groups and paged member lists', async () => {
    const data = generatedTenant(1_500, 45);
    const { reference, fetched } = await compareWithReference(data);
    expect(reference.users.length).toBe(1_500);
    expect(reference.groups.length).toBe(data.groups!.length);
    expect(reference.users.filter((u) => JSON.parse((u as { source: string }).source).manager).length).toBeGreaterThan(1_000);
    expect(fetched.summary.nestedGroups.map((n) => n.groupId)).toEqual(
      data.groups!.filter((g) => g.members!.some((m) => m['@odata.type'] === '#microsoft.graph.group')).map((g) => g.id),
    );
  });

  it('stores the same snapshot with "Sync only assigned users and groups", reading the assignments first', async () => {
    const data = generatedTenant(1_500, 12);
    const appId = (data.servicePrincipals![0] as { appId: string }).appId;
    const { reference } = await compareWithReference(data, appId);
    expect(reference.users.length).toBeGreaterThan(0);
    expect(reference.users.length).toBeLessThan(1_500);
    expect(reference.groups.length).toBeLessThan(data.groups!.length);
  });

  it('reads groups and their members while the users are still paging', async () => {
    const data = generatedTenant(1_500, 30);
    const graph = await startFakeGraph(data, { latencyMs: 5 });
    try {
      const fetched = await fetchGraphSnapshot(readerFor(graph, { pageSize: 40 }), { writeInto: { path: store.path, projectId } });
      fetched.discard();
      const urls = graph.requests.map((r) => r.url);
      const lastUsersPage = urls.findLastIndex((u) => u.startsWith('/v1.0/users?'));
      const firstMembers = urls.findIndex((u) => /^\/v1\.0\/groups\/[^/]+\/members/.test(u));
      expect(firstMembers).toBeGreaterThan(-1);
      expect(firstMembers).toBeLessThan(lastUsersPage);
    } finally {
      await graph.close();
    }
  });

  it('cancelled mid-fetch: no snapshot, and nothing staged is left behind', async () => {
    const graph = await startFakeGraph(generatedTenant(1_000, 10));
    try {
      const before = stagingFolders();
      const controller = new AbortController();
      const pending = fetchGraphSnapshot(readerFor(graph, { pageSize: 40 }), {
        writeInto: { path: store.path, projectId },
        signal: controller.signal,
        onProgress: (p) => p.phase === 'users' && p.fetched >= 200 && controller.abort(),
      });
      await expect(pending).rejects.toThrow(DirectoryReadCancelledError);
      expect(store.listSnapshots(projectId)).toEqual([]);
      expect(store.db.prepare('SELECT count(*) AS n FROM snapshot_users').get()).toEqual({ n: 0 });
      expect([...stagingFolders()].filter((f) => !before.has(f))).toEqual([]);
      // the users stopped at the cancel: 5 pages read, at most the one in flight after them
      expect(graph.requests.filter((r) => r.url.startsWith('/v1.0/users?')).length).toBeLessThanOrEqual(6);
    } finally {
      await graph.close();
    }
  });

  describe('the writer thread', () => {
    const count = (table: string) => store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

    it('writes users and member lists longer than a lot in several lots, and stores the same snapshot', async () => {
      const data = generatedTenant(1_500, 12);
      // lots of 100: 15 of users, and the longest member lists (750 members) in 8
      expect(Math.max(...data.groups!.map((g) => g.members!.length))).toBeGreaterThan(700);
      const { reference } = await compareWithReference(data, undefined, 100);
      expect(reference.memberships.length).toBeGreaterThan(3_000);
    });

    it('cancelled while its lots are being written: they are deleted, and the workspace takes a write at once', async () => {
      const graph = await startFakeGraph(generatedTenant(1_000, 10));
      try {
        const controller = new AbortController();
        let writtenAtCancel = 0;
        const pending = fetchGraphSnapshot(readerFor(graph, { pageSize: 40 }), {
          // lots of 100 users: several are committed (out of sight) before the cancel
          writeInto: { path: store.path, projectId, rowsPerLot: 100 },
          signal: controller.signal,
          onProgress: (p) => {
            if (p.phase !== 'users' || p.fetched < 600 || controller.signal.aborted) return;
            writtenAtCancel = count('snapshot_users');
            controller.abort();
          },
        });
        await expect(pending).rejects.toThrow(DirectoryReadCancelledError);
        // at most 4 pages wait for the writer and 99 users for their lot: of 600, some lots were in
        expect(writtenAtCancel).toBeGreaterThanOrEqual(600 - 4 * 40 - 40 - 99);
        expect(count('snapshots')).toBe(0);
        expect(count('snapshot_users')).toBe(0);
        expect(count('snapshot_groups')).toBe(0);
        expect(count('snapshot_memberships')).toBe(0);
        // the writer's connection is closed and holds no lock: an immediate write transaction gets it
        store.db.pragma('busy_timeout = 0');
        expect(store.saveMappingRevision(projectId, 'after the cancel', '{}').label).toBe('after the cancel');
      } finally {
        await graph.close();
      }
    });

    it('failing part-way stops the read with an error naming the workspace and the cause, and leaves no snapshot', async () => {
      const data = generatedTenant(1_000, 10);
      const refused = data.users[500]!.id;
      // a real SQLite failure in the writer's lot: the workspace refuses one user's row
      store.db.exec(`CREATE TRIGGER refuse_one BEFORE INSERT ON snapshot_users WHEN NEW.id = '${refused}'
                       BEGIN SELECT RAISE(ABORT, 'the disk refused this row'); END`);
      const graph = await startFakeGraph(data);
      try {
        const fetching = fetchGraphSnapshot(readerFor(graph, { pageSize: 40 }), { writeInto: { path: store.path, projectId, rowsPerLot: 100 } });
        await expect(fetching).rejects.toThrow(SnapshotWriteError);
        await expect(fetching).rejects.toThrow(
          `Writing the snapshot into ${store.path} failed: the disk refused this row The read was stopped and nothing was kept.`,
        );
        expect(count('snapshots')).toBe(0);
        expect(count('snapshot_users')).toBe(0);
        expect(count('snapshot_memberships')).toBe(0);
        // the read stopped soon after the refused lot (user 501 of 1,000): not every page of 40 was asked for
        expect(graph.requests.filter((r) => r.url.startsWith('/v1.0/users?')).length).toBeLessThan(1_000 / 40);
      } finally {
        store.db.exec('DROP TRIGGER refuse_one');
        await graph.close();
      }
    });

    it('a file that is not a workspace: the fetch fails with the workspace\'s own error before asking Graph anything', async () => {
      const graph = await startFakeGraph(demoGraphData());
      try {
        const notes = join(dir.path, 'notes.scimplan');
        writeFileSync(notes, 'not a database');
        await expect(fetchGraphSnapshot(readerFor(graph), { writeInto: { path: notes, projectId } })).rejects.toMatchObject({
          name: 'WorkspaceError',
          message: expect.stringContaining(notes),
        });
        expect(graph.requests).toEqual([]);
      } finally {
        await graph.close();
      }
    });
  });

  it('a failure on a later page stores nothing, even though earlier pages were staged', async () => {
    const graph = await startFakeGraph(generatedTenant(1_000, 10));
    try {
      graph.injectFault({ path: /^\/v1\.0\/users$/, after: 10, status: 500 });
      const before = stagingFolders();
      await expect(fetchGraphSnapshot(readerFor(graph, { pageSize: 40 }), { writeInto: { path: store.path, projectId } })).rejects.toThrow(/500/);
      expect(store.listSnapshots(projectId)).toEqual([]);
      expect([...stagingFolders()].filter((f) => !before.has(f))).toEqual([]);
    } finally {
      await graph.close();
    }
  });

  it('a group deleted while its member list is read (404 on a later page): kept with no members, its pages read so far dropped', async () => {
    const data = generatedTenant(1_000, 10);
    const longest = data.groups!.reduce((a, b) => (b.members!.length > a.members!.length ? b : a));
    const graph = await startFakeGraph(data);
    try {
      // pages of 40: the 404 comes on the fourth page of the longest list
      graph.injectFault({ path: new RegExp(`^/v1\\.0/groups/${longest.id}/members$`), after: 3, status: 404 });
      const fetched = await fetchGraphSnapshot(readerFor(graph, { pageSize: 40 }), { writeInto: { path: store.path, projectId } });
      const snapshot = fetched.commit(store, projectId, { tenantName: null, who: 'contoso' });
      const row = store.db.prepare('SELECT raw, source FROM snapshot_groups WHERE snapshot_id = ? AND id = ?').get(snapshot.id, longest.id) as { raw: string; source: string };
      expect(JSON.parse(row.raw)).toMatchObject({ id: longest.id, displayName: longest.displayName, members: [] });
      expect(JSON.parse(row.source)).toMatchObject({ objectId: longest.id, members: [] });
      const members = store.db.prepare('SELECT group_id, count(*) AS n FROM snapshot_memberships WHERE snapshot_id = ? GROUP BY group_id').all(snapshot.id) as { group_id: string; n: number }[];
      expect(members.find((m) => m.group_id === longest.id)).toBeUndefined();
      expect(members.length).toBe(data.groups!.filter((g) => g.id !== longest.id && g.members!.length > 0).length);
      expect(snapshot).toMatchObject({ userCount: 1_000, groupCount: data.groups!.length });
    } finally {
      await graph.close();
    }
  });

  it('honours a 429 Retry-After in the middle of the users and of a member list, and still stores every row', async () => {
    const data = generatedTenant(1_000, 10);
    const graph = await startFakeGraph(data);
    try {
      graph.injectFault({ path: /^\/v1\.0\/users$/, after: 5, status: 429, retryAfterSeconds: 7 });
      graph.injectFault({ path: /^\/v1\.0\/groups\/[^/]+\/members$/, after: 3, status: 429, retryAfterSeconds: 2 });
      const waits: number[] = [];
      const progress: FetchProgress[] = [];
      const fetched = await fetchGraphSnapshot(readerFor(graph, { pageSize: 40, sleep: async (ms) => void waits.push(ms) }), {
        writeInto: { path: store.path, projectId },
        onProgress: (p) => progress.push(p),
      });
      const snapshot = fetched.commit(store, projectId, { tenantName: null, who: 'contoso' });
      expect(waits.sort((a, b) => a - b)).toEqual([2000, 7000]);
      expect(progress.some((p) => p.phase === 'users' && p.retryInSeconds === 7)).toBe(true);
      const pages = graph.requests.filter((r) => r.url.startsWith('/v1.0/users?'));
      const throttled = pages.findIndex((r) => r.status === 429);
      expect(pages[throttled + 1]).toMatchObject({ url: pages[throttled]!.url, status: 200 });
      expect(snapshot).toMatchObject({ userCount: 1_000, groupCount: data.groups!.length });
    } finally {
      await graph.close();
    }
  });

  describe('kept for Graph delta (refresh after a streamed fetch)', () => {
    const layerRow = (snapshotId: number) =>
      store.db.prepare('SELECT parent_id, base_id, retained, delta_state FROM snapshots WHERE id = ?').get(snapshotId) as {
        parent_id: number | null;
        base_id: number | null;
        retained: number;
        delta_state: string | null;
      };

    it('stores a whole base snapshot with the deltaLinks taken before any user or group page, and refreshes on top of it', async () => {
      const data = generatedTenant(300, 6);
      const graph = await startFakeGraph(data);
      try {
        const options = { graphBaseUrl: graph.baseUrl, getAccessToken: async () => graph.accessToken, pageSize: 40 };
        const reader = new GraphReader(options);
        const deltaReader = new GraphDeltaReader(options);
        const fetched = await fetchGraphSnapshotTracked(reader, deltaReader, { writeInto: { path: store.path, projectId }, extraSelect: ['userType'] });
        const base = fetched.commit(store, projectId, { tenantName: null, who: 'contoso' });
        expect(base).toMatchObject({ parentId: null, refreshable: true, userCount: 300 });
        const row = layerRow(base.id);
        expect(row).toMatchObject({ parent_id: null, base_id: null, retained: 0 });
        expect(JSON.parse(row.delta_state!)).toMatchObject({ users: expect.stringMatching(/\/users\/delta\?/), groups: expect.stringMatching(/\/groups\/delta\?/) });
        const urls = graph.requests.map((r) => r.url);
        const latest = urls.findIndex((u) => u.startsWith('/v1.0/groups/delta'));
        expect(latest).toBeGreaterThan(urls.findIndex((u) => u.startsWith('/v1.0/users/delta')));
        expect(latest).toBeLessThan(urls.findIndex((u) => u.startsWith('/v1.0/users?')));
        expect(latest).toBeLessThan(urls.findIndex((u) => u.startsWith('/v1.0/groups?')));

        const edited = data.users[7]!;
        graph.tenant.updateUser(edited.id, { department: 'After the streamed fetch' });
        const read = await readRefresh(deltaReader, store.getDeltaState(base.id)!, {}, () => {
          throw new Error('the deltaLink was refused');
        });
        if (read.kind !== 'changes') throw new Error('the deltaLink was refused');
        const child = storeGraphChanges(store, base.id, read.changes, 'refreshed');
        expect(child).toMatchObject({ parentId: base.id, userCount: 300, groupCount: data.groups!.length });
        expect(layerRow(child.id)).toMatchObject({ parent_id: base.id, base_id: base.id });
        expect(store.getUser(child.id, edited.id)!.source.department).toBe('After the streamed fetch');
        expect(store.getUser(base.id, edited.id)!.source.department).toBe(edited.department ?? null);
        expect(store.listUsers(child.id, '', 0, 1000).items.map((u) => u.id)).toEqual(data.users.map((u) => u.id));
        expect(store.listMemberships(child.id)).toEqual(store.listMemberships(base.id));
      } finally {
        await graph.close();
      }
    });

    it('keeps no deltaLinks for a read limited to an app\'s assignments', async () => {
      const data = demoGraphData();
      const graph = await startFakeGraph(data);
      try {
        const options = { graphBaseUrl: graph.baseUrl, getAccessToken: async () => graph.accessToken };
        const appId = (data.servicePrincipals![0] as { appId: string }).appId;
        const fetched = await fetchGraphSnapshotTracked(new GraphReader(options), new GraphDeltaReader(options), { writeInto: { path: store.path, projectId }, assignedToAppId: appId });
        const snapshot = fetched.commit(store, projectId, { tenantName: null, who: 'contoso' });
        expect(snapshot).toMatchObject({ refreshable: false, parentId: null });
        expect(layerRow(snapshot.id)).toMatchObject({ base_id: null, delta_state: null });
        expect(graph.requests.some((r) => r.url.includes('/delta'))).toBe(false);
      } finally {
        await graph.close();
      }
    });
  });
});
