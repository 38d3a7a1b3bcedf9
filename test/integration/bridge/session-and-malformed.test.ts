import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Backend } from '../../../electron/backend/backend.ts';
import { startBridge, type RunningBridge } from '../../../electron/bridge/server.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * A browser's cookie jar for 127.0.0.1: cookies are keyed by host and name only (RFC 6265 §8.5),
 * so every cookie is sent to every port.
 */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(setCookie: string | null): void {
    const pair = setCookie?.split(';')[0];
    const at = pair?.indexOf('=') ?? -1;
    if (pair && at > 0) this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

describe('browser-mode bridge sessions and malformed requests', () => {
  const dir = tempDir();
  let backend: Backend;
  const bridges: RunningBridge[] = [];

  beforeAll(async () => {
    const staticDir = join(dir.path, 'renderer');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>SCIM Planner</title>');
    backend = new Backend({ mode: 'browser', workspacePath: join(dir.path, 'w.scimplan'), version: 'test' });
    for (const token of ['first-launch-token-abcdefgh', 'second-launch-token-abcdefg']) {
      bridges.push(await startBridge({ handlers: backend.handlers, events: backend.events, staticDir, token }));
    }
  });
  afterAll(async () => {
    for (const bridge of bridges) await bridge.close();
    await backend.close();
    dir.cleanup();
  });

  const appInfo = (bridge: RunningBridge, cookie: string) =>
    fetch(`${bridge.url}/api/app.info`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });

  it('keeps two launches on different ports signed in with both cookies in one jar', async () => {
    const jar = new CookieJar();
    for (const bridge of bridges) {
      const launch = await fetch(bridge.launchUrl, { redirect: 'manual', headers: { cookie: jar.header() } });
      expect(launch.status).toBe(303);
      jar.store(launch.headers.get('set-cookie'));
    }
    for (const bridge of bridges) expect((await appInfo(bridge, jar.header())).status).toBe(200);
  });

  it('tells the admin to open the printed URL again when the session is gone', async () => {
    const api = await appInfo(bridges[0]!, '');
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: { message: string } }).error.message).toMatch(/open the URL printed in the terminal .* again/);
    const page = await fetch(`${bridges[0]!.url}/`);
    expect(page.status).toBe(401);
    expect(await page.text()).toMatch(/open the URL printed in the terminal .* again/);
  });

  it('answers a malformed percent-encoding in the session cookie with 401, not 500', async () => {
    const reply = await appInfo(bridges[0]!, `${bridges[0]!.cookieName}=%E0%A4%A`);
    expect(reply.status).toBe(401);
  });

  it('answers a malformed percent-encoding in the method path with 400, not 500', async () => {
    const bridge = bridges[0]!;
    const reply = await fetch(`${bridge.url}/api/%E0%A4%A`, {
      method: 'POST',
      headers: { cookie: `${bridge.cookieName}=${bridge.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(reply.status).toBe(400);
    expect(((await reply.json()) as { error: { code: string } }).error.code).toBe('invalid-path');
  });

  it('refuses a body nested 5,000 levels deep with a clear 400', async () => {
    const bridge = bridges[0]!;
    const reply = await fetch(`${bridge.url}/api/tenant.listUsers`, {
      method: 'POST',
      headers: { cookie: `${bridge.cookieName}=${bridge.token}`, 'content-type': 'application/json' },
      body: `{"snapshotId":1,"search":${'['.repeat(5000)}${']'.repeat(5000)}}`,
    });
    expect(reply.status).toBe(400);
    expect(((await reply.json()) as { error: { message: string } }).error.message).toContain('100 levels');
  });
});
