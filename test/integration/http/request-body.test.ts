import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BodyAbortedError, BodyTooLargeError, readRequestBody } from '../../../electron/backend/http/request-body.ts';

/** A real server whose every request reports what readRequestBody made of it, with limits of 1 KiB and 4 KiB. */
let server: Server;
let port: number;
const outcomes: Array<Promise<unknown>> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const outcome = readRequestBody(req, { maxBytes: 1024, drainBytes: 4096 });
    outcomes.push(outcome.catch((error: unknown) => error));
    outcome.then(
      (body) => res.end(`read ${body.length}`),
      (error: unknown) => {
        if (!(error instanceof BodyTooLargeError)) return;
        if (!error.drained) res.setHeader('connection', 'close');
        res.writeHead(413).end(error.drained ? 'drained' : 'cut');
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function post(body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body });
  return { status: response.status, text: await response.text() };
}

describe('readRequestBody', () => {
  it('returns a body within the limit whole', async () => {
    expect(await post('x'.repeat(1024))).toEqual({ status: 200, text: 'read 1024' });
  });

  it('reads an oversized body to its end within the drain bound before refusing it', async () => {
    expect(await post('x'.repeat(3000))).toEqual({ status: 413, text: 'drained' });
  });

  it('refuses a declared length past the drain bound without reading it', async () => {
    const reply = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', headers: { 'content-length': 1_000_000 } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, text }));
      });
      req.on('error', reject);
      req.write('x'.repeat(100)); // the rest is never sent: the answer must not wait for it
    });
    expect(reply).toEqual({ status: 413, text: 'cut' });
  });

  it('rejects with BodyAbortedError when the client leaves mid-upload', async () => {
    const before = outcomes.length;
    await new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', headers: { 'content-length': 500 } });
      req.on('error', () => resolve());
      req.write('x'.repeat(100), () => setTimeout(() => req.destroy(), 50));
      req.on('close', () => resolve());
    });
    await expect.poll(() => outcomes.length).toBeGreaterThan(before);
    expect(await outcomes[before]).toBeInstanceOf(BodyAbortedError);
  });
});
