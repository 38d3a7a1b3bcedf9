import { act } from 'react';
import { fetch as nodeFetch } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GoLivePanel } from '../../../renderer/provisioning/GoLivePanel.tsx';
import { resetProvisioningJob } from '../../../renderer/state/provisioning-job.ts';
import { startFakeGraph, type FakeGraph } from '../../support/fake-graph/server.ts';
import { JOB_ID, graphData, liveSchema, planSchema } from '../../integration/go-live/fixtures.ts';
import { startRealBackend, type RealBackend } from '../support/real-backend.ts';
import { choose, click, key, mount, type, type Mounted } from '../mappings/support.tsx';

/**
 * The Go live panel on the real backend, reaching the fake Graph over HTTP with a pasted token: compare, read the diff
 * and the impact, confirm in the dialog that names tenant, app and impact (Cancel and Escape send nothing), apply and
 * read the verified read-back, then roll back from the backups list.
 */

const data = graphData();
const servicePrincipal = data.servicePrincipals![0] as { id: string; displayName: string; tags?: string[] };
servicePrincipal.tags = ['WindowsAzureActiveDirectoryIntegratedApp'];
let graph: FakeGraph;
let real: RealBackend;
let view: Mounted | null = null;

beforeEach(async () => {
  graph = await startFakeGraph(data);
  graph.goLive.schemas.set(JOB_ID, liveSchema());
  // happy-dom's fetch keeps to the page's origin; the backend is Node's, so it calls Graph with Node's fetch
  real = startRealBackend({ directory: { graph: { fetch: nodeFetch as unknown as typeof fetch } } });
});
afterEach(async () => {
  view?.unmount();
  view = null;
  resetProvisioningJob();
  await real.close();
  await graph.close();
});

async function until<T>(what: string, probe: () => T | null | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; the panel says: ${view?.container.textContent}`);
    await act(async () => new Promise((resolve) => setTimeout(resolve, 20)));
  }
}

const button = (text: string) => [...view!.container.querySelectorAll('button')].find((b) => b.textContent?.trim() === text) as HTMLButtonElement | undefined;
const dialog = () => view!.container.querySelector('[role="dialog"]');
const writes = () => graph.requests.filter((r) => r.method !== 'GET');

/** A pasted token, the plan (dropping every user outside Sales) saved, the tenant's users imported; then compare. */
async function compare(): Promise<void> {
  await real.call('directory.useAccessToken', { token: graph.accessToken, cloud: 'global' });
  await real.call('mappings.save', { label: 'Sales only', mappingSet: planSchema('Sales') as never });
  const imported = await real.call('directory.import', { fileName: 'users.json', content: JSON.stringify({ value: data.users }) });
  if (imported.status !== 'imported') throw new Error(imported.message);
  view = await mount(<GoLivePanel />);
  const details = view.container.querySelector('details')!;
  await act(async () => {
    details.open = true;
    details.dispatchEvent(new Event('toggle'));
  });
  await until('the pasted token as the account', () => view!.container.querySelector<HTMLSelectElement>('#go-live-account')?.value.startsWith('token:'));
  await type(view.container.querySelector('#go-live-graph'), graph.baseUrl);
  await click(button('Find provisioning jobs'));
  await until('the jobs', () => view!.container.querySelector('[aria-label="Provisioning job"]'));
  await choose(view.container.querySelector('[aria-label="Provisioning job"]'), `${servicePrincipal.id}|${JOB_ID}`);
  await click(button('Compare with the live configuration'));
  await until('the diff', () => view!.container.querySelector('[data-testid="go-live-impact"]'));
}

async function confirmWith(name: string, label: string): Promise<void> {
  await type(dialog()!.querySelector('input'), name);
  await click(button(label));
}

describe('Go live panel', () => {
  it('shows the diff by object mapping and the impact; the dialog names tenant, app and impact; Cancel and Escape send nothing', async () => {
    await compare();
    const users = view!.container.querySelector('section[aria-label="Provision Azure Active Directory Users"]')!;
    const changes = [...users.querySelectorAll('[data-testid="schema-change"]')].map((c) => c.textContent);
    expect(changes).toContain('Added Scoping filterscoping filter added: Only one department: department EQUALS "Sales"');
    expect(changes).toContain('Changed name.givenNameMapping type: Direct → ExpressionSource attribute: [givenName] → Coalesce([givenName], [displayName])');
    expect(changes.some((c) => c?.startsWith('Removed name.familyName'))).toBe(true);
    // the Groups mapping the plan leaves alone is not a change
    expect(view!.container.querySelector('section[aria-label="Provision Azure Active Directory Groups"]')).toBeNull();
    const dropped = data.users.filter((u) => u.accountEnabled !== false && u.department !== 'Sales');
    const impact = view!.container.querySelector('[data-testid="go-live-impact"]')!.textContent!;
    expect(impact).toContain(`${dropped.length} users fall out of scope and are disabled or deleted in the vendor`);
    expect(impact).toMatch(/disabled \(.*department/);
    expect(view!.container.textContent).toContain('First cycle forecast');

    const before = writes().length;
    await click(button('Apply to tenant…'));
    const text = dialog()!.textContent!;
    expect(text).toContain('Contoso (7d3c1a52-0f6e-4a8b-9c1d-2e3f4a5b6c7d)');
    expect(text).toContain(`${servicePrincipal.displayName} · job ${JOB_ID}`);
    expect(text).toContain('a new initial cycle over every assigned user');
    expect(text).toContain(`${dropped.length} to disable`);
    expect(text).toContain(`${dropped.length} users fall out of scope and are disabled or deleted in the vendor: `);
    expect(text).toMatch(/vendor: \S+@\S+, \S+@\S+/);
    expect(document.activeElement).toBe(button('Cancel'));
    await click(button('Cancel'));
    expect(dialog()).toBeNull();
    await click(button('Apply to tenant…'));
    await key(dialog()!, { key: 'Escape', bubbles: true });
    expect(dialog()).toBeNull();
    expect(writes()).toHaveLength(before);
    expect(graph.goLive.schemaPuts).toHaveLength(0);
  });

  it('applies after the app name is typed, shows the verified read-back, and rolls back from the backups list', async () => {
    await compare();
    await click(button('Apply to tenant…'));
    await confirmWith(servicePrincipal.displayName, 'Apply to tenant');
    const applied = await until('the read-back', () => view!.container.querySelector('[data-testid="go-live-outcome"]')?.textContent);
    expect(applied).toContain(`Verified: the live schema of ${servicePrincipal.displayName} (job ${JOB_ID}) now equals the plan.`);
    expect(graph.goLive.schemaPuts).toHaveLength(1);

    await until('the backup', () => view!.container.querySelector('[aria-label="Roll back to backup 1…"]'));
    await click(view!.container.querySelector('[aria-label="Roll back to backup 1…"]'));
    await until('the rollback diff', () => button('Roll back on tenant…'));
    expect(view!.container.querySelector('section[aria-label="Roll back"]')!.textContent).toContain('name.familyName');
    await click(button('Roll back on tenant…'));
    expect(dialog()!.textContent).toContain('Puts backup 1');
    await confirmWith(servicePrincipal.displayName, 'Roll back on tenant');
    await until('the rollback read-back', () => view!.container.querySelector('[data-testid="go-live-outcome"]')?.textContent?.includes('now equals backup 1'));
    expect(graph.goLive.schemaPuts).toHaveLength(2);
    expect(graph.goLive.schemas.get(JOB_ID)).toEqual(liveSchema());
  });

  it('names what the read-back lacks when Graph drops a planned row', async () => {
    graph.goLive.dropRowOnPut = 'displayName';
    await compare();
    await click(button('Apply to tenant…'));
    await confirmWith(servicePrincipal.displayName, 'Apply to tenant');
    const alert = await until('the difference', () => view!.container.querySelector('[data-testid="go-live-outcome"] [role="alert"]')?.textContent);
    expect(alert).toContain('not as planned: Provision Azure Active Directory Users: displayName: row added');
    expect(alert).toContain('Roll back to backup 1');
  });
});
