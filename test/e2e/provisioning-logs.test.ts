import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { Backend } from '../../electron/backend/backend.ts';
import { dispatch } from '../../electron/backend/dispatch.ts';
import { startFakeGraph, type FakeGraph } from '../support/fake-graph/server.ts';
import type { SynchronizationChecksData } from '../support/fake-graph/synchronization-checks.ts';
import { plantedLogEntries } from '../integration/synchronization/logs-fixture.ts';
import { agreeingAnswers, contosoEnterpriseApp, JOB_ID, mappingSet, USERS } from '../integration/synchronization/tenant.ts';
import { chromiumAvailable, goToScreen, launchBrowser, pasteAccessToken, screenshot, startWebApp, type WebApp } from './support/browser.ts';

/**
 * Issue 14's "Planned vs actual" as the admin meets it: paste a token, pick the job on the Mappings screen, compare its
 * provisioning logs with the plan, read the planted difference with its cause and a failure group, replay that group's
 * user against the mock server, and compare the portal's JSON download to the same result.
 */
describe.skipIf(!chromiumAvailable)('Mappings screen: Planned vs actual (browser mode)', () => {
  let dir: string;
  let app: WebApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let graph: FakeGraph;
  const checks: SynchronizationChecksData = { parseExpression: agreeingAnswers(), provisioningLogs: plantedLogEntries() };

  beforeAll(async () => {
    graph = await startFakeGraph(contosoEnterpriseApp(checks));
    // the workspace holds the job's mappings as revision 1 and the tenant's users as the newest snapshot
    dir = mkdtempSync(join(tmpdir(), 'scim-planner-e2e-logs-'));
    const workspace = join(dir, 'w.scimplan');
    const backend = new Backend({ mode: 'browser', version: 'test', workspacePath: workspace });
    const saved = await dispatch(backend.handlers, 'mappings.save', { label: 'Contoso job', mappingSet: mappingSet() });
    if (!saved.ok) throw new Error(saved.error.message);
    const imported = await dispatch(backend.handlers, 'directory.import', { fileName: 'contoso-users.json', content: JSON.stringify({ value: USERS }) });
    if (!imported.ok) throw new Error(imported.error.message);
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

  it('compares the job’s logs, shows the planted difference and the failures, and replays one against the mock server', async () => {
    await pasteAccessToken(page, graph.accessToken);

    await goToScreen(page, 'Mappings');
    await expect.poll(() => page.getByTestId('revision-badge').textContent()).toContain('Contoso job');
    await page.getByText('Planned vs actual (provisioning logs)', { exact: true }).click();
    const panel = page.locator('details.planned-vs-actual');
    // the panel's body renders once <details> has opened (its toggle event), a frame after the click
    await expect.poll(() => panel.textContent()).toContain('Reading the provisioning logs changes nothing in the tenant');
    await panel.getByLabel('Microsoft Graph endpoint').fill(graph.baseUrl);
    await panel.getByRole('button', { name: 'Find provisioning jobs' }).click();
    await expect.poll(() => panel.getByTestId('job-health').textContent()).toContain('Active');
    await panel.getByRole('button', { name: 'Compare with the job’s logs' }).click();

    const summary = panel.locator('.log-summary');
    await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toBe("7 entries, 2 matched to the snapshot's users, 1 agreed with the plan, 1 not in the snapshot, 1 skipped.");
    const difference = panel.locator('.log-differences tbody tr');
    expect(await difference.count()).toBe(1);
    expect(await difference.locator('td').allTextContents()).toEqual([
      'chloe@contoso.com',
      'displayName',
      'Chloé Martin',
      'Chloé Dupré',
      expect.stringMatching(/^The source value changed since Entra sent this\./),
    ]);
    const conflict = panel.getByRole('region', { name: 'SystemForCrossDomainIdentityManagementEntryConflict: 2 failed' });
    expect(await conflict.textContent()).toContain('Affected users: bob@fabrikam.com, Dana');
    expect(await conflict.textContent()).toContain('Matching attribute in this mapping: userName');
    expect(graph.requests.some((r) => r.url.startsWith('/v1.0/auditLogs/provisioning') && decodeURIComponent(r.url).includes(`jobId eq '${JOB_ID}'`))).toBe(true);

    // the replay: Bob provisioned on demand against the mock server emulating the project's vendor
    await conflict.getByRole('button', { name: 'Replay against the mock server' }).click();
    const replay = conflict.locator('.replay-result');
    await expect.poll(() => replay.textContent(), { timeout: 30_000 }).toMatch(/^Replayed against the mock server emulating .+ \(run \d+, completed\)/);
    expect(await replay.textContent()).toMatch(/bob@fabrikam\.com: create — success/i);
    await screenshot(page, 'mappings-planned-vs-actual');

    // the portal's JSON download gives the same comparison
    await panel.getByLabel('The portal’s download (JSON, or both CSV files)').check();
    await panel.getByLabel('Provisioning-log files').setInputFiles({
      name: 'ProvisioningLogs.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(plantedLogEntries().filter((e) => e.jobId === JOB_ID))),
    });
    await panel.getByRole('button', { name: 'Compare with the download' }).click();
    await expect.poll(() => panel.locator('.log-comparison .muted').first().textContent()).toContain("the portal's download ProvisioningLogs.json");
    expect(await summary.textContent()).toBe("7 entries, 2 matched to the snapshot's users, 1 agreed with the plan, 1 not in the snapshot, 1 skipped.");
  });
});
