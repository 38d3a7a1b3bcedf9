import type { UserAction } from './types.ts';
import { actionLabels, actionOrder, formatCount } from './labels.ts';

interface ActionCountsProps {
  users: number;
  byAction: Partial<Record<UserAction, number>>;
  active: UserAction | null;
  onChange(action: UserAction | null): void;
}

/** What Entra would do, counted per action; each count is a filter chip for the user table. */
export function ActionCounts({ users, byAction, active, onChange }: ActionCountsProps) {
  return (
    <div className="action-counts" role="group" aria-label="Filter users by action">
      <button type="button" className="action-chip" aria-pressed={active === null} onClick={() => onChange(null)}>
        All <strong>{formatCount(users)}</strong>
      </button>
      {actionOrder.map((action) => {
        const count = byAction[action] ?? 0;
        // An action nobody gets is noise, unless it is the filter in force (it must stay clearable).
        if (count === 0 && active !== action) return null;
        return (
          <button
            key={action}
            type="button"
            className={`action-chip action-${action}`}
            aria-pressed={active === action}
            onClick={() => onChange(active === action ? null : action)}
          >
            {actionLabels[action]} <strong>{formatCount(count)}</strong>
          </button>
        );
      })}
    </div>
  );
}
