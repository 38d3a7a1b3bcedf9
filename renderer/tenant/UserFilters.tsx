import type { TenantUserFilter } from '../../shared/api.ts';

/** The portal's user filters, each a choice of one value or all (its order: what the select offers). */
const FILTER_CHOICES: { label: string; values: { filter: TenantUserFilter; label: string }[] }[] = [
  { label: 'Account enabled', values: [{ filter: 'enabled', label: 'Yes' }, { filter: 'disabled', label: 'No' }] },
  { label: 'User type', values: [{ filter: 'member', label: 'Member' }, { filter: 'guest', label: 'Guest' }] },
];

/** Account enabled and User type, as in the Entra admin center's Users list; the backend applies them. */
export function UserFilters({ filters, onChange }: { filters: readonly TenantUserFilter[]; onChange(filters: TenantUserFilter[]): void }) {
  return (
    <>
      {FILTER_CHOICES.map((choice) => {
        const own = new Set(choice.values.map((v) => v.filter));
        const current = filters.find((f) => own.has(f)) ?? '';
        return (
          <label key={choice.label} className="user-filter">
            {choice.label}
            <select
              value={current}
              onChange={(e) => {
                const others = filters.filter((f) => !own.has(f));
                onChange(e.target.value ? [...others, e.target.value as TenantUserFilter] : others);
              }}
            >
              <option value="">All</option>
              {choice.values.map((v) => (
                <option key={v.filter} value={v.filter}>
                  {v.label}
                </option>
              ))}
            </select>
          </label>
        );
      })}
    </>
  );
}
