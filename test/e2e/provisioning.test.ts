import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser, screenshot, startWebApp, type WebApp } from './support/browser.ts';

describe.skipIf(!chromiumAvailable)('Provisioning screen in browser mode', () => {
  let app: WebApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let created = 0;

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

  it('starts the mock server from the screen, tests the connection and shows the dry run of an initial cycle', async () => {
    await page.goto(app.launchUrl);
    await page.getByRole('button', { name: 'Provisioning', exact: true }).click();
    await page.getByRole('button', { name: 'Start mock server' }).click();
    await expect.poll(() => page.locator('.prov-mock-state').textContent()).toMatch(/^Running · .* · http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    await page.getByRole('button', { name: 'Test Connection' }).click();
    await expect.poll(() => page.locator('.prov-test').textContent()).toContain('The supplied credentials are authorized to enable provisioning.');
    await page.getByRole('button', { name: 'Dry run' }).click();
    const counts = page.getByLabel('Plan counts');
    await expect.poll(() => counts.textContent(), { timeout: 60_000 }).toMatch(/Create/);
    created = Number((await page.locator('.prov-count-create .prov-count-value').textContent())!.replace(/\D/g, ''));
    // nothing has been provisioned yet, so the initial cycle creates the demo tenant's users in scope
    expect(created).toBeGreaterThan(0);
    expect(await page.locator('.prov-plan h2').textContent()).toBe('Dry run · Initial cycle');
    await screenshot(page, 'provisioning-plan');
  });

  it('provisions the initial cycle to the loopback mock server without a dialog and shows the summary', async () => {
    await page.locator('.prov-plan').getByRole('button', { name: 'Provision' }).click();
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    await expect.poll(() => page.locator('.prov-progress-text').textContent(), { timeout: 120_000 }).toBe('Cycle completed');
    const summary = page.getByLabel('Cycle summary');
    const createdNow = Number((await summary.locator('.prov-fact-created dd').textContent())!.replace(/\D/g, ''));
    expect(createdNow).toBe(created);
    expect(await summary.locator('.prov-fact-failed dd').textContent()).toBe('0');
    expect(await summary.locator('svg[role="img"]').getAttribute('aria-label')).toMatch(/^\d+ objects over /);
    expect(await page.getByLabel('Live status').locator('li').count()).toBeGreaterThan(0);
    await screenshot(page, 'provisioning-summary');
  });

  it('shows the audit log, filters it and opens an entry with Entra’s steps', async () => {
    const foot = page.locator('.prov-audit-foot');
    await expect.poll(() => foot.textContent()).toMatch(/^\d[\d,]* entries$/);
    const all = Number((await foot.textContent())!.replace(/\D/g, ''));
    expect(all).toBeGreaterThanOrEqual(created);
    await page.getByLabel('Status', { exact: true }).selectOption('success');
    await expect.poll(() => foot.textContent()).toMatch(/entries$/);
    const rows = page.locator('.prov-audit-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    const firstLabel = (await rows.first().locator('.prov-audit-label').textContent())!.replace(/ (User|Group)$/, '');
    await page.getByLabel('Search', { exact: true }).fill(firstLabel);
    await expect.poll(() => rows.first().locator('.prov-audit-label').textContent()).toContain(firstLabel);
    await rows.first().click();
    const detail = page.getByLabel('Provisioning log details');
    await expect.poll(() => detail.locator('.prov-step').count()).toBeGreaterThanOrEqual(3);
    const steps = await detail.locator('.prov-step summary').allTextContents();
    expect(steps.join('\n')).toContain('Import user');
    expect(steps.join('\n')).toContain('Perform action');
    expect(await detail.textContent()).toMatch(/POST .*\/Users|PATCH .*\/Users/);
    await detail.locator('.prov-step').last().scrollIntoViewIfNeeded();
    await screenshot(page, 'provisioning-audit');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    expect((await download).suggestedFilename()).toMatch(/\.csv$/);
  });
});
