import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Backend } from '../../../electron/backend/backend.ts';
import { startBridge, type RunningBridge } from '../../../electron/bridge/server.ts';
import { tempDir } from '../../support/temp.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Raw HTTP, so Host and Origin can be set to what an attacker's page would send. */
function send(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The bridge may close the socket while a too-large body is still being written.
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') return;
      reject(error);
    });
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

describe('browser-mode bridge', () => {
  const dir = tempDir();
  let backend: Backend;
  let bridge: RunningBridge;
  let host: string;
  const token = 'test-token-abcdefghijklmnop';

  beforeAll(async () => {
    const staticDir = join(dir.path, 'renderer');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>SCIM Planner</title>');
    backend = new Backend({ mode: 'browser', workspacePath: join(dir.path, 'w.scimplan'), version: 'test' });
    bridge = await startBridge({ handlers: backend.handlers, events: backend.events, staticDir, token, maxBodyBytes: 4096 });
    host = `127.0.0.1:${bridge.port}`;
  });
  afterAll(async () => {
    await bridge.close();
    await backend.close();
    dir.cleanup();
  });

  const auth = () => ({ host, cookie: `${bridge.cookieName}=${token}` });
  const json = { 'content-type': 'application/json' };

  it('trades the launch token for an HttpOnly SameSite=Strict cookie and drops it from the URL', async () => {
    const reply = await send(bridge.port, { path: `/?token=${token}`, headers: { host } });
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe('/');
    const cookie = String(reply.headers['set-cookie']);
    expect(cookie).toContain(`${bridge.cookieName}=${token}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
  });

  it('serves the app shell with a strict CSP once authenticated', async () => {
    const reply = await send(bridge.port, { path: '/', headers: auth() });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-security-policy']).toContain("script-src 'self'");
    expect(reply.body).toContain('SCIM Planner');
  });

  it('answers a declared method with the ok envelope', async () => {
    const reply = await send(bridge.port, { method: 'POST', path: '/api/app.info', headers: { ...auth(), ...json }, body: '{}' });
    expect(reply.status).toBe(200);
    const body = JSON.parse(reply.body);
    expect(body).toMatchObject({ ok: true, value: { mode: 'browser', projectName: 'Contoso demo' } });
  });

  it('refuses a call without the token with 401', async () => {
    const reply = await send(bridge.port, { method: 'POST', path: '/api/app.info', headers: { host, ...json }, body: '{}' });
    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.body).error.code).toBe('unauthorized');
  });

  it('refuses a wrong token with 401', async () => {
    const reply = await send(bridge.port, {
      method: 'POST',
      path: '/api/app.info',
      headers: { host, cookie: `${bridge.cookieName}=wrong`, ...json },
      body: '{}',
    });
    expect(reply.status).toBe(401);
  });

  it('refuses a foreign Host (DNS rebinding) with 403 even with the token', async () => {
    const reply = await send(bridge.port, {
      method: 'POST',
      path: '/api/app.info',
      headers: { ...auth(), host: `evil.example:${bridge.port}`, ...json },
      body: '{}',
    });
    expect(reply.status).toBe(403);
    expect(JSON.parse(reply.body).error.code).toBe('forbidden-host');
  });

  it('refuses a foreign Origin with 403 even with the token', async () => {
    const reply = await send(bridge.port, {
      method: 'POST',
      path: '/api/app.info',
      headers: { ...auth(), origin: 'https://evil.example', ...json },
      body: '{}',
    });
    expect(reply.status).toBe(403);
    expect(JSON.parse(reply.body).error.code).toBe('forbidden-origin');
  });

  it('accepts its own Origin', async () => {
    const reply = await send(bridge.port, {
      method: 'POST',
      path: '/api/app.info',
      headers: { ...auth(), origin: `http://${host}`, ...json },
      body: '{}',
    });
    expect(reply.status).toBe(200);
  });

  it('answers 404 for an unknown method', async () => {
    const reply = await send(bridge.port, { method: 'POST', path: '/api/tenant.dropEverything', headers: { ...auth(), ...json }, body: '{}' });
    expect(reply.status).toBe(404);
    expect(JSON.parse(reply.body).error.message).toContain('tenant.dropEverything');
  });

  it('does not treat inherited object keys as methods', async () => {
    const reply = await send(bridge.port, { method: 'POST', path: '/api/constructor', headers: { ...auth(), ...json }, body: '{}' });
    expect(reply.status).toBe(404);
  });

  it('answers 415 for a body that is not JSON', async () => {
    const reply = await send(bridge.port, {
      method: 'POST',
      path: '/api/app.info',
      headers: { ...auth(), 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(reply.status).toBe(415);
  });

  it('answers 413 for a body over the limit', async () => {
    const reply = await send(bridge.port, {
      method: 'POST',
      path: '/api/tenant.listUsers',
      headers: { ...auth(), ...json },
      body: JSON.stringify({ snapshotId: 1, search: 'x'.repeat(10_000) }),
    });
    expect(reply.status).toBe(413);
  });

  it('answers 400 for malformed JSON and names invalid fields', async () => {
    const malformed = await send(bridge.port, { method: 'POST', path: '/api/app.info', headers: { ...auth(), ...json }, body: '{' });
    expect(malformed.status).toBe(400);
    const invalid = await send(bridge.port, {
      method: 'POST',
      path: '/api/tenant.listUsers',
      headers: { ...auth(), ...json },
      body: JSON.stringify({ snapshotId: 'one' }),
    });
    const body = JSON.parse(invalid.body);
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('invalid-input');
    expect(body.error.message).toContain('snapshotId');
  });

  it('streams backend events over SSE with the cookie', async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: bridge.port, path: '/api/events', headers: auth() }, (res) => {
        expect(res.headers['content-type']).toContain('text/event-stream');
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
          if (text.includes(': connected')) backend.events.emit('progress', { jobId: 'j1', label: 'test', done: 1, total: 2 });
          if (text.includes('event: progress')) {
            req.destroy();
            resolve(text);
          }
        });
      });
      req.on('error', reject);
      req.end();
    });
    const text = await received;
    expect(text).toContain('"jobId":"j1"');
  });
});
