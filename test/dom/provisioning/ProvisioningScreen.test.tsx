import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MethodOutput } from '../../../shared/api.ts';
import { ProvisioningScreen } from '../../../renderer/screens/ProvisioningScreen.tsx';
import { useProvisioningUi } from '../../../renderer/state/provisioning.ts';
import { byText, changeValue, cleanup, click, render, settle } from '../preview/render.tsx';
import { callsOf, emitEvent, resetFakeApi, setHandler } from '../preview/fake-api.ts';
import { mockStatus } from './fixtures.ts';
import { useProject } from '../../../renderer/state/project.ts';
import { fakeProjectVendor } from '../support/project-vendor.ts';

// the fake API and render helpers of the Preview DOM tests stand in for renderer/api-client.ts
vi.mock('../../../renderer/api-client.ts', async () => await import('../preview/fake-api.ts'));

const initialUi = useProvisioningUi.getState();

function plan(loopback: boolean, targetUrl: string): MethodOutput<'provisioning.plan'> {
  return {
    kind: 'initial',
    targetUrl,
    loopback,
    dialect: 'default',
    counts: { create: 12, update: 3, deactivate: 2, delete: 1, none: 5, skip: 4, error: 0 },
    objects: [{ objectType: 'User', sourceId: 'u1', label: 'adele.vance@contoso.test', action: 'create', reason: null, requests: [{ method: 'POST', path: '/Users', body: { userName: 'adele.vance@contoso.test' } }] }],
    totalObjects: 27,
    quarantine: null,
  };
}

const row = (id: number, status: 'success' | 'failure', startedMs: number) => ({
  id,
  runId: 7,
  seq: id,
  objectType: 'User' as const,
  sourceId: `u${id}`,
  label: `user${id}@contoso.test`,
  action: 'create',
  status,
  reason: null,
  errorCode: status === 'failure' ? 'SystemForCrossDomainIdentityManagementBadRequest' : null,
  targetId: status === 'success' ? `t${id}` : null,
  startedMs,
  durationMs: 20,
});

beforeEach(() => {
  resetFakeApi();
  useProvisioningUi.setState(initialUi, true);
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(400);
  setHandler('mockServer.status', () => mockStatus);
  setHandler('tenant.listSnapshots', () => []);
  setHandler('provisioning.runs', () => []);
  setHandler('provisioning.run', () => ({ runId: 7 }));
  fakeProjectVendor([{ id: 'generic', name: 'Generic SCIM 2.0', builtIn: true, summary: 'RFC 7643/7644' }], 'generic');
});
afterEach(async () => {
  await cleanup();
  vi.restoreAllMocks();
});

describe('Provisioning screen', () => {
  it('asks for confirmation with the plan counts before provisioning to a target off this machine', async () => {
    setHandler('provisioning.plan', (input) => plan(false, (input.target as { url: string }).url));
    const root = await render(<ProvisioningScreen />);
    await settle();
    await click(byText(root, 'label', 'Tenant URL and Secret Token')?.querySelector('input'));
    await changeValue(root.querySelector<HTMLInputElement>('input[type="url"]')!, 'https://vendor.example/scim/v2', 'input');
    await changeValue(root.querySelector<HTMLInputElement>('input[type="password"]')!, 'secret', 'input');
    await click(byText(root, 'button', 'Dry run'));
    await settle();

    expect(callsOf('provisioning.plan')[0]).toMatchObject({ cycle: 'initial', target: { url: 'https://vendor.example/scim/v2', token: 'secret' } });
    const counts = root.querySelector('[aria-label="Plan counts"]')!.textContent;
    expect(counts).toContain('12 Create');
    expect(counts).toContain('2 Disable');

    await click(byText(root.querySelector('.prov-plan')!, 'button', 'Provision'));
    const dialog = root.querySelector('[role="alertdialog"]')!;
    expect(dialog.textContent).toContain('create 12, update 3, disable 2 and delete 1');
    expect(document.activeElement?.textContent).toBe('Cancel');
    await click(byText(dialog, 'button', 'Cancel'));
    expect(root.querySelector('[role="alertdialog"]')).toBeNull();
    expect(callsOf('provisioning.run')).toHaveLength(0);

    await click(byText(root.querySelector('.prov-plan')!, 'button', 'Provision'));
    await click(byText(root.querySelector('[role="alertdialog"]')!, 'button', 'Provision'));
    await settle();
    expect(callsOf('provisioning.run')).toEqual([expect.objectContaining({ confirm: true, target: { url: 'https://vendor.example/scim/v2', token: 'secret' } })]);
  });

  it('provisions to the mock server without a dialog and shows the live status, the summary and the log', async () => {
    setHandler('provisioning.plan', () => plan(true, mockStatus.url!));
    setHandler('provisioning.auditLog', () => ({ total: 2, offset: 0, items: [row(1, 'success', 0), row(2, 'failure', 10)] }));
    const root = await render(<ProvisioningScreen />);
    await settle();
    await click(byText(root, 'button', 'Dry run'));
    await settle();
    await click(byText(root.querySelector('.prov-plan')!, 'button', 'Provision'));
    await settle();
    expect(root.querySelector('[role="alertdialog"]')).toBeNull();
    expect(callsOf('provisioning.run')).toEqual([expect.objectContaining({ target: 'mock', confirm: false })]);

    await act(async () => {
      emitEvent('provisioning.step', { runId: 7, row: row(1, 'success', 0) });
      emitEvent('provisioning.step', { runId: 7, row: row(2, 'failure', 10) });
    });
    await settle();
    expect(root.querySelector('[aria-label="Live status"]')!.textContent).toMatch(/^Failure user2@contoso.test · Create · SystemForCrossDomainIdentityManagementBadRequest/);

    setHandler('provisioning.runs', () => [
      { id: 7, kind: 'initial', targetUrl: mockStatus.url!, dialect: 'default', status: 'completed', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z', summary: null },
    ]);
    await act(async () => emitEvent('provisioning.progress', {
      runId: 7,
      done: 2,
      total: 2,
      status: 'completed',
      summary: { kind: 'initial', created: 1, updated: 0, disabled: 0, deleted: 0, skipped: 0, failed: 1, unchanged: 0, notProcessed: 0, requests: 3, durationMs: 1500, status: 'completed', quarantine: null },
    }));
    await settle(5);
    const summary = root.querySelector('[aria-label="Cycle summary"]')!;
    expect(summary.querySelector('.prov-fact-created dd')!.textContent).toBe('1');
    expect(summary.querySelector('.prov-fact-failed dd')!.textContent).toBe('1');
    expect(summary.querySelector('.prov-fact-duration dd')!.textContent).toBe('1.5 s');
    expect(summary.querySelector('svg[role="img"]')!.getAttribute('aria-label')).toBe('2 objects over 30 ms, 1 failed');
    expect(callsOf('provisioning.auditLog')[0]).toMatchObject({ runId: 7 });
    expect(root.querySelector('.prov-audit-foot')!.textContent).toBe('2 entries');
  });

  it('plans and runs the cycle for the project’s snapshot, the one chosen on the Tenant screen', async () => {
    useProject.setState({ snapshotId: 4 });
    setHandler('provisioning.plan', () => plan(true, mockStatus.url!));
    setHandler('provisioning.auditLog', () => ({ total: 0, offset: 0, items: [] }));
    const root = await render(<ProvisioningScreen />);
    await settle();
    await click(byText(root, 'button', 'Dry run'));
    await settle();
    expect(callsOf('provisioning.plan')).toEqual([expect.objectContaining({ target: 'mock', snapshotId: 4 })]);
    await click(byText(root.querySelector('.prov-plan')!, 'button', 'Provision'));
    await settle();
    expect(callsOf('provisioning.run')).toEqual([expect.objectContaining({ target: 'mock', snapshotId: 4 })]);
  });
});
