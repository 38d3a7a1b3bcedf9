import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntraSignIn } from '../../../electron/backend/directory/auth.ts';
import {
  NetworkRequestError,
  environmentFetch,
  fetchNetworkModule,
} from '../../../electron/backend/directory/network.ts';
import { demoGraphData } from '../../support/fake-graph/demo-data.ts';
import { startFakeGraph, type FakeGraph } from '../../support/fake-graph/server.ts';
import { startTestProxy, type TestProxy } from '../../support/proxy/forward-proxy.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A stand-in for the authority's endpoints: JSON, error JSON, an HTML error page, and a request left hanging. */
async function startEndpoint(): Promise<{ origin: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(value));
    };
    switch (new URL(request.url ?? '/', 'http://x').pathname) {
      case '/organizations/v2.0/.well-known/openid-configuration':
        return json(200, { token_endpoint: 'https://login.example/token' }, { 'x-ms-request-id': 'request-1' });
      case '/token':
        return json(200, { echoed: Object.fromEntries(new URLSearchParams(body)) });
      case '/pending':
        return json(400, { error: 'authorization_pending', error_description: 'AADSTS70016: not yet' });
      case '/html':
        response.writeHead(502, 'Bad Gateway', { 'content-type': 'text/html' });
        return response.end('<h1>Bad gateway</h1>');
      case '/hang':
        return; // never answers
      default:
        return json(404, { error: 'not_found' });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on: listened on once, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('fetchNetworkModule: MSAL requests over a fetch', () => {
  let endpoint: Awaited<ReturnType<typeof startEndpoint>>;
  beforeAll(async () => {
    endpoint = await startEndpoint();
  });
  afterAll(() => endpoint.close());

  it('GETs with the headers MSAL passes and returns status, headers and the parsed JSON body', async () => {
    const network = fetchNetworkModule(fetch);
    const response = await network.sendGetRequestAsync<{ token_endpoint: string }>(
      `${endpoint.origin}/organizations/v2.0/.well-known/openid-configuration`,
      { headers: { 'x-client-SKU': 'msal.js.node', 'client-request-id': 'abc' } },
    );
    expect(response.status).toBe(200);
    expect(response.body.token_endpoint).toBe('https://login.example/token');
    expect(response.headers['x-ms-request-id']).toBe('request-1');
    const seen = endpoint.seen.at(-1)!;
    expect(seen.method).toBe('GET');
    expect(seen.headers['x-client-sku']).toBe('msal.js.node');
    expect(seen.headers['client-request-id']).toBe('abc');
  });

  it('POSTs the form body as a form, whether or not MSAL names the content type', async () => {
    const network = fetchNetworkModule(fetch);
    const body = 'client_id=6f1c0f0e&grant_type=device_code&scope=openid%20offline_access';
    const named = await network.sendPostRequestAsync<{ echoed: Record<string, string> }>(`${endpoint.origin}/token`, {
      body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' },
    });
    expect(named.body.echoed).toEqual({
      client_id: '6f1c0f0e',
      grant_type: 'device_code',
      scope: 'openid offline_access',
    });
    expect(endpoint.seen.at(-1)!.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=utf-8');

    await network.sendPostRequestAsync(`${endpoint.origin}/token`, { body });
    const unnamed = endpoint.seen.at(-1)!;
    expect(unnamed.method).toBe('POST');
    expect(unnamed.body).toBe(body);
    expect(unnamed.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('returns error statuses with their JSON body, as MSAL reads "authorization_pending" from a 400', async () => {
    const response = await fetchNetworkModule(fetch).sendPostRequestAsync<{ error: string }>(
      `${endpoint.origin}/pending`,
      { body: 'grant_type=device_code' },
    );
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('authorization_pending');
  });

  it('turns a body that is not JSON into the error object MSAL expects, keeping the status', async () => {
    const response = await fetchNetworkModule(fetch).sendGetRequestAsync<{ error: string; error_description: string }>(
      `${endpoint.origin}/html`,
    );
    expect(response.status).toBe(502);
    expect(response.body.error).toBe('server_error');
    expect(response.body.error_description).toContain('Http status code: 502');
  });

  it('rethrows a refused connection with the URL and the reason', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/organizations/oauth2/v2.0/token`;
    const failure = await fetchNetworkModule(fetch)
      .sendPostRequestAsync(url, { body: 'x=1' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NetworkRequestError);
    expect((failure as NetworkRequestError).url).toBe(url);
    expect((failure as Error).message).toMatch(
      new RegExp(
        `^Could not reach ${url.replace(/[.?]/g, '\\$&')}: the connection to 127\\.0\\.0\\.1:\\d+ was refused \\(ECONNREFUSED\\)$`,
      ),
    );
  });

  it('gives up on a request that gets no answer within the timeout, and says so', async () => {
    const network = fetchNetworkModule(fetch, { timeoutMs: 300 });
    const failure = await network
      .sendGetRequestAsync(`${endpoint.origin}/hang?secret=1`)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NetworkRequestError);
    // The query is left out: it is nobody's business in an error message.
    expect((failure as Error).message).toBe(
      `Could not reach ${endpoint.origin}/hang: no answer within 300 ms; a proxy or firewall may be holding the connection`,
    );
  });
});

describe('environmentFetch: HTTPS_PROXY, HTTP_PROXY and NO_PROXY outside Electron', () => {
  let graph: FakeGraph;
  let proxy: TestProxy;
  beforeAll(async () => {
    graph = await startFakeGraph(demoGraphData(), { publicOrigin: 'http://graph.contoso.test' });
    // A made-up name the proxy maps to the fake Graph: loopback addresses never go through a proxy, so only a
    // name shows that requests really take the proxy's route.
    proxy = await startTestProxy({ routes: { 'graph.contoso.test:80': graph.port } });
  });
  afterAll(async () => {
    await proxy.close();
    await graph.close();
  });

  const usersUrl = 'http://graph.contoso.test/v1.0/users?$top=2&$select=id,displayName';
  const auth = () => ({ headers: { Authorization: `Bearer ${graph.accessToken}` } });

  it('sends requests through HTTP_PROXY, which reaches the host by name', async () => {
    const before = proxy.records.length;
    const response = await environmentFetch({ HTTP_PROXY: proxy.url })(usersUrl, auth());
    expect(response.status).toBe(200);
    expect(((await response.json()) as { value: unknown[] }).value).toHaveLength(2);
    expect(proxy.records.slice(before).map((r) => [r.method, r.target, r.status])).toEqual([
      ['CONNECT', 'graph.contoso.test:80', 200],
    ]);
  });

  it('takes a Request as well as a URL, with its method and headers', async () => {
    const before = proxy.records.length;
    const request = new Request(usersUrl, auth());
    expect((await environmentFetch({ HTTP_PROXY: proxy.url })(request)).status).toBe(200);
    expect(proxy.records.length).toBe(before + 1);
  });

  it('reads the lower-case variable first, as curl does', async () => {
    const before = proxy.records.length;
    const env = { http_proxy: proxy.url, HTTP_PROXY: `http://127.0.0.1:${await closedPort()}` };
    expect((await environmentFetch(env)(usersUrl, auth())).status).toBe(200);
    expect(proxy.records.length).toBe(before + 1);
  });

  it('never sends loopback hosts through the proxy, whatever NO_PROXY says', async () => {
    const before = proxy.records.length;
    const viaProxy = environmentFetch({ HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NO_PROXY: 'example.org' });
    for (const host of ['127.0.0.1', 'localhost']) {
      const response = await viaProxy(`http://${host}:${graph.port}/v1.0/users?$top=1`, auth());
      expect(response.status).toBe(200);
    }
    expect(proxy.records.length).toBe(before);
  });

  it('goes direct for hosts in NO_PROXY, failing here with the reason', async () => {
    const before = proxy.records.length;
    const failure = await environmentFetch({ HTTP_PROXY: proxy.url, no_proxy: '.contoso.test' })(usersUrl).catch(
      (error: unknown) => error,
    );
    expect(proxy.records.length).toBe(before);
    expect((failure as Error).message).toMatch(
      /^Could not reach http:\/\/graph\.contoso\.test\/v1\.0\/users: the host name graph\.contoso\.test could not be resolved \((ENOTFOUND|EAI_AGAIN)\)/,
    );
  });

  it('goes direct without proxy variables', async () => {
    const direct = environmentFetch({});
    expect((await direct(`http://127.0.0.1:${graph.port}/v1.0/users?$top=1`, auth())).status).toBe(200);
    await expect(direct(usersUrl)).rejects.toThrow(/graph\.contoso\.test could not be resolved/);
  });

  it('sends the credentials in the proxy URL, and says what a 407 needs without them', async () => {
    const guarded = await startTestProxy({
      routes: { 'graph.contoso.test:80': graph.port },
      credentials: 'svc-scim:p@ss',
    });
    try {
      const withCredentials = guarded.url.replace('http://', 'http://svc-scim:p%40ss@');
      expect((await environmentFetch({ HTTP_PROXY: withCredentials })(usersUrl, auth())).status).toBe(200);
      await expect(environmentFetch({ HTTP_PROXY: guarded.url })(usersUrl, auth())).rejects.toThrow(
        'Could not reach http://graph.contoso.test/v1.0/users: the proxy asks for credentials (407). Put them in the proxy URL (http://user:password@proxy:port) or ask for an exception for this host',
      );
      expect(guarded.records.map((r) => r.status)).toEqual([200, 407]);
    } finally {
      await guarded.close();
    }
  });

  it('reads "host:port" as an http proxy and refuses a value that is no proxy address, naming the variable', async () => {
    const schemeless = proxy.url.replace('http://', '');
    expect((await environmentFetch({ HTTP_PROXY: schemeless })(usersUrl, auth())).status).toBe(200);
    expect(() => environmentFetch({ HTTPS_PROXY: 'http://' })).toThrow(
      /^HTTPS_PROXY is "http:\/\/", which is not a proxy address/,
    );
    expect(() => environmentFetch({ https_proxy: 'socks5://127.0.0.1:1080' })).toThrow(
      'https_proxy uses socks5; only http:// and https:// proxies are supported.',
    );
  });

  it('names the proxy when the proxy itself refuses the connection', async () => {
    const port = await closedPort();
    await expect(environmentFetch({ HTTP_PROXY: `http://127.0.0.1:${port}` })(usersUrl)).rejects.toThrow(
      `Could not reach http://graph.contoso.test/v1.0/users: the proxy http://127.0.0.1:${port} refused the connection`,
    );
  });
});

describe('sign-in through environmentFetch', () => {
  let proxy: TestProxy;
  beforeAll(async () => {
    proxy = await startTestProxy({ routes: {} });
  });
  afterAll(() => proxy.close());

  it("reaches the authority through HTTPS_PROXY, and MSAL passes on the proxy's refusal in words an admin understands", async () => {
    const signIn = new EntraSignIn({
      clientId: '6f1c0f0e-a7a9-4b1f-a0a1-b2c3d4e5f607',
      tenant: 'contoso.onmicrosoft.com',
      fetch: environmentFetch({ HTTPS_PROXY: proxy.url }),
    });
    const failure = await signIn.signInWithDeviceCode(() => undefined).catch((error: unknown) => error);
    expect(proxy.targets()).toEqual(['login.microsoftonline.com:443']);
    expect(failure).toBeInstanceOf(NetworkRequestError);
    expect((failure as Error).message).toBe(
      'Could not reach https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/devicecode: the proxy refused to connect to it (it answered 403). Ask for this host to be allowed, or list it in NO_PROXY if it is reachable without the proxy',
    );
  });
});
