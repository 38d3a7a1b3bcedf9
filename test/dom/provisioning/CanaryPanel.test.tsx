import { act } from 'react';
import { fetch as nodeFetch } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CanaryPanel } from '../../../renderer/provisioning/CanaryPanel.tsx';
import { resetProvisioningJob } from '../../../renderer/state/provisioning-job.ts';
import { startFakeGraph, type FakeGraph } from '../../support/fake-graph/server.ts';
import { graphData, planSchema } from '../../integration/go-live/fixtures.ts';
import { startRealBackend, type RealBackend } from '../support/real-backend.ts';
import { until as waitUntil } from '../support/until.ts';
import { click, key, mount, type, type Mounted } from '../mappings/support.tsx';

/**
 * The canary panel on the real backend (its workspace opens with the demo tenant's snapshot), reaching the fake Graph
 * over HTTP with a pasted token: pick the job and a user, read the confirmation, cancel or confirm, see the comparison.
 */

const data = graphData();
const servicePrincipal = data.servicePrincipals![0] as { id: string; displayName: string };
const user = data.users.find((u) => u.accountEnabled !== false && u.mail && u.givenName && u.displayName && !String(u.userPrincipalName).includes('#EXT#'))!;
let graph: FakeGraph;
let real: RealBackend;
let view: Mounted | null = null;

beforeEach(async () => {
  graph = await startFakeGraph({
    ...data,
    servicePrincipals: data.servicePrincipals!.map((sp) => ({ ...sp, tags: ['WindowsAzureActiveDirectoryIntegratedApp'] })),
  });
  real = startRealBackend({ directory: { graph: { fetch: nodeFetch as unknown as typeof fetch } } });
});
afterEach(async () => {
  view?.unmount();
  view = null;
  resetProvisioningJob();
  await Promise.all([real.close(), graph.close()]);
});

const until = <T,>(what: string, probe: () => T | null | undefined | false) => waitUntil(what, probe, () => view?.container.textContent);

const text = () => view!.container.textContent ?? '';
const button = (label: string) => [...view!.container.querySelectorAll('button')].find((b) => b.textContent?.trim() === label);
const dialog = () => view!.container.querySelector<HTMLElement>('[role="dialog"]');

/** Open the panel, pick the job, search a user and choose it. */
async function pickUser(): Promise<void> {
  await real.call('directory.useAccessToken', { token: graph.accessToken, cloud: 'global' });
  await real.call('mappings.save', { label: 'Plan', mappingSet: planSchema() as never });
  view = await mount(<CanaryPanel />);
  const details = view.container.querySelector('details')!;
  await act(async () => {
    details.open = true;
    details.dispatchEvent(new Event('toggle'));
  });
  expect(text()).toContain('WRITES TO THE VENDOR');
  await until('the pasted token as the account', () => view!.container.querySelector<HTMLSelectElement>('#canary-account')?.value.startsWith('token:'));
  await type(view.container.querySelector('#canary-graph'), graph.baseUrl);
  await click(button('Find provisioning jobs'));
  await until('the job', () => view!.container.querySelector('[aria-label="Provisioning job"]'));
  expect(button('Provision on demand…')!.disabled).toBe(true);
  await type(view.container.querySelector('input[type="search"]'), String(user.userPrincipalName));
  const choice = await until('the user found', () =>
    [...view!.container.querySelectorAll('[aria-label="Users found"] button')].find((b) => b.textContent?.includes(String(user.userPrincipalName))),
  );
  await click(choice);
  expect(choice.getAttribute('aria-pressed')).toBe('true');
}

describe('Canary (provision on demand)', () => {
  it('confirms naming the vendor write, the tenant, the app and the user; Escape cancels and nothing is sent', async () => {
    await pickUser();
    await click(button('Provision on demand…'));
    const open = await until('the confirmation', dialog);
    expect(open.textContent).toContain('WRITES TO THE VENDOR');
    expect(open.textContent).toContain(`Contoso (${graph.goLive.organization.id})`);
    expect(open.textContent).toContain(servicePrincipal.displayName);
    expect(open.textContent).toContain(String(user.userPrincipalName));
    expect(open.textContent).toContain('aadOptscim062020');
    expect(document.activeElement?.textContent).toBe('Cancel');
    expect(button('Provision on demand')!.disabled).toBe(true);
    await key(open, { key: 'Escape', bubbles: true });
    expect(dialog()).toBeNull();
    expect(graph.goLive.onDemandCalls).toHaveLength(0);
  });

  it('after the app name is typed, runs and shows the steps and a planted difference beside the preview', async () => {
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
    await pickUser();
    await click(button('Provision on demand…'));
    const open = await until('the confirmation', dialog);
    await type(open.querySelector('input'), servicePrincipal.displayName);
    await click(button('Provision on demand'));
    const result = await until('the comparison', () => view!.container.querySelector('[data-testid="canary-result"]'));
    expect(dialog()).toBeNull();
    expect([...result.querySelectorAll('.canary-steps th[scope="row"]')].map((th) => th.textContent)).toEqual(['Import', 'Matching', 'Scoping', 'Export']);
    const rows = [...result.querySelectorAll('.canary-compare tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent));
    expect(rows).toContainEqual(['displayName', String(user.displayName), 'Planted Name', 'differ']);
    expect(rows).toContainEqual(['externalId', user.id, user.id, 'agree']);
    expect(result.textContent).toContain('differs from the preview');
    expect(graph.goLive.onDemandCalls.map((c) => c.body)).toEqual([
      { parameters: [{ ruleId: 'e5c2b1a0-0000-4000-8000-00000000aaaa', subjects: [{ objectId: user.id, objectTypeName: 'User' }] }] },
    ]);
  });

  it('provisions a small group: the confirmation lists its members, the result shows each member and the group', async () => {
    const leads = data.groups!.find((g) => g.displayName === 'Engineering Leads')!;
    const members = (leads.members ?? []).map((m) => data.users.find((u) => u.id === m.id)!);
    for (const m of members) graph.goLive.onDemand.set(m.id, { result: 'Success', action: 'Create', exported: { externalId: m.id } });
    graph.goLive.onDemand.set(leads.id, { result: 'Success', action: 'Create', exported: {} });
    await pickUser();
    await click(view!.container.querySelectorAll<HTMLInputElement>('input[type="radio"]')[1]!);
    await type(view!.container.querySelector('input[type="search"]'), 'Leads');
    await click(await until('the group found', () => [...view!.container.querySelectorAll('[aria-label="Groups found"] button')].find((b) => b.textContent?.includes('Engineering Leads'))));
    await click(button('Provision on demand…'));
    const open = await until('the confirmation', dialog);
    expect(open.textContent).toContain('the group Engineering Leads and its members');
    for (const m of members) expect(open.textContent).toContain(String(m.userPrincipalName));
    expect(open.textContent).toContain(`${members.length + 1} provisionOnDemand calls`);
    await type(open.querySelector('input'), servicePrincipal.displayName);
    await click(button('Provision on demand'));
    const result = await until('the result', () => view!.container.querySelector('[data-testid="canary-result"]'));
    const sections = [...result.querySelectorAll('section')].map((s) => s.getAttribute('aria-label'));
    expect(sections).toEqual([...members.map((m) => `Canary result for ${String(m.userPrincipalName)}`), 'Canary result for the group Engineering Leads']);
    expect(graph.goLive.onDemandCalls).toHaveLength(members.length + 1);
  });

  it('offers groups with their member counts and refuses one of more than 5', async () => {
    await pickUser();
    await click(view!.container.querySelectorAll<HTMLInputElement>('input[type="radio"]')[1]!);
    await type(view!.container.querySelector('input[type="search"]'), 'Facilities');
    const big = await until('the group found', () => [...view!.container.querySelectorAll('[aria-label="Groups found"] button')].find((b) => b.textContent?.includes('Facilities')));
    expect(big.textContent).toContain('10 members');
    expect((big as HTMLButtonElement).disabled).toBe(true);
    expect(big.getAttribute('title')).toContain('at most 5');
  });
});
