import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { command as apply } from '../../../electron/cli/apply.ts';
import { command as importCommand } from '../../../electron/cli/import.ts';
import { command as rollback } from '../../../electron/cli/rollback.ts';
import { BackupStore } from '../../../electron/backend/go-live/backups.ts';
import { WorkspaceSession } from '../../../electron/backend/session/workspace-session.ts';
import { canonicalJson } from '../../../shared/go-live/schema-diff.ts';
import { startFakeGraph, type FakeGraph } from '../../support/fake-graph/server.ts';
import { tempDir } from '../../support/temp.ts';
import { JOB_ID, graphData, liveSchema, planSchema, recordingIO, writeJson } from './fixtures.ts';

type Json = Record<string, unknown>;
type Schema = { synchronizationRules: { objectMappings: { sourceObjectName: string; attributeMappings: { targetAttributeName: string }[] }[] }[] } & Json;

const data = graphData();
let graph: FakeGraph;
let temp: { path: string; cleanup(): void };

beforeAll(async () => {
  graph = await startFakeGraph(data);
});
afterAll(() => graph.close());
beforeEach(() => {
  temp = tempDir('go-live-apply-');
  graph.goLive.schemas.set(JOB_ID, liveSchema());
  graph.goLive.schemaPuts.length = 0;
  graph.goLive.dropRowOnPut = null;
  graph.goLive.starts.length = 0;
  graph.goLive.restarts.length = 0;
});
afterEach(() => temp.cleanup());

function signIn(): string[] {
  return ['--access-token', graph.accessToken, '--graph-base-url', graph.baseUrl, '--service-principal', data.servicePrincipalId, '--job', JOB_ID];
}

function writes(): number {
  return graph.requests.filter((r) => r.method !== 'GET').length;
}

/** The schema without the user object mapping, in canonical JSON: what apply must leave equal in meaning. */
function withoutUserMapping(schema: Json): string {
  const copy = structuredClone(schema) as Schema;
  delete copy['@odata.context'];
  for (const rule of copy.synchronizationRules) rule.objectMappings = rule.objectMappings.filter((m) => m.sourceObjectName !== 'User');
  return canonicalJson(copy);
}

describe('scim-planner apply', () => {
  it('without --yes prints the planned changes in the portal\'s words, names tenant and app, and writes nothing', async () => {
    const mappings = writeJson(temp.path, 'plan.json', planSchema());
    const { io, out } = recordingIO();
    const before = writes();
    expect(await apply.run([...signIn(), '--mappings', mappings, '--workspace', `${temp.path}/w.scimplan`], io)).toBe(0);
    expect(writes()).toBe(before);
    const text = out.join('\n');
    expect(text).toContain('name.familyName: row removed');
    expect(text).toContain('displayName: row added');
    expect(text).toContain('name.givenName: Mapping type Direct → Expression; Source attribute [givenName] → Coalesce([givenName], [displayName])');
    expect(text).toMatch(/tenant Contoso \(7d3c1a52-[^)]*\), app [^(]+ \(service principal /);
    expect(text).toContain('Nothing was changed');
    expect(graph.goLive.schemaPuts).toHaveLength(0);
  });

  it('reports only the planned rows in JSON; the Groups mapping, the second rule and unknown settings are not changes', async () => {
    const mappings = writeJson(temp.path, 'plan.json', planSchema());
    const { io, out } = recordingIO();
    expect(await apply.run([...signIn(), '--mappings', mappings, '--dry-run', '--format', 'json'], io)).toBe(0);
    const report = JSON.parse(out.join('')) as { changes: Json[]; applied: boolean; backup: unknown };
    expect(report.applied).toBe(false);
    expect(report.backup).toBeNull();
    expect(report.changes.map((c) => [c.objectMapping, c.targetAttribute, c.change])).toEqual([
      ['Provision Azure Active Directory Users', 'name.givenName', 'changed'],
      ['Provision Azure Active Directory Users', 'displayName', 'added'],
      ['Provision Azure Active Directory Users', 'name.familyName', 'removed'],
    ]);
    expect(report.changes[0]).toMatchObject({ before: { source: '[givenName]' }, after: { source: 'Coalesce([givenName], [displayName])' } });
    expect(graph.goLive.schemaPuts).toHaveLength(0);
  });

  it('with --yes backs up, PUTs the merge (everything unplanned equal in meaning), reads back and verifies', async () => {
    const mappings = writeJson(temp.path, 'plan.json', planSchema());
    const workspace = `${temp.path}/w.scimplan`;
    const { io, out } = recordingIO();
    expect(await apply.run([...signIn(), '--mappings', mappings, '--workspace', workspace, '--yes', '--format', 'json'], io)).toBe(0);
    const report = JSON.parse(out.join('')) as { applied: boolean; verified: boolean; backup: { id: number } };
    expect(report).toMatchObject({ applied: true, verified: true });

    expect(graph.goLive.schemaPuts).toHaveLength(1);
    const sent = graph.goLive.schemaPuts[0]!.body as Schema;
    expect(withoutUserMapping(sent)).toBe(withoutUserMapping(liveSchema()));
    expect(sent['@scimPlanner.tenantUrl']).toBeUndefined();
    const users = sent.synchronizationRules[0]!.objectMappings.find((m) => m.sourceObjectName === 'User')!;
    expect(users.attributeMappings.map((r) => r.targetAttributeName)).toEqual(['userName', 'active', 'emails[type eq "work"].value', 'name.givenName', 'externalId', 'displayName']);

    // The backup is the live schema exactly as Graph returned it, and it survives reopening the workspace.
    const session = WorkspaceSession.open(workspace, { create: 'never' });
    try {
      const backups = new BackupStore(session.store.db);
      expect(backups.list(data.servicePrincipalId, JOB_ID).map((b) => b.id)).toEqual([report.backup.id]);
      const backup = backups.get(report.backup.id)!;
      expect(backup).toMatchObject({ reason: 'apply', jobId: JOB_ID, servicePrincipalId: data.servicePrincipalId, tenant: expect.stringContaining('Contoso') });
      expect(backup.appName).toBeTruthy();
      expect(backup.schema).toEqual(liveSchema());
    } finally {
      await session.close();
    }
  });

  it('exits 1 when Graph keeps a schema without a planned row, and names the row', async () => {
    graph.goLive.dropRowOnPut = 'displayName';
    const mappings = writeJson(temp.path, 'plan.json', planSchema());
    const { io, err } = recordingIO();
    expect(await apply.run([...signIn(), '--mappings', mappings, '--workspace', `${temp.path}/w.scimplan`, '--yes'], io)).toBe(1);
    expect(err.join('\n')).toContain('not as planned: Provision Azure Active Directory Users: displayName: row added');
    expect(err.join('\n')).toMatch(/scim-planner rollback .* --backup \d+ --yes/);
  });

  it('restarts the job with the reset scope the admin picks, after a verified apply', async () => {
    const mappings = writeJson(temp.path, 'plan.json', planSchema());
    const { io } = recordingIO();
    expect(await apply.run([...signIn(), '--mappings', mappings, '--workspace', `${temp.path}/w.scimplan`, '--yes', '--restart', 'Watermark, Escrows'], io)).toBe(0);
    expect(graph.goLive.restarts).toEqual([{ jobId: JOB_ID, body: { criteria: { resetScope: 'Watermark, Escrows' } } }]);
  });

  it('without --users takes the impact from the newest snapshot imported into the workspace, never the demo tenant', async () => {
    const workspace = `${temp.path}/w.scimplan`;
    const mappings = writeJson(temp.path, 'plan.json', planSchema('Sales'));
    // A new workspace holds the demo tenant's snapshot only.
    await WorkspaceSession.open(workspace).close();
    const demoOnly = recordingIO();
    expect(await apply.run([...signIn(), '--mappings', mappings, '--workspace', workspace, '--format', 'json'], demoOnly.io)).toBe(0);
    expect((JSON.parse(demoOnly.out.join('')) as { impact: unknown }).impact).toBeNull();

    const users = writeJson(temp.path, 'users.json', { value: data.users });
    expect(await importCommand.run([users, '--workspace', workspace], recordingIO().io)).toBe(0);
    const { io, out, err } = recordingIO();
    expect(await apply.run([...signIn(), '--mappings', mappings, '--workspace', workspace, '--format', 'json'], io)).toBe(0);
    const report = JSON.parse(out.join('')) as { impact: { outOfScope: unknown[]; disables: number } };
    expect(report.impact.disables).toBeGreaterThan(0);
    expect(report.impact.outOfScope).toHaveLength(report.impact.disables);
    expect(err.join('\n')).toMatch(/Impact and forecast from snapshot \d+ /);
  });

  it('refuses --start without --yes as bad usage', async () => {
    const mappings = writeJson(temp.path, 'plan.json', planSchema());
    await expect(apply.run([...signIn(), '--mappings', mappings, '--start'], recordingIO().io)).rejects.toThrow(/add --yes/);
  });
});

describe('scim-planner rollback', () => {
  it('restores the backup exactly, after showing what it changes, and keeps a backup of what it replaced', async () => {
    const workspace = `${temp.path}/w.scimplan`;
    const mappings = writeJson(temp.path, 'plan.json', planSchema());
    expect(await apply.run([...signIn(), '--mappings', mappings, '--workspace', workspace, '--yes'], recordingIO().io)).toBe(0);
    const applied = structuredClone(graph.goLive.schemas.get(JOB_ID));

    const dry = recordingIO();
    const puts = graph.goLive.schemaPuts.length;
    expect(await rollback.run([...signIn(), '--workspace', workspace], dry.io)).toBe(0);
    expect(graph.goLive.schemaPuts).toHaveLength(puts);
    expect(dry.out.join('\n')).toContain('name.familyName: row added');
    expect(dry.out.join('\n')).toContain('Nothing was changed');

    const run = recordingIO();
    expect(await rollback.run([...signIn(), '--workspace', workspace, '--yes'], run.io)).toBe(0);
    expect(run.out.join('\n')).toContain('the job\'s schema is the backup');
    expect(graph.goLive.schemas.get(JOB_ID)).toEqual(liveSchema());

    const listed = recordingIO();
    expect(await rollback.run([...signIn(), '--workspace', workspace, '--list'], listed.io)).toBe(0);
    expect(listed.out).toHaveLength(2);
    expect(listed.out[0]).toContain('before rollback');
    const session = WorkspaceSession.open(workspace, { create: 'never' });
    try {
      const newest = new BackupStore(session.store.db).list(data.servicePrincipalId, JOB_ID)[0]!;
      expect(new BackupStore(session.store.db).get(newest.id)!.schema).toEqual(applied);
    } finally {
      await session.close();
    }
  });

  it('exits 2 naming the job when the workspace has no backup of it', async () => {
    const workspace = `${temp.path}/w.scimplan`;
    await WorkspaceSession.open(workspace).close();
    const { io, err } = recordingIO();
    expect(await rollback.run([...signIn(), '--workspace', workspace, '--yes'], io)).toBe(2);
    expect(err.join('\n')).toContain(`There is no backup for job ${JOB_ID}`);
    expect(graph.goLive.schemaPuts).toHaveLength(0);
  });
});
