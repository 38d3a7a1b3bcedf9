import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { Backend } from '../../electron/backend/backend.ts';
import { dispatch } from '../../electron/backend/dispatch.ts';
import { startFakeGraph, type FakeGraph } from '../support/fake-graph/server.ts';
import { graphData, planSchema } from '../integration/go-live/fixtures.ts';
import { chromiumAvailable, goToScreen, launchBrowser, pasteAccessToken, screenshot, startWebApp, type WebApp } from './support/browser.ts';

/**
 * Issue 15's canary in the app, as the admin meets it: paste a token on the Tenant screen, pick the job and a user on
 * the Provisioning screen, read the confirmation, type the app's name, and see Entra's answer beside the preview with
 * the planted difference; the fake Graph received exactly one provisionOnDemand in the documented shape.
 */
describe.skipIf(!chromiumAvailable)('Provisioning screen: Canary (provision on demand) (browser mode)', () => {
  const data = graphData();
  const app = data.servicePrincipals![0] as { id: string; displayName: string };
  const user = data.users.find((u) => u.accountEnabled !== false && u.mail && u.givenName && u.displayName && !String(u.userPrincipalName).includes('#EXT#'))!;
  let dir: string;
  let web: WebApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let graph: FakeGraph;

  beforeAll(async () => {
    graph = await startFakeGraph({ ...data, servicePrincipals: data.servicePrincipals!.map((sp) => ({ ...sp, tags: ['WindowsAzureActiveDirectoryIntegratedApp'] })) });
    graph.goLive.onDemand.set(user.id, {
      result: 'Success',
      action: 'Create',
      exported: {
        userName: String(user.userPrincipalName),
        active: 'True',
        'emails[type eq "work"].value': String(user.mail),
        'name.givenName': String(user.givenName),
        externalId: user.id,
        displayName: 'Planted Name',
      },
    });
    // the workspace holds the plan as revision 1 (the demo tenant, the same users the fake serves, is its snapshot)
    dir = mkdtempSync(join(tmpdir(), 'scim-planner-e2e-canary-'));
    const workspace = join(dir, 'w.scimplan');
    const backend = new Backend({ mode: 'browser', version: 'test', workspacePath: workspace });
    const saved = await dispatch(backend.handlers, 'mappings.save', { label: 'Plan', mappingSet: planSchema() });
    if (!saved.ok) throw new Error(saved.error.message);
    await backend.close();
    web = await startWebApp({ workspace });
    browser = await launchBrowser();
    page = browser.page;
    await page.goto(web.launchUrl);
    await page.locator('.user-row').first().waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await graph?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('picks the job and a user, confirms the vendor write and shows the comparison with the planted difference', async () => {
    await pasteAccessToken(page, graph.accessToken);

    await goToScreen(page, 'Provisioning');
    await page.getByText('Canary (provision on demand)', { exact: true }).click();
    const panel = page.locator('details.canary-panel');
    // the panel's body renders once <details> has opened (its toggle event), a frame after the click
    await expect.poll(() => panel.textContent()).toContain('WRITES TO THE VENDOR');
    await panel.getByLabel('Microsoft Graph endpoint').fill(graph.baseUrl);
    await panel.getByRole('button', { name: 'Find provisioning jobs' }).click();
    await expect.poll(() => panel.getByTestId('job-health').textContent()).toContain('Active');

    await panel.getByLabel('Search users by name or UPN').fill(String(user.userPrincipalName));
    await panel.getByRole('list', { name: 'Users found' }).getByRole('button').filter({ hasText: String(user.userPrincipalName) }).click();
    await panel.getByRole('button', { name: 'Provision on demand…' }).click();

    const dialog = page.getByRole('dialog', { name: 'Provision on demand' });
    await dialog.waitFor();
    const said = await dialog.textContent();
    expect(said).toContain('WRITES TO THE VENDOR');
    expect(said).toContain(`Contoso (${graph.goLive.organization.id})`);
    expect(said).toContain(app.displayName);
    expect(said).toContain(String(user.userPrincipalName));
    expect(said).toContain('aadOptscim062020');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    expect(graph.goLive.onDemandCalls).toHaveLength(0);
    await screenshot(page, 'provisioning-canary-confirm');

    await dialog.getByRole('textbox').fill(app.displayName);
    await dialog.getByRole('button', { name: 'Provision on demand' }).click();
    const result = panel.getByTestId('canary-result');
    await result.waitFor({ timeout: 30_000 });
    const row = result.locator('.canary-compare tbody tr').filter({ has: page.locator('th', { hasText: /^displayName$/ }) });
    expect(await row.locator('td').allTextContents()).toEqual([String(user.displayName), 'Planted Name', 'differ']);
    expect(await result.locator('.canary-steps th[scope="row"]').allTextContents()).toEqual(['Import', 'Matching', 'Scoping', 'Export']);
    expect(graph.goLive.onDemandCalls.map((c) => c.body)).toEqual([
      { parameters: [{ ruleId: 'e5c2b1a0-0000-4000-8000-00000000aaaa', subjects: [{ objectId: user.id, objectTypeName: 'User' }] }] },
    ]);
    await screenshot(page, 'provisioning-canary-result');
  });
});
