import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphRequestError } from '../../../electron/backend/directory/graph-client.ts';
import { graphClientFromFlags } from '../../../electron/cli/graph-sign-in.ts';
import type { CliIO } from '../../../electron/cli/command.ts';

/**
 * The one Graph client's retry rule for writes: a 429 is repeated whatever the method (Graph refused it before
 * doing anything); a 503 is repeated for GET and PUT, and for a POST only when the caller says it only reads.
 */
interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];
/** statuses to answer, per path, before answering 200 */
const script = new Map<string, number[]>();

function bodyOf(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => resolve(text));
  });
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const body = await bodyOf(request);
    seen.push({ method: request.method!, url: request.url!, authorization: request.headers.authorization, body });
    const path = request.url!.replace(/\?.*$/, '');
    const next = script.get(path)?.shift();
    if (next !== undefined) {
      response.writeHead(next, { 'Content-Type': 'application/json', 'Retry-After': '0' });
      response.end(JSON.stringify({ error: { code: next === 429 ? 'TooManyRequests' : 'ServiceUnavailable', message: 'try later' } }));
      return;
    }
    if (request.method === 'PUT') {
      response.writeHead(204).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ echoed: body === '' ? null : JSON.parse(body) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function io(): CliIO {
  return { out: () => {}, err: () => {}, stdin: Readable.from([]), env: {} };
}

async function client() {
  return graphClientFromFlags({ 'access-token': ' pasted-token ', 'graph-base-url': baseUrl }, io(), 'test');
}

describe('GraphClient writes', () => {
  it('sends the pasted token to the configured origin and a JSON body', async () => {
    seen.length = 0;
    const graph = await client();
    const answer = await graph.request<{ echoed: unknown }>('POST', '/servicePrincipals/sp/synchronization/jobs/j/schema/parseExpression', {
      body: { expression: '[mail]' },
      repeatable: true,
    });
    expect(answer.echoed).toEqual({ expression: '[mail]' });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1.0/servicePrincipals/sp/synchronization/jobs/j/schema/parseExpression', authorization: 'Bearer pasted-token' });
  });

  it('repeats a PUT after a 503 and answers nothing for a 204', async () => {
    seen.length = 0;
    script.set('/v1.0/put-me', [503]);
    const graph = await client();
    await expect(graph.request('PUT', '/put-me', { body: { a: 1 } })).resolves.toBeUndefined();
    expect(seen.map((s) => s.method)).toEqual(['PUT', 'PUT']);
    expect(seen[1]!.body).toBe('{"a":1}');
  });

  it('repeats a POST that writes after a 429, but not after a 503 (it may have been done)', async () => {
    seen.length = 0;
    script.set('/v1.0/write', [429]);
    const graph = await client();
    await expect(graph.request('POST', '/write', { body: {} })).resolves.toMatchObject({ echoed: {} });
    expect(seen).toHaveLength(2);

    seen.length = 0;
    script.set('/v1.0/write', [503]);
    const error = await graph.request('POST', '/write', { body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphRequestError);
    expect((error as GraphRequestError).status).toBe(503);
    expect(seen).toHaveLength(1);
  });

  it('repeats a read sent as POST after a 503', async () => {
    seen.length = 0;
    script.set('/v1.0/read', [503, 503]);
    const graph = await client();
    await expect(graph.request('POST', '/read', { body: {}, repeatable: true })).resolves.toMatchObject({ echoed: {} });
    expect(seen).toHaveLength(3);
  });
});
