import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser, screenshot, startWebApp, type WebApp } from './support/browser.ts';

describe.skipIf(!chromiumAvailable)('Reports screen in browser mode', () => {
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

  it('shows a live, pseudonymised preview of the demo project’s report in a sandboxed frame', async () => {
    await page.goto(app.launchUrl);
    await page.getByRole('button', { name: 'Reports', exact: true }).click();
    const frame = page.locator('iframe.report-frame');
    await expect.poll(() => frame.count(), { timeout: 30_000 }).toBe(1);
    expect(await frame.getAttribute('sandbox')).toBe('');
    const report = page.frameLocator('iframe.report-frame');
    await expect.poll(() => report.locator('h1').textContent(), { timeout: 30_000 }).toContain('SCIM mapping report — Contoso demo');
    const text = (await report.locator('body').textContent()) ?? '';
    expect(text).toContain('Redactionpseudonymise');
    expect(text).not.toContain('megan.bowen@contoso.com');
  });

  it('follows the options: vendor, sections and redaction change the preview', async () => {
    await page.getByLabel('Vendor profile').selectOption('thrive');
    const report = page.frameLocator('iframe.report-frame');
    await expect.poll(() => report.locator('h1').textContent(), { timeout: 30_000 }).toContain('→ Thrive');
    await page.getByLabel('Coverage').uncheck();
    await expect.poll(() => report.locator('section#coverage').count(), { timeout: 30_000 }).toBe(0);
    await page.getByLabel(/^Remove/).check();
    await expect.poll(() => report.locator('section#samples').textContent(), { timeout: 30_000 }).toContain('left out');
    await page.getByLabel(/^Pseudonymise/).check();
    await expect.poll(() => report.locator('section#samples h3').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await screenshot(page, 'reports-screen');
  });

  it('saves the chosen format as a download', async () => {
    await page.getByLabel('Format', { exact: true }).selectOption('md');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save report' }).click()]);
    expect(download.suggestedFilename()).toBe('contoso-demo-thrive-report.md');
    await page.getByLabel('Format', { exact: true }).selectOption('entra-schema');
    const [schema] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save report' }).click()]);
    expect(schema.suggestedFilename()).toBe('contoso-demo-thrive-mappings.schema.json');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('/synchronization/jobs/{jobId}/schema');
  });
});
