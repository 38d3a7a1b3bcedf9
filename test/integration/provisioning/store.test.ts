import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspaceDatabase } from '../../../electron/backend/workspace/db.ts';
import { migrations } from '../../../electron/backend/workspace/migrations.ts';
import { provisioningMigrations } from '../../../electron/backend/workspace/migrations/provisioning.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import { ProvisioningStore, targetKeyOf } from '../../../electron/backend/provisioning/store.ts';
import type { AuditEntry } from '../../../electron/backend/provisioning/types.ts';
import { AuditStatus, RunStatus } from '../../../shared/api/provisioning.ts';
import { tempDir } from '../../support/temp.ts';

let dir: ReturnType<typeof tempDir>;
let workspace: WorkspaceStore;
let store: ProvisioningStore;
let projectId: number;

beforeEach(() => {
  dir = tempDir('provisioning-store-');
  workspace = new WorkspaceStore(join(dir.path, 'w.scimplan'));
  projectId = workspace.createProject('p').id;
  store = new ProvisioningStore(workspace.db);
});
afterEach(() => {
  workspace.close();
  dir.cleanup();
});

function entry(i: number, status: AuditEntry['status']): AuditEntry {
  return {
    objectType: 'User',
    sourceId: `id-${i}`,
    label: `user${i}@contoso.com`,
    action: status === 'failure' ? 'create' : 'update',
    status,
    reason: status === 'failure' ? 'StatusCode: 400' : null,
    errorCode: status === 'failure' ? 'BadRequest' : null,
    targetId: `t-${i}`,
    startedMs: i,
    durationMs: 1.5,
    steps: [{ name: 'Action', status, summary: 's', details: {}, requests: [] }],
  };
}

describe('provisioning migration (version 3)', () => {
  it('creates STRICT tables for runs, the audit log, links, escrow and quarantine', () => {
    expect(provisioningMigrations.map((m) => m.version)).toEqual([3]);
    expect(migrations.some((m) => m.version === 3)).toBe(true);
    const db = openWorkspaceDatabase(join(dir.path, 'fresh.scimplan'));
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'provisioning_%' ORDER BY name").all() as { name: string; sql: string }[];
    expect(tables.map((t) => t.name)).toEqual(['provisioning_audit', 'provisioning_escrow', 'provisioning_links', 'provisioning_quarantine', 'provisioning_runs']);
    for (const table of tables) expect(table.sql).toMatch(/STRICT/);
    expect(() => db.prepare("INSERT INTO provisioning_audit (run_id, seq, object_type, source_id, label, action, status, started_ms, duration_ms, search_text, steps) VALUES (1, 1, 'Robot', 'x', 'x', 'x', 'success', 0, 0, '', '[]')").run()).toThrow();
    db.close();
  });

  it('checks the same run statuses and audit statuses in SQL as the API declares', () => {
    const db = openWorkspaceDatabase(join(dir.path, 'fresh.scimplan'));
    const sqlOf = (name: string) => (db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(name) as { sql: string }).sql;
    const checked = (sql: string) => [...sql.matchAll(/\bstatus\b[^,]*?CHECK \(status IN \(([^)]*)\)\)/g)].map((m) => m[1]!.split(',').map((v) => v.trim().replace(/'/g, '')));
    expect(checked(sqlOf('provisioning_runs'))).toEqual([RunStatus.options]);
    expect(checked(sqlOf('provisioning_audit'))).toEqual([AuditStatus.options]);
    db.close();
  });
});

describe('provisioning store', () => {
  it('pages and filters the audit log by status and search text, and deletes it with its run', () => {
    const run = store.createRun({ projectId, kind: 'initial', targetUrl: 'http://127.0.0.1/scim', targetKey: 'http://127.0.0.1/scim', dialect: 'default', dryRun: false });
    store.appendEntries(run.id, 0, [entry(1, 'success'), entry(2, 'failure'), entry(3, 'skipped'), entry(4, 'failure')]);
    expect(store.auditLog({ runId: run.id }).total).toBe(4);
    expect(store.auditLog({ runId: run.id, status: 'failure' }).items.map((r) => r.sourceId)).toEqual(['id-2', 'id-4']);
    expect(store.auditLog({ runId: run.id, search: 'USER3' }).items.map((r) => r.sourceId)).toEqual(['id-3']);
    expect(store.auditLog({ runId: run.id, search: 'badrequest' }).total).toBe(2);
    expect(store.auditLog({ runId: run.id, search: '100%' }).total).toBe(0);
    const detail = store.auditEntry(store.auditLog({ runId: run.id, limit: 1 }).items[0]!.id)!;
    expect(detail.steps[0]!.name).toBe('Action');
    store.finishRun(run.id, null, 'completed');
    expect(store.listRuns(projectId)[0]!.status).toBe('completed');
    workspace.db.prepare('DELETE FROM provisioning_runs WHERE id = ?').run(run.id);
    expect(store.auditLog({ runId: run.id }).total).toBe(0);
  });

  it('keeps links, escrow and quarantine per project and target', () => {
    const a = store.stateFor(projectId, targetKeyOf('http://127.0.0.1:1/scim/'));
    const b = store.stateFor(projectId, targetKeyOf('http://127.0.0.1:2/scim'));
    a.putLink({ objectType: 'User', sourceId: 'u1', targetId: 't1', resource: { id: 't1' }, source: { objectId: 'u1' } });
    expect(a.getLink('User', 'u1')?.targetId).toBe('t1');
    expect(b.getLink('User', 'u1')).toBeUndefined();
    expect(a.escrow('User', 'u1', 'BadRequest', 'm', '2026-01-01T00:00:00Z').attempts).toBe(1);
    expect(a.escrow('User', 'u1', 'Timeout', 'm', '2026-01-02T00:00:00Z')).toMatchObject({ attempts: 2, errorCode: 'Timeout', firstFailedAt: '2026-01-01T00:00:00Z' });
    a.releaseEscrow('User', 'u1');
    expect(a.escrowed()).toEqual([]);
    a.setQuarantine({ reason: 'EncounteredQuarantineException', since: 'now', detail: 'd' });
    expect(a.quarantine()?.reason).toBe('EncounteredQuarantineException');
    expect(b.quarantine()).toBeNull();
    a.setQuarantine(null);
    expect(a.quarantine()).toBeNull();
  });

  it('answers the hot audit-log queries from an index', () => {
    const plan = (sql: string, params: Record<string, unknown>) =>
      (workspace.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join('\n');
    const filtered = plan(
      "SELECT id FROM provisioning_audit WHERE run_id = @runId AND (@status IS NULL OR status = @status) AND (@pattern IS NULL OR search_text LIKE @pattern ESCAPE '\\') ORDER BY seq LIMIT 200 OFFSET 0",
      { runId: 1, status: 'failure', pattern: null },
    );
    expect(filtered).toMatch(/USING INDEX/);
    expect(plan('SELECT steps FROM provisioning_audit WHERE run_id = @runId ORDER BY seq', { runId: 1 })).toMatch(/USING INDEX/);
    expect(plan('SELECT target_id FROM provisioning_links WHERE project_id = @p AND target_key = @k AND object_type = @t AND source_id = @s', { p: 1, k: 'k', t: 'User', s: 's' })).toMatch(/USING PRIMARY KEY/);
  });
});
