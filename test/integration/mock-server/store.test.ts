import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFilter } from '../../../shared/scim/filter.ts';
import { prepareMockServerSchema, configureMockServerDatabase, LOOKUP_SQL, MockStore } from '../../../electron/backend/mock-server/store.ts';

let dir: string;
let db: Database.Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mock-store-'));
  db = new Database(join(dir, 'mock.sqlite'));
  configureMockServerDatabase(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('x') as { detail: string }[]).map((r) => r.detail).join(' | ');
const entra = (text: string) => parseFilter(text, { entraForms: true });

describe('mock server store', () => {
  it('creates its STRICT mock_ tables idempotently', () => {
    prepareMockServerSchema(db);
    prepareMockServerSchema(db);
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string; sql: string }[];
    expect(tables.map((t) => t.name)).toEqual(['mock_group_members', 'mock_groups', 'mock_request_log', 'mock_settings', 'mock_users']);
    for (const table of tables) expect(table.sql).toMatch(/STRICT/);
  });

  it('answers the matching queries through indexes (EXPLAIN QUERY PLAN)', () => {
    prepareMockServerSchema(db);
    for (const sql of [...Object.values(LOOKUP_SQL.users), ...Object.values(LOOKUP_SQL.groups), LOOKUP_SQL.membersOfGroup]) {
      expect(plan(sql), sql).toMatch(/^SEARCH \w+ USING (COVERING INDEX|INDEX|PRIMARY KEY|INTEGER PRIMARY KEY)/);
    }
  });

  it('matches userName case-insensitively and externalId case-exactly via the indexed columns', () => {
    const store = new MockStore(db);
    store.createUser({ userName: 'Adele@Contoso.test', externalId: 'Adele-1', emails: [{ type: 'work', value: 'Adele.V@Contoso.test' }] });
    const find = (filter: string) => store.listUsers({ filter: entra(filter), startIndex: 1, count: 10 }).total;
    expect(find('userName eq "adele@contoso.TEST"')).toBe(1);
    expect(find('externalId eq "Adele-1"')).toBe(1);
    expect(find('externalId eq "adele-1"')).toBe(0);
    expect(find('emails[type eq "work"].value eq "adele.v@contoso.test"')).toBe(1);
    expect(find('emails[type eq "work" and value eq "ADELE.V@contoso.test"]')).toBe(1);
    expect(find('userName eq "adele@contoso.test" or userName eq "nobody"')).toBe(1);
  });

  it('refuses a second userName differing only in case with 409 uniqueness', () => {
    const store = new MockStore(db);
    store.createUser({ userName: 'dup@contoso.test' });
    expect(() => store.createUser({ userName: 'DUP@contoso.test' })).toThrow(/already exists/);
  });

  it('writes only changed membership rows and drops a deleted user from every group', () => {
    const store = new MockStore(db);
    const a = store.createUser({ userName: 'a@contoso.test' });
    const b = store.createUser({ userName: 'b@contoso.test' });
    const group = store.createGroup({ displayName: 'Sales', members: [{ value: a.id }, { value: b.id }] });
    const positions = () => db.prepare('SELECT value, position FROM mock_group_members ORDER BY position').all();
    const before = positions();
    store.replaceGroup(String(group.id), { displayName: 'Sales', members: [{ value: a.id }, { value: b.id, display: 'B' }] });
    expect(positions()).toEqual(before);
    store.deleteUser(String(a.id));
    expect(store.getGroup(String(group.id))!.members).toEqual([{ value: b.id, display: 'B' }]);
  });

  it('pages unfiltered lists in creation order', () => {
    const store = new MockStore(db);
    for (let i = 0; i < 5; i++) store.createUser({ userName: `u${i}@contoso.test` });
    const page = store.listUsers({ startIndex: 2, count: 2 });
    expect(page.total).toBe(5);
    expect(page.resources.map((r) => r.userName)).toEqual(['u1@contoso.test', 'u2@contoso.test']);
  });
});
