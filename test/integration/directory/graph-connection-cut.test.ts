import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GraphClient } from '../../../electron/backend/directory/graph-client.ts';
import { environmentFetch, explainedFetch } from '../../../electron/backend/directory/network.ts';

/** A Graph stand-in that cuts the connection of the first `cuts` requests before answering, then answers `{"ok":n}`. */
async function cuttingServer(cuts: number): Promise<{ server: Server; baseUrl: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    if (seen.length <= cuts) {
      request.socket.destroy();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ ok: seen.length }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, seen };
}

describe('GraphClient when a connection is cut under a request', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  const clientFor = (baseUrl: string) =>
    new GraphClient({ graphBaseUrl: baseUrl, getAccessToken: async () => 't', fetch: explainedFetch(environmentFetch()), maxRetries: 3 });

  it('sends a GET again on a fresh connection and returns its answer', async () => {
    const fake = await cuttingServer(2);
    server = fake.server;
    expect(await clientFor(fake.baseUrl).request('GET', '/users?$top=1')).toEqual({ ok: 3 });
    expect(fake.seen).toEqual(['GET /v1.0/users?$top=1', 'GET /v1.0/users?$top=1', 'GET /v1.0/users?$top=1']);
  });

  it('gives up after maxRetries cuts and reports the cut', async () => {
    const fake = await cuttingServer(10);
    server = fake.server;
    await expect(clientFor(fake.baseUrl).request('GET', '/users')).rejects.toThrow(/connection was cut/);
    expect(fake.seen).toHaveLength(4);
  });

  it('sends a read made as POST (getAvailableExtensionProperties) again, as the client marks it repeatable', async () => {
    const fake = await cuttingServer(1);
    server = fake.server;
    const answer = await clientFor(fake.baseUrl).request('POST', '/directoryObjects/getAvailableExtensionProperties', {
      body: { isSyncedFromOnPremises: false },
      repeatable: true,
    });
    expect(answer).toEqual({ ok: 2 });
    expect(fake.seen).toHaveLength(2);
  });

  it('never repeats a POST that changes something', async () => {
    const fake = await cuttingServer(1);
    server = fake.server;
    await expect(clientFor(fake.baseUrl).request('POST', '/servicePrincipals/x/synchronization/jobs/y/start')).rejects.toThrow(/connection was cut/);
    expect(fake.seen).toHaveLength(1);
  });
});
