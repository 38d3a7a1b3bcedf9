import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Backend } from '../../../electron/backend/backend.ts';
import { dispatch } from '../../../electron/backend/dispatch.ts';
import { GraphClient } from '../../../electron/backend/directory/graph-client.ts';
import { checkExpressions, type CheckedRow, type ExpressionCheckResult } from '../../../electron/backend/synchronization/expression-check.ts';
import { jobDefinitionsOf } from '../../../electron/backend/synchronization/parse-expression.ts';
import { chooseSample } from '../../../electron/backend/synchronization/sample.ts';
import { SynchronizationCheckStore } from '../../../electron/backend/synchronization/store.ts';
import { SYNCHRONIZATION_CHECKS_VERSION } from '../../../electron/backend/workspace/migrations/synchronization.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import type { MappingCheckDto } from '../../../shared/api/synchronization.ts';
import { graphUserToSource } from '../../../shared/directory/graph-to-source.ts';
import { importMappingSet } from '../../../shared/mapping/model.ts';
import { evaluated } from '../../support/fake-graph/synchronization-checks.ts';
import { tempDir } from '../../support/temp.ts';
import { cli, DISPLAY_NAME_EXPRESSION, JOB_ID, mappingSet, SERVICE_PRINCIPAL_ID, startTenant, USERS, type Tenant } from './tenant.ts';

let temp: ReturnType<typeof tempDir>;
let tenant: Tenant | undefined;
afterEach(async () => {
  await tenant?.graph.close();
  tenant = undefined;
  temp.cleanup();
});

function row(targetAttribute: string, user: string, verdict: CheckedRow['verdict']): CheckedRow {
  return {
    targetAttribute,
    expression: `[${targetAttribute}]`,
    userPrincipalName: `${user}@contoso.com`,
    sourceId: user,
    ours: { ok: true, value: ['a'] },
    entra: { parsingSucceeded: true, evaluationSucceeded: true, value: verdict === 'agree' ? ['a'] : ['b'] },
    verdict,
    attributes: [targetAttribute],
  } as CheckedRow;
}

function result(rows: CheckedRow[], cancelled = false): ExpressionCheckResult {
  return { checked: rows.length, agreed: rows.filter((r) => r.verdict === 'agree').length, differed: rows.filter((r) => r.verdict === 'differ').length, refused: 0, rows, skipped: [], cancelled };
}

describe('expression checks in the workspace', () => {
  it('keeps checks per mapping revision; the newest one gives each row its verdict counts', () => {
    temp = tempDir();
    const store = new WorkspaceStore(join(temp.path, 'w.scimplan'));
    expect(store.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(SYNCHRONIZATION_CHECKS_VERSION);
    const project = store.createProject('Contoso');
    const first = store.saveMappingRevision(project.id, 'one', JSON.stringify(mappingSet()));
    const second = store.saveMappingRevision(project.id, 'two', JSON.stringify(mappingSet()));
    const checks = new SynchronizationCheckStore(store.db);
    const job = { servicePrincipalId: SERVICE_PRINCIPAL_ID, jobId: JOB_ID };
    checks.save(first.id, job, result([row('displayName', 'u1', 'differ')]), '2026-12-01T00:00:00Z');
    checks.save(first.id, job, result([row('displayName', 'u1', 'agree'), row('displayName', 'u2', 'agree'), row('active', 'u1', 'differ')]), '2026-12-02T00:00:00Z');

    const latest = checks.latest(first.id)!;
    expect(latest).toMatchObject({ checkedAt: '2026-12-02T00:00:00Z', result: { checked: 3, agreed: 2, differed: 1, cancelled: false } });
    expect(latest.result.rows[0]).toEqual(row('displayName', 'u1', 'agree'));
    const badges = checks.mappingCheck(first.id, first.revision)!;
    expect(badges).toMatchObject({ revision: 1, checkedAt: '2026-12-02T00:00:00Z', complete: true });
    expect(badges.rows.find((b) => b.targetAttribute === 'displayName')).toMatchObject({ counts: { agree: 2, differ: 0 }, example: null });
    expect(badges.rows.find((b) => b.targetAttribute === 'active')).toMatchObject({ counts: { agree: 0, differ: 1 }, example: { userPrincipalName: 'u1@contoso.com', verdict: 'differ', ours: '["a"]', entra: '["b"]' } });
    expect(checks.latest(second.id)).toBeNull();
    expect(checks.mappingCheck(second.id, second.revision)).toBeNull();

    const plan = store.db.prepare('EXPLAIN QUERY PLAN SELECT id FROM expression_checks WHERE mapping_revision_id = ? ORDER BY id DESC LIMIT 1').all(first.id) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX expression_checks_by_revision/);
    store.close();
  });

  it('a cancelled check is kept with what was checked, and reads back as cancelled', async () => {
    temp = tempDir();
    tenant = await startTenant(temp.path);
    tenant.graph.latencyMs = 20;
    tenant.checks.parseExpression![DISPLAY_NAME_EXPRESSION] = evaluated(['Someone Else']);
    const imported = importMappingSet(mappingSet());
    if (!imported.ok) throw new Error('fixture');
    const controller = new AbortController();
    const checked = await checkExpressions({
      client: new GraphClient({ graphBaseUrl: tenant.graph.baseUrl, getAccessToken: async () => tenant!.graph.accessToken }),
      servicePrincipalId: SERVICE_PRINCIPAL_ID,
      jobId: JOB_ID,
      set: imported.set,
      sample: chooseSample(USERS.map((user) => graphUserToSource(user)), ['givenName']),
      definitions: jobDefinitionsOf(imported.set),
      concurrency: 1,
      signal: controller.signal,
      onProgress: (done) => {
        if (done === 5) controller.abort();
      },
    });
    // the run stops: no call is sent after the cancel (the one in flight at most)
    expect(checked).toMatchObject({ cancelled: true, checked: 5 });
    expect(tenant.checks.parseExpressionCalls!.length).toBeLessThanOrEqual(6);
    expect(checked.rows.filter((r) => r.verdict === 'differ').every((r) => r.targetAttribute === 'displayName')).toBe(true);

    const store = new WorkspaceStore(join(temp.path, 'w.scimplan'));
    const project = store.createProject('Contoso');
    const revision = store.saveMappingRevision(project.id, 'one', JSON.stringify(mappingSet()));
    const checks = new SynchronizationCheckStore(store.db);
    checks.save(revision.id, { servicePrincipalId: SERVICE_PRINCIPAL_ID, jobId: JOB_ID }, checked);
    store.close();

    const reopened = new WorkspaceStore(join(temp.path, 'w.scimplan'));
    const kept = new SynchronizationCheckStore(reopened.db).latest(revision.id)!;
    expect(kept.result).toEqual(checked);
    reopened.close();
  });

  it('verify --workspace checks the latest mapping revision and keeps the result with it', async () => {
    temp = tempDir();
    tenant = await startTenant(temp.path);
    tenant.checks.parseExpression![DISPLAY_NAME_EXPRESSION] = evaluated(['Someone Else']);
    const path = join(temp.path, 'w.scimplan');
    const store = new WorkspaceStore(path);
    const project = store.createProject('Contoso');
    store.saveMappingRevision(project.id, 'one', JSON.stringify(mappingSet()));
    store.close();

    const run = await cli(['verify', '--workspace', path, '--users', tenant.usersFile, ...tenant.graphFlags]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Kept the check with mapping revision 1');

    // the Mappings screen reads it through the API, for the revision it shows
    const backend = new Backend({ mode: 'browser', version: 'test', workspacePath: path });
    try {
      const envelope = await dispatch(backend.handlers, 'synchronization.mappingCheck', { revision: 1 });
      if (!envelope.ok) throw new Error(envelope.error.message);
      const rows = (envelope.value as MappingCheckDto).rows;
      expect(rows.find((b) => b.targetAttribute === 'displayName')).toMatchObject({ counts: { agree: 0, differ: 3 }, example: { verdict: 'differ', entra: '["Someone Else"]' } });
      expect(rows.find((b) => b.targetAttribute === 'active')).toMatchObject({ counts: { agree: 3, differ: 0 }, example: null });
      const missing = await dispatch(backend.handlers, 'synchronization.mappingCheck', { revision: 9 });
      expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    } finally {
      await backend.close();
    }

    const none = await cli(['verify', '--workspace', path, '--revision', '7', '--users', tenant.usersFile, ...tenant.graphFlags]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Mapping revision 7 does not exist');
  });
});
