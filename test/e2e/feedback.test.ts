import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, goToScreen, launchBrowser, screenshot, startWebApp, type WebApp } from './support/browser.ts';

/** Issue 20 item 9 in the real renderer: the actions that used to answer with silence now say what they did. */
describe.skipIf(!chromiumAvailable)('Feedback for every action in browser mode', () => {
  let app: WebApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    page = browser.page;
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('says the demo tenant is already loaded when “Use demo tenant” has nothing to load', async () => {
    await page.goto(app.launchUrl);
    await goToScreen(page, 'Tenant');
    await expect.poll(() => page.locator('.user-row').count(), { timeout: 30_000 }).toBeGreaterThan(5);
    await page.getByRole('button', { name: 'Use demo tenant' }).click();
    await expect.poll(() => page.locator('.demo-tenant-status').textContent()).toBe('The demo tenant is already loaded and shown (Contoso demo tenant, 200 users and 17 groups).');
    await screenshot(page, 'feedback-demo-tenant');
  });

  it('confirms Copy as curl, and shows no stale confirmation beside the next user’s request', async () => {
    await goToScreen(page, 'Preview');
    await expect.poll(() => page.locator('.preview-row').count(), { timeout: 60_000 }).toBeGreaterThan(5);
    await page.locator('.preview-row').nth(0).click();
    const request = page.locator('.request-view').first();
    await expect.poll(() => request.count(), { timeout: 30_000 }).toBe(1);
    await request.getByRole('button', { name: 'Copy as curl' }).click();
    await expect.poll(() => request.getByRole('status').textContent()).toBe('✔ Copied to the clipboard');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^curl /);
    await screenshot(page, 'feedback-copy-as-curl');

    const first = await request.getAttribute('aria-label');
    await page.locator('.preview-row').nth(1).click();
    await expect.poll(() => page.locator('.request-view').first().getAttribute('aria-label')).not.toBe(first);
    expect(await page.locator('.request-view .copy-status').count()).toBe(0);
  });

  it('says why Ok is unavailable in the Edit attribute panel', async () => {
    await goToScreen(page, 'Mappings');
    await page.getByRole('button', { name: 'Add New Mapping' }).click();
    const ok = page.getByLabel('Edit attribute').getByRole('button', { name: 'Ok' });
    await ok.click();
    expect(await ok.isDisabled()).toBe(true);
    expect(await ok.getAttribute('title')).toContain('Choose a target attribute.');
    // The reason is the button's accessible description, so a screen reader reads it with the button.
    const described = await ok.getAttribute('aria-describedby');
    expect(await page.locator(`[id="${described}"]`).textContent()).toContain('Choose a target attribute.');
    await screenshot(page, 'feedback-ok-reason');
  });
});
