import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { graphUserToSource, type GraphUser } from '../../../shared/directory/graph-to-source.ts';
import { importMappingSet, type MappingSet } from '../../../shared/mapping/model.ts';
import { endpointClient, runEndpointCheck } from '../../../electron/backend/endpoint-check/run.ts';
import type { CheckResult } from '../../../electron/backend/endpoint-check/types.ts';
import { DEFAULT_MAPPINGS, DEMO_USERS, heldResources, startMock, type Mock } from './helpers.ts';

function defaultSet(): MappingSet {
  const imported = importMappingSet(JSON.parse(readFileSync(DEFAULT_MAPPINGS, 'utf8')));
  if (!imported.ok) throw new Error(imported.issues.join('\n'));
  return imported.set;
}

const sample = graphUserToSource((JSON.parse(readFileSync(DEMO_USERS, 'utf8')) as { value: GraphUser[] }).value[0]!);
const outcomes = (result: CheckResult) => Object.fromEntries(result.steps.map((s) => [s.id, s.outcome]));

let mock: Mock | null = null;
afterEach(async () => {
  await mock?.stop();
  mock = null;
});

describe('endpoint check against the mock server', () => {
  it('in Entra mode every step passes and nothing is left over', async () => {
    mock = await startMock('entra');
    const client = endpointClient({ tenantUrl: mock.server.url, auth: { kind: 'bearer', token: 'mock-token' } });
    const result = await runEndpointCheck({ client, set: defaultSet(), sampleUser: sample, dialect: 'both' });
    expect(result.steps.filter((s) => s.outcome !== 'pass').map((s) => `${s.id}: ${s.explanation}`)).toEqual([]);
    expect(result.failed).toBe(0);
    expect(Object.keys(outcomes(result))).toEqual([
      'discover-serviceproviderconfig', 'discover-resourcetypes', 'discover-schemas', 'test-connection', 'user-match', 'user-create',
      'manager-create', 'user-manager', 'user-update', 'user-update-several', 'user-disable', 'user-enable',
      'user-update:aadOptscim062020', 'user-update-several:aadOptscim062020', 'user-disable:aadOptscim062020', 'user-enable:aadOptscim062020',
      'user-deprovision', 'user-delete', 'group-create', 'group-member-add', 'group-member-remove',
      'group-member-add:aadOptscim062020', 'group-member-remove:aadOptscim062020', 'group-rename', 'group-delete',
    ]);
    expect(result.cleanup.leftOver).toEqual([]);
    expect(result.cleanup.deleted.map((r) => r.resourceType).sort()).toEqual(['Group', 'User', 'User']);
    expect(heldResources(mock.server)).toEqual({ users: 0, groups: 0 });
    // every identifying value carries the run id, and the token never appears
    const create = result.steps.find((s) => s.id === 'user-create')!;
    for (const key of ['userName', 'externalId', 'displayName']) expect(String(create.request!.body![key])).toContain(result.runId);
    expect(JSON.stringify(result)).not.toContain('mock-token');
  });

  it('in strict mode the string-boolean steps fail naming aadOptscim062020, and pass with that dialect', async () => {
    mock = await startMock('strict');
    const client = endpointClient({ tenantUrl: mock.server.url, auth: { kind: 'bearer', token: 'mock-token' } });
    const byDefault = await runEndpointCheck({ client, set: defaultSet(), sampleUser: sample, dialect: 'default' });
    const steps = Object.fromEntries(byDefault.steps.map((s) => [s.id, s]));
    for (const id of ['user-disable', 'user-enable', 'group-member-remove']) {
      expect(steps[id]!.outcome, id).toBe('fail');
      expect(steps[id]!.explanation).toContain('aadOptscim062020');
    }
    expect(steps['user-disable']!.explanation).toContain('"True"/"False"');
    expect(steps['user-disable']!.explanation).toContain('capitalised op names');
    expect(steps['group-member-remove']!.explanation).toContain('"value" array');
    expect(byDefault.cleanup.leftOver).toEqual([]);
    expect(heldResources(mock.server)).toEqual({ users: 0, groups: 0 });

    const flagged = await runEndpointCheck({ client, set: defaultSet(), sampleUser: sample, dialect: 'aadOptscim062020' });
    const after = outcomes(flagged);
    expect([after['user-disable'], after['user-enable'], after['group-member-remove'], after['user-update']]).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(flagged.cleanup.leftOver).toEqual([]);
    expect(heldResources(mock.server)).toEqual({ users: 0, groups: 0 });
  });

  it('in strict mode the capitalised-op steps fail naming aadOptscim062020, and pass with that dialect (issue 16)', async () => {
    mock = await startMock('strict');
    const client = endpointClient({ tenantUrl: mock.server.url, auth: { kind: 'bearer', token: 'mock-token' } });
    const byDefault = await runEndpointCheck({ client, set: defaultSet(), sampleUser: sample, dialect: 'default' });
    const sendsCapitalisedOp = (step: CheckResult['steps'][number]) =>
      step.request?.method === 'PATCH' && JSON.stringify(step.request.body).match(/"op":"(Add|Replace|Remove)"/) !== null;
    const capitalised = byDefault.steps.filter(sendsCapitalisedOp);
    expect(capitalised.map((s) => s.id)).toEqual([
      'user-manager', 'user-update', 'user-update-several', 'user-disable', 'user-enable', 'user-deprovision',
      'group-member-add', 'group-member-remove', 'group-rename',
    ]);
    for (const step of capitalised) {
      expect([step.outcome, step.response?.status], step.id).toEqual(['fail', 400]);
      expect(step.explanation, step.id).toContain('capitalised op names');
      expect(step.explanation, step.id).toContain('aadOptscim062020');
      expect(step.explanation, step.id).toMatch(/"op" must be exactly add, remove or replace, got \\?"(Add|Replace|Remove)\\?"/);
    }
    expect(byDefault.steps.filter((s) => !sendsCapitalisedOp(s)).every((s) => s.outcome === 'pass')).toBe(true);
    expect(byDefault.cleanup.leftOver).toEqual([]);

    const flagged = await runEndpointCheck({ client, set: defaultSet(), sampleUser: sample, dialect: 'aadOptscim062020' });
    expect(flagged.steps.some(sendsCapitalisedOp)).toBe(false);
    // the lower-case ops pass; what strict mode still refuses is the flag's own shapes, explained as such
    const after = Object.fromEntries(flagged.steps.map((s) => [s.id, s]));
    for (const id of ['user-update', 'user-disable', 'user-enable', 'user-deprovision', 'group-member-add', 'group-member-remove', 'group-rename']) {
      expect(after[id]!.outcome, id).toBe('pass');
    }
    expect(flagged.steps.filter((s) => s.outcome === 'fail').map((s) => s.id)).toEqual(['user-manager', 'user-update-several']);
    expect(after['user-manager']!.explanation).toContain('plain string');
    expect(after['user-update-several']!.explanation).toContain('path-less replace whose value keys are attribute paths');
    for (const step of flagged.steps) expect(step.explanation ?? '', step.id).not.toContain('capitalised op names');
    expect(flagged.cleanup.leftOver).toEqual([]);
    expect(heldResources(mock.server)).toEqual({ users: 0, groups: 0 });
  });

  it('refuses to create a user whose userName would not carry the run id, having written nothing', async () => {
    mock = await startMock('entra');
    const set = defaultSet();
    const users = set.synchronizationRules[0]!.objectMappings.find((m) => m.sourceObjectName === 'User')!;
    const userName = users.attributeMappings.find((m) => m.targetAttributeName === 'userName')!;
    userName.source = { name: 'shared.admin@contoso.com', type: 'Constant', parameters: [] } as never;
    const client = endpointClient({ tenantUrl: mock.server.url, auth: { kind: 'bearer', token: 'mock-token' } });
    await expect(runEndpointCheck({ client, set, sampleUser: sample })).rejects.toThrow(/userName = "shared\.admin@contoso\.com", which does not carry the run id/);
    expect(mock.server.requestLog({ limit: 100 }).every((entry) => entry.method === 'GET')).toBe(true);
    expect(heldResources(mock.server)).toEqual({ users: 0, groups: 0 });
  });

  it('read-only mode sends only discovery and the Test Connection probe', async () => {
    mock = await startMock('entra');
    const client = endpointClient({ tenantUrl: mock.server.url, auth: { kind: 'bearer', token: 'mock-token' } });
    const result = await runEndpointCheck({ client, set: defaultSet(), readOnly: true });
    expect(result.steps.map((s) => s.id)).toEqual(['discover-serviceproviderconfig', 'discover-resourcetypes', 'discover-schemas', 'test-connection']);
    expect(mock.server.requestLog({ limit: 100 }).every((entry) => entry.method === 'GET')).toBe(true);
    expect(result.cleanup).toEqual({ deleted: [], leftOver: [] });
  });
});
