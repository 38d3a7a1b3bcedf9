import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, Route } from 'playwright-core';
import { demoGraphData } from '../support/fake-graph/demo-data.ts';
import {
  AuthorizePageError,
  createFakeAuthority,
  type AuthorizeChoice,
  type FakeAuthorityOptions,
} from '../support/fake-graph/fake-authority.ts';
import { startFakeGraph, type FakeGraph } from '../support/fake-graph/server.ts';
import { chromiumAvailable, launchBrowser, screenshot, startWebApp, type WebApp } from './support/browser.ts';

const TENANT_ID = '3c5f8a21-7d4e-4b9a-8f61-2e0d9c7b1a54';
const CLIENT_ID = '6f1c0f0e-a7a9-4b1f-a0a1-b2c3d4e5f607';
const USERNAME = 'admin@contoso.onmicrosoft.com';

/**
 * The browser sign-in (authorization code + PKCE, loopback redirect) from the Tenant screen to the
 * account list: the app's backend runs in its own process with MSAL talking to a fake authority, and
 * Chromium plays the admin's browser, with Microsoft's sign-in page answered here by the same fake.
 */
describe.skipIf(!chromiumAvailable)('Tenant screen: sign in through the browser (browser mode)', () => {
  const fake: FakeAuthorityOptions = {
    tenantId: TENANT_ID,
    clientId: CLIENT_ID,
    accessToken: 'token-from-browser-sign-in',
    username: USERNAME,
  };
  const data = demoGraphData();
  let app: WebApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let graph: FakeGraph;
  /** what the admin does on the sign-in page; 'close the tab' leaves the app waiting */
  let admin: AuthorizeChoice | 'close the tab' = {};
  const authorizationUrls: URL[] = [];

  beforeAll(async () => {
    graph = await startFakeGraph(data, { accessToken: fake.accessToken });
    app = await startWebApp({ fakeAuthority: fake });
    browser = await launchBrowser();
    page = browser.page;
    // Microsoft's sign-in page: the fake checks the authorization request MSAL built in the backend and
    // sends the browser back to the backend's loopback listener, which redeems the code with its own fake.
    const signInPage = createFakeAuthority(fake);
    await browser.context.route('https://login.microsoftonline.com/**', async (route: Route) => {
      const url = route.request().url();
      authorizationUrls.push(new URL(url));
      if (admin === 'close the tab') {
        return route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Sign in to your account</h1>' });
      }
      try {
        await route.fulfill({ status: 302, headers: { location: signInPage.authorize(url, admin) } });
      } catch (error) {
        if (!(error instanceof AuthorizePageError)) throw error;
        await route.fulfill({ status: 400, contentType: 'text/plain', body: error.message });
      }
    });
    await page.goto(app.launchUrl);
    await page.locator('.user-row').first().waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await graph?.close();
  });

  async function submitSignIn(): Promise<void> {
    const form = page.getByRole('form', { name: 'Sign in to a tenant' });
    await form.getByLabel('Directory (tenant) ID').fill(TENANT_ID);
    await form.getByLabel('Application (client) ID').fill(CLIENT_ID);
    await form.getByRole('radio', { name: 'My browser' }).check();
    await form.getByRole('button', { name: 'Sign in' }).click();
  }

  it('shows why when the admin declines on the sign-in page', async () => {
    admin = { decline: true };
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const tab = browser.context.waitForEvent('page');
    await submitSignIn();
    const signInTab = await tab;
    // The tab that came back says it failed, in plain words, with the reason.
    await expect.poll(() => signInTab.locator('h1').textContent()).toBe('Sign-in to SCIM Planner failed');
    expect(await signInTab.locator('body').textContent()).toContain('consent was refused (AADSTS65004');
    await signInTab.close();
    const alert = page.getByRole('form', { name: 'Sign in to a tenant' }).getByRole('alert');
    await expect
      .poll(() => alert.textContent())
      .toBe(
        'Sign-in failed: the sign-in was cancelled in the browser, or consent was refused (AADSTS65004: User declined to consent to access the app.)',
      );
    expect(await page.getByRole('region', { name: 'Accounts' }).count()).toBe(0);
  });

  it('cancels a sign-in whose tab was closed, and stops listening for it', async () => {
    admin = 'close the tab';
    const tab = browser.context.waitForEvent('page');
    await submitSignIn();
    const signInTab = await tab;
    const waiting = page.getByRole('region', { name: 'Browser sign-in' });
    await expect.poll(() => waiting.getByRole('status').textContent()).toBe('Waiting for you to finish signing in…');
    expect(await waiting.getByRole('button', { name: 'Open the sign-in page' }).count()).toBe(1);
    await screenshot(page, 'tenant-sign-in-waiting');
    await signInTab.close();

    const port = new URL(authorizationUrls.at(-1)!.searchParams.get('redirect_uri')!).port;
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    await waiting.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('form', { name: 'Sign in to a tenant' }).waitFor();
    await expect
      .poll(() =>
        fetch(`http://127.0.0.1:${port}/`).then(
          () => 'listening',
          (e: Error) => (e.cause as NodeJS.ErrnoException).code,
        ),
      )
      .toBe('ECONNREFUSED');
  });

  it('signs in through the sign-in page in a new tab, lists the account and fetches users with it', async () => {
    admin = {};
    const tab = browser.context.waitForEvent('page');
    await submitSignIn();
    const signInTab = await tab;
    await expect.poll(() => signInTab.locator('h1').textContent()).toBe('Signed in to SCIM Planner');
    // The code is spent and gone from the address bar; the tab came back to the app's loopback listener.
    const authorization = authorizationUrls.at(-1)!;
    expect(signInTab.url()).toBe(`${authorization.searchParams.get('redirect_uri')}/`);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    await screenshot(signInTab, 'tenant-sign-in-browser-tab');
    await signInTab.close();

    const accounts = page.getByRole('region', { name: 'Accounts' });
    await expect.poll(() => accounts.locator('.account-name').allTextContents()).toEqual([USERNAME]);
    expect(await accounts.textContent()).toContain(`signed in · tenant ${TENANT_ID}`);
    expect(await page.getByRole('form', { name: 'Sign in to a tenant' }).count()).toBe(0);
    expect(await page.content()).not.toContain(fake.accessToken);
    await screenshot(page, 'tenant-signed-in');

    await accounts.getByText('Fetch options').click();
    await accounts.getByLabel('Microsoft Graph endpoint').fill(graph.baseUrl);
    await accounts.getByRole('button', { name: 'Fetch users' }).click();
    await expect
      .poll(() => page.getByLabel('Fetch result').textContent(), { timeout: 60_000 })
      .toContain(`Fetched ${data.users.length.toLocaleString('en-US')} users`);
    // Graph saw the token MSAL got from the authorization code.
    expect(graph.requests.some((r) => r.headers.authorization === `Bearer ${fake.accessToken}`)).toBe(true);
  });
});
