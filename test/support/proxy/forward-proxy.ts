/**
 * A small forward proxy for tests: node:http on 127.0.0.1, port 0. It tunnels CONNECT (how clients reach
 * https through a proxy) and forwards absolute-form requests (`GET http://host/path`, how they reach http),
 * and records every request that came through.
 *
 * Like a corporate proxy with an allow list, it reaches only the hosts in its `routes`, each mapped to a
 * local port, and refuses the rest with 403. The mapping is what lets a test use real-looking names
 * (login.microsoftonline.com, graph.contoso.test) that the client would send through the proxy, while
 * loopback addresses are never proxied (electron/backend/directory/network.ts).
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ProxyRecord {
  /** CONNECT for a tunnel, else the forwarded request's method */
  method: string;
  /** host:port as the client asked for it */
  target: string;
  /** the path of a forwarded request (a tunnel's content is encrypted and not seen) */
  path: string | null;
  /** what it answered: 200 for an open tunnel, 403 for a host outside its routes, 407 without the credentials
   * it insists on, or the server's status */
  status: number;
  /** the Proxy-Authorization header, when the client sent one */
  proxyAuthorization: string | null;
}

export interface TestProxy {
  /** http://127.0.0.1:PORT, the value for HTTPS_PROXY / HTTP_PROXY */
  readonly url: string;
  readonly port: number;
  readonly records: ProxyRecord[];
  /** the hosts that went through, in order, without repeats ("login.microsoftonline.com:443") */
  targets(): string[];
  close(): Promise<void>;
}

export interface TestProxyOptions {
  /** "host:port" as clients ask for it → the local port it reaches (on 127.0.0.1) */
  routes: Record<string, number>;
  /** "user:password" the proxy insists on (Basic); without them it answers 407 */
  credentials?: string;
}

/** "host:port" of an absolute-form URL, with the scheme's default port. */
function targetOf(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

export async function startTestProxy(options: TestProxyOptions): Promise<TestProxy> {
  const routes = new Map(Object.entries(options.routes).map(([target, port]) => [target.toLowerCase(), port]));
  const records: ProxyRecord[] = [];
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const authorization = (request: IncomingMessage) =>
    (request.headers['proxy-authorization'] as string | undefined) ?? null;
  const expected = options.credentials ? `Basic ${Buffer.from(options.credentials).toString('base64')}` : null;
  const denied = (request: IncomingMessage) => expected !== null && authorization(request) !== expected;

  const server: Server = createServer((request, response) => {
    let url: URL;
    try {
      // A proxy gets absolute-form targets; an origin-form one ("/path") means the client did not use it as a proxy.
      url = new URL(request.url ?? '');
    } catch {
      response.writeHead(400, { 'content-type': 'text/plain' }).end('This is a proxy: send absolute-form requests.');
      return;
    }
    const target = targetOf(url);
    const port = routes.get(target.toLowerCase());
    const record: ProxyRecord = {
      method: request.method ?? 'GET',
      target,
      path: `${url.pathname}${url.search}`,
      status: 403,
      proxyAuthorization: authorization(request),
    };
    records.push(record);
    if (denied(request)) {
      record.status = 407;
      response.writeHead(407, { 'proxy-authenticate': 'Basic realm="test proxy"' }).end();
      return;
    }
    if (port === undefined) {
      response.writeHead(403, { 'content-type': 'text/plain' }).end(`The test proxy does not reach ${target}.`);
      return;
    }
    const headers = { ...request.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest(
      { host: '127.0.0.1', port, method: request.method, path: record.path!, headers },
      (answer) => {
        record.status = answer.statusCode ?? 502;
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', (error) => {
      record.status = 502;
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`Upstream failed: ${error.message}`);
    });
    request.pipe(upstream);
  });

  server.on('connection', track);
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    const target = (request.url ?? '').toLowerCase();
    const port = routes.get(target);
    const record: ProxyRecord = {
      method: 'CONNECT',
      target,
      path: null,
      status: denied(request) ? 407 : port === undefined ? 403 : 200,
      proxyAuthorization: authorization(request),
    };
    records.push(record);
    client.on('error', () => client.destroy());
    if (record.status === 407) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test proxy"\r\nConnection: close\r\n\r\n',
      );
      return;
    }
    if (port === undefined) {
      client.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nThe test proxy does not reach ${target}.`,
      );
      return;
    }
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    records,
    targets: () => [...new Set(records.map((r) => r.target))],
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
