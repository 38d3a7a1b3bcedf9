/**
 * The canary from the app: canary.preview and canary.run through the backend's dispatcher, with a pasted token, against
 * the fake Graph over HTTP on 127.0.0.1, on the demo tenant's snapshot (the fake serves the same users and groups).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Backend } from '../../../electron/backend/backend.ts';
import { backendCalls } from '../../support/backend-calls.ts';
import { startFakeGraph, type FakeGraph } from '../../support/fake-graph/server.ts';
import { tempDir } from '../../support/temp.ts';
import { JOB_ID, graphData, planSchema } from './fixtures.ts';

const data = graphData();
const temp = tempDir('canary-handlers-');
let graph: FakeGraph;
let backend: Backend;
let job: { accountId: string; graphBaseUrl: string; servicePrincipalId: string; jobId: string };

const user = data.users.find((u) => u.accountEnabled !== false && u.mail && u.givenName && u.displayName)!;
const leads = data.groups!.find((g) => g.displayName === 'Engineering Leads')!;
const guests = data.groups!.find((g) => g.displayName === 'Partners (Guests)')!;
const sixMembers = data.groups!.find((g) => (g.members ?? []).length === 10)!;
const usersOf = (group: typeof leads) => (group.members ?? []).map((m) => data.users.find((u) => u.id === m.id)!);

function exported(of: (typeof data.users)[number], overrides: Record<string, string> = {}): Record<string, string> {
  const values: Record<string, string | undefined> = {
    userName: of.userPrincipalName as string,
    active: of.accountEnabled === false ? 'False' : 'True',
    'emails[type eq "work"].value': of.mail as string | undefined,
    'name.givenName': (of.givenName ?? of.displayName) as string | undefined,
    externalId: of.id,
    displayName: of.displayName as string | undefined,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

const { call, failure } = backendCalls(() => backend);

beforeAll(async () => {
  graph = await startFakeGraph(data);
  backend = new Backend({ mode: 'browser', version: 'test', workspacePath: join(temp.path, 'w.scimplan') });
  const { accountId } = await call('directory.useAccessToken', { token: graph.accessToken, cloud: 'global' });
  await call('directory.useDemoTenant', {});
  await call('mappings.save', { label: 'Plan', mappingSet: planSchema() as never });
  job = { accountId, graphBaseUrl: graph.baseUrl, servicePrincipalId: data.servicePrincipalId, jobId: JOB_ID };
});
afterAll(async () => {
  await backend.close();
  await graph.close();
  temp.cleanup();
});
beforeEach(() => {
  graph.goLive.onDemand.clear();
  graph.goLive.onDemandCalls.length = 0;
});

describe('canary.preview', () => {
  it('names the user, the tenant, the app and what the preview sends, and calls no provisionOnDemand', async () => {
    const preview = await call('canary.preview', { ...job, user: (user.userPrincipalName as string).toUpperCase() });
    expect(preview.tenant).toBe(`Contoso (${graph.goLive.organization.id})`);
    expect(preview.appName).toBeTruthy();
    expect(preview.mappings).toMatch(/^Revision 1 — Plan/);
    expect(preview.group).toBeNull();
    expect(preview.users).toHaveLength(1);
    expect(preview.users[0]).toMatchObject({ objectId: user.id, userPrincipalName: user.userPrincipalName, action: 'create' });
    expect(preview.users[0]!.attributes).toContainEqual({ attribute: 'displayName', value: user.displayName });
    expect(preview.users[0]!.attributes).toContainEqual({ attribute: 'active', value: 'True' });
    expect(preview.note).toContain('aadOptscim062020');
    expect(preview.budget).toEqual({ calls: 5, windowSeconds: 10 });
    expect(graph.goLive.onDemandCalls).toHaveLength(0);
  });

  it('refuses a group of more than 5 members, naming the limit and the count', async () => {
    const error = await failure('canary.preview', { ...job, group: sixMembers.displayName });
    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain(`has ${sixMembers.members!.length} members; provision on demand takes a group with at most 5`);
  });

  it('refuses a user the snapshot does not hold, and both a user and a group at once', async () => {
    expect((await failure('canary.preview', { ...job, user: 'nobody@contoso.example' })).message).toContain('No user "nobody@contoso.example"');
    expect((await failure('canary.preview', { ...job, user: user.id, group: leads.id })).code).toBe('invalid-input');
  });

  it('lists groups by name, paged, with their member counts', async () => {
    const snapshotId = (await call('tenant.listSnapshots', {}))[0]!.id;
    const found = await call('canary.groups', { snapshotId, search: 'engineering', offset: 0, limit: 1 });
    expect(found.total).toBe(2);
    expect(found.items).toHaveLength(1);
    const leadsRow = (await call('canary.groups', { snapshotId, search: 'leads', offset: 0, limit: 50 })).items;
    expect(leadsRow).toEqual([{ id: leads.id, displayName: 'Engineering Leads', memberCount: 4 }]);
  });
});

describe('canary.run', () => {
  it('refuses to run without a token from canary.preview, and Graph gets no provisionOnDemand', async () => {
    expect((await failure('canary.run', {})).code).toBe('invalid-input');
    const unknown = await failure('canary.run', { token: 'made-up' });
    expect(unknown.code).toBe('confirmation-required');
    expect(unknown.message).toContain('writes to the vendor');
    expect(graph.goLive.onDemandCalls).toHaveLength(0);
  });

  it("sets Entra's answer beside the preview per attribute, with the steps, and reports a planted difference", async () => {
    graph.goLive.onDemand.set(user.id, { result: 'Success', action: 'Create', exported: exported(user, { displayName: 'Planted Name' }) });
    const { token } = await call('canary.preview', { ...job, user: user.id });
    const run = await call('canary.run', { token });
    expect(run.group).toBeNull();
    expect(run.agrees).toBe(false);
    const [result] = run.users;
    expect(result!.entra.steps.map((s) => [s.type, s.status])).toEqual([
      ['Import', 'Success'],
      ['Matching', 'Success'],
      ['Scoping', 'Success'],
      ['Export', 'Success'],
    ]);
    expect(result!.attributes.find((a) => a.attribute === 'displayName')).toEqual({ attribute: 'displayName', preview: user.displayName, entra: 'Planted Name', same: false });
    expect(result!.attributes.filter((a) => a.attribute !== 'displayName').every((a) => a.same)).toBe(true);
    expect(run.note).toContain('aadOptscim062020');
    expect(graph.goLive.onDemandCalls.map((c) => c.body)).toEqual([
      { parameters: [{ ruleId: 'e5c2b1a0-0000-4000-8000-00000000aaaa', subjects: [{ objectId: user.id, objectTypeName: 'User' }] }] },
    ]);
  });

  it('runs a token once: a second run with it is refused', async () => {
    graph.goLive.onDemand.set(user.id, { result: 'Success', action: 'Create', exported: exported(user) });
    const { token } = await call('canary.preview', { ...job, user: user.id });
    expect((await call('canary.run', { token })).agrees).toBe(true);
    expect((await failure('canary.run', { token })).code).toBe('confirmation-required');
    expect(graph.goLive.onDemandCalls).toHaveLength(1);
  });

  it(
    'runs a group of 5 as 6 calls within the 5-per-10-seconds budget: the sixth waits, Graph never answers 429',
    async () => {
      const members = usersOf(guests);
      expect(members).toHaveLength(5);
      // guests: the plan's userName is the guest's own address (before #EXT#, its last "_" an "@")
      const address = (upn: string) => upn.split('#EXT#')[0]!.replace(/_([^_]*)$/, '@$1');
      for (const member of members)
        graph.goLive.onDemand.set(member.id, { result: 'Success', action: 'Create', exported: exported(member, { userName: address(member.userPrincipalName as string) }) });
      graph.goLive.onDemand.set(guests.id, { result: 'Success', action: 'Create', exported: { displayName: guests.displayName as string } });
      const preview = await call('canary.preview', { ...job, group: guests.id });
      expect(preview.calls).toBe(6);
      expect(preview.users.map((u) => u.objectId)).toEqual(members.map((m) => m.id));
      const requestsBefore = graph.requests.length;
      const run = await call('canary.run', { token: preview.token });
      expect(run.group).toMatchObject({ objectId: guests.id, displayName: guests.displayName, entra: { result: 'Success' } });
      expect(run.users.map((u) => u.objectId)).toEqual(members.map((m) => m.id));
      expect(run.users.flatMap((u) => u.attributes.filter((a) => !a.same))).toEqual([]);
      expect(run.agrees).toBe(true);
      const calls = graph.goLive.onDemandCalls;
      expect(calls).toHaveLength(6);
      // the pacer held the sixth call until the first left the 10-second window
      expect(calls[5]!.at - calls[0]!.at).toBeGreaterThanOrEqual(9_900);
      expect(run.waitedSeconds).toBeGreaterThan(8);
      const onDemand = graph.requests.slice(requestsBefore).filter((r) => r.url.endsWith('/provisionOnDemand'));
      expect(onDemand.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(calls[5]!.body).toEqual({
        parameters: [
          {
            ruleId: 'e5c2b1a0-0000-4000-8000-00000000aaaa',
            subjects: [{ objectId: guests.id, objectTypeName: 'Group', links: { members: members.map((m) => ({ objectId: m.id, objectTypeName: 'User' })) } }],
          },
        ],
      });
    },
    40_000,
  );
});
