import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../shared/api.ts';
import { api } from '../api-client.ts';

type VendorEntry = MethodOutput<'vendors.list'>[number];

/** The vendor profile the preview checks against; the summary of the picked one is shown beside it. */
export function VendorPicker({ value, onChange }: { value: string; onChange(vendorId: string): void }) {
  const [vendors, setVendors] = useState<VendorEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    api['vendors.list']({}).then(
      (list) => current && setVendors(list),
      (e: Error) => current && setError(e.message),
    );
    return () => {
      current = false;
    };
  }, []);

  const picked = vendors?.find((v) => v.id === value);
  return (
    <div className="vendor-picker">
      <label className="field">
        <span>Vendor profile</span>
        <select value={value} onChange={(e) => onChange(e.target.value)} disabled={!vendors}>
          {!vendors && <option value={value}>{value}</option>}
          {vendors?.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
              {v.builtIn ? '' : ' (imported)'}
            </option>
          ))}
        </select>
      </label>
      {error && <span className="error-text">Vendor profiles could not be listed: {error}</span>}
      {picked && (
        <span className="vendor-summary muted" title={picked.summary}>
          {picked.summary}
        </span>
      )}
    </div>
  );
}
