import type { Dialect } from './types.ts';
import { dialectExplanation, dialectLabels } from './labels.ts';

interface DialectPickerProps {
  /** null follows the tenant URL */
  override: Dialect | null;
  /** what the last run used, and which rule chose it */
  inForce: { dialect: Dialect; source: 'tenant-url' | 'override' } | null;
  onChange(override: Dialect | null): void;
}

const TENANT_URL = 'tenant-url';

/**
 * Which PATCH dialect the requests use. Entra picks it from the Tenant URL (a `?aadOptscim062020` flag switches it,
 * Microsoft Learn "Known issues and resolutions with SCIM 2.0 protocol compliance"); the admin can override it here to
 * see the other shape.
 */
export function DialectPicker({ override, inForce, onChange }: DialectPickerProps) {
  const why =
    inForce === null
      ? null
      : inForce.source === 'override'
        ? 'chosen here (overrides the Tenant URL)'
        : inForce.dialect === 'aadOptscim062020'
          ? 'the Tenant URL carries the aadOptscim062020 flag'
          : 'the Tenant URL has no aadOptscim062020 flag';
  return (
    <div className="dialect-picker">
      <label className="field">
        <span>PATCH dialect</span>
        <select
          value={override ?? TENANT_URL}
          onChange={(e) => onChange(e.target.value === TENANT_URL ? null : (e.target.value as Dialect))}
        >
          <option value={TENANT_URL}>As the Tenant URL says</option>
          <option value="default">{dialectLabels.default} (no flag)</option>
          <option value="aadOptscim062020">{dialectLabels.aadOptscim062020}</option>
        </select>
      </label>
      {inForce && (
        <span className="dialect-in-force" role="status">
          In force: <strong>{dialectLabels[inForce.dialect]}</strong> — {why}.
        </span>
      )}
      <p className="dialect-explanation muted">{dialectExplanation}</p>
    </div>
  );
}
