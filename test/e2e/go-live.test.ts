import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { Backend } from '../../electron/backend/backend.ts';
import { dispatch } from '../../electron/backend/dispatch.ts';
import { startFakeGraph, type FakeGraph } from '../support/fake-graph/server.ts';
import { JOB_ID, graphData, liveSchema, planSchema } from '../integration/go-live/fixtures.ts';
import { chromiumAvailable, goToScreen, launchBrowser, pasteAccessToken, screenshot, startWebApp, type WebApp } from './support/browser.ts';

type Schema = { synchronizationRules: { objectMappings: { sourceObjectName: string; scope?: unknown; attributeMappings: { targetAttributeName: string }[] }[] }[] };

/**
 * Issue 15 in the app, as the admin meets it: paste a token on the Tenant screen, open "Go live" on the Provisioning
 * screen, pick the job from the (fake) Graph, compare, confirm in the dialog, apply and read the verified read-back,
 * then roll back from the backups list. The assertions read what the fake Graph received.
 */
describe.skipIf(!chromiumAvailable)('Provisioning screen: Go live (browser mode)', () => {
  const data = graphData();
  const servicePrincipal = data.servicePrincipals![0] as { id: string; displayName: string; tags?: string[] };
  servicePrincipal.tags = ['WindowsAzureActiveDirectoryIntegratedApp'];
  let dir: string;
  let app: WebApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let graph: FakeGraph;

  beforeAll(async () => {
    graph = await startFakeGraph(data);
    // the workspace holds the plan (only Sales stays in scope) as revision 1 and the tenant's users as a snapshot
    dir = mkdtempSync(join(tmpdir(), 'scim-planner-e2e-go-live-'));
    const workspace = join(dir, 'w.scimplan');
    const backend = new Backend({ mode: 'browser', version: 'test', workspacePath: workspace });
    for (const [name, input] of [
      ['mappings.save', { label: 'Sales only', mappingSet: planSchema('Sales') }],
      ['directory.import', { fileName: 'users.json', content: JSON.stringify({ value: data.users }) }],
    ] as const) {
      const answer = await dispatch(backend.handlers, name, input);
      if (!answer.ok) throw new Error(answer.error.message);
    }
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

  it('compares, applies with a verified read-back after the confirmation, and rolls back', async () => {
    await pasteAccessToken(page, graph.accessToken);

    await goToScreen(page, 'Provisioning');
    const panel = page.locator('details.go-live');
    await panel.locator('summary').click();
    await panel.getByLabel('Microsoft Graph endpoint').fill(graph.baseUrl);
    await panel.getByRole('button', { name: 'Find provisioning jobs' }).click();
    await expect.poll(() => panel.getByTestId('job-health').textContent()).toContain('Active');

    await panel.getByRole('button', { name: 'Compare with the live configuration' }).click();
    const users = panel.getByRole('region', { name: 'Provision Azure Active Directory Users' });
    await users.waitFor();
    expect(await users.textContent()).toContain('Source attribute: [givenName] → Coalesce([givenName], [displayName])');
    expect(await panel.getByTestId('go-live-impact').textContent()).toMatch(/\d+ users fall out of scope and are disabled or deleted in the vendor/);
    expect(graph.goLive.schemaPuts).toHaveLength(0);

    await panel.getByRole('button', { name: 'Apply to tenant…' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toContain(`${servicePrincipal.displayName} · job ${JOB_ID}`);
    expect(await dialog.textContent()).toContain('Contoso (7d3c1a52-0f6e-4a8b-9c1d-2e3f4a5b6c7d)');
    await screenshot(page, 'go-live-confirm');
    await dialog.getByRole('textbox').fill(servicePrincipal.displayName);
    await dialog.getByRole('button', { name: 'Apply to tenant' }).click();
    await expect.poll(() => panel.getByTestId('go-live-outcome').textContent(), { timeout: 30_000 }).toContain('now equals the plan');

    expect(graph.goLive.schemaPuts).toHaveLength(1);
    const sent = graph.goLive.schemaPuts[0]!.body as Schema;
    const userMapping = sent.synchronizationRules[0]!.objectMappings.find((m) => m.sourceObjectName === 'User')!;
    expect(userMapping.attributeMappings.map((r) => r.targetAttributeName)).toContain('displayName');
    expect(userMapping.attributeMappings.map((r) => r.targetAttributeName)).not.toContain('name.familyName');
    expect(JSON.stringify(userMapping.scope)).toContain('Sales');
    // the Groups mapping the plan leaves alone went back as it came
    expect(sent.synchronizationRules[0]!.objectMappings.find((m) => m.sourceObjectName === 'Group')).toEqual(
      (liveSchema() as unknown as Schema).synchronizationRules[0]!.objectMappings.find((m) => m.sourceObjectName === 'Group'),
    );

    await panel.getByRole('button', { name: 'Roll back to backup 1…' }).click();
    await panel.getByRole('button', { name: 'Roll back on tenant…' }).click();
    await page.getByRole('dialog').getByRole('textbox').fill(servicePrincipal.displayName);
    await page.getByRole('dialog').getByRole('button', { name: 'Roll back on tenant' }).click();
    await expect.poll(() => panel.getByTestId('go-live-outcome').textContent(), { timeout: 30_000 }).toContain('now equals backup 1');
    expect(graph.goLive.schemaPuts).toHaveLength(2);
    expect(graph.goLive.schemas.get(JOB_ID)).toEqual(liveSchema());
    await screenshot(page, 'go-live-rolled-back');
  });
});
