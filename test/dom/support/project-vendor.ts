import type { VendorEntry } from '../../../shared/api.ts';
import { resetProjectStore, useProject } from '../../../renderer/state/project.ts';
import { setHandler } from '../preview/fake-api.ts';

/**
 * For screen tests on the fake API: the project store starts loaded with `initial` as the project's vendor, and the
 * vendor methods answer from `vendors` (project.setVendor refuses an id that is not listed, as the backend does).
 */
export function fakeProjectVendor(vendors: readonly VendorEntry[], initial: string): void {
  const entry = (id: string) => {
    const found = vendors.find((v) => v.id === id);
    if (!found) throw new Error(`There is no vendor profile "${id}"`);
    return { vendorId: found.id, name: found.name, builtIn: found.builtIn };
  };
  resetProjectStore();
  useProject.setState({ loaded: true, vendor: entry(initial) });
  setHandler('vendors.list', () => [...vendors]);
  setHandler('project.vendor', () => useProject.getState().vendor!);
  setHandler('project.setVendor', ({ vendorId }) => entry(vendorId));
}

/** The project's vendor in a screen test, as if chosen on another screen. */
export function projectVendorIs(vendors: readonly VendorEntry[], vendorId: string): void {
  const found = vendors.find((v) => v.id === vendorId)!;
  useProject.setState({ vendor: { vendorId: found.id, name: found.name, builtIn: found.builtIn } });
}
