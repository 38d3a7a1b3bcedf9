import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMockServerDatabase, prepareMockServerSchema } from '../../../electron/backend/mock-server/database.ts';
import { APPLICATION_IDS } from '../../../electron/backend/sqlite-file.ts';
import { openWorkspaceDatabase } from '../../../electron/backend/workspace/db.ts';
import { migrations } from '../../../electron/backend/workspace/migrations.ts';
import { mockServerMigrations } from '../../../electron/backend/workspace/migrations/mock-server.ts';
import { tempDir } from '../../support/temp.ts';

const MOCK_TABLES = ['mock_group_members', 'mock_groups', 'mock_request_log', 'mock_settings', 'mock_users'];

function mockTables(db: Database.Database): { name: string; sql: string }[] {
  return db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'mock\\_%' ESCAPE '\\' ORDER BY name").all() as {
    name: string;
    sql: string;
  }[];
}

describe('workspace migration 2: mock SCIM server state', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir('scim-planner-mock-migration-');
  });
  afterEach(() => dir.cleanup());

  it('is version 2 and upgrades a version-1 workspace, keeping its projects, to STRICT mock tables', () => {
    expect(mockServerMigrations.map((m) => m.version)).toEqual([2]);
    const path = join(dir.path, 'w.scimplan');
    const v1 = openWorkspaceDatabase(path, { migrations: migrations.filter((m) => m.version === 1) });
    v1.prepare("INSERT INTO projects (name, created_at) VALUES ('Contoso', '2025-01-01')").run();
    expect(mockTables(v1)).toEqual([]);
    v1.close();

    const upgraded = openWorkspaceDatabase(path);
    try {
      expect(upgraded.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(2);
      expect(upgraded.prepare('SELECT name FROM projects').pluck().all()).toEqual(['Contoso']);
      const tables = mockTables(upgraded);
      expect(tables.map((t) => t.name)).toEqual(MOCK_TABLES);
      for (const table of tables) expect(table.sql).toMatch(/\)\s*STRICT/);
    } finally {
      upgraded.close();
    }
  });

  it('creates the same tables on the CLI’s own database file, and running it again changes nothing', () => {
    const path = join(dir.path, 'mock.sqlite');
    let db = openMockServerDatabase(path);
    const first = mockTables(db);
    db.prepare("INSERT INTO mock_settings (key, value) VALUES ('token', 'kept')").run();
    db.close();
    db = openMockServerDatabase(path);
    try {
      expect(mockTables(db)).toEqual(first);
      expect(first.map((t) => t.name)).toEqual(MOCK_TABLES);
      expect(db.prepare("SELECT value FROM mock_settings WHERE key = 'token'").pluck().get()).toBe('kept');
      // no workspace stamp: the CLI's file is a mock server database with versions of its own
      expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_IDS.mockServer);
    } finally {
      db.close();
    }
  });

  it('counts a group’s members and reads a log entry through indexes', () => {
    const db = new Database(':memory:');
    prepareMockServerSchema(db);
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan("SELECT count(*) FROM mock_group_members m WHERE m.group_id = 'g'")).toMatch(/USING (COVERING )?(INDEX|PRIMARY KEY)/);
    expect(plan('SELECT * FROM mock_request_log WHERE seq = 5')).toMatch(/USING INTEGER PRIMARY KEY/);
    db.close();
  });
});
