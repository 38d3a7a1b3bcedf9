import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DirectoryReadCancelledError,
  GraphReader,
  readDirectory,
  type FetchProgress,
} from '../../../electron/backend/directory/graph-reader.ts';
import { GraphSignInRequiredError, graphOrigin } from '../../../electron/backend/directory/graph-client.ts';
import { DEMO_COST_CENTER_EXTENSION } from '../../../scripts/demo-tenant/generate.ts';
import { graphUserToSource } from '../../../shared/directory/graph-to-source.ts';
import { DEMO_SYNC_JOB_ID, demoGraphData } from '../../support/fake-graph/demo-data.ts';
import { startFakeGraph, type FakeGraph } from '../../support/fake-graph/server.ts';

function readerFor(graph: FakeGraph, extra: Partial<ConstructorParameters<typeof GraphReader>[0]> = {}) {
  return new GraphReader({ graphBaseUrl: graph.baseUrl, getAccessToken: async () => graph.accessToken, ...extra });
}

describe('GraphReader against the fake Graph (demo tenant)', () => {
  const data = demoGraphData();
  let graph: FakeGraph;
  beforeAll(async () => {
    graph = await startFakeGraph(data);
  });
  afterAll(() => graph.close());

  it('reads every user with the manager expanded and the discovered directory extensions selected', async () => {
    const result = await readDirectory(readerFor(graph, { pageSize: 50 }));
    expect(result.users).toHaveLength(data.users.length);
    expect(result.directoryExtensions.map((e) => e.name)).toContain(DEMO_COST_CENTER_EXTENSION);
    const withManager = result.users.find((u) => u.manager)!;
    expect(Object.keys(withManager.manager!).sort()).toEqual([
      '@odata.type',
      'displayName',
      'id',
      'mail',
      'userPrincipalName',
    ]);
    expect(result.users.some((u) => typeof u[DEMO_COST_CENTER_EXTENSION] === 'string')).toBe(true);
    const usersRequest = graph.requests.find((r) => r.url.startsWith('/v1.0/users?'))!;
    expect(decodeURIComponent(usersRequest.url)).toContain(
      '$expand=manager($select=id,displayName,userPrincipalName,mail)',
    );
    expect(decodeURIComponent(usersRequest.url)).toContain(DEMO_COST_CENTER_EXTENSION);
  });

  it('counts users with ConsistencyLevel: eventual and reports fetched/total progress', async () => {
    const progress: FetchProgress[] = [];
    await readerFor(graph, { pageSize: 60 }).readUsers({ onProgress: (p) => progress.push(p) });
    const countRequest = graph.requests.findLast((r) => r.url === '/v1.0/users/$count')!;
    expect(countRequest.headers.consistencylevel).toBe('eventual');
    expect(progress.map((p) => p.fetched)).toEqual([60, 120, 180, data.users.length]);
    expect(progress.every((p) => p.total === data.users.length)).toBe(true);
    expect(progress.at(-1)!.etaSeconds).toBe(0);
  });

  it('reads groups with direct members and reports nested groups', async () => {
    const result = await readDirectory(readerFor(graph));
    expect(result.groups).toHaveLength(data.groups!.length);
    const engineering = result.groups.find((g) => g.displayName === 'Engineering')!;
    const expected = data.groups!.find((g) => g.displayName === 'Engineering')!;
    expect(engineering.members).toEqual(expected.members);
    expect(result.nestedGroups).toEqual([{ groupId: engineering.id, memberGroupIds: [expected.members!.at(-1)!.id] }]);
  });

  it('keeps only the users assigned to an app, directly or through a direct group, with their app roles', async () => {
    const sp = data.servicePrincipals![0]! as { appId: string; id: string };
    const result = await readDirectory(readerFor(graph), { assignedToAppId: sp.appId });
    const pilot = data.groups!.find((g) => g.displayName === 'HiThrive Pilot')!;
    const pilotIds = pilot.members!.map((m) => m.id);
    const ids = new Set(result.users.map((u) => u.id));
    for (const id of pilotIds) expect(ids.has(id)).toBe(true);
    expect(result.users.length).toBeLessThan(data.users.length);
    expect(result.assignedTo!.appRolesByUser[pilotIds[0]!]!.map((r) => r.value)).toEqual(['User']);
    const adminAssignment = (
      data.appRoleAssignments as { principalType: string; principalId: string; appRoleId: string }[]
    ).find(
      (a) =>
        a.principalType === 'User' &&
        result.assignedTo!.servicePrincipal.appRoles.find((r) => r.id === a.appRoleId)?.value === 'Admin',
    )!;
    expect(result.assignedTo!.appRolesByUser[adminAssignment.principalId]!.map((r) => r.value)).toContain('Admin');
    const source = graphUserToSource(
      result.users.find((u) => u.id === adminAssignment.principalId)!,
      {
        assignedToApp: true,
        appRoleAssignments: result.assignedTo!.appRolesByUser[adminAssignment.principalId],
      },
    );
    expect(source.appRoleAssignments).toContain('Admin');
  });

  it("reads an enterprise app's synchronization schema", async () => {
    const reader = readerFor(graph);
    const sp = (await reader.findServicePrincipal((data.servicePrincipals![0] as { appId: string }).appId))!;
    const jobs = await reader.readSynchronizationJobs(sp.id);
    expect(jobs.map((j) => j.id)).toEqual([DEMO_SYNC_JOB_ID]);
    const schema = await reader.readSynchronizationSchema(sp.id, DEMO_SYNC_JOB_ID);
    expect((schema.synchronizationRules as unknown[]).length).toBe(1);
  });

  it('turns a refused token into a "sign in again" error', async () => {
    const reader = new GraphReader({ graphBaseUrl: graph.baseUrl, getAccessToken: async () => 'expired-token' });
    await expect(reader.readUsers()).rejects.toThrow(GraphSignInRequiredError);
    await expect(reader.readUsers()).rejects.toThrow(/Sign in again/);
  });

  it('sends the token only to the configured origin', async () => {
    const reader = readerFor(graph);
    const foreign = 'http://127.0.0.2:9/v1.0/users?$skiptoken=abc';
    await expect((reader as unknown as { get(path: string): Promise<unknown> }).get(foreign)).rejects.toThrow(
      /Refusing to follow a link/,
    );
  });
});

describe('graphOrigin', () => {
  it('accepts https anywhere and http only on loopback', () => {
    expect(graphOrigin('https://graph.microsoft.us/')).toBe('https://graph.microsoft.us');
    expect(graphOrigin('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    expect(() => graphOrigin('http://graph.example.com/')).toThrow(/must use https/);
  });
});

describe('GraphReader throttling, cancel and scale', () => {
  it('waits out a 429 Retry-After in the middle of paging and resumes at the throttled page', async () => {
    const data = demoGraphData();
    const graph = await startFakeGraph(data);
    try {
      graph.injectFault({ path: /^\/v1\.0\/users$/, after: 2, status: 429, retryAfterSeconds: 3 });
      const waits: number[] = [];
      const progress: FetchProgress[] = [];
      const reader = readerFor(graph, { pageSize: 50, sleep: async (ms) => void waits.push(ms) });
      const users = await reader.readUsers({ onProgress: (p) => progress.push(p) });
      expect(users.map((u) => u.id)).toEqual(data.users.map((u) => u.id));
      expect(waits).toEqual([3000]);
      expect(progress.some((p) => p.retryInSeconds === 3)).toBe(true);
      const pages = graph.requests.filter((r) => r.url.startsWith('/v1.0/users?'));
      const throttled = pages.findIndex((r) => r.status === 429);
      expect(throttled).toBe(2);
      expect(pages[throttled + 1]!.url).toBe(pages[throttled]!.url);
      expect(pages[throttled + 1]!.status).toBe(200);
    } finally {
      await graph.close();
    }
  });

  it('backs off exponentially on 503 without Retry-After and gives up after maxRetries', async () => {
    const graph = await startFakeGraph(demoGraphData());
    try {
      graph.injectFault({ path: /^\/v1\.0\/users$/, status: 503, times: 10 });
      const waits: number[] = [];
      const reader = readerFor(graph, {
        maxRetries: 3,
        backoffMs: { initial: 100, max: 250 },
        sleep: async (ms) => void waits.push(ms),
      });
      await expect(reader.readUsers()).rejects.toThrow(/503/);
      expect(waits).toEqual([100, 200, 250]);
    } finally {
      await graph.close();
    }
  });

  it('cancel during paging rejects with nothing returned', async () => {
    const graph = await startFakeGraph(demoGraphData());
    try {
      const controller = new AbortController();
      const reader = readerFor(graph, { pageSize: 20 });
      const pending = readDirectory(reader, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'users' && p.fetched >= 40) controller.abort();
        },
      });
      await expect(pending).rejects.toThrow(DirectoryReadCancelledError);
      const pagesAfterCancel = graph.requests.filter((r) => r.url.startsWith('/v1.0/users?')).length;
      expect(pagesAfterCancel).toBe(2);
    } finally {
      await graph.close();
    }
  });

  it('cancel while waiting out a Retry-After stops the wait', async () => {
    const graph = await startFakeGraph(demoGraphData());
    try {
      graph.injectFault({ path: /^\/v1\.0\/users$/, status: 429, retryAfterSeconds: 3600 });
      const controller = new AbortController();
      const reader = readerFor(graph);
      const pending = reader.readUsers({
        signal: controller.signal,
        onProgress: (p) => p.retryInSeconds && controller.abort(),
      });
      await expect(pending).rejects.toThrow(DirectoryReadCancelledError);
    } finally {
      await graph.close();
    }
  });

  it('reads 100,000 users through 101 pages of 999 and converts every one', async () => {
    const data = demoGraphData(100_000);
    const graph = await startFakeGraph(data);
    try {
      const users = await readerFor(graph).readUsers({ directoryExtensions: [DEMO_COST_CENTER_EXTENSION] });
      const pages = graph.requests.filter((r) => r.url.startsWith('/v1.0/users?'));
      expect(pages).toHaveLength(101);
      expect(users).toHaveLength(100_000);
      // Mismatches are collected rather than asserted one by one: 500,000 expect() calls would dominate the run.
      let guests = 0;
      const mismatches: string[] = [];
      for (let i = 0; i < users.length; i++) {
        const user = users[i]!;
        const expected = data.users[i]!;
        const source = graphUserToSource(user);
        if (source.objectId !== expected.id) mismatches.push(`${i}: objectId`);
        if (source.manager !== (expected.manager?.id ?? null)) mismatches.push(`${i}: manager`);
        if (source.telephoneNumber !== (expected.businessPhones?.[0] ?? null)) mismatches.push(`${i}: telephoneNumber`);
        if ((source[DEMO_COST_CENTER_EXTENSION] ?? null) !== (expected[DEMO_COST_CENTER_EXTENSION] ?? null))
          mismatches.push(`${i}: costCenter`);
        if (String(user.userPrincipalName).includes('#EXT#')) {
          guests++;
          if (String(source.userPrincipalName).includes('#EXT#')) mismatches.push(`${i}: guest UPN`);
        }
      }
      expect(mismatches).toEqual([]);
      expect(guests).toBeGreaterThan(0);
    } finally {
      await graph.close();
    }
  });
});
