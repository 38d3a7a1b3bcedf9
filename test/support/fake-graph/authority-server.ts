/**
 * The fake authority (fake-authority.ts) behind a real HTTPS listener on 127.0.0.1, for tests where MSAL's
 * requests must cross a real network: through a proxy, with TLS checked against a CA the process trusts.
 * Each request is handed to the authority's INetworkModule under the URL the client asked for (its Host
 * header: login.microsoftonline.com when a proxy tunnelled it here), so the authority logic lives in one place.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { FakeAuthority } from './fake-authority.ts';

export interface FakeAuthorityServer {
  /** the port it listens on, on 127.0.0.1 */
  readonly port: number;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeAuthorityServer(
  authority: FakeAuthority,
  tls: { key: string; cert: string },
): Promise<FakeAuthorityServer> {
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = `https://${request.headers.host}${request.url ?? '/'}`;
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
    const answer =
      request.method === 'POST'
        ? await authority.networkClient.sendPostRequestAsync<unknown>(url, { headers, body: await readBody(request) })
        : await authority.networkClient.sendGetRequestAsync<unknown>(url, { headers });
    const body = JSON.stringify(answer.body);
    response.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(body) });
    response.end(body);
  }

  const server = createServer(tls, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'server_error', error_description: (error as Error).message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
