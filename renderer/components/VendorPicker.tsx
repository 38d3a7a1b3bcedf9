import { useCallback, useEffect, useRef, useState, type ChangeEvent } from 'react';
import type { VendorEntry } from '../../shared/api.ts';
import { api } from '../api-client.ts';
import { useProject } from '../state/project.ts';
import { disabledBecause } from './disabled-reason.ts';

/**
 * The project's vendor, the same picker on every screen that names a vendor (Preview, Mock server, Provisioning,
 * Reports): choosing here chooses for the project, stored in the workspace. "Import profile…" adds an admin-defined
 * profile (the vendor profile JSON format) and makes it the project's vendor.
 */
export function VendorPicker({ label = 'Vendor profile', showSummary = true }: { label?: string; showSummary?: boolean }) {
  const vendor = useProject((s) => s.vendor);
  const chooseVendor = useProject((s) => s.chooseVendor);
  const [vendors, setVendors] = useState<VendorEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** what the picker is waiting for, said as the reason its controls are unavailable */
  const [busy, setBusy] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const list = useCallback(
    () =>
      api['vendors.list']({}).then(
        (entries) => setVendors(entries),
        (e: Error) => setError(`Vendor profiles could not be listed: ${e.message}`),
      ),
    [],
  );
  useEffect(() => {
    void list();
  }, [list]);

  const choose = async (vendorId: string) => {
    setBusy('Saving the project’s vendor…');
    setError(null);
    setNotice(null);
    try {
      await chooseVendor(vendorId);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const importFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setBusy(`Importing ${file.name}…`);
    setError(null);
    setNotice(null);
    try {
      const text = await file.text();
      let entry: VendorEntry;
      try {
        entry = await api['vendors.import']({ profile: text });
      } catch (e) {
        if ((e as { code?: string }).code !== 'confirmation-required' || !window.confirm(`${(e as Error).message}\n\nReplace it with ${file.name}?`)) throw e;
        entry = await api['vendors.import']({ profile: text, replace: true });
      }
      await list();
      await chooseVendor(entry.id);
      setNotice(`Imported ${entry.name} from ${file.name}; it is now the project’s vendor.`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const unavailable = busy ?? (!vendors && (error ?? 'Loading the vendor profiles…'));
  const value = vendor?.vendorId ?? '';
  const picked = vendors?.find((v) => v.id === value);
  return (
    <div className="vendor-picker">
      <span className="vendor-picker-row">
        <label className="field">
          <span>{label}</span>
          <select aria-label={label} value={value} onChange={(e) => void choose(e.target.value)} {...disabledBecause(unavailable, 'The project’s vendor: every screen uses it')}>
            {(!vendors || !picked) && <option value={value}>{vendor?.name ?? 'Loading…'}</option>}
            {vendors?.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
                {v.builtIn ? '' : ' (imported)'}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="link-button" onClick={() => fileInput.current?.click()} {...disabledBecause(busy, 'Add a vendor profile file (JSON) to this project')}>
          Import profile…
        </button>
        {/* opened by the button above, which is what keyboard and screen reader users reach */}
        <input ref={fileInput} type="file" accept=".json,application/json" hidden tabIndex={-1} onChange={(e) => void importFile(e)} />
      </span>
      {error && <span className="error-text" role="alert">{error}</span>}
      {notice && <span className="muted" role="status">{notice}</span>}
      {showSummary && picked && (
        <span className="vendor-summary muted" title={picked.summary}>
          {picked.summary}
        </span>
      )}
    </div>
  );
}
