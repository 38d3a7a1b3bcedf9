/**
 * Going live from the app: the goLive.* handlers through the backend's dispatcher, with a pasted token, against the
 * fake Graph over HTTP on 127.0.0.1 and a real workspace file. Nothing is written without the preview's token and
 * the app's name typed; a stale token is refused; the read-back catches a lossy Graph; rollback restores exactly.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/api.ts';
import { Backend } from '../../../electron/backend/backend.ts';
import { dispatch } from '../../../electron/backend/dispatch.ts';
import { startFakeGraph, type FakeGraph } from '../../support/fake-graph/server.ts';
import { tempDir } from '../../support/temp.ts';
import { JOB_ID, graphData, liveSchema, planSchema } from './fixtures.ts';

const data = graphData();
let graph: FakeGraph;
let temp: ReturnType<typeof tempDir>;
let backend: Backend;

beforeAll(async () => {
  graph = await startFakeGraph(data);
});
afterAll(() => graph.close());
beforeEach(() => {
  temp = tempDir('go-live-app-');
  backend = new Backend({ mode: 'browser', version: 'test', workspacePath: join(temp.path, 'w.scimplan') });
  graph.goLive.schemas.set(JOB_ID, liveSchema());
  graph.goLive.schemaPuts.length = 0;
  graph.goLive.dropRowOnPut = null;
  graph.goLive.starts.length = 0;
  graph.goLive.restarts.length = 0;
});
afterEach(async () => {
  await backend.close();
  temp.cleanup();
});

async function call<M extends MethodName>(name: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const envelope = await dispatch(backend.handlers, name, input);
  if (!envelope.ok) throw new Error(`${name}: ${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value as MethodOutput<M>;
}

async function failure(name: MethodName, input: unknown): Promise<{ code: string; message: string }> {
  const envelope = await dispatch(backend.handlers, name, input);
  if (envelope.ok) throw new Error(`${name} was expected to fail`);
  return envelope.error;
}

const writes = () => graph.requests.filter((r) => r.method !== 'GET').length;

/** A pasted token, the plan saved as a revision and (unless `demoOnly`) the tenant's users imported as a snapshot. */
async function prepare(scopeDepartment: string | null = null, demoOnly = false) {
  const { accountId } = await call('directory.useAccessToken', { token: graph.accessToken, cloud: 'global' });
  await call('mappings.save', { label: 'Go live', mappingSet: planSchema(scopeDepartment) as never });
  if (!demoOnly) {
    const imported = await call('directory.import', { fileName: 'users.json', content: JSON.stringify({ value: data.users }) });
    if (imported.status !== 'imported') throw new Error(imported.message);
  }
  return { accountId, graphBaseUrl: graph.baseUrl, servicePrincipalId: data.servicePrincipalId, jobId: JOB_ID };
}

describe('goLive.preview', () => {
  it('names tenant and app, lists the diff in the portal\'s words and the impact, and writes nothing', async () => {
    const job = await prepare('Sales');
    const before = writes();
    const preview = await call('goLive.preview', job);
    expect(writes()).toBe(before);
    expect(preview.target).toMatchObject({ tenant: expect.stringContaining('Contoso'), servicePrincipalId: data.servicePrincipalId, jobId: JOB_ID });
    expect(preview.typeToConfirm).toBe(preview.target.appName);
    expect(preview.changes.map((c) => [c.objectMapping, c.targetAttribute, c.change, c.kind])).toEqual([
      ['Provision Azure Active Directory Users', null, 'added', 'scope'],
      ['Provision Azure Active Directory Users', 'name.givenName', 'changed', 'row'],
      ['Provision Azure Active Directory Users', 'displayName', 'added', 'row'],
      ['Provision Azure Active Directory Users', 'name.familyName', 'removed', 'row'],
    ]);
    expect(preview.changes[1]!.columns).toEqual([
      { column: 'Mapping type', before: 'Direct', after: 'Expression' },
      { column: 'Source attribute', before: '[givenName]', after: 'Coalesce([givenName], [displayName])' },
    ]);
    const dropped = data.users.filter((u) => u.accountEnabled !== false && u.department !== 'Sales');
    expect(preview.impact!.disables).toBe(dropped.length);
    expect(preview.impact!.outOfScope.map((u) => u.id).sort()).toEqual(dropped.map((u) => u.id).sort());
    expect(preview.impact!.lines[0]).toMatch(/^The next cycle touches \d+ users/);
    expect(preview.forecast!.objects).toBeGreaterThan(0);
    expect(preview.snapshot).not.toBeNull();
    expect(preview.impactNote).toBeNull();
  });

  it('computes no impact from the demo tenant, and says why', async () => {
    const job = await prepare(null, true);
    const preview = await call('goLive.preview', job);
    expect(preview.impact).toBeNull();
    expect(preview.impactNote).toMatch(/fetch or import/);
    expect(preview.changes.length).toBeGreaterThan(0);
  });
});

describe('goLive.apply', () => {
  it('writes nothing without the preview\'s token, or with the wrong name typed; the right name then applies', async () => {
    const job = await prepare();
    const unknown = await failure('goLive.apply', { token: 'made-up', confirmation: 'anything' });
    expect(unknown.code).toBe('confirmation-required');
    expect(unknown.message).toMatch(/Nothing was written/);
    const preview = await call('goLive.preview', job);
    const wrongName = await failure('goLive.apply', { token: preview.token, confirmation: 'not the app' });
    expect(wrongName.code).toBe('confirmation-required');
    expect(wrongName.message).toContain(preview.typeToConfirm);
    expect(graph.goLive.schemaPuts).toHaveLength(0);

    const applied = await call('goLive.apply', { token: preview.token, confirmation: preview.typeToConfirm });
    expect(applied).toMatchObject({ verified: true, differences: [], job: { started: false, restarted: null } });
    expect(graph.goLive.schemaPuts).toHaveLength(1);
    // a token is good for one write
    expect((await failure('goLive.apply', { token: preview.token, confirmation: preview.typeToConfirm })).code).toBe('confirmation-required');
    expect(graph.goLive.schemaPuts).toHaveLength(1);
  });

  it('refuses a token whose live schema changed since the preview, and writes nothing', async () => {
    const job = await prepare();
    const preview = await call('goLive.preview', job);
    // someone saves the job's mappings in the portal meanwhile
    const edited = liveSchema() as { synchronizationRules: { objectMappings: { attributeMappings: unknown[] }[] }[] };
    edited.synchronizationRules[0]!.objectMappings[0]!.attributeMappings.pop();
    graph.goLive.schemas.set(JOB_ID, edited as never);
    const stale = await failure('goLive.apply', { token: preview.token, confirmation: preview.typeToConfirm });
    expect(stale.code).toBe('confirmation-required');
    expect(stale.message).toMatch(/changed since you compared/);
    expect(graph.goLive.schemaPuts).toHaveLength(0);
    expect(graph.goLive.schemas.get(JOB_ID)).toEqual(edited);
  });

  it('backs up, PUTs, reads back as planned, lists the backup and restarts with the scope picked', async () => {
    const job = await prepare();
    const preview = await call('goLive.preview', job);
    const applied = await call('goLive.apply', { token: preview.token, confirmation: preview.typeToConfirm, then: { action: 'restart', resetScope: ['Watermark', 'Escrows'] } });
    expect(applied.verified).toBe(true);
    expect(applied.job).toEqual({ started: false, restarted: ['Watermark', 'Escrows'] });
    expect(graph.goLive.restarts).toEqual([{ jobId: JOB_ID, body: { criteria: { resetScope: 'Watermark, Escrows' } } }]);
    const users = (graph.goLive.schemaPuts[0]!.body as { synchronizationRules: { objectMappings: { sourceObjectName: string; attributeMappings: { targetAttributeName: string }[] }[] }[] }).synchronizationRules[0]!.objectMappings.find((m) => m.sourceObjectName === 'User')!;
    expect(users.attributeMappings.map((r) => r.targetAttributeName)).toContain('displayName');
    expect(users.attributeMappings.map((r) => r.targetAttributeName)).not.toContain('name.familyName');
    const backups = await call('goLive.backups', { servicePrincipalId: data.servicePrincipalId, jobId: JOB_ID });
    expect(backups).toEqual([applied.backup]);
    expect(applied.backup).toMatchObject({ reason: 'apply', tenant: preview.target.tenant, appName: preview.target.appName });
  });

  it('catches a Graph that drops a planned row: not verified, names the row, and does not start the job', async () => {
    const job = await prepare();
    graph.goLive.dropRowOnPut = 'displayName';
    const preview = await call('goLive.preview', job);
    const applied = await call('goLive.apply', { token: preview.token, confirmation: preview.typeToConfirm, then: { action: 'start' } });
    expect(applied.verified).toBe(false);
    expect(applied.differences.join('\n')).toContain('displayName: row added');
    expect(applied.job.started).toBe(false);
    expect(graph.goLive.starts).toEqual([]);
  });
});

describe('goLive.rollback', () => {
  it('shows what restoring changes, writes nothing without its token, then restores the backup exactly', async () => {
    const job = await prepare();
    const preview = await call('goLive.preview', job);
    const applied = await call('goLive.apply', { token: preview.token, confirmation: preview.typeToConfirm });
    const appliedSchema = structuredClone(graph.goLive.schemas.get(JOB_ID));

    const back = await call('goLive.rollbackPreview', { ...job, backupId: applied.backup.id });
    expect(back.backup.id).toBe(applied.backup.id);
    expect(back.changes.map((c) => c.text)).toContain('Provision Azure Active Directory Users: name.familyName: row added (Direct [surname])');
    // an apply token is not a rollback token, and vice versa
    expect((await failure('goLive.apply', { token: back.token, confirmation: back.typeToConfirm })).code).toBe('confirmation-required');
    expect(graph.goLive.schemaPuts).toHaveLength(1);

    const restored = await call('goLive.rollback', { token: back.token, confirmation: back.typeToConfirm });
    expect(restored.verified).toBe(true);
    expect(graph.goLive.schemas.get(JOB_ID)).toEqual(liveSchema());
    const backups = await call('goLive.backups', { servicePrincipalId: data.servicePrincipalId, jobId: JOB_ID });
    expect(backups.map((b) => b.reason)).toEqual(['rollback', 'apply']);
    expect(restored.backup.id).toBe(backups[0]!.id);
    expect(appliedSchema).not.toEqual(liveSchema());
  });

  it('names the impact of the cycle the restored schema starts: the users a scoping filter had left out come back', async () => {
    const job = await prepare('Sales');
    const preview = await call('goLive.preview', job);
    const applied = await call('goLive.apply', { token: preview.token, confirmation: preview.typeToConfirm });
    const back = await call('goLive.rollbackPreview', { ...job, backupId: applied.backup.id });
    const leftOut = data.users.filter((u) => u.accountEnabled !== false && u.department !== 'Sales');
    expect(back.snapshot).not.toBeNull();
    expect(back.impactNote).toBeNull();
    expect(back.impact!.creates).toBe(leftOut.length);
    expect(back.impact!.outOfScope).toEqual([]);
    expect(back.forecast!.objects).toBeGreaterThan(0);
    expect(graph.goLive.schemaPuts).toHaveLength(1);
  });

  it('a backup of another job is refused by name', async () => {
    const job = await prepare();
    const error = await failure('goLive.rollbackPreview', { ...job, backupId: 999 });
    expect(error.code).toBe('not-found');
    expect(error.message).toMatch(/Backup 999/);
  });
});
