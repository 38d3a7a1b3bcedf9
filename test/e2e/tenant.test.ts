import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser, screenshot, startWebApp, type WebApp } from './support/browser.ts';

describe.skipIf(!chromiumAvailable)('Tenant screen in browser mode', () => {
  let app: WebApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('opens on the demo tenant and lists its users', async () => {
    await page.goto(app.launchUrl);
    // The token left the address bar: it was traded for the HttpOnly cookie.
    expect(page.url()).not.toContain('token=');
    await expect.poll(() => page.locator('.user-table-foot').textContent()).toMatch(/^\d+ users$/);
    const footer = await page.locator('.user-table-foot').textContent();
    expect(Number(footer!.split(' ')[0])).toBeGreaterThanOrEqual(150);
    await expect.poll(() => page.getByRole('row').count()).toBeGreaterThan(10);
    await expect.poll(() => page.locator('.app-context').textContent()).toContain('Contoso demo');
    await screenshot(page, 'tenant-users');
  });

  it('searches users and opens one user’s detail with source attributes beside raw Graph JSON', async () => {
    await page.getByLabel('Search users').fill('zoë');
    await expect.poll(() => page.locator('.user-table-foot').textContent()).toMatch(/users matching “zoë”/);
    const rows = page.locator('.user-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    const rowTexts = await rows.allTextContents();
    expect(rowTexts.every((t) => t.toLowerCase().includes('zoë'))).toBe(true);

    await rows.first().click();
    const detail = page.getByLabel('User detail');
    await expect.poll(() => detail.locator('h2').textContent()).toContain('Zoë');
    // Entra provisioning names on one side, Graph's own property names on the other.
    await expect.poll(() => detail.locator('.attribute-table th').allTextContents()).toContain('objectId');
    const raw = await detail.getByLabel('Raw Graph JSON').textContent();
    expect(JSON.parse(raw!)).toHaveProperty('userPrincipalName');
    await screenshot(page, 'tenant-user-detail');
  });

  it('lets the keyboard move through the user list', async () => {
    await page.getByLabel('Search users').fill('');
    await page.getByRole('grid', { name: 'Users' }).focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('.user-row.selected').count()).toBe(1);
  });
});
