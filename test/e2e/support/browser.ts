import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { FakeAuthorityOptions } from '../../support/fake-graph/fake-authority.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);
export const ARTIFACTS = join(process.cwd(), 'test-results', 'screenshots');

if (!chromiumAvailable) {
  // Loud on purpose: CI installs Chromium (.ci/run), so only a developer machine without it skips.
  console.warn(`\n*** E2E SKIPPED: no Chromium at ${CHROMIUM}. Install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH. ***\n`);
}

export interface WebApp {
  launchUrl: string;
  baseUrl: string;
  workspace: string;
  /** the browser-mode server's process (benchmarks read its peak memory) */
  pid: number;
  stop(): Promise<void>;
}

export interface WebAppOptions {
  /** an existing workspace, left in place afterwards (the caller owns it); default: a temp one */
  workspace?: string;
  /**
   * Sign-ins go to this fake authority (test/support/fake-graph/fake-authority.ts) instead of Microsoft,
   * through the test-only entry web-with-fake-authority.ts; the browser side is the test's to play.
   */
  fakeAuthority?: FakeAuthorityOptions;
}

/**
 * Starts browser mode exactly as `npm run web` serves it (after `vite build`), on a temp workspace, or on
 * the workspace given (left in place afterwards: the caller owns it).
 */
export async function startWebApp(options: WebAppOptions = {}): Promise<WebApp> {
  const dir = mkdtempSync(join(tmpdir(), 'scim-planner-e2e-'));
  const workspace = options.workspace ?? join(dir, 'workspace.scimplan');
  const entry = options.fakeAuthority
    ? ['test/e2e/support/web-with-fake-authority.ts', '--fake-authority', JSON.stringify(options.fakeAuthority)]
    : ['electron/bridge/web.ts'];
  const args = ['--import', 'tsx', ...entry, '--port', '0', '--workspace', workspace];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const launchUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser mode did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open: (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`browser mode exited with ${code}:\n${output}`)));
  });
  return {
    launchUrl,
    baseUrl: launchUrl.replace(/\/\?token=.*$/, ''),
    workspace,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'scim-planner-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  // Finite animations (Monaco's hover fades in) are finished first, so a capture never shows a half-drawn widget.
  await page.screenshot({ path, fullPage: false, animations: 'disabled' });
  return path;
}

/** Opens a screen from the navigation bar, by the name the admin sees ("Mock server", "Preview"...). */
export function goToScreen(page: Page, name: string): Promise<void> {
  return page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true }).click();
}

/** Signs the app in to the (fake) Graph as an admin does with a token on the Tenant screen; returns once it is listed. */
export async function pasteAccessToken(page: Page, token: string): Promise<void> {
  await page.getByRole('button', { name: 'Paste access token' }).click();
  await page.getByRole('textbox', { name: 'Access token' }).fill(token);
  await page.getByRole('button', { name: 'Use token' }).click();
  await expect.poll(() => page.getByRole('region', { name: 'Accounts' }).textContent()).toContain('access token');
}
