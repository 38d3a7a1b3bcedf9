import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SnapshotSummary } from '../../../shared/api.ts';
import { TenantScreen } from '../../../renderer/screens/TenantScreen.tsx';
import { resetProjectStore, useProject } from '../../../renderer/state/project.ts';
import { byText, cleanup, click, render, settle } from '../preview/render.tsx';
import { callsOf, resetFakeApi, setHandler } from '../preview/fake-api.ts';

vi.mock('../../../renderer/api-client.ts', async () => await import('../preview/fake-api.ts'));

const demo: SnapshotSummary = {
  id: 1,
  projectId: 1,
  label: 'Contoso demo',
  origin: 'demo',
  tenantName: 'Contoso demo',
  fetchedAt: '2026-01-05T09:00:00.000Z',
  userCount: 200,
  groupCount: 17,
};
const imported: SnapshotSummary = { ...demo, id: 2, label: 'users.csv', origin: 'csv', tenantName: null, userCount: 2, groupCount: 0 };

let snapshots: SnapshotSummary[];
beforeEach(() => {
  resetFakeApi();
  snapshots = [];
  setHandler('tenant.listSnapshots', () => snapshots);
  setHandler('directory.accounts', () => []);
  setHandler('tenant.listUsers', () => ({ total: 0, offset: 0, items: [] }));
  // The backend hands back the demo snapshot it already holds, or adds it.
  setHandler('directory.useDemoTenant', () => {
    if (!snapshots.some((s) => s.id === demo.id)) snapshots = [demo, ...snapshots];
    return demo;
  });
});
afterEach(cleanup);

async function openTenant(selected: number | null) {
  resetProjectStore();
  useProject.setState({ snapshotId: selected });
  const view = await render(<TenantScreen />);
  await settle();
  return view;
}
const status = (view: HTMLElement) => view.querySelector('.demo-tenant-status')!;

/** Issue 20 item 9: "Use demo tenant" always says what it did, even when there was nothing to load. */
describe('Tenant screen: Use demo tenant', () => {
  it('says the demo tenant is already loaded and shown when it is', async () => {
    snapshots = [demo];
    const view = await openTenant(demo.id);
    await click(byText(view, 'button', 'Use demo tenant'));
    await settle();
    expect(callsOf('directory.useDemoTenant')).toHaveLength(1);
    expect(status(view).getAttribute('role')).toBe('status');
    expect(status(view).textContent).toBe('The demo tenant is already loaded and shown (Contoso demo, 200 users and 17 groups).');
  });

  it('switches back to the demo snapshot from another one, and says so', async () => {
    snapshots = [imported, demo];
    const view = await openTenant(imported.id);
    await click(byText(view, 'button', 'Use demo tenant'));
    await settle();
    expect(useProject.getState().snapshotId).toBe(demo.id);
    expect(status(view).textContent).toBe('The demo tenant was already loaded: now showing it (Contoso demo, 200 users and 17 groups).');
  });

  it('confirms loading it the first time', async () => {
    const view = await openTenant(null);
    await click(byText(view, 'button', 'Use demo tenant'));
    await settle();
    expect(status(view).textContent).toBe('✔ Loaded the demo tenant: Contoso demo, 200 users and 17 groups.');
    expect(useProject.getState().snapshotId).toBe(demo.id);
  });

  it('says again on a second click, as a new message', async () => {
    snapshots = [demo];
    const view = await openTenant(demo.id);
    await click(byText(view, 'button', 'Use demo tenant'));
    await settle();
    const first = status(view);
    await click(byText(view, 'button', 'Use demo tenant'));
    await settle();
    expect(status(view)).not.toBe(first);
    expect(status(view).textContent).toContain('already loaded');
  });

  it('says why snapshots cannot be compared with only one', async () => {
    snapshots = [demo];
    const view = await openTenant(demo.id);
    const compare = byText(view, 'button', 'Compare snapshots') as HTMLButtonElement;
    expect(compare.disabled).toBe(true);
    expect(compare.title).toBe('Comparing needs two snapshots: fetch or import another one');
  });
});
