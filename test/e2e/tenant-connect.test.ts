import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { exportUsersCsv } from '../../shared/directory/csv-import.ts';
import type { GraphUser } from '../../shared/directory/graph-to-source.ts';
import { DEMO_DIRECTORY_EXTENSIONS } from '../../scripts/demo-tenant/generate.ts';
import { demoGraphData } from '../support/fake-graph/demo-data.ts';
import { startFakeGraph, type FakeGraph } from '../support/fake-graph/server.ts';
import { chromiumAvailable, launchBrowser, screenshot, startWebApp, type WebApp } from './support/browser.ts';

/** The demo tenant as a CSV with two users changed, one left out and one added: a realistic re-export. */
function changedDemoCsv(): { csv: string; changed: GraphUser; userCount: number } {
  const users = (JSON.parse(readFileSync('resources/demo-tenant/users.json', 'utf8')) as { value: GraphUser[] }).value;
  const next = structuredClone(users);
  next[1]!.department = 'Field Operations';
  next[2]!.jobTitle = 'Head of Everything';
  next.splice(5, 1);
  next.push({ ...structuredClone(users[0]!), id: '99999999-0000-4000-8000-0000000000aa', userPrincipalName: 'new.hire@contoso.com', displayName: 'New Hire', manager: undefined });
  return { csv: exportUsersCsv(next, DEMO_DIRECTORY_EXTENSIONS), changed: next[1]!, userCount: next.length };
}

describe.skipIf(!chromiumAvailable)('Tenant screen: connect, import, fetch and compare (browser mode)', () => {
  let app: WebApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let graph: FakeGraph;

  beforeAll(async () => {
    // Slow pages, so the progress bar is on screen long enough to see and capture.
    graph = await startFakeGraph(demoGraphData(5000), { latencyMs: 700 });
    app = await startWebApp();
    browser = await launchBrowser();
    page = browser.page;
    await page.goto(app.launchUrl);
    await page.locator('.user-row').first().waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await graph?.close();
  });

  it('shows the sign-in form with the cloud picker, tenant, client ID and the setup steps', async () => {
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const form = page.getByRole('form', { name: 'Sign in to a tenant' });
    await form.getByLabel('Cloud').selectOption('usgov');
    await form.getByLabel('Directory (tenant) ID').fill('contoso.onmicrosoft.com');
    await form.getByLabel('Application (client) ID').fill('6f1c0f0e-a7a9-4b1f-a0a1-b2c3d4e5f607');
    await form.getByText('Where do I get a client ID?').click();
    await expect.poll(() => form.getByText('Allow public client flows').isVisible()).toBe(true);
    expect(await form.getByRole('radio', { name: 'A device code (another device)' }).count()).toBe(1);
    await screenshot(page, 'tenant-sign-in');
    await page.getByRole('button', { name: 'Sign in', exact: true }).first().click();
  });

  it('imports a CSV from the screen and shows the new snapshot and its users', async () => {
    const { csv, changed, userCount } = changedDemoCsv();
    await page.getByRole('button', { name: 'Import file' }).click();
    await page.getByLabel('Users file').setInputFiles({ name: 'contoso-export.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain(`Imported ${userCount} users`);
    const row = page.getByRole('table', { name: 'Snapshots' }).getByRole('row', { name: /contoso-export\.csv/ });
    await expect.poll(() => row.textContent()).toContain('CSV import');
    await expect.poll(() => row.getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.locator('.user-table-foot').textContent()).toBe(`${userCount} users`);
    await page.getByLabel('Search users').fill(changed.userPrincipalName!);
    await page.locator('.user-row').first().click();
    await expect.poll(() => page.getByLabel('Raw Graph JSON').textContent()).toContain('Field Operations');
    await page.getByLabel('Search users').fill('');
  });

  it('compares the imported snapshot with the demo snapshot', async () => {
    await page.getByRole('button', { name: 'Compare snapshots' }).click();
    const compare = page.getByRole('region', { name: 'Compare snapshots' });
    await expect.poll(() => compare.getByRole('tab', { name: /^Added/ }).textContent()).toBe('Added (1)');
    await expect.poll(() => compare.getByRole('tab', { name: /^Removed/ }).textContent()).toBe('Removed (1)');
    // At least the two edited users. A CSV cell holds the multi-valued skills extension as text, so users
    // with skills differ as well: a file cannot say an extension is a list.
    await expect.poll(() => compare.getByRole('tab', { name: /^Changed/ }).textContent()).toMatch(/^Changed \((\d{2,}|[2-9])\)$/);
    await expect.poll(() => compare.locator('.attribute-changes th').allTextContents()).toContain('department');
    await expect.poll(() => compare.getByText('Field Operations').count()).toBeGreaterThan(0);
    await screenshot(page, 'tenant-compare');
    await compare.getByRole('tab', { name: /^Added/ }).click();
    await expect.poll(() => compare.locator('.compare-user').first().textContent()).toContain('new.hire@contoso.com');
    await compare.getByRole('button', { name: 'Close' }).click();
  });

  it('fetches from a Graph stand-in with a pasted token, showing progress, rate and time left', async () => {
    await page.getByRole('button', { name: 'Paste access token' }).click();
    await page.getByRole('textbox', { name: 'Access token' }).fill(graph.accessToken);
    await page.getByRole('button', { name: 'Use token' }).click();
    const accounts = page.getByRole('region', { name: 'Accounts' });
    await expect.poll(() => accounts.getByRole('button', { name: 'Fetch users' }).count()).toBe(1);
    // The token itself never comes back to the page.
    expect(await page.content()).not.toContain(graph.accessToken);
    await accounts.getByText('Fetch options').click();
    await accounts.getByLabel('Microsoft Graph endpoint').fill(graph.baseUrl);
    await accounts.getByRole('button', { name: 'Fetch users' }).click();

    const progress = page.getByLabel('Fetch progress');
    await expect
      .poll(() => progress.locator('.fetch-text').textContent({ timeout: 60_000 }), { timeout: 60_000 })
      .toMatch(/^Users: [\d,]+ of 5,000 · [\d,]+\/s( · about .* left)?$/);
    expect(await progress.getByRole('button', { name: 'Cancel' }).count()).toBe(1);
    await screenshot(page, 'tenant-fetch-progress');
    await expect.poll(() => page.getByLabel('Fetch result').textContent(), { timeout: 60_000 }).toContain('Fetched 5,000 users');
    await page.getByRole('button', { name: 'Show users' }).click();
    await expect.poll(() => page.locator('.user-table-foot').textContent()).toBe('5000 users');
  });
});
