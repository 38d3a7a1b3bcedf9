import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { command as canary } from '../../../electron/cli/canary.ts';
import { OnDemandPacer } from '../../../electron/backend/go-live/job-api.ts';
import { parseOnDemandAnswer } from '../../../shared/go-live/on-demand.ts';
import { startFakeGraph, type FakeGraph } from '../../support/fake-graph/server.ts';
import { tempDir } from '../../support/temp.ts';
import type { GraphUser } from '../../../shared/directory/graph-to-source.ts';
import { JOB_ID, graphData, planSchema, recordingIO, writeJson } from './fixtures.ts';

const data = graphData();
const temp = tempDir('go-live-canary-');
let graph: FakeGraph;
let mappings: string;
let users: string;
let groups: string;
const user = data.users.find((u) => u.accountEnabled !== false && u.mail && u.givenName && u.displayName)!;

/** What Entra exports for this user under the plan, written by hand from the user's Graph attributes. */
function entraExport(overrides: Record<string, string | null> = {}, of: GraphUser = user): Record<string, string | null> {
  const exported: Record<string, string | null> = {
    userName: of.userPrincipalName as string,
    active: of.accountEnabled === false ? 'False' : 'True',
    'emails[type eq "work"].value': (of.mail as string | undefined) ?? null,
    'name.givenName': ((of.givenName ?? of.displayName) as string | undefined) ?? null,
    externalId: of.id,
    displayName: (of.displayName as string | undefined) ?? null,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(exported).filter(([, v]) => v !== null));
}

const leads = data.groups!.find((g) => g.displayName === 'Engineering Leads')!;
const memberIds = (leads.members ?? []).map((m) => m.id);
const memberOf = (id: string) => data.users.find((u) => u.id === id)!;

beforeAll(async () => {
  graph = await startFakeGraph(data);
  mappings = writeJson(temp.path, 'plan.json', planSchema());
  users = writeJson(temp.path, 'users.json', { value: data.users });
  const six = { id: 'a6a6a6a6-0000-4000-8000-000000000006', displayName: 'Six People', members: data.users.slice(0, 6).map((u) => ({ '@odata.type': '#microsoft.graph.user', id: u.id })) };
  groups = writeJson(temp.path, 'groups.json', { value: [...data.groups!, six] });
});
afterAll(async () => {
  await graph.close();
  temp.cleanup();
});
beforeEach(() => {
  graph.goLive.onDemand.clear();
  graph.goLive.onDemandCalls.length = 0;
});

const args = () => ['--access-token', graph.accessToken, '--graph-base-url', graph.baseUrl, '--service-principal', data.servicePrincipalId, '--job', JOB_ID, '--mappings', mappings, '--users', users];

describe('scim-planner canary', () => {
  it('without --yes says it writes to the vendor, exits 2 and sends nothing to Graph', async () => {
    const before = graph.requests.length;
    const { io, err } = recordingIO();
    expect(await canary.run([...args(), '--user', user.userPrincipalName as string], io)).toBe(2);
    expect(graph.requests.length).toBe(before);
    expect(err.join('\n')).toMatch(/in the vendor for real.*Nothing was sent\. Re-run with --yes/s);
    expect(err.join('\n')).toContain('aadOptscim062020');
  });

  it('parses Entra\'s stringified answer and agrees with the preview attribute by attribute (exit 0)', async () => {
    graph.goLive.onDemand.set(user.id, { result: 'Success', action: 'Create', exported: entraExport() });
    const { io, out } = recordingIO();
    expect(await canary.run([...args(), '--user', user.userPrincipalName as string, '--yes', '--format', 'json'], io)).toBe(0);
    const result = JSON.parse(out.join('')) as { entra: { result: string; action: string; steps: { type: string }[] }; ruleId: string; attributes: { attribute: string; same: boolean }[]; agrees: boolean };
    expect(result.entra.result).toBe('Success');
    expect(result.entra.action).toBe('Create');
    expect(result.entra.steps.map((s) => s.type)).toEqual(['Import', 'Matching', 'Scoping', 'Export']);
    expect(result.attributes.map((a) => a.attribute)).toEqual(Object.keys(entraExport()));
    expect(result.agrees).toBe(true);
    const call = graph.goLive.onDemandCalls[0]!.body as { parameters: { ruleId: string; subjects: unknown[] }[] };
    expect(call.parameters[0]).toEqual({ ruleId: 'e5c2b1a0-0000-4000-8000-00000000aaaa', subjects: [{ objectId: user.id, objectTypeName: 'User' }] });
  });

  it('reports a planted difference and exits 1', async () => {
    graph.goLive.onDemand.set(user.id, { result: 'Success', action: 'Create', exported: entraExport({ displayName: 'Someone Else' }) });
    const { io, out, err } = recordingIO();
    expect(await canary.run([...args(), '--user', user.id, '--yes'], io)).toBe(1);
    const line = out.find((l) => l.includes('displayName'))!;
    expect(line.startsWith('≠')).toBe(true);
    expect(line).toContain(user.displayName as string);
    expect(line).toContain('Someone Else');
    expect(err.join('\n')).toContain('1 attribute(s) differ');
  });

  it('reports Entra\'s failure with its error code and exits 1', async () => {
    graph.goLive.onDemand.set(user.id, { result: 'Failure', action: 'Create', error: { errorCode: 'SystemForCrossDomainIdentityManagementBadRequest', errorMessage: 'The vendor refused the request.' } });
    const { io, out } = recordingIO();
    expect(await canary.run([...args(), '--user', user.id, '--yes'], io)).toBe(1);
    expect(out[0]).toContain('Entra: Failure, action Create (SystemForCrossDomainIdentityManagementBadRequest: The vendor refused the request.)');
  });

  it('exits 2 with Graph\'s words when Graph refuses the subject', async () => {
    const { io, err } = recordingIO();
    expect(await canary.run([...args(), '--user', user.id, '--yes'], io)).toBe(2);
    expect(err.join('\n')).toContain('was not found in the source directory');
  });
});

describe('scim-planner canary --group', () => {
  const groupArgs = () => [...args(), '--groups', groups];

  it('provisions each member, then the group with its members linked, in the documented request shape (exit 0)', async () => {
    for (const id of memberIds) graph.goLive.onDemand.set(id, { result: 'Success', action: 'Create', exported: entraExport({}, memberOf(id)) });
    graph.goLive.onDemand.set(leads.id, { result: 'Success', action: 'Create', exported: { displayName: 'Engineering Leads' } });
    const { io, out } = recordingIO();
    expect(await canary.run([...groupArgs(), '--group', 'engineering leads', '--yes', '--format', 'json'], io)).toBe(0);
    const result = JSON.parse(out.join('')) as { group: { objectId: string }; entra: { result: string }; members: { objectId: string; agrees: boolean }[]; agrees: boolean };
    expect(result.group.objectId).toBe(leads.id);
    expect(result.members.map((m) => m.objectId)).toEqual(memberIds);
    expect(result.members.every((m) => m.agrees)).toBe(true);
    expect(result.agrees).toBe(true);
    const bodies = graph.goLive.onDemandCalls.map((c) => (c.body as { parameters: { ruleId: string; subjects: unknown[] }[] }).parameters[0]);
    expect(bodies.slice(0, -1).map((b) => b!.subjects)).toEqual(memberIds.map((id) => [{ objectId: id, objectTypeName: 'User' }]));
    expect(bodies.at(-1)).toEqual({
      ruleId: 'e5c2b1a0-0000-4000-8000-00000000aaaa',
      subjects: [{ objectId: leads.id, objectTypeName: 'Group', links: { members: memberIds.map((id) => ({ objectId: id, objectTypeName: 'User' })) } }],
    });
  });

  it('reports a member whose answer differs from the preview and exits 1', async () => {
    for (const id of memberIds) graph.goLive.onDemand.set(id, { result: 'Success', action: 'Create', exported: entraExport({}, memberOf(id)) });
    graph.goLive.onDemand.set(memberIds[1]!, { result: 'Success', action: 'Create', exported: entraExport({ displayName: 'Planted Name' }, memberOf(memberIds[1]!)) });
    graph.goLive.onDemand.set(leads.id, { result: 'Success', action: 'Create', exported: {} });
    const { io, out, err } = recordingIO();
    expect(await canary.run([...groupArgs(), '--group', leads.id, '--yes'], io)).toBe(1);
    const line = out.find((l) => l.includes('Planted Name'))!;
    expect(line.startsWith('≠')).toBe(true);
    expect(line).toContain(memberOf(memberIds[1]!).displayName as string);
    expect(out).toContain(`── group Engineering Leads with ${memberIds.length} member(s)`);
    expect(err.join('\n')).toContain('1 attribute(s) differ');
  });

  it('refuses a group of 6 members naming the limit and the count, and sends nothing', async () => {
    const before = graph.requests.length;
    await expect(canary.run([...groupArgs(), '--group', 'Six People', '--yes'], recordingIO().io)).rejects.toThrow(/"Six People" has 6 members; provision on demand takes a group with at most 5/);
    expect(graph.requests.length).toBe(before);
  });

  it('takes exactly one of --user and --group, and --group needs --groups', async () => {
    await expect(canary.run([...groupArgs(), '--group', leads.id, '--user', user.id, '--yes'], recordingIO().io)).rejects.toThrow(/exactly one of --user/);
    await expect(canary.run([...args(), '--group', leads.id, '--yes'], recordingIO().io)).rejects.toThrow(/--group needs --groups FILE/);
  });

  it('without --yes names the group and each member the preview expects, and sends nothing', async () => {
    const before = graph.requests.length;
    const { io, err } = recordingIO();
    expect(await canary.run([...groupArgs(), '--group', 'Engineering Leads'], io)).toBe(2);
    expect(graph.requests.length).toBe(before);
    expect(err.join('\n')).toContain(`group Engineering Leads with its ${memberIds.length} member(s)`);
    expect(err.join('\n')).toContain(memberOf(memberIds[0]!).userPrincipalName as string);
  });
});

describe('provision on demand answer', () => {
  it('reads the documented sample: a key and a value that are JSON strings', () => {
    const result = parseOnDemandAnswer({
      key: '{"result":"Skipped","details":{"errorCode":"RedundantExport","errorMessage":"The state of the user in both the source and target systems already match."}}',
      value: '{"action":"Other","modifiedProperties":[{"displayName":"displayName","oldValue":null,"newValue":"Bill Bob"}],"provisioningSteps":[{"name":"EntrySynchronizationSkip","type":"Export","status":"Skipped","description":"No change","details":{"SkipReason":"RedundantExport"}}]}',
    });
    expect(result).toMatchObject({ result: 'Skipped', errorCode: 'RedundantExport', action: 'Other', modifiedProperties: [{ name: 'displayName', oldValue: null, newValue: 'Bill Bob' }] });
    expect(result.steps[0]).toMatchObject({ type: 'Export', status: 'Skipped', details: { SkipReason: 'RedundantExport' } });
  });

  it('refuses an answer whose key is not a JSON string, naming the part', () => {
    expect(() => parseOnDemandAnswer({ key: { result: 'Success' }, value: '{}' })).toThrow(/no key string/);
    expect(() => parseOnDemandAnswer({ key: 'not json', value: '{}' })).toThrow(/key is not JSON/);
  });

  it('paces calls to 5 per 10 seconds', async () => {
    let now = 0;
    const waits: number[] = [];
    const pacer = new OnDemandPacer(() => now, async (ms) => {
      waits.push(ms);
      now += ms;
    });
    for (let i = 0; i < 6; i++) {
      await pacer.turn();
      now += 100;
    }
    expect(waits).toEqual([9500]);
  });

  it('counts each call from its answer: Graph counts it on arrival, after the pacer let it go', async () => {
    const clock = { now: 0 };
    const waits: number[] = [];
    const pacer = new OnDemandPacer(() => clock.now, async (ms) => void waits.push((clock.now += ms)));
    for (let i = 0; i < 5; i++) {
      await pacer.turn();
      clock.now += 300;
      pacer.answered();
    }
    await pacer.turn();
    // the first call was answered at 300 ms: the sixth goes at 10 300 ms (a wait of 8 800 ms), not at 10 000
    expect(waits).toEqual([10_300]);
  });
});
