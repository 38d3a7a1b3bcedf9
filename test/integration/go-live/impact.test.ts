import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as apply } from '../../../electron/cli/apply.ts';
import { impactOf } from '../../../electron/backend/go-live/impact.ts';
import { graphGroupToSource, graphUserToSource } from '../../../shared/directory/graph-to-source.ts';
import { importMappingSet, type MappingSet } from '../../../shared/mapping/model.ts';
import { forecastFirstCycle } from '../../../shared/go-live/forecast.ts';
import { demoGraphData } from '../../support/fake-graph/demo-data.ts';
import { startFakeGraph, type FakeGraph } from '../../support/fake-graph/server.ts';
import { tempDir } from '../../support/temp.ts';
import { JOB_ID, graphData, liveSchema, planSchema, recordingIO, writeJson } from './fixtures.ts';

function set(json: unknown): MappingSet {
  const imported = importMappingSet(json);
  if (!imported.ok) throw new Error(imported.issues.join('; '));
  return imported.set;
}

const usersOf = (count?: number) => demoGraphData(count).users.map((u) => graphUserToSource(u));

describe('impact of applying a plan', () => {
  it('names every enabled user a new scoping filter drops, with the rule, and keeps the rest', () => {
    const users = usersOf();
    const { impact } = impactOf({ live: set(liveSchema()), plan: set(planSchema('Sales')), users });
    const dropped = users.filter((u) => u.accountEnabled !== false && u.department !== 'Sales');
    expect(impact.outOfScope.map((u) => u.id).sort()).toEqual(dropped.map((u) => String(u.objectId)).sort());
    expect(impact.outOfScope.every((u) => u.action === 'deactivate' && /department/.test(u.rule))).toBe(true);
    expect(impact.disables).toBe(dropped.length);
    expect(impact.deletes).toBe(0);
    // The Sales users stay and get the new displayName row and the changed givenName: updates, not creates.
    expect(impact.creates).toBe(0);
    expect(impact.updates).toBe(users.filter((u) => u.accountEnabled !== false && u.department === 'Sales').length);
    expect(impact.accidentalDeletions).toEqual({ threshold: 500, count: dropped.length, exceeded: false });
  });

  it('a plan that changes no scope disables nobody', () => {
    const { impact } = impactOf({ live: set(liveSchema()), plan: set(planSchema()), users: usersOf() });
    expect(impact.outOfScope).toEqual([]);
    expect(impact.disables + impact.deletes).toBe(0);
  });

  it('takes the groups the live schema provisioned as held: a plan that leaves the group mapping alone creates none', () => {
    const data = demoGraphData();
    const groups = (data.groups ?? []).map((g) => {
      const source = graphGroupToSource(g);
      return { source, memberIds: Array.isArray(source.members) ? source.members : [] };
    });
    const { impact, forecast } = impactOf({ live: set(liveSchema()), plan: set(planSchema()), users: usersOf(), groups });
    expect(impact.creates).toBe(0);
    expect(impact.groups).toBe(groups.length);
    expect(forecast.groups).toBe(groups.length);
    expect(forecast.memberships).toBe(groups.reduce((sum, g) => sum + g.memberIds.length, 0));
    // The Groups mapping stays live after the PUT, so its rows count among the attributes never cleared.
    expect(forecast.neverCleared).toContain('members');
  });

  it('flags the accidental-deletion threshold when more than 500 users would be disabled', () => {
    const { impact } = impactOf({ live: set(liveSchema()), plan: set(planSchema('Sales')), users: usersOf(1200) });
    expect(impact.accidentalDeletions.count).toBeGreaterThan(500);
    expect(impact.accidentalDeletions.exceeded).toBe(true);
  });
});

describe('forecast of the first cycle', () => {
  it('gives 0.01–0.08 minutes per object and says how long a vendor limit stretches the cycle', () => {
    const forecast = forecastFirstCycle({
      users: 900,
      groups: 20,
      memberships: 80,
      requests: { GET: 900, POST: 900 },
      creates: 900,
      set: set(planSchema()),
      rateLimits: { requestsPerMinute: 60, createsPerMinute: 600 },
    });
    expect(forecast.objects).toBe(1000);
    expect(forecast.minutes).toEqual({ low: 10, high: 80 });
    const requests = forecast.rateChecks.find((c) => c.limit === 'requests per minute')!;
    expect(requests).toMatchObject({ allowed: 60, atFastestPace: 180, exceeded: true, minutesAtLimit: 30, extraMinutes: 20 });
    expect(forecast.rateChecks.find((c) => c.limit === 'creates per minute')).toMatchObject({ exceeded: false });
    expect(forecast.incrementalIntervalMinutes).toBe(40);
    // Constants never become empty; every attribute-sourced row can, and Entra then sends nothing.
    expect(forecast.neverCleared).toEqual(['userName', 'active', 'emails[type eq "work"].value', 'name.givenName', 'externalId', 'displayName']);
  });
});

describe('scim-planner apply --users', () => {
  let graph: FakeGraph;
  const temp = tempDir('go-live-impact-');
  const data = graphData(1200);
  beforeAll(async () => {
    graph = await startFakeGraph(data);
  });
  afterAll(async () => {
    await graph.close();
    temp.cleanup();
  });

  it('prints who is disabled and by which rule, the threshold, and the forecast; JSON carries the contract fields', async () => {
    const mappings = writeJson(temp.path, 'plan.json', planSchema('Sales'));
    const users = writeJson(temp.path, 'users.json', { value: data.users });
    const args = ['--access-token', graph.accessToken, '--graph-base-url', graph.baseUrl, '--service-principal', data.servicePrincipalId, '--job', JOB_ID, '--mappings', mappings, '--users', users];
    const table = recordingIO();
    expect(await apply.run(args, table.io)).toBe(0);
    const text = table.out.join('\n');
    const marketing = data.users.find((u) => u.department === 'Marketing' && u.accountEnabled !== false)!;
    expect(text).toContain(`disabled in the vendor: ${marketing.userPrincipalName} (`);
    expect(text).toMatch(/exceed the accidental-deletion threshold \(500\)/);
    expect(text).toMatch(/the first cycle takes about [\d.]+–[\d.]+ minutes/);

    const json = recordingIO();
    expect(await apply.run([...args, '--format', 'json'], json.io)).toBe(0);
    const report = JSON.parse(json.out.join('')) as {
      impact: { creates: number; updates: number; disables: number; deletes: number; outOfScope: { userPrincipalName: string; rule: string }[] };
      forecast: { objects: number; minutes: { low: number; high: number } };
      applied: boolean;
    };
    expect(report.applied).toBe(false);
    expect(report.impact.disables).toBe(report.impact.outOfScope.length);
    expect(report.impact.outOfScope.some((u) => u.userPrincipalName === marketing.userPrincipalName)).toBe(true);
    expect(report.forecast.minutes.low).toBeCloseTo(report.forecast.objects * 0.01, 5);
    expect(graph.goLive.schemaPuts).toHaveLength(0);
  });
});
