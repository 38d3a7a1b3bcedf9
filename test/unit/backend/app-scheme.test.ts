import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  APP_CONTENT_SECURITY_POLICY,
  APP_ENTRY_URL,
  APP_SCHEME_PRIVILEGES,
  isAppUrl,
  resolveAppAsset,
  serveAppRequest,
} from '../../../electron/app-scheme.ts';
import { CONTENT_SECURITY_POLICY } from '../../../electron/bridge/server.ts';
import { tempDir } from '../../support/temp.ts';

// A renderer folder laid out like vite's output, with a secret beside it that no URL may reach.
let dir: { path: string; cleanup(): void };
let root: string;
const SECRET = 'tenant data outside the renderer folder';

beforeEach(() => {
  dir = tempDir();
  root = join(dir.path, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>SCIM Planner</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'export const app = 1;');
  writeFileSync(join(root, 'assets', 'editor.worker-abc.js'), 'self.onmessage = () => {};');
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'codicon-abc.ttf'), Buffer.from([0, 1, 0, 0]));
  writeFileSync(join(dir.path, 'secret.txt'), SECRET);
});
afterEach(() => dir.cleanup());

async function get(path: string): Promise<{ status: number; type: string | null; csp: string | null; body: string }> {
  const response = await serveAppRequest(`scimplanner://app${path}`, root);
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    csp: response.headers.get('content-security-policy'),
    body: await response.text(),
  };
}

describe('the app scheme serves the renderer bundle', () => {
  it('serves the app shell for the entry URL and for /', async () => {
    const entry = await serveAppRequest(APP_ENTRY_URL, root);
    expect(entry.status).toBe(200);
    expect(await entry.text()).toContain('<title>SCIM Planner</title>');
    const slash = await get('/');
    expect(slash).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', csp: APP_CONTENT_SECURITY_POLICY });
  });

  it('gives each asset vite emits its content type (module scripts and the worker need a JavaScript type)', async () => {
    expect(await get('/assets/index-abc.js')).toMatchObject({
      status: 200,
      type: 'text/javascript; charset=utf-8',
      body: 'export const app = 1;',
    });
    expect((await get('/assets/editor.worker-abc.js')).type).toBe('text/javascript; charset=utf-8');
    expect((await get('/assets/index-abc.css')).type).toBe('text/css; charset=utf-8');
    expect((await get('/assets/codicon-abc.ttf')).type).toBe('font/ttf');
    const script = await serveAppRequest('scimplanner://app/assets/index-abc.js', root);
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    expect(script.headers.get('content-security-policy')).toBeNull();
  });

  it('answers a client route with the app shell, but a missing asset with 404', async () => {
    expect(await get('/mappings')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect((await get('/mappings')).body).toContain('SCIM Planner');
    expect((await get('/assets/missing-abc.js')).status).toBe(404);
  });

  it('ignores the query and fragment', async () => {
    expect((await get('/assets/index-abc.js?v=1#top')).body).toBe('export const app = 1;');
  });

  it('says the renderer is not built when the folder is empty', async () => {
    const empty = await serveAppRequest('scimplanner://app/', join(dir.path, 'nothing'));
    expect(empty.status).toBe(503);
    expect(await empty.text()).toMatch(/npm run build/);
  });
});

describe('the app scheme refuses everything outside the renderer folder', () => {
  it.each([
    ['/..%2fsecret.txt', 403],
    ['/%2e%2e%2fsecret.txt', 403],
    ['/assets/..%2f..%2fsecret.txt', 403],
    ['/..%5csecret.txt', 403],
    ['/%2fetc%2fpasswd', 403],
    ['//etc/passwd', 403],
    ['/C:/Windows/win.ini', 403],
    ['/C%3a%5cWindows%5cwin.ini', 403],
    ['/index.html%00.js', 403],
    ['/assets/', 403],
    ['/CON', 403],
    ['/assets/nul.js', 403],
    ['/COM1.txt', 403],
    ['/%E0%A4%A', 400],
  ])('%s is refused with %i and never reads the secret', async (path, status) => {
    const answer = await get(path);
    expect(answer.status).toBe(status);
    expect(answer.body).not.toContain(SECRET);
  });

  it('resolves dot segments inside the URL, so ../ cannot climb out either', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt', '/./../secret.txt']) {
      const resolved = resolveAppAsset(`scimplanner://app${path}`, root);
      expect(resolved.ok && resolved.file).toBe(join(root, 'secret.txt'));
      const answer = await get(path);
      expect(answer.status).toBe(404);
      expect(answer.body).not.toContain(SECRET);
    }
  });

  it('refuses other hosts, ports, credentials and schemes', () => {
    for (const url of [
      'scimplanner://evil/index.html',
      'scimplanner://app.evil.example/index.html',
      'scimplanner://app:8080/index.html',
      'scimplanner://user@app/index.html',
      'file:///etc/passwd',
      'https://app/index.html',
    ]) {
      expect(resolveAppAsset(url, root)).toMatchObject({ ok: false, status: 404 });
    }
    expect(resolveAppAsset('not a url', root)).toMatchObject({ ok: false, status: 400 });
  });

  it('maps an allowed request to a file inside the folder, flagging extension-less paths as client routes', () => {
    expect(resolveAppAsset('scimplanner://app/assets/index-abc.js', root)).toEqual({
      ok: true,
      file: join(root, 'assets', 'index-abc.js'),
      clientRoute: false,
    });
    expect(resolveAppAsset('scimplanner://app/', root)).toEqual({
      ok: true,
      file: join(root, 'index.html'),
      clientRoute: false,
    });
    expect(resolveAppAsset('scimplanner://app/preview', root)).toEqual({
      ok: true,
      file: join(root, 'preview'),
      clientRoute: true,
    });
  });
});

describe('the app origin and its policy', () => {
  it('recognises only scimplanner://app pages', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('scimplanner://app')).toBe(true);
    expect(isAppUrl('scimplanner://evil/index.html')).toBe(false);
    expect(isAppUrl('blob:scimplanner://app/6d1e')).toBe(false);
    expect(isAppUrl('file:///index.html')).toBe(false);
    expect(isAppUrl('')).toBe(false);
  });

  it('keeps browser mode’s directives, with workers from the bundle only', () => {
    const directives = (policy: string) => new Map(policy.split('; ').map((d) => [d.split(' ')[0], d] as const));
    const app = directives(APP_CONTENT_SECURITY_POLICY);
    const bridge = directives(CONTENT_SECURITY_POLICY);
    expect([...app.keys()]).toEqual([...bridge.keys()]);
    expect(app.get('worker-src')).toBe("worker-src 'self'");
    expect(app.get('script-src')).toBe("script-src 'self'");
    expect(app.get('default-src')).toBe("default-src 'self'");
    expect(app.get('frame-ancestors')).toBe("frame-ancestors 'none'");
    for (const [name, directive] of bridge) if (name !== 'worker-src') expect(app.get(name)).toBe(directive);
    expect(APP_CONTENT_SECURITY_POLICY).not.toMatch(/file:|blob:|unsafe-eval|\*/);
  });

  it('registers the scheme as a secure standard origin that other origins cannot read', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('corsEnabled');
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('bypassCSP');
  });
});
