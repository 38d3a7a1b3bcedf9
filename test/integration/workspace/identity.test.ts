import Database from 'better-sqlite3';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Backend } from '../../../electron/backend/backend.ts';
import { configureMockServerDatabase } from '../../../electron/backend/mock-server/database.ts';
import { mockServerMigrations } from '../../../electron/backend/workspace/migrations/mock-server.ts';
import { WorkspaceError } from '../../../electron/backend/workspace/db.ts';
import { ensureDemoProject } from '../../../electron/backend/workspace/demo-tenant.ts';
import { LATEST_VERSION, migrations } from '../../../electron/backend/workspace/migrations.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import { tempDir } from '../../support/temp.ts';

const dirs: { cleanup(): void }[] = [];
function folder(): string {
  const dir = tempDir('scim-planner-identity-');
  dirs.push(dir);
  return dir.path;
}
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

const sideFiles = (path: string) => [`${path}-wal`, `${path}-shm`, `${path}-journal`].filter((f) => existsSync(f));

/** Opening must throw, and leave the file byte for byte as it was with no SQLite side file beside it. */
function expectRefusedUntouched(path: string, message: RegExp, open: () => unknown = () => new WorkspaceStore(path)): void {
  const before = readFileSync(path);
  expect(sideFiles(path)).toEqual([]);
  expect(open).toThrow(WorkspaceError);
  expect(open).toThrow(message);
  expect(readFileSync(path).equals(before)).toBe(true);
  expect(sideFiles(path)).toEqual([]);
}

/** A workspace as versions before the application_id stamp wrote it: migrations and user_version only, 0644. */
function legacyWorkspace(path: string, upTo = LATEST_VERSION): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.transaction(() => {
    for (const m of migrations.filter((m) => m.version <= upTo)) m.up(db);
    db.pragma(`user_version = ${upTo}`);
  })();
  db.prepare("INSERT INTO projects (name, created_at) VALUES ('Fabrikam rollout', '2025-06-01')").run();
  db.close();
  chmodSync(path, 0o644);
}

describe('the workspace opener refuses what is not a workspace, before any write', () => {
  it('refuses another program’s SQLite database with an unrelated table', () => {
    const path = join(folder(), 'inventory.db');
    const other = new Database(path);
    other.exec("CREATE TABLE parts (sku TEXT PRIMARY KEY, qty INTEGER); INSERT INTO parts VALUES ('A-1', 3)");
    other.close();
    expectRefusedUntouched(path, /inventory\.db is a SQLite database of another program \(tables parts\), not a SCIM Planner workspace/);
  });

  it('refuses another program’s database in WAL mode, leaving no -wal or -shm', () => {
    const path = join(folder(), 'notes.sqlite');
    const other = new Database(path);
    other.pragma('journal_mode = WAL');
    other.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')");
    other.close();
    expectRefusedUntouched(path, /another program/);
  });

  it('refuses another program’s database left with a -wal by a crash, without checkpointing it into the file', () => {
    const dir = folder();
    const running = join(dir, 'running.sqlite');
    const other = new Database(running);
    other.pragma('journal_mode = WAL');
    other.pragma('wal_autocheckpoint = 0');
    other.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('only in the wal')");
    // the files as a crash of that program leaves them: the commits still in the -wal
    const path = join(dir, 'crashed.sqlite');
    copyFileSync(running, path);
    copyFileSync(`${running}-wal`, `${path}-wal`);
    other.close();
    const before = readFileSync(path);
    const wal = readFileSync(`${path}-wal`);
    expect(() => new WorkspaceStore(path)).toThrow(/another program \(tables notes\)/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readFileSync(`${path}-wal`).equals(wal)).toBe(true);
  });

  it('refuses a mock server database, and one made by the unversioned bootstrap of earlier versions', () => {
    const dir = folder();
    const current = join(dir, 'mock-server.sqlite');
    const mock = new Database(current);
    mock.pragma(`application_id = ${0x5343_504d}`);
    configureMockServerDatabase(mock);
    mockServerMigrations[0]!.up(mock);
    mock.close();
    expectRefusedUntouched(current, /is a mock SCIM server database .*not a SCIM Planner workspace/);

    const old = join(dir, 'old-mock.sqlite');
    const legacy = new Database(old);
    configureMockServerDatabase(legacy);
    mockServerMigrations[0]!.up(legacy);
    legacy.prepare("INSERT INTO mock_settings (key, value) VALUES ('token', 'secret')").run();
    legacy.close();
    expectRefusedUntouched(old, /another program \(tables mock_users/);
  });

  it('refuses a zero-length file when opening an existing workspace, and takes it only when creating one', () => {
    const path = join(folder(), 'empty.scimplan');
    writeFileSync(path, '');
    expectRefusedUntouched(path, /empty\.scimplan is an empty file, not a SCIM Planner workspace/);
    const created = WorkspaceStore.open(path, { create: 'new' });
    expect(created.listProjects()).toEqual([]);
    created.close();
    expect(statSync(path).size).toBeGreaterThan(0);
  });

  it('refuses a workspace whose pages were overwritten, quoting the integrity check', () => {
    const path = join(folder(), 'damaged.scimplan');
    const store = new WorkspaceStore(path);
    ensureDemoProject(store);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    const bytes = readFileSync(path);
    const pageSize = bytes.readUInt16BE(16);
    expect(bytes.length / pageSize).toBeGreaterThan(200);
    // pages in the middle of the demo users' b-tree: header, schema and every small table intact,
    // so only an integrity check sees it (earlier versions opened, read and wrote this file)
    bytes.fill(0x41, pageSize * 100, pageSize * 104);
    writeFileSync(path, bytes);
    expectRefusedUntouched(path, /damaged\.scimplan is damaged: SQLite's integrity check says "[^"]+"/);
  });
});

describe('workspaces written by earlier versions', () => {
  it('opens one without an application_id, keeps its data, migrates and stamps it', () => {
    const path = join(folder(), 'old.scimplan');
    legacyWorkspace(path, 1);
    const store = new WorkspaceStore(path);
    try {
      expect(store.listProjects().map((p) => p.name)).toEqual(['Fabrikam rollout']);
      expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      expect(store.db.pragma('application_id', { simple: true })).toBe(0x5343_5057);
    } finally {
      store.close();
    }
    // stamped: the next open recognises it by its header
    expect(readFileSync(path).readUInt32BE(68)).toBe(0x5343_5057);
  });

  it('reads one without changing a byte when opened read-only', () => {
    const path = join(folder(), 'old.scimplan');
    legacyWorkspace(path);
    const before = readFileSync(path);
    const store = WorkspaceStore.open(path, { readOnly: true });
    expect(store.listProjects().map((p) => p.name)).toEqual(['Fabrikam rollout']);
    expect(() => store.createProject('not allowed')).toThrow(/readonly|query_only|attempt to write/i);
    store.close();
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(sideFiles(path)).toEqual([]);
  });
});

describe('read-only opening', () => {
  it('refuses a path with no workspace and creates nothing there', () => {
    const path = join(folder(), 'missing.scimplan');
    expect(() => WorkspaceStore.open(path, { readOnly: true })).toThrow(/There is no SCIM Planner workspace at .*missing\.scimplan/);
    expect(existsSync(path)).toBe(false);
    expect(sideFiles(path)).toEqual([]);
  });
});

describe.skipIf(process.platform === 'win32')('workspace files are private', () => {
  const mode = (path: string) => statSync(path).mode & 0o777;

  it('creates the workspace and its -wal/-shm 0600 in a 0700 folder', () => {
    const dir = join(folder(), 'new', 'nested');
    const path = join(dir, 'w.scimplan');
    const store = new WorkspaceStore(path);
    try {
      ensureDemoProject(store);
      expect(mode(path)).toBe(0o600);
      expect(mode(`${path}-wal`)).toBe(0o600);
      expect(mode(`${path}-shm`)).toBe(0o600);
      expect(mode(dir)).toBe(0o700);
      expect(mode(join(dir, '..'))).toBe(0o700);
    } finally {
      store.close();
    }
  });

  it('File > Save As writes the copy 0600, even over an existing file that was 0644', async () => {
    const dir = folder();
    const copy = join(dir, 'copy.scimplan');
    writeFileSync(copy, 'an older file the admin overwrites');
    chmodSync(copy, 0o644);
    const backend = new Backend({ mode: 'browser', workspacePath: join(dir, 'w.scimplan'), version: 'test' });
    try {
      await backend.saveWorkspaceAs(copy);
      expect(backend.workspacePath).toBe(copy);
      expect(mode(copy)).toBe(0o600);
    } finally {
      await backend.close();
    }
  });

  it('tightens a workspace an earlier version created 0644, and the app’s own data folder', () => {
    const dataDir = join(folder(), 'SCIM Planner');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    const path = join(dataDir, 'workspace.scimplan');
    legacyWorkspace(path);
    const previous = process.env.SCIM_PLANNER_DATA_DIR;
    process.env.SCIM_PLANNER_DATA_DIR = dataDir;
    try {
      new WorkspaceStore(path).close();
      expect(mode(path)).toBe(0o600);
      expect(mode(dataDir)).toBe(0o700);
    } finally {
      if (previous === undefined) delete process.env.SCIM_PLANNER_DATA_DIR;
      else process.env.SCIM_PLANNER_DATA_DIR = previous;
    }
  });
});
