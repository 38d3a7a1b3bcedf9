import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { serveAppRequest } from '../../electron/app-scheme.ts';
import { chromiumAvailable, launchBrowser } from './support/browser.ts';

/**
 * The desktop window's bundle under the desktop window's policy, in real Chromium. Electron cannot run
 * here, so a loopback server hands every request to the scheme's own handler (`serveAppRequest`, the
 * function main.ts gives `protocol.handle`) and relays its answer; 'self' is then this origin instead of
 * scimplanner://app. What it shows: Monaco's bundled module worker and its codicon font load under
 * `worker-src 'self'` and `font-src 'self'` with the content types the handler gives them, while a
 * blob: worker is refused.
 */
const rendererRoot = join(process.cwd(), 'dist', 'renderer');

function startSchemeRelay(): Promise<Server> {
  const server = createServer((req, res) => {
    void serveAppRequest(`scimplanner://app${req.url ?? '/'}`, rendererRoot).then(async (answer) => {
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function asset(prefix: string, extension: string): string {
  const name = readdirSync(join(rendererRoot, 'assets')).find(
    (file) => file.startsWith(prefix) && file.endsWith(extension),
  );
  if (!name) throw new Error(`no ${prefix}*${extension} in dist/renderer/assets: run \`vite build\` first`);
  return `./assets/${name}`;
}

/** Starts a worker and reports whether it loaded (no error event, no policy violation) within a second. */
function startWorker(page: Page, url: string, useBlob: boolean): Promise<{ loaded: boolean; violations: string[] }> {
  return page.evaluate(
    ({ url, useBlob }) =>
      new Promise<{ loaded: boolean; violations: string[] }>((resolve) => {
        const violations: string[] = [];
        document.addEventListener('securitypolicyviolation', (e) =>
          violations.push(`${e.effectiveDirective} ${e.blockedURI}`),
        );
        let loaded = true;
        try {
          const source = useBlob
            ? URL.createObjectURL(new Blob(['postMessage(1)'], { type: 'text/javascript' }))
            : new URL(url, location.href);
          const worker = new Worker(source, { type: 'module' });
          worker.onerror = () => (loaded = false);
        } catch {
          loaded = false;
        }
        setTimeout(() => resolve({ loaded: loaded && violations.length === 0, violations }), 1000);
      }),
    { url, useBlob },
  );
}

describe.skipIf(!chromiumAvailable)('the desktop window’s bundle under its own CSP', () => {
  let server: Server;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let origin: string;
  const scripts: Array<{ url: string; status: number; type: string | undefined }> = [];

  beforeAll(async () => {
    server = await startSchemeRelay();
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    page = browser.page;
    page.on('response', (response) => {
      if (response.url().endsWith('.js')) {
        scripts.push({ url: response.url(), status: response.status(), type: response.headers()['content-type'] });
      }
    });
    await page.goto(`${origin}/index.html`);
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('runs the module scripts of the bundle', () => {
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
  });

  it('loads Monaco’s bundled editor worker and refuses a blob: worker', async () => {
    expect(await startWorker(page, asset('editor.worker-', '.js'), false)).toEqual({ loaded: true, violations: [] });
    const blob = await startWorker(page, '', true);
    expect(blob.loaded).toBe(false);
    expect(blob.violations.some((v) => v.startsWith('worker-src'))).toBe(true);
  });

  it('loads the codicon font from Monaco’s stylesheet', async () => {
    const css = asset('monaco-setup-', '.css');
    const loaded = await page.evaluate(async (href) => {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = href;
      await new Promise((resolve, reject) => {
        link.onload = resolve;
        link.onerror = reject;
        document.head.append(link);
      });
      const faces = await document.fonts.load('16px codicon');
      return faces.map((face) => face.status);
    }, css);
    // the app's own stylesheet declares the same face for its severity icons (renderer/styles/icons.css): every one loads
    expect(loaded.length).toBeGreaterThan(0);
    expect(loaded.every((status) => status === 'loaded')).toBe(true);
  });
});
