import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOUDS, graphScopes } from '../../../electron/backend/directory/clouds.ts';
import { GraphClient, GraphRequestError } from '../../../electron/backend/directory/graph-client.ts';
import { readLiveSchema, restartJob, startJob, putSchema } from '../../../electron/backend/go-live/job-api.ts';
import { startFakeGraph, type FakeGraph } from '../../support/fake-graph/server.ts';
import { JOB_ID, graphData, liveSchema } from './fixtures.ts';

const data = graphData();
let graph: FakeGraph;
let client: GraphClient;
const job = () => ({ servicePrincipalId: data.servicePrincipalId, jobId: JOB_ID });

beforeAll(async () => {
  graph = await startFakeGraph(data);
  // No retries: a 429 reaches the test as Graph sent it.
  client = new GraphClient({ graphBaseUrl: graph.baseUrl, getAccessToken: async () => graph.accessToken, maxRetries: 0 });
});
afterAll(() => graph.close());

describe('the fake Graph for going live', () => {
  it('keeps what a schema PUT sends and answers 204, and GET returns it', async () => {
    const schema = liveSchema() as { synchronizationRules: unknown[] };
    schema.synchronizationRules = schema.synchronizationRules.slice(0, 1);
    await putSchema(client, job(), schema as never);
    expect(graph.goLive.schemas.get(JOB_ID)).toEqual(schema);
    expect((await readLiveSchema(client, job())).synchronizationRules).toHaveLength(1);
  });

  it('records start and restart with its criteria, and refuses an unknown reset scope', async () => {
    await startJob(client, job());
    await restartJob(client, job(), ['Full']);
    expect(graph.goLive.starts).toContain(JOB_ID);
    expect(graph.goLive.restarts.at(-1)).toEqual({ jobId: JOB_ID, body: { criteria: { resetScope: 'Full' } } });
    await expect(restartJob(client, job(), ['Everything' as never])).rejects.toThrow(/Invalid resetScope value\(s\): Everything/);
  });

  it('answers 404 for a job the service principal does not have', async () => {
    const error = await startJob(client, { servicePrincipalId: data.servicePrincipalId, jobId: 'no-such-job' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphRequestError);
    expect((error as GraphRequestError).status).toBe(404);
  });

  it('answers 429 with Retry-After to a sixth provisionOnDemand within 10 seconds', async () => {
    const user = data.users[0]!;
    graph.goLive.onDemand.set(user.id, { result: 'Success', action: 'Create', exported: { userName: 'x' } });
    let now = 1_000_000;
    graph.goLive.now = () => now;
    const body = { parameters: [{ ruleId: 'r', subjects: [{ objectId: user.id, objectTypeName: 'User' }] }] };
    const path = `/servicePrincipals/${data.servicePrincipalId}/synchronization/jobs/${JOB_ID}/provisionOnDemand`;
    for (let i = 0; i < 5; i++) {
      const answer = await client.request<{ key: string; value: string }>('POST', path, { body });
      expect(JSON.parse(answer.key)).toEqual({ result: 'Success', details: {} });
      now += 1000;
    }
    const error = await client.request('POST', path, { body }).catch((e: unknown) => e);
    expect((error as GraphRequestError).status).toBe(429);
    expect(graph.requests.at(-1)!.status).toBe(429);
    now += 6000;
    await expect(client.request('POST', path, { body })).resolves.toMatchObject({ key: expect.any(String) });
  });
});

describe('sign-in scope for going live', () => {
  it('asks for Synchronization.ReadWrite.All, on the cloud\'s own Graph, when the command writes', () => {
    expect(graphScopes('usgov', { synchronization: 'write' }).at(-1)).toBe(`${CLOUDS.usgov.graphBaseUrl}/Synchronization.ReadWrite.All`);
    expect(graphScopes('global', { synchronization: 'write' })).not.toContain('https://graph.microsoft.com/Synchronization.Read.All');
  });
});
