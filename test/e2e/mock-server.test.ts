import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser, screenshot, startWebApp, type WebApp } from './support/browser.ts';

describe.skipIf(!chromiumAvailable)('Mock server screen in browser mode', () => {
  let app: WebApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let tenantUrl = '';
  let token = '';

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    // stopping browser mode closes the backend, which stops the mock server with it
    await app?.stop();
  });

  it('starts the server from the screen and shows the Tenant URL and a masked Secret Token', async () => {
    await page.goto(app.launchUrl);
    await page.getByRole('button', { name: 'Mock server' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Stopped');
    await page.getByLabel('Vendor').selectOption('formsonfire');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Running · Forms On Fire · Entra-compatible');
    tenantUrl = await page.getByLabel('Tenant URL', { exact: true }).inputValue();
    expect(tenantUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    const tokenField = page.getByLabel('Secret Token', { exact: true });
    expect(await tokenField.getAttribute('type')).toBe('password');
    await page.getByRole('button', { name: 'Show' }).click();
    expect(await tokenField.getAttribute('type')).toBe('text');
    token = await tokenField.inputValue();
    expect(token.length).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'Hide' }).click();
    await screenshot(page, 'mock-server-running');
  });

  it('shows requests sent to the Tenant URL in the live log, with the vendor rule that refused one', async () => {
    const post = (body: unknown) =>
      fetch(`${tenantUrl}/Users`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' },
        body: JSON.stringify(body),
      });
    const core = 'urn:ietf:params:scim:schemas:core:2.0:User';
    const accepted = await post({
      schemas: [core],
      userName: 'adele.vance@contoso.test',
      externalId: 'adele',
      active: true,
      name: { givenName: 'Adele', familyName: 'Vance' },
      emails: [{ type: 'work', value: 'adele.vance@contoso.test', primary: true }],
    });
    expect(accepted.status).toBe(201);
    // Forms On Fire requires a given name (its guide), so this one is refused with its kind of error
    const refused = await post({ schemas: [core], userName: 'lee.gu@contoso.test', active: true });
    expect(refused.status).toBe(400);

    const rows = page.locator('.mock-log-row.mock-row');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().locator('.mock-status').textContent()).toBe('400');
    expect(await rows.nth(1).locator('.mock-status').textContent()).toBe('201');
    await rows.first().click();
    const detail = page.getByLabel('Request detail');
    await expect.poll(() => detail.getByLabel('Deciding rule').textContent()).toContain('vendor.required:name.givenName');
    expect(await detail.getByLabel('Request body').textContent()).toContain('lee.gu@contoso.test');
    await screenshot(page, 'mock-server-request-log');
  });

  it('browses the users as the vendor now holds them', async () => {
    await page.getByRole('tab', { name: /^Users/ }).click();
    const row = page.locator('.mock-resource-row.mock-row', { hasText: 'adele.vance@contoso.test' });
    await expect.poll(() => row.count()).toBe(1);
    await row.click();
    const stored = await page.getByLabel('Stored resource').textContent();
    expect(JSON.parse(stored!)).toMatchObject({ userName: 'adele.vance@contoso.test', externalId: 'adele', name: { givenName: 'Adele' } });
    expect(await page.getByRole('tab', { name: /^Users/ }).textContent()).toBe('Users (1)');
    await screenshot(page, 'mock-server-users');
  });
});
