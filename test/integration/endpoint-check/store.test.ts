import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EndpointCheckStore } from '../../../electron/backend/endpoint-check/store.ts';
import { openWorkspaceDatabase } from '../../../electron/backend/workspace/db.ts';
import { LATEST_VERSION, migrations } from '../../../electron/backend/workspace/migrations.ts';
import { ENDPOINT_CHECK_MIGRATION_VERSION } from '../../../electron/backend/workspace/migrations/endpoint-check.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import type { CheckResult } from '../../../shared/api.ts';
import { tempDir } from '../../support/temp.ts';

const run = (runId: string): CheckResult => ({
  target: 'https://vendor.example/scim/v2',
  runId,
  mode: 'read-only',
  dialects: ['default'],
  passed: 1,
  failed: 0,
  skipped: 0,
  cancelled: false,
  steps: [
    {
      id: 'test-connection',
      title: 'Test Connection',
      outcome: 'pass',
      request: { method: 'GET', url: 'https://vendor.example/scim/v2/Users?filter=userName+eq+%22x%22', headers: { Authorization: 'Bearer <redacted>' }, body: null },
      response: { status: 200, body: { totalResults: 0, Resources: [] } },
      explanation: 'empty list',
      durationMs: 4,
      errorCode: null,
    },
  ],
  cleanup: { deleted: [], leftOver: [] },
  startedAt: '2026-12-05T10:00:00.000Z',
  durationMs: 40,
});

describe('the kept endpoint check in the workspace', () => {
  let dir: ReturnType<typeof tempDir>;
  let path: string;
  beforeEach(() => {
    dir = tempDir('endpoint-check-store-');
    path = join(dir.path, 'w.scimplan');
  });
  afterEach(() => dir.cleanup());

  const before = () => migrations.filter((m) => m.version < ENDPOINT_CHECK_MIGRATION_VERSION);

  it(`migration ${ENDPOINT_CHECK_MIGRATION_VERSION} upgrades the previous version, keeping its projects, with a STRICT table`, () => {
    const old = openWorkspaceDatabase(path, { migrations: before() });
    old.prepare("INSERT INTO projects (name, vendor_id, created_at) VALUES ('Contoso', 'generic', '2025-01-01')").run();
    old.close();

    const store = WorkspaceStore.open(path);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      expect(store.listProjects().map((p) => p.name)).toEqual(['Contoso']);
      const sql = store.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'endpoint_check_runs'").pluck().get() as string;
      expect(sql).toMatch(/STRICT/);
      expect(new EndpointCheckStore(store.db).last(store.listProjects()[0]!.id)).toBeNull();
    } finally {
      store.close();
    }
  });

  it('keeps one run per project: the last one, until the project is deleted', () => {
    const store = WorkspaceStore.open(path);
    try {
      const a = store.createProject('A', 'generic').id;
      const b = store.createProject('B', 'generic').id;
      const kept = new EndpointCheckStore(store.db);
      kept.keep(a, run('aaaa0001'));
      kept.keep(a, run('aaaa0002'));
      kept.keep(b, run('bbbb0001'));
      expect(kept.last(a)).toEqual(run('aaaa0002'));
      expect(kept.last(b)?.runId).toBe('bbbb0001');
      expect(store.db.prepare('SELECT count(*) FROM endpoint_check_runs').pluck().get()).toBe(2);
      store.db.prepare('DELETE FROM projects WHERE id = ?').run(a);
      expect(kept.last(a)).toBeNull();
    } finally {
      store.close();
    }
  });

  it('a workspace from before the table, opened read-only (report --workspace), has no kept run and stays at its version', () => {
    const old = openWorkspaceDatabase(path, { migrations: before() });
    old.prepare("INSERT INTO projects (name, vendor_id, created_at) VALUES ('Contoso', NULL, '2025-01-01')").run();
    old.close();
    const store = WorkspaceStore.open(path, { readOnly: true });
    try {
      const kept = new EndpointCheckStore(store.db);
      expect(kept.last(1)).toBeNull();
      expect(() => kept.keep(1, run('cccc0001'))).toThrow(/read-only and predates kept endpoint checks/);
    } finally {
      store.close();
    }
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(ENDPOINT_CHECK_MIGRATION_VERSION - 1);
    raw.close();
  });
});
