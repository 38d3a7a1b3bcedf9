import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser, screenshot, startWebApp, type WebApp } from './support/browser.ts';

/** Issue 20 item 3: the project has one vendor, chosen once on any screen and kept in the workspace. */
describe.skipIf(!chromiumAvailable)('the project’s vendor in browser mode', () => {
  let app: WebApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    page = browser.page;
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const contextVendor = () => page.getByTestId('context-vendor').textContent();

  it('is chosen once on Preview and is the vendor of the mock server and the report, whose title names it', async () => {
    await page.goto(app.launchUrl);
    await expect.poll(contextVendor, { timeout: 30_000 }).toBe('Vendor: Generic SCIM 2.0');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await page.locator('.vendor-picker select').selectOption({ label: 'HiThrive' });
    await expect.poll(contextVendor).toBe('Vendor: HiThrive');
    await expect.poll(() => page.locator('.vendor-summary').textContent(), { timeout: 60_000 }).toContain('HiThrive');
    await screenshot(page, 'project-vendor-preview');

    await page.getByRole('button', { name: 'Mock server', exact: true }).click();
    await expect.poll(() => page.getByLabel('Vendor', { exact: true }).inputValue(), { timeout: 30_000 }).toBe('hithrive');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect.poll(() => page.locator('.mock-state').textContent(), { timeout: 30_000 }).toBe('Running · HiThrive · Entra-compatible');
    await screenshot(page, 'project-vendor-mock-server');

    await page.getByRole('button', { name: 'Reports', exact: true }).click();
    await expect.poll(() => page.getByLabel('Vendor profile', { exact: true }).inputValue(), { timeout: 30_000 }).toBe('hithrive');
    const report = page.frameLocator('iframe.report-frame');
    await expect.poll(() => report.locator('h1').textContent(), { timeout: 60_000 }).toBe('SCIM mapping report — Contoso demo → HiThrive');
    await screenshot(page, 'project-vendor-report');
  });

  it('is changed from the Reports screen for every screen, and kept in the workspace across a reload', async () => {
    await page.getByLabel('Vendor profile', { exact: true }).selectOption('thrive');
    const report = page.frameLocator('iframe.report-frame');
    await expect.poll(() => report.locator('h1').textContent(), { timeout: 60_000 }).toBe('SCIM mapping report — Contoso demo → Thrive');

    await page.reload();
    await expect.poll(contextVendor, { timeout: 30_000 }).toBe('Vendor: Thrive');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect.poll(() => page.locator('.vendor-picker select').inputValue(), { timeout: 30_000 }).toBe('thrive');
    await page.getByRole('button', { name: 'Mock server', exact: true }).click();
    // the running server still emulates HiThrive until it is restarted with the project's vendor
    await expect.poll(() => page.locator('.mock-state').textContent(), { timeout: 30_000 }).toBe('Running · HiThrive · Entra-compatible');
    await page.getByRole('button', { name: 'Restart with these settings' }).click();
    await expect.poll(() => page.locator('.mock-state').textContent(), { timeout: 30_000 }).toBe('Running · Thrive · Entra-compatible');
  });
});
