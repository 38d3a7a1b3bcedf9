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

beforeEach(() => {
  resetFakeApi();
  setHandler('endpointCheck.last', () => null);
});
afterEach(async () => {
  await cleanup();
  vi.restoreAllMocks();
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

describe('exports of the last run', () => {
  /** What the browser was asked to download: the anchor's file name and the blob behind its URL. */
  function recordDownloads(): { fileName: string; blob: Blob }[] {
    const downloads: { fileName: string; blob: Blob }[] = [];
    const blobs = new Map<string, Blob>();
    const create = URL.createObjectURL.bind(URL);
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob: Blob | MediaSource) => {
      const url = create(blob as Blob);
      blobs.set(url, blob as Blob);
      return url;
    });
    // happy-dom has no download manager: the click is where a browser would save the file
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push({ fileName: this.download, blob: blobs.get(this.href)! });
    });
    return downloads;
  }

  const exported = (format: 'postman' | 'report-section') =>
    format === 'postman'
      ? { fileName: 'scim-check-3f9c2a1b.postman_collection.json', mediaType: 'application/json', encoding: 'utf8' as const, content: '{"info":{"name":"SCIM Planner endpoint check 3f9c2a1b"}}\n' }
      : { fileName: 'scim-check-3f9c2a1b-report.md', mediaType: 'text/markdown; charset=utf-8', encoding: 'utf8' as const, content: '## Vendor endpoint check\n' };

  it('shows the project’s kept run and downloads its Postman collection and report section', async () => {
    const downloads = recordDownloads();
    setHandler('endpointCheck.last', () => result([step('test-connection', 'pass', 'empty list'), step('user-disable', 'fail', 'Add ?aadOptscim062020 to the Tenant URL')]));
    setHandler('endpointCheck.export', ({ format }) => exported(format));
    const root = await render(<VendorEndpointPanel />);
    await settle();
    expect(root.querySelector('[role="status"]')!.textContent).toContain('1 passed, 1 failed, 0 skipped');
    expect(root.querySelector('.vep-fail')!.textContent).toContain('Add ?aadOptscim062020 to the Tenant URL');

    await click(byText(root, 'button', 'Export Postman collection'));
    await settle();
    await click(byText(root, 'button', 'Export report section'));
    await settle();
    expect(callsOf('endpointCheck.export')).toEqual([{ format: 'postman' }, { format: 'report-section' }]);
    expect(downloads.map((d) => d.fileName)).toEqual(['scim-check-3f9c2a1b.postman_collection.json', 'scim-check-3f9c2a1b-report.md']);
    expect(await downloads[0]!.blob.text()).toBe(exported('postman').content);
    expect(downloads[0]!.blob.type).toBe('application/json');
    expect(await downloads[1]!.blob.text()).toBe('## Vendor endpoint check\n');
    expect(root.querySelector('.vep-exports [role="status"]')!.textContent).toBe('Saved scim-check-3f9c2a1b-report.md');
  });

  it('offers no export before the first run, and exports a new run once it is done', async () => {
    recordDownloads();
    setHandler('endpointCheck.run', () => result([step('test-connection', 'pass', 'empty list')]));
    setHandler('endpointCheck.export', ({ format }) => exported(format));
    const root = await render(<VendorEndpointPanel />);
    await settle();
    expect(byText(root, 'button', 'Export Postman collection')).toBeUndefined();
    await fillTarget(root);
    await click(byText(root, 'button', 'Run read-only check'));
    await settle();
    await click(byText(root, 'button', 'Export Postman collection'));
    await settle();
    expect(callsOf('endpointCheck.export')).toEqual([{ format: 'postman' }]);
  });

  it('shows the last run of the workspace opened since, not the one it showed before', async () => {
    setHandler('endpointCheck.last', () => result([step('user-disable', 'fail', 'Add ?aadOptscim062020 to the Tenant URL')]));
    const root = await render(<VendorEndpointPanel />);
    await settle();
    expect(root.querySelector('[role="status"]')!.textContent).toContain('0 passed, 1 failed');

    setHandler('endpointCheck.last', () => null);
    const { act } = await import('react');
    await act(async () => emitEvent('workspace.changed', { change: 'opened', workspacePath: '/tmp/other.scimplan' }));
    await settle();
    expect(root.querySelector('.vep-step')).toBeNull();
    expect(byText(root, 'button', 'Export Postman collection')).toBeUndefined();
    expect(callsOf('endpointCheck.last')).toHaveLength(2);
  });

  it('keeps the exports unavailable while discovery runs, saying why, and shows a failed export', async () => {
    recordDownloads();
    setHandler('endpointCheck.last', () => result([step('test-connection', 'pass', 'empty list')]));
    setHandler('endpointCheck.discover', () => new Promise(() => {}));
    setHandler('endpointCheck.export', () => {
      throw new Error('No endpoint check has been run for this project yet: run the read-only or the full check first.');
    });
    const root = await render(<VendorEndpointPanel />);
    await settle();
    await fillTarget(root);
    await click(byText(root, 'button', 'Discover profile'));
    const busyButton = byText(root, 'button', 'Export Postman collection') as HTMLButtonElement;
    expect(busyButton.disabled).toBe(true);
    expect(busyButton.title).toBe('Wait for the running call to finish');
    await cleanup();

    setHandler('endpointCheck.discover', () => ({ target: 'https://vendor.example/scim/v2', discovered: false, message: 'No discovery', profile: { id: 'generic' }, diff: [] }));
    const again = await render(<VendorEndpointPanel />);
    await settle();
    await click(byText(again, 'button', 'Export report section'));
    await settle();
    expect(again.querySelector('[role="alert"]')!.textContent).toContain('No endpoint check has been run for this project yet');
  });
});

async function emitStep(payload: CheckStep): Promise<void> {
  const { act } = await import('react');
  await act(async () => emitEvent('endpointCheck.step', payload));
}
