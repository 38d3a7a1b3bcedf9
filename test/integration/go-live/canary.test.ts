import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { command as canary } from '../../../electron/cli/canary.ts';
import { OnDemandPacer } from '../../../electron/backend/go-live/job-api.ts';
import { parseOnDemandAnswer } from '../../../shared/go-live/on-demand.ts';
import { startFakeGraph, type FakeGraph } from '../../support/fake-graph/server.ts';
import { tempDir } from '../../support/temp.ts';
import { JOB_ID, graphData, planSchema, recordingIO, writeJson } from './fixtures.ts';

const data = graphData();
const temp = tempDir('go-live-canary-');
let graph: FakeGraph;
let mappings: string;
let users: string;
const user = data.users.find((u) => u.accountEnabled !== false && u.mail && u.givenName && u.displayName)!;

/** What Entra exports for this user under the plan, written by hand from the user's Graph attributes. */
function entraExport(overrides: Record<string, string | null> = {}): Record<string, string | null> {
  return {
    userName: user.userPrincipalName as string,
    active: 'True',
    'emails[type eq "work"].value': user.mail as string,
    'name.givenName': user.givenName as string,
    externalId: user.id,
    displayName: user.displayName as string,
    ...overrides,
  };
}

beforeAll(async () => {
  graph = await startFakeGraph(data);
  mappings = writeJson(temp.path, 'plan.json', planSchema());
  users = writeJson(temp.path, 'users.json', { value: data.users });
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
});
