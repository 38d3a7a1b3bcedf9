import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PreviewScreen } from '../../../renderer/screens/PreviewScreen.tsx';
import { initialPreviewUiState, usePreviewUi } from '../../../renderer/state/preview.ts';
import { adeleDetail, findingGroups, fixImpact, hireDateGroup, listUsersOver, summary, userRows, vendorList } from './fixtures.ts';
import { byText, changeValue, cleanup, click, render, settle } from './render.tsx';
import { callsOf, emitEvent, resetFakeApi, setHandler } from './fake-api.ts';

vi.mock('../../../renderer/api-client.ts', async () => await import('./fake-api.ts'));

let runs = 0;
beforeEach(() => {
  resetFakeApi();
  usePreviewUi.setState(initialPreviewUiState);
  runs = 0;
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(500);
  setHandler('vendors.list', () => vendorList);
  setHandler('preview.listUsers', listUsersOver(userRows(40)));
  setHandler('preview.getUser', () => adeleDetail);
  // Each run answers with a fresh id; HiThrive raises the findings, generic none.
  setHandler('preview.run', (input) => {
    runs++;
    const vendorId = input.vendorId ?? 'generic';
    return summary({
      runId: `run-${runs}`,
      vendorId,
      dialect: input.dialect ?? 'default',
      dialectSource: input.dialect ? 'override' : 'tenant-url',
      findingGroups: vendorId === 'hithrive' ? findingGroups : [],
    });
  });
});
afterEach(async () => {
  await cleanup();
  vi.restoreAllMocks();
});

async function openScreen() {
  const view = await render(<PreviewScreen />);
  await settle();
  return view;
}

const vendorSelect = (view: HTMLElement) => view.querySelector<HTMLSelectElement>('.vendor-picker select')!;
const dialectSelect = (view: HTMLElement) => view.querySelector<HTMLSelectElement>('.dialect-picker select')!;

describe('PreviewScreen', () => {
  it('opens by previewing the latest snapshot and revision with the generic profile', async () => {
    const view = await openScreen();
    expect(callsOf('preview.run')).toEqual([{ vendorId: 'generic' }]);
    const chips = [...view.querySelectorAll('.action-chip')].map((c) => c.textContent);
    expect(chips).toEqual(['All 1,000', 'Create 940', 'Skipped 55', 'Error 5']);
    expect(view.querySelector('.run-facts')!.textContent).toContain('Entra’s default mappings (no revision saved)');
    expect(view.querySelector('.dialect-in-force')!.textContent).toBe('In force: Entra default — the Tenant URL has no aadOptscim062020 flag.');
    expect(view.querySelector('.dialect-explanation')!.textContent).toMatch(/"False".*false/);
    expect(callsOf('preview.listUsers')[0]).toMatchObject({ runId: 'run-1' });
  });

  it('re-runs when the vendor changes and lists that vendor’s findings', async () => {
    const view = await openScreen();
    expect(view.querySelector('.finding-list')!.textContent).toMatch(/No findings/);
    await changeValue(vendorSelect(view), 'hithrive');
    await settle();
    expect(callsOf('preview.run').at(-1)).toEqual({ vendorId: 'hithrive' });
    expect([...view.querySelectorAll('.finding-code-name')].map((h) => h.textContent)).toEqual([
      'VENDOR_REQUIRED_MISSING',
      'VENDOR_ROW_MISSING',
      'VENDOR_VALUE_SPACES',
    ]);
    expect(view.querySelector('#preview-tab-findings')!.textContent).toBe('Findings (4)');
  });

  it('re-runs with the dialect override and says the override is in force', async () => {
    const view = await openScreen();
    await changeValue(dialectSelect(view), 'aadOptscim062020');
    await settle();
    expect(callsOf('preview.run').at(-1)).toEqual({ vendorId: 'generic', dialect: 'aadOptscim062020' });
    expect(view.querySelector('.dialect-in-force')!.textContent).toBe('In force: aadOptscim062020 — chosen here (overrides the Tenant URL).');
  });

  it('applies a fix to the run’s finding, shows the new revision and re-runs the preview', async () => {
    usePreviewUi.setState({ vendorId: 'hithrive' });
    setHandler('preview.applyFix', () => ({ revision: 2, label: 'Add hire_date mapping' }));
    setHandler('preview.fixImpact', () => fixImpact({ code: 'VENDOR_ROW_MISSING', attribute: hireDateGroup.attribute }));
    const view = await openScreen();
    await click(view.querySelector(`button[aria-label="Fix it: VENDOR_ROW_MISSING on ${hireDateGroup.attribute}"]`));
    await settle();
    // the fix is previewed first; Apply saves it
    await click(byText(view, '.fix-preview button', 'Apply and save as a new revision'));
    await settle();
    expect(callsOf('preview.applyFix')).toEqual([{ runId: 'run-1', code: 'VENDOR_ROW_MISSING', attribute: hireDateGroup.attribute }]);
    expect(view.querySelector('.fix-saved')!.textContent).toBe('✔ Saved as mapping revision 2: Add hire_date mapping');
    expect(callsOf('preview.run')).toHaveLength(2);
  });

  it('filters the table by action chip and by finding', async () => {
    usePreviewUi.setState({ vendorId: 'hithrive' });
    const view = await openScreen();
    await click(byText(view, '.action-chip', 'Skipped 55'));
    await settle();
    expect(callsOf('preview.listUsers').at(-1)).toMatchObject({ action: 'skip' });
    await click(byText(view, 'button', 'Show affected users'));
    await settle();
    expect(callsOf('preview.listUsers').at(-1)).toMatchObject({ action: 'skip', findingCode: 'VENDOR_REQUIRED_MISSING' });
    expect(view.querySelector('.finding-filter-chip')!.textContent).toContain('VENDOR_REQUIRED_MISSING');
    await click(byText(view, '.finding-filter-chip button', 'Clear'));
    await settle();
    expect(callsOf('preview.listUsers').at(-1)).not.toHaveProperty('findingCode');
  });

  it('opens a selected user’s requests in the User tab', async () => {
    const view = await openScreen();
    await click(view.querySelector('#preview-row-1'));
    await settle();
    expect(view.querySelector('#preview-tab-user')!.getAttribute('aria-selected')).toBe('true');
    expect(callsOf('preview.getUser')).toEqual([{ runId: 'run-1', userId: 'u-1' }]);
    expect(view.querySelector('pre[aria-label="POST /Users body"]')).not.toBeNull();
  });

  it('shows progress and cancels the run it learned from the progress events', async () => {
    let rejectRun: (e: Error) => void = () => {};
    setHandler('preview.run', () => new Promise((_resolve, reject) => (rejectRun = reject)));
    setHandler('preview.cancel', () => ({ cancelled: true }));
    const view = await openScreen();
    expect(view.querySelector('.progress-text')!.textContent).toBe('Starting the preview…');
    await act(async () => emitEvent('preview.progress', { runId: 'run-77', done: 2500, total: 10000 }));
    await settle();
    expect(view.querySelector('.progress-text')!.textContent).toBe('Previewing 2,500 of 10,000 users…');
    expect(view.querySelector('progress')!.getAttribute('value')).toBe('2500');
    await click(byText(view, '.preview-progress button', 'Cancel'));
    await settle();
    expect(callsOf('preview.cancel')).toEqual([{ runId: 'run-77' }]);
    await act(async () => rejectRun(new Error('The preview was cancelled.')));
    await settle();
    expect(view.querySelector('.preview-progress')).toBeNull();
    expect(view.textContent).toContain('Preview cancelled.');
    expect(view.querySelector('.error-banner')).toBeNull();
  });

  it('cancels as soon as the run id is known when Cancel comes before any progress', async () => {
    setHandler('preview.run', () => new Promise(() => {}));
    setHandler('preview.cancel', () => ({ cancelled: true }));
    const view = await openScreen();
    await click(byText(view, '.preview-progress button', 'Cancel'));
    expect(callsOf('preview.cancel')).toEqual([]);
    await act(async () => emitEvent('preview.progress', { runId: 'run-5', done: 0, total: 100 }));
    await settle();
    expect(callsOf('preview.cancel')).toEqual([{ runId: 'run-5' }]);
  });

  it('shows the backend’s message when the preview fails', async () => {
    setHandler('preview.run', () => {
      throw new Error('This project has no directory snapshot. Open the demo tenant or import users first.');
    });
    const view = await openScreen();
    expect(view.querySelector('.error-banner')!.textContent).toContain('no directory snapshot');
  });
});
