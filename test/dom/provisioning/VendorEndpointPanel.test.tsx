import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CheckStep, MethodOutput } from '../../../shared/api.ts';
import { VendorEndpointPanel } from '../../../renderer/provisioning/VendorEndpointPanel.tsx';
import { byText, changeValue, cleanup, click, render, settle } from '../preview/render.tsx';
import { callsOf, emitEvent, resetFakeApi, setHandler } from '../preview/fake-api.ts';

// the fake API and render helpers of the Preview DOM tests stand in for renderer/api-client.ts
vi.mock('../../../renderer/api-client.ts', async () => await import('../preview/fake-api.ts'));

const step = (id: string, outcome: CheckStep['outcome'], explanation: string): CheckStep => ({
  id,
  title: id === 'user-disable' ? 'Disable (soft delete, PATCH active)' : 'Test Connection',
  outcome,
  request: { method: 'PATCH', url: 'https://vendor.example/scim/v2/Users/u1', headers: { Authorization: 'Bearer <redacted>' }, body: { Operations: [{ op: 'Replace', path: 'active', value: 'False' }] } },
  response: { status: outcome === 'fail' ? 400 : 200, body: { detail: 'booleans must be JSON' } },
  explanation,
  durationMs: 12,
  errorCode: outcome === 'fail' ? 'BadRequest' : null,
});

function result(steps: CheckStep[]): MethodOutput<'endpointCheck.run'> {
  return {
    target: 'https://vendor.example/scim/v2', runId: '3f9c2a1b', mode: 'full', dialects: ['default'],
    passed: steps.filter((s) => s.outcome === 'pass').length, failed: steps.filter((s) => s.outcome === 'fail').length, skipped: 0, cancelled: false,
    steps, cleanup: { deleted: [{ resourceType: 'User', id: 'u1', path: '/Users/u1', label: 'scimcheck-3f9c2a1b-2@contoso.com' }], leftOver: [] },
    startedAt: '2026-12-05T10:00:00.000Z', durationMs: 900,
  };
}

async function fillTarget(root: HTMLElement): Promise<void> {
  await changeValue(root.querySelector<HTMLInputElement>('input[type="url"]')!, 'https://vendor.example/scim/v2', 'input');
  await changeValue(root.querySelector<HTMLInputElement>('input[type="password"]')!, 'secret', 'input');
}

beforeEach(() => resetFakeApi());
afterEach(async () => {
  await cleanup();
});

describe('Vendor endpoint panel', () => {
  it('runs the full check only after the admin confirms the writes, and shows each step with its explanation', async () => {
    const failed = step('user-disable', 'fail', 'Add ?aadOptscim062020 to the Tenant URL');
    let finish: (value: MethodOutput<'endpointCheck.run'>) => void = () => {};
    setHandler('endpointCheck.run', () => new Promise((resolve) => (finish = resolve)));
    const root = await render(<VendorEndpointPanel />);
    await fillTarget(root);
    await click(byText(root, 'label', 'Full check: writes test data')?.querySelector('input'));

    const run = byText(root, 'button', 'Run full check')!;
    expect((run as HTMLButtonElement).disabled).toBe(true);
    const confirm = root.querySelector<HTMLInputElement>('.vep-confirm input')!;
    expect(confirm.parentElement!.textContent).toContain('writes to https://vendor.example/scim/v2');
    await click(confirm);
    await click(run);
    expect(callsOf('endpointCheck.run')[0]).toEqual({
      target: { url: 'https://vendor.example/scim/v2', credentials: { kind: 'bearer', token: 'secret' } }, readOnly: false, confirmWrites: true,
    });

    // progress streams in before the answer
    await emitStep(step('test-connection', 'pass', 'empty list'));
    expect(root.querySelector('[role="status"]')!.textContent).toBe('1 step done…');
    expect(byText(root, 'button', 'Cancel')).toBeDefined();

    finish(result([step('test-connection', 'pass', 'empty list'), failed]));
    await settle();
    expect(root.querySelector('[role="status"]')!.textContent).toContain('1 passed, 1 failed, 0 skipped');
    const failedRow = root.querySelector('.vep-fail')!;
    expect(failedRow.querySelector('details')!.open).toBe(true);
    expect(failedRow.textContent).toContain('Add ?aadOptscim062020 to the Tenant URL');
    expect(failedRow.textContent).toContain('"False"');
  });

  it('discovers a profile and shows its differences with the plan', async () => {
    setHandler('endpointCheck.discover', () => ({
      target: 'https://vendor.example/scim/v2', discovered: true, message: null,
      profile: { id: 'discovered-vendor-example', attributes: [{ target: 'userName' }, { target: 'title' }] },
      diff: [{ kind: 'required-not-mapped', severity: 'error', target: 'urn:acme:badgeNumber', message: 'No mapping sends it.', code: 'VENDOR_REQUIRED_NOT_MAPPED' }],
    }));
    const root = await render(<VendorEndpointPanel />);
    await fillTarget(root);
    await click(byText(root, 'button', 'Discover profile'));
    await settle();
    const view = root.querySelector('[aria-label="Discovered profile"]')!;
    expect(view.textContent).toContain('Drafted profile discovered-vendor-example');
    expect(view.textContent).toContain('2 attributes');
    expect(view.querySelector('tbody tr')!.textContent).toContain('required-not-mapped');
  });
});

async function emitStep(payload: CheckStep): Promise<void> {
  const { act } = await import('react');
  await act(async () => emitEvent('endpointCheck.step', payload));
}
