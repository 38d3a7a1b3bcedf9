import Database from 'better-sqlite3';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  configureMockServerDatabase,
  MockServerDatabaseError,
  mockServerDatabaseMigrations,
  openMockServerDatabase,
} from '../../../electron/backend/mock-server/database.ts';
import { MockStore } from '../../../electron/backend/mock-server/store.ts';
import { command as mockServerCommand } from '../../../electron/cli/mock-server.ts';
import type { CliIO } from '../../../electron/cli/command.ts';
import { APPLICATION_IDS } from '../../../electron/backend/sqlite-file.ts';
import { mockServerMigrations } from '../../../electron/backend/workspace/migrations/mock-server.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import { tempDir } from '../../support/temp.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir('scim-planner-mock-db-');
});
afterEach(() => dir.cleanup());

/** A mock server database exactly as the CLI of earlier versions bootstrapped it: WAL, unversioned tables, a stored token. */
function oldMockDatabase(path: string): void {
  const db = new Database(path);
  configureMockServerDatabase(db);
  for (const m of mockServerMigrations) m.up(db);
  db.prepare("INSERT INTO mock_users (id, user_name_key, resource) VALUES ('u1', 'alex@contoso.test', '{\"userName\":\"alex@contoso.test\"}')").run();
  db.prepare("INSERT INTO mock_settings (key, value) VALUES ('token', 'clear-text-secret')").run();
  db.close();
}

function cliIO(onOut: (text: string) => void = () => {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    out: (text) => {
      out.push(text);
      onOut(text);
    },
    err: (text) => void err.push(text),
    stdin: Readable.from([]),
    env: {},
  };
  return { io, out, err };
}

const latest = mockServerDatabaseMigrations.at(-1)!.version;

describe('the mock server database has versioned migrations', () => {
  it('migrates a database made by the old unversioned bootstrap: data kept, stamped, clear-text token gone', () => {
    const path = join(dir.path, 'mock-server.sqlite');
    oldMockDatabase(path);
    const db = openMockServerDatabase(path);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(latest);
      expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_IDS.mockServer);
      expect(db.prepare('SELECT id FROM mock_users').pluck().all()).toEqual(['u1']);
      expect(db.prepare("SELECT count(*) FROM mock_settings WHERE key = 'token'").pluck().get()).toBe(0);
    } finally {
      db.close();
    }
    // secure_delete: the secret's bytes are gone from the file, not only from the table
    expect(readFileSync(path).includes('clear-text-secret')).toBe(false);
  });

  it('lets a later migration reach an old database', () => {
    const path = join(dir.path, 'mock-server.sqlite');
    oldMockDatabase(path);
    const later = [
      ...mockServerDatabaseMigrations,
      { version: latest + 1, name: 'a later change', up: (db: Database.Database) => db.exec('ALTER TABLE mock_users ADD COLUMN active INTEGER') },
    ];
    const db = openMockServerDatabase(path, { migrations: later });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(latest + 1);
      const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('mock_users');
      expect(columns).toContain('active');
    } finally {
      db.close();
    }
  });

  it('is what a store creates on a fresh connection (tests, :memory:), and a second store changes nothing', () => {
    const db = new Database(join(dir.path, 'fresh.sqlite'));
    try {
      new MockStore(db);
      new MockStore(db);
      expect(db.pragma('user_version', { simple: true })).toBe(latest);
      expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_IDS.mockServer);
    } finally {
      db.close();
    }
  });

  it('refuses a database from a newer version, and a workspace given as --db, leaving them untouched', () => {
    const future = join(dir.path, 'future.sqlite');
    openMockServerDatabase(future).close();
    const raw = new Database(future);
    raw.pragma(`user_version = ${latest + 1}`);
    raw.close();
    const workspace = join(dir.path, 'w.scimplan');
    WorkspaceStore.open(workspace).close();
    for (const [path, message] of [
      [future, /written by a newer SCIM Planner \(mock SCIM server database version/],
      [workspace, /w\.scimplan is a SCIM Planner workspace, not a mock SCIM server database/],
    ] as const) {
      const before = readFileSync(path);
      expect(() => openMockServerDatabase(path)).toThrow(MockServerDatabaseError);
      expect(() => openMockServerDatabase(path)).toThrow(message);
      expect(readFileSync(path).equals(before)).toBe(true);
      expect(existsSync(`${path}-wal`) || existsSync(`${path}-shm`)).toBe(false);
    }
  });
});

describe('scim-planner mock-server and its database file', () => {
  it.skipIf(process.platform === 'win32')('creates it 0600 in a 0700 folder and never stores the generated Secret Token', async () => {
    const folder = join(dir.path, 'state');
    const path = join(folder, 'mock.sqlite');
    let listening = () => {};
    const started = new Promise<void>((resolve) => (listening = resolve));
    const { io, out } = cliIO(() => listening());
    const exit = mockServerCommand.run(['--port', '0', '--db', path], io);
    await started;
    const { token } = JSON.parse(out[0]!) as { token: string };
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(`${path}-wal`).mode & 0o777).toBe(0o600);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    process.emit('SIGTERM');
    expect(await exit).toBe(0);
    expect(readFileSync(path).includes(token)).toBe(false);
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT count(*) FROM mock_settings WHERE key = 'token'").pluck().get()).toBe(0);
    db.close();
  });

  it('exits 2 naming a file that is not a mock server database, and leaves it untouched', async () => {
    const path = join(dir.path, 'inventory.db');
    const other = new Database(path);
    other.exec('CREATE TABLE parts (sku TEXT)');
    other.close();
    const before = readFileSync(path);
    const { io, err } = cliIO();
    expect(await mockServerCommand.run(['--port', '0', '--db', path], io)).toBe(2);
    expect(err.join('')).toMatch(/inventory\.db is a SQLite database of another program \(tables parts\), not a mock SCIM server database/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});
