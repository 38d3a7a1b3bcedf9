import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { VendorEntry } from '../../../shared/api.ts';
import { VendorPicker } from '../../../renderer/components/VendorPicker.tsx';
import { changeValue, cleanup, render, settle } from '../preview/render.tsx';
import { resetFakeApi, setHandler } from '../preview/fake-api.ts';
import { vendorList } from '../preview/fixtures.ts';
import { fakeProjectVendor } from '../support/project-vendor.ts';

vi.mock('../../../renderer/api-client.ts', async () => await import('../preview/fake-api.ts'));

/** Issue 20 item 9: the vendor picker's controls, when unavailable, say why (tooltip and accessible description). */
describe('VendorPicker: why the vendor cannot be chosen right now', () => {
  beforeEach(() => {
    resetFakeApi();
    fakeProjectVendor(vendorList, 'generic');
  });
  afterEach(cleanup);

  const select = (view: HTMLElement) => view.querySelector<HTMLSelectElement>('select[aria-label="Vendor profile"]')!;
  const importButton = (view: HTMLElement) => [...view.querySelectorAll('button')].find((b) => b.textContent === 'Import profile…')!;

  it('says the vendor profiles are loading, then keeps the usual hint once they are in', async () => {
    let answer: (entries: VendorEntry[]) => void = () => undefined;
    setHandler('vendors.list', () => new Promise<VendorEntry[]>((resolve) => (answer = resolve)));
    const view = await render(<VendorPicker />);
    expect([select(view).disabled, select(view).title]).toEqual([true, 'Loading the vendor profiles…']);
    await act(async () => answer([...vendorList]));
    await settle();
    expect([select(view).disabled, select(view).title]).toEqual([false, 'The project’s vendor: every screen uses it']);
  });

  it('says the list could not be loaded when the backend refuses it', async () => {
    setHandler('vendors.list', () => Promise.reject(new Error('the workspace is locked')));
    const view = await render(<VendorPicker />);
    await settle();
    expect([select(view).disabled, select(view).title]).toEqual([true, 'Vendor profiles could not be listed: the workspace is locked']);
  });

  it('says the choice is being saved while the project’s vendor changes, on the select and on Import profile…', async () => {
    let saved: () => void = () => undefined;
    setHandler('project.setVendor', ({ vendorId }) => new Promise((resolve) => (saved = () => resolve({ vendorId, name: 'HiThrive', builtIn: true }))));
    const view = await render(<VendorPicker />);
    await settle();
    await changeValue(select(view), 'hithrive');
    expect([select(view).disabled, select(view).title]).toEqual([true, 'Saving the project’s vendor…']);
    expect([importButton(view).disabled, importButton(view).title]).toEqual([true, 'Saving the project’s vendor…']);
    await act(async () => saved());
    await settle();
    expect([select(view).disabled, select(view).value]).toEqual([false, 'hithrive']);
    expect([importButton(view).disabled, importButton(view).title]).toEqual([false, 'Add a vendor profile file (JSON) to this project']);
  });
});
