import { join } from 'node:path';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../renderer/App.tsx';
import { useMappingsStore } from '../../../renderer/state/mappings.ts';
import { resetProjectStore } from '../../../renderer/state/project.ts';
import { useUiStore } from '../../../renderer/state/store.ts';
import { byText, changeValue, cleanup, click, render } from '../preview/render.tsx';
import { startRealBackend, type RealBackend } from '../support/real-backend.ts';

/**
 * Issue 20 items 2 and 3, as the admin met them: the whole app on a real backend and workspace, one screen after
 * another. Each case failed before the renderer had one source of truth for the snapshot, the revision and the vendor.
 */

let real: RealBackend;
beforeEach(() => {
  resetProjectStore();
  useUiStore.setState({ screen: 'tenant', search: '', selectedUserId: null });
  real = startRealBackend();
});
afterEach(async () => {
  await cleanup();
  await real.close();
});

/** Waits (letting the backend and React work) until `probe` holds; fails with what it last saw. */
async function until<T>(what: string, probe: () => T | null | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await act(async () => new Promise((resolve) => setTimeout(resolve, 20)));
  }
}

async function openApp(): Promise<HTMLElement> {
  const view = await render(<App />);
  await until('the app to know its project', () => view.querySelector('.app-context')?.textContent?.includes('Contoso demo'));
  return view;
}

async function go(view: HTMLElement, screen: string): Promise<void> {
  await click(byText(view, '.app-nav button', screen));
}

const badge = (view: HTMLElement) => view.querySelector('[data-testid="revision-badge"]')?.textContent ?? '';
const runFacts = (view: HTMLElement) => view.querySelector('.run-facts')?.textContent ?? '';

// a real preview of 200 users and a real report run in each case: more than the DOM project's default 5 s on a busy machine
describe('every screen follows the project', { timeout: 60_000 }, () => {
  it('after a fix in Preview, Mappings shows the saved revision, and has nothing unsaved to undo it with', async () => {
    const view = await openApp();
    await go(view, 'Mappings');
    await until('the default mappings', () => badge(view).startsWith('Entra default mappings (not saved)'));
    const before = [...view.querySelectorAll('.mapping-table tbody tr td.target')].map((td) => td.textContent);

    await go(view, 'Preview');
    await changeValue(view.querySelector<HTMLSelectElement>('.vendor-picker select')!, 'hithrive');
    const fix = await until('a HiThrive finding with Fix it', () => view.querySelector<HTMLButtonElement>('button[aria-label^="Fix it: VENDOR_FILTERED_DEFAULT"]'));
    await click(fix);
    // "Fix it" previews the fix first (issue 20 item 1); only Apply saves it
    const apply = await until('the fix preview with Apply', () => [...view.querySelectorAll<HTMLButtonElement>('.fix-preview button')].find((b) => b.textContent === 'Apply and save as a new revision'));
    await click(apply);
    const saved = await until('the fix to be saved', () => view.querySelector('.fix-saved')?.textContent);
    expect(saved).toMatch(/Saved as mapping revision 1/);
    await until('the preview of revision 1', () => runFacts(view).includes('Mapping revision 1'));

    await go(view, 'Mappings');
    await until('revision 1 in Mappings', () => badge(view).startsWith('Revision 1:'));
    expect(badge(view)).not.toContain('unsaved changes');
    const revision = await real.call('mappings.getRevision', { revision: 1 });
    const after = [...view.querySelectorAll('.mapping-table tbody tr td.target')].map((td) => td.textContent);
    const userRows = revision.mappingSet.synchronizationRules[0]!.objectMappings.find((m) => m.sourceObjectName === 'User')!.attributeMappings;
    expect(after).toEqual(userRows.map((row) => row.targetAttributeName));
    expect(after.length).toBeLessThan(before.length);
    // Save would have written the stale copy back as revision 2, silently undoing the fix
    expect(byText(view, '.save-group button', 'Save')!.hasAttribute('disabled')).toBe(true);
    expect(view.querySelector('[data-testid="context-mappings"]')!.textContent).toMatch(/^Revision 1: /);
  });

  it('keeps real unsaved edits when a fix is saved elsewhere, says what saving would overwrite, and can take the fix instead', async () => {
    const view = await openApp();
    await go(view, 'Mappings');
    await until('the default mappings', () => badge(view).startsWith('Entra default mappings'));
    await click(view.querySelector('input[role="switch"]'));
    expect(badge(view)).toContain('unsaved changes');

    await real.call('project.setVendor', { vendorId: 'hithrive' });
    // the fix is saved by another window (or the CLI): only the backend's event reaches this one
    await act(async () => {
      const run = await real.call('preview.run', {});
      const group = run.findingGroups.find((g) => g.code === 'VENDOR_FILTERED_DEFAULT')!;
      await real.call('preview.applyFix', { runId: run.runId, code: group.code, attribute: group.attribute });
    });

    const warning = await until('the warning about revision 1', () => view.querySelector('.newer-revision')?.textContent);
    expect(warning).toContain('Revision 1');
    expect(badge(view)).toContain('unsaved changes');
    expect(useMappingsStore.getState().history!.present.set).not.toBe(useMappingsStore.getState().saved);
    await click(byText(view, '.newer-revision button', /Discard my edits/));
    expect(badge(view)).toMatch(/^Revision 1: /);
    expect(badge(view)).not.toContain('unsaved changes');
  });

  it('going back to the demo snapshot on Tenant makes Preview preview the demo, and the header says so', async () => {
    const csv = 'userPrincipalName,displayName,givenName,surname\nada@fabrikam.com,Ada Lovelace,Ada,Lovelace\nalan@fabrikam.com,Alan Turing,Alan,Turing\n';
    const result = await real.call('directory.import', { fileName: 'two.csv', content: csv });
    if (result.status !== 'imported') throw new Error(`the CSV was refused: ${result.message}`);
    const imported = result;
    const view = await openApp();
    const snapshotCell = await until('the snapshot list', () => view.querySelectorAll('.snapshot-list tbody tr').length === 2 && view.querySelectorAll('.snapshot-list tbody tr'));
    expect(view.querySelector('.snapshot-list tr.selected')!.textContent).toContain('2');
    expect(imported.snapshot.userCount).toBe(2);

    const demoRow = [...snapshotCell].find((row) => row.textContent?.includes('Built-in demo tenant'))!;
    await click(demoRow);

    await go(view, 'Preview');
    const facts = await until('a finished preview', () => runFacts(view).includes('users') && runFacts(view));
    expect(facts).toContain('200 users');
    expect(facts).not.toContain(`snapshot ${imported.snapshot.id} `);
    expect(view.querySelector('[data-testid="context-snapshot"]')!.textContent).toMatch(/\(200 users\)/);
  });

  it('Start from: HiThrive recommended names the working copy after the template, in the screen and the header', async () => {
    const view = await openApp();
    await go(view, 'Mappings');
    await until('the templates', () => view.querySelectorAll('select[aria-label="Start from"] option').length > 2);
    await changeValue(view.querySelector<HTMLSelectElement>('select[aria-label="Start from"]')!, 'hithrive');
    expect(badge(view)).toBe('HiThrive recommended (not saved)unsaved changes');
    expect(view.querySelector('[data-testid="context-mappings"]')!.textContent).toBe('HiThrive recommended (not saved) · unsaved changes');
    await click(byText(view, 'button', 'Undo'));
    expect(badge(view)).toBe('Entra default mappings (not saved)');
    // the template's vendor is offered as the project's, and every screen follows the choice
    await click(byText(view, '.status-line button', 'Plan for HiThrive'));
    await until('the header to name HiThrive', () => view.querySelector('[data-testid="context-vendor"]')!.textContent === 'Vendor: HiThrive');
    expect((await real.call('project.vendor', {})).vendorId).toBe('hithrive');
  });

  it('follows a vendor chosen in another window, and a workspace opened with File > Open', async () => {
    const view = await openApp();
    await go(view, 'Preview');
    await act(async () => {
      await real.call('project.setVendor', { vendorId: 'hector' });
    });
    await until('the header to name Hector', () => view.querySelector('[data-testid="context-vendor"]')!.textContent === 'Vendor: Hector');
    await until('the picker to follow', () => view.querySelector<HTMLSelectElement>('.vendor-picker select')!.value === 'hector');

    // File > Open: another workspace (a new one gets the demo tenant and the default vendor), nothing of the first kept
    await go(view, 'Mappings');
    await until('the mappings', () => badge(view).length > 0);
    await changeValue(view.querySelector<HTMLSelectElement>('select[aria-label="Start from"]')!, 'hector');
    await act(async () => {
      await real.backend.openWorkspace(join(real.workspacePath, '..', 'other.scimplan'));
    });
    await until('the other workspace’s vendor', () => view.querySelector('[data-testid="context-vendor"]')!.textContent === 'Vendor: Generic SCIM 2.0');
    await until('the other workspace’s mappings', () => badge(view) === 'Entra default mappings (not saved)');
  });

  it('the vendor chosen once on Preview is the one on Mock server and Reports, and titles the report', async () => {
    const view = await openApp();
    await go(view, 'Preview');
    await until('the vendor list', () => view.querySelectorAll('.vendor-picker select option').length > 2);
    await changeValue(view.querySelector<HTMLSelectElement>('.vendor-picker select')!, 'hithrive');
    await until('the preview with HiThrive', () => view.querySelector('.vendor-summary')?.textContent?.includes('HiThrive'));

    await go(view, 'Mock server');
    const mockVendor = await until('the mock server’s vendor', () => view.querySelector<HTMLSelectElement>('select[aria-label="Vendor"]:not([disabled])'));
    expect(mockVendor.value).toBe('hithrive');

    await go(view, 'Reports');
    const reportVendor = await until('the report’s vendor', () => view.querySelector<HTMLSelectElement>('select[aria-label="Vendor profile"]:not([disabled])'));
    expect(reportVendor.value).toBe('hithrive');
    const frame = await until('the report preview', () => view.querySelector<HTMLIFrameElement>('iframe.report-frame'), 40_000);
    expect(frame.getAttribute('srcdoc')).toContain('SCIM mapping report — Contoso demo → HiThrive');
    expect(view.querySelector('[data-testid="context-vendor"]')!.textContent).toBe('Vendor: HiThrive');
    expect((await real.call('project.vendor', {})).vendorId).toBe('hithrive');
  });
});
