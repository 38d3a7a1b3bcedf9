import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TenantUserFilter, TenantUserSort, UserRow } from '../../../shared/api.ts';
import { APPLICATION_IDS } from '../../../electron/backend/sqlite-file.ts';
import { migrations } from '../../../electron/backend/workspace/migrations.ts';
import { TENANT_SEARCH_MIGRATION_VERSION } from '../../../electron/backend/workspace/migrations/tenant-search.ts';
import { TENANT_SORT_POSITIONS_MIGRATION_VERSION } from '../../../electron/backend/workspace/migrations/tenant-sort-positions.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import { wordQuery } from '../../../electron/backend/workspace/tenant-users.ts';

const temp = mkdtempSync(join(tmpdir(), 'tenant-users-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
let files = 0;
const workspacePath = () => join(temp, `w${++files}.scimplan`);

type Raw = { id: string; displayName: string | null; userPrincipalName: string; mail: string | null; department: string | null; accountEnabled: boolean | null; userType: string };

const FIRST = ['Adele', 'alex', 'Megan', 'Nestor', 'Lidia', 'Diego', 'Patti', 'Isaiah', 'Joni', 'Lynne'];
const LAST = ['Vance', 'Wilber', 'Bowen', 'Wilke', 'Holloway', 'Siciliani', 'Fernandez', 'Langer', 'Sherman', 'Robbins'];
const DEPARTMENTS = ['Sales', 'sales operations', 'Research', 'Finance', null];

function person(i: number, overrides: Partial<Raw> = {}): Raw {
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[Math.floor(i / 3) % LAST.length]!;
  return {
    id: `u${i}`,
    displayName: i % 23 === 5 ? null : `${first} ${last}`,
    userPrincipalName: `${first}.${last}${i}@contoso.com`.toLowerCase(),
    mail: i % 11 === 0 ? null : `${first}.${last}@contoso.com`,
    department: DEPARTMENTS[i % DEPARTMENTS.length]!,
    accountEnabled: i % 13 === 0 ? null : i % 4 !== 0,
    userType: i % 7 === 3 ? 'Guest' : 'Member',
    ...overrides,
  };
}
const input = (raw: Raw) => ({ raw: raw as unknown as Record<string, unknown>, source: { objectId: raw.id } });

/** What the Tenant table promises, computed in memory: the start of words, every filter, a case-insensitive sort. */
function expected(users: Raw[], search: string, filters: TenantUserFilter[], sort?: TenantUserSort): string[] {
  const terms = (search.toLowerCase().match(/[a-z0-9]+/g) ?? []) as string[];
  const holds: Record<TenantUserFilter, (u: Raw) => boolean> = {
    enabled: (u) => u.accountEnabled === true,
    disabled: (u) => u.accountEnabled === false,
    member: (u) => u.userType !== 'Guest',
    guest: (u) => u.userType === 'Guest',
  };
  const rows = users
    .map((u, ordinal) => ({ u, ordinal }))
    .filter(({ u }) => {
      const words = [u.displayName, u.userPrincipalName, u.mail, u.department].join(' ').toLowerCase().match(/[a-z0-9]+/g) ?? [];
      return terms.every((t) => words.some((w) => w.startsWith(t))) && filters.every((f) => holds[f](u));
    });
  if (sort) {
    const sign = sort.direction === 'descending' ? -1 : 1;
    // a user without the value sorts as an empty one: first when ascending
    const key = (u: Raw) => String(u[sort.by] ?? '').toLowerCase();
    rows.sort((a, b) => {
      const ka = key(a.u);
      const kb = key(b.u);
      const byKey = ka === kb ? 0 : ka < kb ? -1 : 1;
      return sign * (byKey || a.ordinal - b.ordinal);
    });
  }
  return rows.map(({ u }) => u.id);
}

const VIEWS: { search: string; filters: TenantUserFilter[]; sort?: TenantUserSort }[] = [
  { search: '', filters: [] },
  { search: 'megan', filters: [] },
  { search: 'SAL', filters: [] },
  { search: 'sales op', filters: [] },
  { search: 'contoso', filters: ['disabled'] },
  { search: '', filters: ['guest'] },
  { search: '', filters: ['enabled', 'member'] },
  { search: '', filters: [], sort: { by: 'displayName', direction: 'ascending' } },
  { search: '', filters: [], sort: { by: 'userPrincipalName', direction: 'descending' } },
  { search: '', filters: ['disabled'], sort: { by: 'department', direction: 'ascending' } },
  { search: 'wil', filters: ['member'], sort: { by: 'department', direction: 'descending' } },
  { search: 'nobody-here', filters: [] },
];

const ids = (rows: UserRow[]) => rows.map((r) => r.id);

/** Every page of the view, one `limit` at a time: paging must neither skip nor repeat a user. */
function pagedIds(store: WorkspaceStore, snapshotId: number, view: (typeof VIEWS)[number], limit: number): { total: number; ids: string[] } {
  const all: string[] = [];
  let total = 0;
  for (let offset = 0; ; offset += limit) {
    const page = store.listUsers(snapshotId, view.search, offset, limit, { filters: view.filters, sort: view.sort });
    total = page.total;
    all.push(...ids(page.items));
    if (page.items.length < limit) break;
  }
  return { total, ids: all };
}

describe('the Tenant table at scale: search, filters, sort and paging from the backend', () => {
  it('a whole snapshot answers every view as the in-memory reference, page by page', () => {
    const store = new WorkspaceStore(workspacePath());
    const users = Array.from({ length: 240 }, (_, i) => person(i));
    const snapshot = store.addSnapshot({ projectId: store.createProject('p').id, label: 'whole', origin: 'json', users: users.map(input) });
    for (const view of VIEWS) {
      const want = expected(users, view.search, view.filters, view.sort);
      expect(pagedIds(store, snapshot.id, view, 37), JSON.stringify(view)).toEqual({ total: want.length, ids: want });
    }
    // a jump straight to a position reads the same rows as paging up to it
    expect(ids(store.listUsers(snapshot.id, '', 200, 5).items)).toEqual(users.slice(200, 205).map((u) => u.id));
    expect(store.listUsers(snapshot.id, '', 240, 5).items).toEqual([]);
    store.close();
  });

  it('a refreshed snapshot (rows shared with its base) gives the same answers as the same users written whole', () => {
    const store = new WorkspaceStore(workspacePath());
    const projectId = store.createProject('p').id;
    const base = store.addSnapshot({ projectId, label: 'base', origin: 'graph', users: Array.from({ length: 200 }, (_, i) => input(person(i))) });
    const deltaState = { users: 'https://graph/delta?u', groups: 'https://graph/delta?g', directoryExtensions: [] };
    const first = store.refreshSnapshot(base.id, { label: 'refresh 1', deltaState }, (w) => {
      for (const i of [0, 1, 17, 99, 150, 199]) w.removeUser(`u${i}`);
      for (const i of [2, 40, 41]) w.putUser(input(person(i, { displayName: `Renamed Zed${i}`, department: 'Research', userType: 'Guest' })).raw, { objectId: `u${i}` });
      for (const i of [300, 301, 302]) w.putUser(input(person(i)).raw, { objectId: `u${i}` });
    });
    // a refresh of a refresh keeps the same base and carries the own rows forward
    const second = store.refreshSnapshot(first.id, { label: 'refresh 2', deltaState }, (w) => {
      w.removeUser('u301');
      w.removeUser('u50');
      w.putUser(input(person(17, { displayName: 'Back Again' })).raw, { objectId: 'u17' });
      w.putUser(input(person(303, { accountEnabled: false })).raw, { objectId: 'u303' });
    });
    for (const refreshed of [first, second]) {
      const inOrder = store.listUsers(refreshed.id, '', 0, 1000).items.map((row) => store.getUser(refreshed.id, row.id)!.raw as unknown as Raw);
      expect(inOrder).toHaveLength(refreshed.userCount);
      const whole = store.addSnapshot({ projectId, label: `whole of ${refreshed.label}`, origin: 'json', users: inOrder.map(input) });
      for (const view of VIEWS) {
        const want = expected(inOrder, view.search, view.filters, view.sort);
        const layered = pagedIds(store, refreshed.id, view, 23);
        expect(layered, `${refreshed.label} ${JSON.stringify(view)}`).toEqual({ total: want.length, ids: want });
        expect(pagedIds(store, whole.id, view, 23)).toEqual(layered);
      }
      // every position of the layered snapshot, jumped to directly
      for (const offset of [0, 1, 15, 16, 97, 150, refreshed.userCount - 3, refreshed.userCount - 1]) {
        expect(ids(store.listUsers(refreshed.id, '', offset, 3).items), `${refreshed.label} at ${offset}`).toEqual(
          inOrder.slice(offset, offset + 3).map((u) => u.id),
        );
      }
    }
    expect(store.listUsers(second.id, 'back again', 0, 10).items.map((u) => u.id)).toEqual(['u17']);
    expect(store.listUsers(base.id, 'back again', 0, 10).total).toBe(0);
    store.close();
  });

  it('matches the start of words, accents and case aside; a search with no letter or digit matches a substring', () => {
    const store = new WorkspaceStore(workspacePath());
    const snapshot = store.addSnapshot({
      projectId: store.createProject('p').id,
      label: 's',
      origin: 'json',
      users: [
        input(person(1, { id: 'a', displayName: 'Ana Núñez' })),
        input(person(2, { id: 'b', displayName: 'Banana Split' })),
        input(person(3, { id: 'c', userPrincipalName: 'c_100%@contoso.com' })),
      ],
    });
    const found = (search: string) => ids(store.listUsers(snapshot.id, search, 0, 10).items);
    expect(found('ana')).toEqual(['a']); // "Banana" does not start with "ana"
    expect(found('NUNEZ')).toEqual(['a']);
    expect(found('núñ')).toEqual(['a']);
    expect(found('ban spl')).toEqual(['b']);
    expect(found('%')).toEqual(['c']);
    expect(wordQuery('  "x" y-z ')).toBe('"x"* AND "y"* AND "z"*');
    expect(wordQuery('%_')).toBeNull();
    store.close();
  });

  it('a deleted snapshot takes its words and sort orders with it; a snapshot that reuses its id finds only its own users', () => {
    const store = new WorkspaceStore(workspacePath());
    const projectId = store.createProject('p').id;
    const first = store.addSnapshot({ projectId, label: 'a', origin: 'json', users: [input(person(0, { displayName: 'Only Once' }))] });
    const words = () => store.db.prepare('SELECT count(*) FROM tenant_user_words WHERE tenant_user_words MATCH ?').pluck().get('once') as number;
    expect(words()).toBe(1);
    store.deleteSnapshot(first.id);
    expect(words()).toBe(0);
    expect(store.db.prepare('SELECT count(*) FROM tenant_user_order WHERE snapshot_id = ?').pluck().get(first.id)).toBe(0);
    const again = store.addSnapshot({ projectId, label: 'b', origin: 'json', users: [input(person(1))] });
    expect(again.id).toBe(first.id);
    expect(store.listUsers(again.id, 'once', 0, 10).total).toBe(0);
    store.close();
  });

  it('pages, sorts and filters from indexes, never by scanning the users', () => {
    const store = new WorkspaceStore(workspacePath());
    const users = Array.from({ length: 50 }, (_, i) => input(person(i)));
    const snapshot = store.addSnapshot({ projectId: store.createProject('p').id, label: 's', origin: 'json', users });
    const plans: string[] = [];
    const prepare = store.db.prepare.bind(store.db);
    // every statement the Tenant table prepares, with its query plan
    store.db.prepare = ((sql: string) => {
      const statement = prepare(sql);
      if (/tenant_user_words|tenant_user_order|snapshot_users/.test(sql) && !/^\s*INSERT/.test(sql)) plans.push(sql);
      return statement;
    }) as typeof store.db.prepare;
    store.listUsers(snapshot.id, '', 30, 10);
    store.listUsers(snapshot.id, 'megan', 0, 10, { filters: ['guest'] });
    store.listUsers(snapshot.id, '', 10, 10, { filters: ['disabled'], sort: { by: 'displayName', direction: 'descending' } });
    store.listUsers(snapshot.id, '', 20, 10, { sort: { by: 'department', direction: 'descending' } });
    store.db.prepare = prepare;
    const details = plans.flatMap((sql) => {
      const params = { own: snapshot.id, base: null, ownLo: 0, baseLo: null, match: 'x', from: 0, to: 1, limit: 1, offset: 0, position: 0, sortColumn: 0 };
      const needed = Object.fromEntries(Object.entries(params).filter(([k]) => sql.includes(`@${k}`)));
      const plan = store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
      const positional = (sql.match(/\?/g) ?? []).map(() => snapshot.id);
      const rows = (positional.length ? plan.all(...positional) : plan.all(needed)) as { detail: string }[];
      return rows.map((r) => r.detail);
    });
    expect(details.some((d) => /^SEARCH u USING PRIMARY KEY \(snapshot_id=\? AND sort_column=\?\)/.test(d))).toBe(true);
    expect(details.some((d) => /VIRTUAL TABLE INDEX/.test(d))).toBe(true);
    // a whole snapshot sorted, unfiltered: a range of positions, whatever the page's depth
    expect(details.some((d) => /USING PRIMARY KEY \(snapshot_id=\? AND sort_column=\? AND position>\? AND position<\?\)/.test(d))).toBe(true);
    for (const detail of details) expect(detail).not.toMatch(/^SCAN (u|snapshot_users|tenant_user_order)\b(?! USING)/);
    store.close();
  });
});

/** Brings a workspace file to `version` with the migrations up to it, as the app of that version left it. */
function migrateTo(db: Database.Database, version: number): void {
  const from = db.pragma('user_version', { simple: true }) as number;
  db.transaction(() => {
    for (const m of migrations.filter((m) => m.version > from && m.version <= version)) m.up(db);
    db.pragma(`user_version = ${version}`);
    db.pragma(`application_id = ${APPLICATION_IDS.workspace}`);
  })();
}

describe("a capped count (a search's first page at once, its exact count after)", () => {
  it('counts past the cap and the page only, a lower bound flagged counting, the page as the exact one; exact under the cap', () => {
    const store = new WorkspaceStore(workspacePath());
    const projectId = store.createProject('p').id;
    const users = Array.from({ length: 240 }, (_, i) => person(i));
    const whole = store.addSnapshot({ projectId, label: 'whole', origin: 'json', users: users.map(input) });
    const deltaState = { users: 'https://graph/delta?u', groups: 'https://graph/delta?g', directoryExtensions: [] };
    const refreshed = store.refreshSnapshot(whole.id, { label: 'refresh', deltaState }, (w) => {
      for (const i of [0, 3, 90]) w.removeUser(`u${i}`);
      for (const i of [300, 301]) w.putUser(input(person(i)).raw, { objectId: `u${i}` });
    });
    // a word, a word with a filter and a sort, and a search with no letter (a substring, read row by row)
    const views = [
      { search: 'contoso', filters: [] },
      { search: 'contoso', filters: ['member'], sort: { by: 'displayName', direction: 'descending' } },
      { search: '@', filters: [] },
    ] satisfies { search: string; filters: TenantUserFilter[]; sort?: TenantUserSort }[];
    for (const snapshot of [whole, refreshed]) {
      for (const view of views) {
        const label = `${snapshot.label} ${JSON.stringify(view)}`;
        const exact = store.listUsers(snapshot.id, view.search, 0, 20, view);
        expect(exact.total, label).toBeGreaterThan(60);
        expect(exact, label).not.toHaveProperty('counting');
        const capped = store.listUsers(snapshot.id, view.search, 0, 20, { ...view, countLimit: 50 });
        expect(capped, label).toEqual({ total: 51, counting: true, offset: 0, items: exact.items });
        // a page past the cap counts up to its own end
        const deep = store.listUsers(snapshot.id, view.search, 40, 20, { ...view, countLimit: 50 });
        expect(deep.total, label).toBe(61);
        expect(deep.items, label).toEqual(store.listUsers(snapshot.id, view.search, 40, 20, view).items);
        // a cap the matches fit under: the exact count
        expect(store.listUsers(snapshot.id, view.search, 0, 20, { ...view, countLimit: exact.total })).toEqual(exact);
      }
    }
    store.close();
  });
});

describe('migration 11: the Tenant table indexes of a workspace written before them', () => {
  it('indexes the snapshots already stored, so they are searched by word and sorted', () => {
    const path = workspacePath();
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    migrateTo(db, TENANT_SEARCH_MIGRATION_VERSION - 1);
    db.close();
    // written with the store of that time: no word index yet
    const older = new Database(path);
    older.prepare("INSERT INTO projects (name, created_at) VALUES ('Fabrikam', '2025-06-01')").run();
    older.prepare("INSERT INTO snapshots (project_id, label, origin, fetched_at, user_count, group_count) VALUES (1, 'old', 'graph', '2025-06-02', 2, 0)").run();
    const insert = older.prepare(
      'INSERT INTO snapshot_users (snapshot_id, ordinal, id, user_principal_name, display_name, search_text, raw, source) VALUES (1, ?, ?, ?, ?, ?, ?, ?)',
    );
    insert.run(0, 'u1', 'zoe@fabrikam.example', 'Zoe Adams', 'zoe', '{"id":"u1"}', '{}');
    insert.run(1, 'u2', 'ann@fabrikam.example', 'Ann Brown', 'ann', '{"id":"u2"}', '{}');
    older.close();

    const store = new WorkspaceStore(path);
    expect(store.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(TENANT_SEARCH_MIGRATION_VERSION);
    expect(ids(store.listUsers(1, 'brow', 0, 10).items)).toEqual(['u2']);
    expect(ids(store.listUsers(1, '', 0, 10, { sort: { by: 'displayName', direction: 'ascending' } }).items)).toEqual(['u2', 'u1']);
    store.close();
  });
});

describe('migration 12: the sort orders keyed by position alone', () => {
  it('keeps every sort order of a workspace indexed by migration 11, in one B-tree, and the Tenant table sorts as before', () => {
    const path = workspacePath();
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    migrateTo(db, TENANT_SEARCH_MIGRATION_VERSION - 1);
    db.transaction(() => {
      db.prepare("INSERT INTO projects (name, created_at) VALUES ('Fabrikam', '2025-06-01')").run();
      db.prepare("INSERT INTO snapshots (project_id, label, origin, fetched_at, user_count, group_count) VALUES (1, 'old', 'graph', '2025-06-02', 3, 0)").run();
      const insert = db.prepare(
        `INSERT INTO snapshot_users (snapshot_id, ordinal, id, user_principal_name, display_name, department, account_enabled, search_text, raw, source)
         VALUES (1, ?, ?, ?, ?, ?, ?, '', '{}', '{}')`,
      );
      insert.run(0, 'u1', 'zoe@fabrikam.example', 'Zoe Adams', 'sales', 1);
      insert.run(1, 'u2', 'ann@fabrikam.example', 'ann Brown', null, 0);
      insert.run(2, 'u3', 'bob@fabrikam.example', 'Bob Chen', 'Research', 1);
    })();
    // migration 11 indexes the snapshot already stored, in its own layout (a primary key on the sort key)
    migrateTo(db, TENANT_SEARCH_MIGRATION_VERSION);
    const orderRows = (d: Database.Database) =>
      d.prepare('SELECT snapshot_id, sort_column, position, sort_key, ordinal, account_enabled, user_type FROM tenant_user_order ORDER BY 1, 2, 3').all();
    const before = orderRows(db);
    expect(before).toHaveLength(9);
    db.close();

    const store = new WorkspaceStore(path);
    expect(store.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(TENANT_SORT_POSITIONS_MIGRATION_VERSION);
    expect(orderRows(store.db)).toEqual(before);
    // one B-tree: the table's key is the position, and the index that migration 11 kept beside it is gone
    const indexes = store.db.prepare("SELECT name, origin FROM pragma_index_list('tenant_user_order')").all();
    expect(indexes).toEqual([{ name: 'sqlite_autoindex_tenant_user_order_1', origin: 'pk' }]);
    expect(store.db.prepare("SELECT name FROM pragma_index_info('sqlite_autoindex_tenant_user_order_1')").pluck().all()).toEqual(['snapshot_id', 'sort_column', 'position']);
    const sorted = (by: TenantUserSort['by'], direction: TenantUserSort['direction'], filters: TenantUserFilter[] = []) =>
      ids(store.listUsers(1, '', 0, 10, { filters, sort: { by, direction } }).items);
    expect(sorted('displayName', 'ascending')).toEqual(['u2', 'u3', 'u1']);
    expect(sorted('department', 'descending')).toEqual(['u1', 'u3', 'u2']);
    expect(sorted('userPrincipalName', 'descending', ['enabled'])).toEqual(['u1', 'u3']);
    // a snapshot written after the migration is indexed in the new layout and deleted with its orders
    const later = store.addSnapshot({ projectId: 1, label: 'new', origin: 'json', users: [input(person(4)), input(person(5))] });
    expect(store.db.prepare('SELECT count(*) FROM tenant_user_order WHERE snapshot_id = ?').pluck().get(later.id)).toBe(6);
    store.deleteSnapshot(later.id);
    expect(store.db.prepare('SELECT count(*) FROM tenant_user_order WHERE snapshot_id = ?').pluck().get(later.id)).toBe(0);
    store.close();
  });
});

describe('indexing a snapshot for the Tenant table', () => {
  it('keeps the keys in a temporary table it drops, and puts the page cache sizes back', () => {
    const store = new WorkspaceStore(workspacePath());
    const before = store.db.pragma('cache_size', { simple: true });
    const snapshot = store.addSnapshot({ projectId: store.createProject('p').id, label: 's', origin: 'json', users: [input(person(0)), input(person(1))] });
    expect(store.db.pragma('cache_size', { simple: true })).toBe(before);
    expect(store.db.prepare("SELECT count(*) FROM temp.sqlite_master WHERE name = 'tenant_user_keys'").pluck().get()).toBe(0);
    expect(store.db.pragma('temp.cache_size', { simple: true })).toBe(-2000);
    expect(store.listUsers(snapshot.id, 'adele', 0, 10).total).toBe(1);
    expect(store.db.prepare('SELECT count(*) FROM tenant_user_order WHERE snapshot_id = ?').pluck().get(snapshot.id)).toBe(6);
    store.close();
  });
});
