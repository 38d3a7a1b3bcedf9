import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MethodOutput } from '../../../shared/api.ts';
import { DirectoryEdit } from '../../../shared/api/provisioning.ts';
import { ProvisioningScreen } from '../../../renderer/screens/ProvisioningScreen.tsx';
import { useProvisioningUi } from '../../../renderer/state/provisioning.ts';
import { byText, changeValue, cleanup, click, render, settle } from '../preview/render.tsx';
import { callsOf, resetFakeApi, setHandler } from '../preview/fake-api.ts';
import { mockStatus } from './fixtures.ts';

// the fake API and render helpers of the Preview DOM tests stand in for renderer/api-client.ts
vi.mock('../../../renderer/api-client.ts', async () => await import('../preview/fake-api.ts'));

const initialUi = useProvisioningUi.getState();

const snapshot = (id: number, fetchedAt: string) => ({ id, projectId: 1, label: `Snapshot ${id}`, origin: 'demo' as const, tenantName: 'Contoso', fetchedAt, userCount: 3, groupCount: 0 });

const users = [
  { id: 'obj-alex', userPrincipalName: 'alex@contoso.com', displayName: 'Alex Wilber', mail: 'alex@contoso.com', department: 'Sales', accountEnabled: true, userType: 'Member' },
  { id: 'obj-adele', userPrincipalName: 'adele@contoso.com', displayName: 'Adele Vance', mail: 'adele@contoso.com', department: 'Retail', accountEnabled: true, userType: 'Member' },
];

const emptyPlan: MethodOutput<'provisioning.plan'> = {
  kind: 'incremental',
  targetUrl: mockStatus.url!,
  loopback: true,
  dialect: 'default',
  counts: { create: 0, update: 1, deactivate: 1, delete: 0, none: 0, skip: 0, error: 0 },
  objects: [],
  totalObjects: 2,
  quarantine: null,
};

beforeEach(() => {
  resetFakeApi();
  useProvisioningUi.setState(initialUi, true);
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(400);
  setHandler('mockServer.status', () => mockStatus);
  // the newest snapshot (by fetch time) is the one users are looked up in, whatever the list order
  setHandler('tenant.listSnapshots', () => [snapshot(3, '2026-03-01T00:00:00.000Z'), snapshot(5, '2026-05-01T00:00:00.000Z'), snapshot(4, '2026-04-01T00:00:00.000Z')]);
  setHandler('tenant.listUsers', (input) => {
    const search = (input.search ?? '').toLowerCase();
    const found = users.filter((u) => u.userPrincipalName.includes(search));
    return { total: found.length, offset: 0, items: found };
  });
  setHandler('provisioning.runs', () => []);
  setHandler('provisioning.plan', () => emptyPlan);
  setHandler('provisioning.run', () => ({ runId: 9 }));
});
afterEach(async () => {
  await cleanup();
  vi.restoreAllMocks();
});

const panel = (root: HTMLElement) => root.querySelector<HTMLElement>('.prov-whatif')!;
const field = (root: HTMLElement, label: string) => {
  const el = byText(root, 'label', label) as HTMLLabelElement;
  return root.querySelector<HTMLInputElement & HTMLSelectElement>(`#${CSS.escape(el.htmlFor)}`)!;
};

async function pickUser(root: HTMLElement, typed: string, choose: RegExp) {
  await changeValue(field(panel(root), 'User (userPrincipalName)'), typed, 'input');
  await settle();
  await click(byText(panel(root).querySelector('[aria-label="Matching users"]')!, 'button', choose));
}

async function openIncremental() {
  const root = await render(<ProvisioningScreen />);
  await settle();
  await click(byText(root, 'label', 'Incremental cycle')?.querySelector('input'));
  return root;
}

describe('Rehearse changes (what-if joiners, movers and leavers)', () => {
  it('shows the panel only for the incremental cycle', async () => {
    const root = await render(<ProvisioningScreen />);
    await settle();
    expect(root.querySelector('.prov-whatif')).toBeNull();
    await click(byText(root, 'label', 'Incremental cycle')?.querySelector('input'));
    expect(byText(panel(root), 'h2', 'Rehearse changes')).toBeDefined();
  });

  it('sends a mover and a leaver picked from the latest snapshot to the dry run and the run, in the schema shape', async () => {
    const root = await openIncremental();

    // mover: Alex moves to Marketing
    await click(byText(panel(root), 'label', 'Mover')?.querySelector('input'));
    await pickUser(root, 'alex', /^alex@contoso\.com/);
    await changeValue(field(panel(root), 'Source attribute'), 'department', 'input');
    await changeValue(field(panel(root), 'New value (empty clears it)'), 'Marketing', 'input');
    await click(byText(panel(root), 'button', 'Add mover'));

    // leaver: Adele is disabled
    await click(byText(panel(root), 'label', 'Leaver')?.querySelector('input'));
    await pickUser(root, 'adele', /^adele@contoso\.com/);
    await changeValue(field(panel(root), 'What happens in Entra'), 'disable');
    await click(byText(panel(root), 'button', 'Add leaver'));

    const lines = [...panel(root).querySelectorAll('[aria-label="Rehearsed changes"] li > span')].map((s) => s.textContent);
    expect(lines).toEqual(['Mover: alex@contoso.com — department = Marketing', 'Leaver: adele@contoso.com — disable']);
    expect(callsOf('tenant.listUsers').every((c) => c.snapshotId === 5 && c.limit === 10)).toBe(true);

    await click(byText(root, 'button', 'Dry run'));
    await settle();
    const planEdits = callsOf('provisioning.plan')[0]!.edits!;
    expect(planEdits.map((e) => DirectoryEdit.parse(e))).toEqual([
      { kind: 'mover', userId: 'obj-alex', set: { department: 'Marketing' } },
      { kind: 'leaver', userId: 'obj-adele', how: 'disable' },
    ]);
    expect(callsOf('provisioning.plan')[0]).toMatchObject({ cycle: 'incremental' });

    await click(byText(root.querySelector('.prov-plan')!, 'button', 'Provision'));
    await settle();
    expect(callsOf('provisioning.run')[0]!.edits).toEqual(planEdits);
  });

  it('adds a joiner with a generated object id and removes an edit with its Remove button', async () => {
    const root = await openIncremental();
    await click(byText(panel(root), 'label', 'Joiner')?.querySelector('input'));
    expect(byText(panel(root), 'button', 'Add joiner')!.hasAttribute('disabled')).toBe(true);
    await changeValue(field(panel(root), 'User principal name (required)'), 'new.hire@contoso.com', 'input');
    await changeValue(field(panel(root), 'Display name (required)'), 'New Hire', 'input');
    await changeValue(field(panel(root), 'Department'), 'Sales', 'input');
    await click(byText(panel(root), 'button', 'Add joiner'));

    await click(byText(panel(root), 'label', 'Leaver')?.querySelector('input'));
    await pickUser(root, 'alex', /^alex@contoso\.com/);
    await changeValue(field(panel(root), 'What happens in Entra'), 'delete');
    await click(byText(panel(root), 'button', 'Add leaver'));
    await click(panel(root).querySelector('button[aria-label="Remove Leaver: alex@contoso.com — delete"]'));

    expect([...panel(root).querySelectorAll('[aria-label="Rehearsed changes"] li > span')].map((s) => s.textContent)).toEqual(['Joiner: new.hire@contoso.com (New Hire)']);
    await click(byText(root, 'button', 'Dry run'));
    await settle();
    const [joiner] = callsOf('provisioning.plan')[0]!.edits!.map((e) => DirectoryEdit.parse(e));
    expect(joiner).toMatchObject({ kind: 'joiner', source: { userPrincipalName: 'new.hire@contoso.com', displayName: 'New Hire', department: 'Sales', accountEnabled: true } });
    expect(joiner?.kind === 'joiner' && joiner.source.objectId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends no edits when another cycle is chosen', async () => {
    const root = await openIncremental();
    await click(byText(panel(root), 'label', 'Leaver')?.querySelector('input'));
    await pickUser(root, 'alex', /^alex@contoso\.com/);
    await click(byText(panel(root), 'button', 'Add leaver'));
    await click(byText(root, 'label', 'Initial cycle')?.querySelector('input'));
    await click(byText(root, 'button', 'Dry run'));
    await settle();
    expect(callsOf('provisioning.plan')[0]).toMatchObject({ cycle: 'initial', edits: [] });
  });
});
