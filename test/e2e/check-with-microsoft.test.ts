import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { Backend } from '../../electron/backend/backend.ts';
import { dispatch } from '../../electron/backend/dispatch.ts';
import { startFakeGraph, type FakeGraph } from '../support/fake-graph/server.ts';
import { synchronizationJob, type SynchronizationChecksData } from '../support/fake-graph/synchronization-checks.ts';
import { agreeingAnswers, JOB_ID, mappingSet, SERVICE_PRINCIPAL_ID, USERS } from '../integration/synchronization/tenant.ts';
import { chromiumAvailable, goToScreen, launchBrowser, pasteAccessToken, screenshot, startWebApp, type WebApp } from './support/browser.ts';

/**
 * Issue 14 in the app, as the admin meets it: paste a token on the Tenant screen, pick the enterprise app's provisioning
 * job from the (fake) Graph on the Mappings screen, run the check, and read the per-row badges.
 */
describe.skipIf(!chromiumAvailable)('Mappings screen: Check with Microsoft (browser mode)', () => {
  let dir: string;
  let app: WebApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let graph: FakeGraph;
  const checks: SynchronizationChecksData = { parseExpression: agreeingAnswers() };

  beforeAll(async () => {
    graph = await startFakeGraph({
      users: USERS,
      servicePrincipals: [{ id: SERVICE_PRINCIPAL_ID, appId: '8adf8e6e-67b2-4cf2-a259-e3dc5476c621', displayName: 'Contoso', tags: ['WindowsAzureActiveDirectoryIntegratedApp'] }],
      synchronizationJobs: { [SERVICE_PRINCIPAL_ID]: [synchronizationJob(JOB_ID, 'Active')] },
      synchronizationSchemas: { [JOB_ID]: mappingSet() },
      synchronizationChecks: checks,
    });
    // the workspace holds the job's mappings as revision 1 (the demo tenant is its snapshot)
    dir = mkdtempSync(join(tmpdir(), 'scim-planner-e2e-check-'));
    const workspace = join(dir, 'w.scimplan');
    const backend = new Backend({ mode: 'browser', version: 'test', workspacePath: workspace });
    const saved = await dispatch(backend.handlers, 'mappings.save', { label: 'Contoso job', mappingSet: mappingSet() });
    if (!saved.ok) throw new Error(saved.error.message);
    await backend.close();
    app = await startWebApp({ workspace });
    browser = await launchBrowser();
    page = browser.page;
    await page.goto(app.launchUrl);
    await page.locator('.user-row').first().waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await graph?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('picks the job from Graph with a pasted token, runs the check and shows the badges per row', async () => {
    await pasteAccessToken(page, graph.accessToken);

    await goToScreen(page, 'Mappings');
    await expect.poll(() => page.getByTestId('revision-badge').textContent()).toContain('Contoso job');
    await page.getByText('Check with Microsoft', { exact: true }).first().click();
    const panel = page.locator('details.check-with-microsoft');
    await panel.getByLabel('Microsoft Graph endpoint').fill(graph.baseUrl);
    await panel.getByRole('button', { name: 'Find provisioning jobs' }).click();
    await expect.poll(() => panel.getByTestId('job-health').textContent()).toContain('Active');
    expect(await panel.getByLabel('Provisioning job').textContent()).toContain('Contoso · scim · Active');
    await panel.getByRole('button', { name: 'Check with Microsoft' }).click();
    await expect.poll(() => panel.getByRole('status').last().textContent(), { timeout: 30_000 }).toMatch(/^Checked with Microsoft: \d+ evaluations, \d+ agree, 0 differ, 0 refused\./);

    const badge = (target: string) => page.locator('.mapping-table tbody tr').filter({ has: page.locator('td.target', { hasText: new RegExp(`^${target}$`) }) }).getByTestId('microsoft-check');
    await expect.poll(() => badge('displayName').textContent()).toMatch(/^checked with Microsoft: agrees on \d+ users$/);
    await expect.poll(() => badge('active').textContent()).toMatch(/^checked with Microsoft: agrees on \d+ users$/);
    expect(await badge('userName').count()).toBe(0);
    expect(checks.parseExpressionCalls!.length).toBeGreaterThan(0);
    await screenshot(page, 'mappings-check-with-microsoft');

    // the Preview of the same revision says what Microsoft confirmed (issue 14)
    await goToScreen(page, 'Preview');
    const line = page.getByTestId('preview-microsoft-check');
    await expect
      .poll(() => line.textContent(), { timeout: 30_000 })
      .toMatch(/^Checked with Microsoft \(revision 1, \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC, job scim\.[0-9a-f.]+\): 3 rows agree on all \d+ sampled users, 0 differ\.$/);
    await screenshot(page, 'preview-checked-with-microsoft');
  });
});
