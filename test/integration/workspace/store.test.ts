import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import { openWorkspaceDatabase, WorkspaceError } from '../../../electron/backend/workspace/db.ts';
import { LATEST_VERSION, migrations, assertMigrationOrder } from '../../../electron/backend/workspace/migrations.ts';
import { ensureDemoProject, DEMO_PROJECT_NAME } from '../../../electron/backend/workspace/demo-tenant.ts';
import { tempDir } from '../../support/temp.ts';

const dirs: { cleanup(): void }[] = [];
function workspacePath(): string {
  const dir = tempDir();
  dirs.push(dir);
  return join(dir.path, 'test.scimplan');
}
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

function user(id: string, extra: Record<string, unknown> = {}) {
  return { raw: { id, userPrincipalName: `${id}@contoso.com`, displayName: `User ${id}`, ...extra }, source: { objectId: id } };
}

describe('workspace database', () => {
  it('stamps the latest migration in user_version and uses WAL with foreign keys', () => {
    const store = new WorkspaceStore(workspacePath());
    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    store.close();
  });

  it('creates every table STRICT', () => {
    const store = new WorkspaceStore(workspacePath());
    // ordinary tables: a virtual table (the Tenant table's word index) and its shadow tables cannot be STRICT
    const tables = store.db
      .prepare("SELECT m.name, m.sql FROM sqlite_master m JOIN pragma_table_list l ON l.name = m.name AND l.schema = 'main' WHERE l.type = 'table'")
      .all() as { name: string; sql: string }[];
    expect(tables.length).toBeGreaterThanOrEqual(6);
    for (const table of tables) expect(table.sql, table.name).toMatch(/STRICT/);
    store.close();
  });

  it('refuses a workspace written by a newer version and leaves it untouched', () => {
    const path = workspacePath();
    new WorkspaceStore(path).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.close();
    const before = readFileSync(path);
    expect(() => new WorkspaceStore(path)).toThrow(/newer SCIM Planner/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a file that is not SQLite with a clear error and leaves it byte for byte', () => {
    const path = workspacePath();
    const content = 'userPrincipalName,displayName\nalex@contoso.com,Alex\n'.repeat(20);
    writeFileSync(path, content);
    expect(() => new WorkspaceStore(path)).toThrow(WorkspaceError);
    expect(() => new WorkspaceStore(path)).toThrow(/not a SCIM Planner workspace/);
    expect(readFileSync(path, 'utf8')).toBe(content);
  });

  it('refuses a SQLite file whose pages are scribbled over, without changing it', () => {
    const path = workspacePath();
    const store = new WorkspaceStore(path);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    const bytes = readFileSync(path);
    bytes.fill(0x5a, 100, 4096); // keep the 16-byte header, destroy page 1's content
    writeFileSync(path, bytes);
    expect(() => new WorkspaceStore(path)).toThrow(WorkspaceError);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('applies pending migrations in one transaction and rolls all back when one fails', () => {
    const path = workspacePath();
    const failing = [
      ...migrations,
      { version: LATEST_VERSION + 1, name: 'adds a table', up: (db: Database.Database) => db.exec('CREATE TABLE extra (x TEXT) STRICT') },
      { version: LATEST_VERSION + 2, name: 'fails', up: (db: Database.Database) => db.exec('CREATE TABLE broken (') },
    ];
    expect(() => openWorkspaceDatabase(path, { migrations: failing })).toThrow();
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(0);
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([]);
    raw.close();
    const db = openWorkspaceDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    db.close();
  });

  it('rejects a migration list whose versions are not consecutive from 1', () => {
    const noop = () => {};
    expect(() => assertMigrationOrder([{ version: 2, name: 'b', up: noop }])).toThrow(/must be version 1/);
    expect(() =>
      assertMigrationOrder([
        { version: 1, name: 'a', up: noop },
        { version: 1, name: 'again', up: noop },
      ]),
    ).toThrow(/does not follow/);
    expect(() =>
      assertMigrationOrder([
        { version: 1, name: 'a', up: noop },
        { version: 3, name: 'gap', up: noop },
      ]),
    ).toThrow(/consecutive/);
  });
});

describe('workspace store', () => {
  it('loads the Contoso demo tenant on first start, once', () => {
    const store = new WorkspaceStore(workspacePath());
    const projectId = ensureDemoProject(store);
    expect(ensureDemoProject(store)).toBe(projectId);
    expect(store.listProjects().map((p) => p.name)).toEqual([DEMO_PROJECT_NAME]);
    const [snapshot] = store.listSnapshots(projectId);
    expect(snapshot!.userCount).toBeGreaterThanOrEqual(150);
    expect(snapshot!.groupCount).toBeGreaterThanOrEqual(10);
    expect(store.listMemberships(snapshot!.id).length).toBeGreaterThan(0);
    store.close();
  });

  it('keeps raw Graph JSON beside the derived source object', () => {
    const store = new WorkspaceStore(workspacePath());
    const projectId = ensureDemoProject(store);
    const snapshot = store.listSnapshots(projectId)[0]!;
    const page = store.listUsers(snapshot.id, '', 0, 1);
    const detail = store.getUser(snapshot.id, page.items[0]!.id)!;
    expect(detail.raw.id).toBe(detail.source.objectId);
    expect(store.getUser(snapshot.id, String(detail.raw.userPrincipalName).toUpperCase())?.id).toBe(detail.id);
    store.close();
  });

  it('searches users by name, UPN and mail, case-insensitively, treating % and _ literally', () => {
    const store = new WorkspaceStore(workspacePath());
    const project = store.createProject('p');
    const snapshot = store.addSnapshot({
      projectId: project.id,
      label: 's',
      origin: 'json',
      users: [user('a', { displayName: 'Ana Núñez' }), user('b', { mail: 'BOB@fabrikam.com' }), user('c_100%')],
    });
    expect(store.listUsers(snapshot.id, 'ana', 0, 10).items.map((u) => u.id)).toEqual(['a']);
    expect(store.listUsers(snapshot.id, 'fabrikam', 0, 10).items.map((u) => u.id)).toEqual(['b']);
    expect(store.listUsers(snapshot.id, '_100%', 0, 10).items.map((u) => u.id)).toEqual(['c_100%']);
    expect(store.listUsers(snapshot.id, '%', 0, 10).total).toBe(1);
    expect(store.listUsers(snapshot.id, '', 1, 1)).toEqual({ total: 3, offset: 1, items: [expect.objectContaining({ id: 'b' })] });
    store.close();
  });

  it('writes a snapshot all or nothing', () => {
    const store = new WorkspaceStore(workspacePath());
    const project = store.createProject('p');
    expect(() =>
      store.addSnapshot({ projectId: project.id, label: 'bad', origin: 'json', users: [user('a'), { raw: {}, source: {} }] }),
    ).toThrow(/User number 2 of the snapshot has no id/);
    expect(store.listSnapshots(project.id)).toEqual([]);
    expect(store.db.prepare('SELECT count(*) AS n FROM snapshot_users').get()).toEqual({ n: 0 });
    store.close();
  });

  it('deletes a snapshot with its users, groups and memberships', () => {
    const store = new WorkspaceStore(workspacePath());
    const project = store.createProject('p');
    const keep = store.addSnapshot({ projectId: project.id, label: 'keep', origin: 'json', users: [user('k')] });
    const drop = store.addSnapshot({
      projectId: project.id,
      label: 'drop',
      origin: 'json',
      users: [user('a'), user('b')],
      groups: [{ raw: { id: 'g', displayName: 'G' }, source: {}, members: [{ id: 'a', type: 'user' }] }],
    });
    expect(store.deleteSnapshot(drop.id)).toBe(true);
    const count = (table: string) => (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect(count('snapshot_users')).toBe(1);
    expect(count('snapshot_groups')).toBe(0);
    expect(count('snapshot_memberships')).toBe(0);
    expect(store.listSnapshots(project.id).map((s) => s.id)).toEqual([keep.id]);
    store.close();
  });

  it('numbers mapping revisions per project and never overwrites one', () => {
    const store = new WorkspaceStore(workspacePath());
    const a = store.createProject('a');
    const b = store.createProject('b');
    expect(store.saveMappingRevision(a.id, 'first', '{}').revision).toBe(1);
    expect(store.saveMappingRevision(a.id, 'second', '{"x":1}').revision).toBe(2);
    expect(store.saveMappingRevision(b.id, 'other', '{}').revision).toBe(1);
    expect(store.listMappingRevisions(a.id).map((r) => [r.revision, r.label])).toEqual([
      [1, 'first'],
      [2, 'second'],
    ]);
    store.close();
  });

  it('serves the hot lookups from indexes', () => {
    const store = new WorkspaceStore(workspacePath());
    const plan = (sql: string) =>
      (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan('SELECT raw FROM snapshot_users WHERE snapshot_id = 1 AND id = ?'.replace('?', "'x'"))).toMatch(/PRIMARY KEY|INDEX/);
    expect(plan("SELECT id FROM snapshot_users WHERE snapshot_id = 1 ORDER BY ordinal LIMIT 200 OFFSET 0")).toMatch(/USING (COVERING )?INDEX snapshot_users_order/);
    expect(plan("SELECT id FROM snapshot_users WHERE snapshot_id = 1 AND user_principal_name = 'a' COLLATE NOCASE")).toMatch(/USING (COVERING )?INDEX snapshot_users_by_upn/);
    store.close();
  });
});
