import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser, screenshot, startWebApp, type WebApp } from './support/browser.ts';

const HITHRIVE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:hithrive:1.0:User';
const HIRE_DATE = `${HITHRIVE_SCHEMA}:hire_date`;

describe.skipIf(!chromiumAvailable)('Preview screen in browser mode', () => {
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

  /** The finding entries that name HiThrive's hire_date target, with their code. */
  const hireDateFindings = () =>
    page.locator('.finding-code').evaluateAll(
      (blocks, target) =>
        blocks.flatMap((block) =>
          [...block.querySelectorAll('.finding-entry')]
            .filter((entry) => entry.querySelector('.finding-attribute')?.textContent === target)
            .map((entry) => ({
              code: block.querySelector('.finding-code-name')!.textContent!,
              fixable: [...entry.querySelectorAll('button')].some((b) => b.textContent === 'Fix it'),
            })),
        ),
      HIRE_DATE,
    );

  it('opens Preview on the demo tenant with Entra’s default mappings and counts the actions', async () => {
    await page.goto(app.launchUrl);
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    const allChip = page.locator('.action-chip').first();
    await expect.poll(() => allChip.textContent(), { timeout: 60_000 }).toMatch(/^All \d/);
    const total = Number((await allChip.textContent())!.replace(/\D/g, ''));
    expect(total).toBeGreaterThanOrEqual(150);
    // Nothing is provisioned yet, so the first cycle creates the in-scope users.
    const createChip = page.locator('.action-chip.action-create');
    expect(Number((await createChip.textContent())!.replace(/\D/g, ''))).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.run-facts').textContent()).toContain('Entra’s default mappings');
    await expect.poll(() => page.locator('.dialect-in-force').textContent()).toMatch(/^In force: /);
    await expect.poll(() => page.locator('.preview-row').count()).toBeGreaterThan(5);
    await expect.poll(() => page.locator('.preview-table-foot').textContent()).toBe(`${total.toLocaleString('en-US')} users`);
    await screenshot(page, 'preview-summary');
  });

  it('switches the vendor to HiThrive and shows the hire-date finding', async () => {
    await page.locator('.vendor-picker select').selectOption({ label: 'HiThrive' });
    await expect.poll(hireDateFindings, { timeout: 60_000 }).toContainEqual(expect.objectContaining({ fixable: true }));
    await expect.poll(() => page.locator('.vendor-summary').textContent()).not.toBe('');
    await page.locator('.finding-entry', { has: page.locator('.finding-attribute', { hasText: HIRE_DATE }) }).first().scrollIntoViewIfNeeded();
    await screenshot(page, 'preview-findings-hithrive');
  });

  it('applies the hire-date fix: a new revision is saved and the finding goes', async () => {
    const before = await hireDateFindings();
    const fixable = before.find((f) => f.fixable)!;
    await page.locator(`button[aria-label="Fix it: ${fixable.code} on ${HIRE_DATE}"]`).click();
    // The fix is previewed over the snapshot first; only Apply saves it.
    const apply = page.getByRole('dialog').getByRole('button', { name: 'Apply and save as a new revision' });
    await expect.poll(() => apply.count(), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => page.locator('.fix-counts').textContent()).toMatch(/^This fix changes \d+ users of \d+\./);
    await screenshot(page, 'preview-fix-dialog');
    await apply.click();
    await expect.poll(() => page.locator('.fix-saved').textContent(), { timeout: 60_000 }).toMatch(/Saved as mapping revision \d+/);
    const revision = /revision (\d+)/.exec((await page.locator('.fix-saved').textContent())!)![1];
    // The preview re-ran on the new revision, and the finding that was fixed is not raised any more.
    await expect.poll(() => page.locator('.run-facts').textContent(), { timeout: 60_000 }).toContain(`Mapping revision ${revision}`);
    await expect.poll(hireDateFindings).not.toContainEqual({ code: fixable.code, fixable: true });
    await page.locator('.fix-saved').scrollIntoViewIfNeeded();
    await screenshot(page, 'preview-after-fix');
  });

  it('opens a created user’s POST body by keyboard, which now carries the hire date as YYYY-MM-DD', async () => {
    await page.locator('.action-chip.action-create').click();
    const grid = page.getByRole('grid', { name: 'Preview users' });
    await expect.poll(() => page.locator('.preview-row .action-badge').first().textContent()).toBe('Create');
    // Keyboard: arrow to the first row and open it with Enter.
    await grid.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const body = page.locator('pre[aria-label="POST /Users body"]');
    await expect.poll(() => body.count(), { timeout: 30_000 }).toBe(1);
    const json = JSON.parse((await body.textContent())!) as Record<string, unknown>;
    expect(json).toHaveProperty('userName');
    // The first demo user has a Graph employeeHireDate (a UTC date-time); the fix's FormatDateTime makes it a date.
    const source = page.getByLabel('User preview').locator('.attribute-table tr', { has: page.locator('th', { hasText: /^employeeHireDate$/ }) });
    expect(await source.locator('td').textContent()).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect((json[HITHRIVE_SCHEMA] as Record<string, unknown> | undefined)?.hire_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Highlighted: keys, strings and booleans carry their own classes.
    expect(await body.locator('.json-key').count()).toBeGreaterThan(2);
    expect(await body.locator('.json-boolean').count()).toBeGreaterThan(0);
    await page.locator('.request-view', { has: body }).scrollIntoViewIfNeeded();
    await page.locator('.request-view', { has: body }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'preview-user-post');
  });
});
