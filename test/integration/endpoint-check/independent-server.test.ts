import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { graphUserToSource, type GraphUser } from '../../../shared/directory/graph-to-source.ts';
import { importMappingSet, type MappingSet } from '../../../shared/mapping/model.ts';
import { parseVendorProfile } from '../../../shared/vendors/index.ts';
import { draftProfile, readDiscovery } from '../../../electron/backend/endpoint-check/discovery.ts';
import { diffAgainstPlan } from '../../../electron/backend/endpoint-check/plan-diff.ts';
import { endpointClient, runEndpointCheck } from '../../../electron/backend/endpoint-check/run.ts';
import { DEFAULT_MAPPINGS, DEMO_USERS } from './helpers.ts';
import { ACME_URN, startIndependentServer, type IndependentServer } from './independent-server.ts';

function defaultSet(): MappingSet {
  const imported = importMappingSet(JSON.parse(readFileSync(DEFAULT_MAPPINGS, 'utf8')));
  if (!imported.ok) throw new Error(imported.issues.join('\n'));
  return imported.set;
}

/** The default mappings plus two rows into the custom extension: a hire date into a boolean, a job title into a canonical-valued level. */
function setWithAcmeRows(): MappingSet {
  const set = defaultSet();
  const users = set.synchronizationRules[0]!.objectMappings.find((m) => m.sourceObjectName === 'User')!;
  const row = (source: string, target: string) => ({
    defaultValue: null, exportMissingReferences: false, flowBehavior: 'FlowWhenChanged', flowType: 'Always', matchingPriority: 0,
    source: { expression: `[${source}]`, name: source, parameters: [], type: 'Attribute' }, targetAttributeName: target,
  });
  users.attributeMappings.push(row('employeeHireDate', `${ACME_URN}:contractor`) as never, row('jobTitle', `${ACME_URN}:level`) as never);
  return set;
}

const demoUsers = (JSON.parse(readFileSync(DEMO_USERS, 'utf8')) as { value: GraphUser[] }).value.map((u) => graphUserToSource(u));

let server: IndependentServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

describe('endpoint check against an independent SCIM service', () => {
  it('fails exactly the steps whose Entra behaviour the service refuses, and leaves nothing behind', async () => {
    server = await startIndependentServer();
    const client = endpointClient({ tenantUrl: server.url, auth: { kind: 'bearer', token: 'indie-token' } });
    const result = await runEndpointCheck({ client, set: defaultSet(), sampleUser: demoUsers[0] });
    const byOutcome = (outcome: string) => result.steps.filter((s) => s.outcome === outcome).map((s) => s.id);
    // capitalised ops in every default-dialect PATCH; "False"/"True" in disable, enable and deprovision; no /Groups
    expect(byOutcome('fail')).toEqual(['user-manager', 'user-update', 'user-update-several', 'user-disable', 'user-enable', 'user-deprovision', 'group-create']);
    expect(byOutcome('pass')).toEqual(['discover-serviceproviderconfig', 'discover-resourcetypes', 'discover-schemas', 'test-connection', 'user-match', 'user-create', 'manager-create', 'user-delete']);
    const disable = result.steps.find((s) => s.id === 'user-disable')!;
    expect(disable.response!.status).toBe(400);
    expect(disable.explanation).toContain('op "Replace" is not one of add, remove, replace');
    expect(disable.explanation).toContain('aadOptscim062020');
    expect(result.steps.find((s) => s.id === 'group-create')!.explanation).toContain('Provision Microsoft Entra ID Groups');
    expect(result.cleanup.leftOver).toEqual([]);
    expect(server.users.size).toBe(0);
  });

  it('with aadOptscim062020 the user PATCHes pass', async () => {
    server = await startIndependentServer();
    const client = endpointClient({ tenantUrl: `${server.url}?aadOptscim062020`, auth: { kind: 'bearer', token: 'indie-token' } });
    const result = await runEndpointCheck({ client, set: defaultSet(), sampleUser: demoUsers[0] });
    expect(result.dialects).toEqual(['aadOptscim062020']);
    expect(result.steps.filter((s) => s.outcome === 'fail').map((s) => s.id)).toEqual(['group-create']);
    expect(server.users.size).toBe(0);
  });

  it('reads the user back after an accepted PATCH: "False" kept as a string fails the disable step', async () => {
    server = await startIndependentServer({ lenient: true });
    const client = endpointClient({ tenantUrl: server.url, auth: { kind: 'bearer', token: 'indie-token' } });
    const result = await runEndpointCheck({ client, set: defaultSet(), sampleUser: demoUsers[0] });
    const disable = result.steps.find((s) => s.id === 'user-disable')!;
    expect(disable.response!.status).toBe(200);
    expect(disable.outcome).toBe('fail');
    expect(disable.explanation).toContain('GET /Users/{id} shows active = "False" instead of false');
    expect(disable.explanation).toContain('aadOptscim062020');
    expect(result.steps.find((s) => s.id === 'user-enable')!.explanation).toContain('active = "True" instead of true');
    expect(result.steps.find((s) => s.id === 'user-update')!.outcome).toBe('pass');
    expect(server.users.size).toBe(0);
  });

  it('drafts a profile with exactly the attributes the service declares, citing the URL and date', async () => {
    server = await startIndependentServer();
    const client = endpointClient({ tenantUrl: server.url, auth: { kind: 'bearer', token: 'indie-token' } });
    const discovery = await readDiscovery(client, undefined, new Date('2026-12-05T10:00:00Z'));
    const profile = draftProfile(discovery);
    expect(parseVendorProfile(JSON.parse(JSON.stringify(profile))).ok).toBe(true);
    expect(profile.attributes.map((a) => a.target)).toEqual([
      'externalId', 'userName', 'displayName', 'active', 'title', 'name.givenName', 'name.familyName',
      'emails', 'emails[type eq "work"].value', 'emails[type eq "home"].value', 'groups',
      `${ACME_URN}:badgeNumber`, `${ACME_URN}:startDate`, `${ACME_URN}:contractor`, `${ACME_URN}:level`,
    ]);
    const rule = (target: string) => profile.attributes.find((a) => a.target === target)!;
    expect(rule('userName')).toMatchObject({ required: true, unique: true, type: 'String', custom: false });
    expect(rule(`${ACME_URN}:level`)).toMatchObject({ allowedValues: ['junior', 'senior'], caseSensitive: true, custom: true });
    expect(rule(`${ACME_URN}:contractor`).type).toBe('Boolean');
    expect(rule(`${ACME_URN}:startDate`)).toMatchObject({ type: 'DateTime', format: 'dateTime' });
    expect(rule('groups').note).toContain('mutability readOnly');
    expect(rule('userName').cite).toEqual([{ ref: 'Schemas', section: `discovered from ${server.url}/Schemas on 2026-12-05` }]);
    expect(profile.features.groups.value).toBe('unsupported');
    expect(profile.features.bulk.value).toBe('unsupported');
    expect(profile.connection.notes.map((n) => n.text)).toContain('Filter: supported, at most 50 results.');
  });

  it('compares the draft with the plan: undeclared targets, required not mapped, a date into a boolean, values outside canonical values', async () => {
    server = await startIndependentServer();
    const client = endpointClient({ tenantUrl: server.url, auth: { kind: 'bearer', token: 'indie-token' } });
    const profile = draftProfile(await readDiscovery(client));
    const diff = await diffAgainstPlan(profile, setWithAcmeRows(), demoUsers.slice(0, 20));
    const of = (kind: string) => diff.filter((d) => d.kind === kind).map((d) => d.target);
    expect(of('undeclared-target')).toContain('preferredLanguage');
    expect(of('undeclared-target')).toContain('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department');
    expect(of('undeclared-target')).not.toContain('userName');
    expect(of('required-not-mapped')).toEqual([`${ACME_URN}:badgeNumber`]);
    expect(of('type-mismatch')).toContain(`${ACME_URN}:contractor`);
    expect(of('value-outside-canonical')).toEqual([`${ACME_URN}:level`]);
    expect(diff.find((d) => d.kind === 'value-outside-canonical')!.users).toBeGreaterThan(0);
  });

  it('cleans up after a failure mid-run', async () => {
    server = await startIndependentServer();
    server.failPatchesWith = 500;
    const client = endpointClient({ tenantUrl: `${server.url}?aadOptscim062020`, auth: { kind: 'bearer', token: 'indie-token' } });
    const result = await runEndpointCheck({ client, set: defaultSet(), sampleUser: demoUsers[0] });
    expect(result.steps.find((s) => s.id === 'user-update')!.outcome).toBe('fail');
    expect(result.cleanup.deleted.map((r) => r.resourceType)).toEqual(['User', 'User']);
    expect(server.users.size).toBe(0);
  });

  it('fails a step the vendor does not answer in time with Entra’s Timeout, and still cleans up', async () => {
    server = await startIndependentServer();
    server.failPatchesWith = 'stall';
    // Entra's limit is 60 s (endpointClient's default); a shorter one keeps the test fast.
    const client = endpointClient({ tenantUrl: `${server.url}?aadOptscim062020`, auth: { kind: 'bearer', token: 'indie-token' } }, 300);
    const result = await runEndpointCheck({ client, set: defaultSet(), sampleUser: demoUsers[0] });
    const update = result.steps.find((s) => s.id === 'user-update')!;
    expect(update).toMatchObject({ outcome: 'fail', errorCode: 'Timeout', response: { status: null } });
    expect(update.explanation).toContain('No answer within 300 ms): Entra waits 60 seconds for a response');
    expect(result.steps.find((s) => s.id === 'user-delete')!.outcome).toBe('pass');
    expect(result.cleanup.leftOver).toEqual([]);
    expect(server.users.size).toBe(0);
  });

  it('cleans up after a cancel, and deletes nothing it did not create', async () => {
    server = await startIndependentServer();
    server.users.set('real-1', { id: 'real-1', userName: 'real.person@contoso.com' });
    const controller = new AbortController();
    server.onRequest = (method) => {
      if (method === 'PATCH') controller.abort();
    };
    const client = endpointClient({ tenantUrl: server.url, auth: { kind: 'bearer', token: 'indie-token' } });
    const result = await runEndpointCheck({ client, set: defaultSet(), sampleUser: demoUsers[0], signal: controller.signal });
    expect(result.cancelled).toBe(true);
    expect(result.steps.at(-1)!.outcome).toBe('skip');
    expect(result.cleanup.deleted.length).toBe(2);
    expect([...server.users.keys()]).toEqual(['real-1']);
    expect(server.log.filter((line) => line.startsWith('DELETE')).every((line) => !line.includes('real-1'))).toBe(true);
  });

  it('authenticates with OAuth client credentials against the token URL', async () => {
    const oauth = { clientId: 'planner', clientSecret: 's3cret-value', scope: 'scim.write' };
    server = await startIndependentServer({ oauth });
    const client = endpointClient({ tenantUrl: `${server.url}?aadOptscim062020`, auth: { kind: 'client-credentials', tokenUrl: server.tokenUrl, ...oauth } });
    const result = await runEndpointCheck({ client, set: defaultSet(), sampleUser: demoUsers[0] });
    expect(result.steps.find((s) => s.id === 'test-connection')!.outcome).toBe('pass');
    expect(result.steps.find((s) => s.id === 'user-create')!.outcome).toBe('pass');
    expect(server.log.filter((line) => line.startsWith('POST /oauth/token')).length).toBe(1);
    expect(JSON.stringify(result)).not.toMatch(/s3cret-value|issued-/);
    expect(server.users.size).toBe(0);

    const wrong = endpointClient({ tenantUrl: server.url, auth: { kind: 'client-credentials', tokenUrl: server.tokenUrl, ...oauth, clientSecret: 'wrong' } });
    const refused = await runEndpointCheck({ client: wrong, set: defaultSet(), readOnly: true });
    const probe = refused.steps.find((s) => s.id === 'test-connection')!;
    expect(probe.outcome).toBe('fail');
    expect(probe.explanation).toContain('token endpoint refused the client credentials');
  });
});
