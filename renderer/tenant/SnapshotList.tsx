import type { SnapshotSummary } from '../../shared/api.ts';
import { disabledBecause } from '../components/disabled-reason.ts';

const originLabels: Record<SnapshotSummary['origin'], string> = {
  demo: 'Built-in demo tenant',
  graph: 'Microsoft Graph',
  csv: 'CSV import',
  json: 'JSON import',
};

/**
 * Every fetch or import is a snapshot: when, from where, how many users and groups; pick one, refresh a Graph one
 * (Graph delta: only what changed since), or delete it.
 */
export function SnapshotList({
  snapshots,
  selectedId,
  onSelect,
  onDelete,
  onRefresh,
  refreshBlocked,
}: {
  snapshots: SnapshotSummary[];
  selectedId: number | null;
  onSelect: (id: number) => void;
  onDelete: (snapshot: SnapshotSummary) => void;
  /** absent: no Refresh buttons */
  onRefresh?: (snapshot: SnapshotSummary) => void;
  /** why this Graph snapshot cannot be refreshed now (no sign-in, a fetch running), or null */
  refreshBlocked?: (snapshot: SnapshotSummary) => string | null;
}) {
  return (
    <div className="snapshot-list">
      <table aria-label="Snapshots">
        <thead>
          <tr>
            <th scope="col">Snapshot</th>
            <th scope="col">Source</th>
            <th scope="col">Taken</th>
            <th scope="col" className="num">
              Users
            </th>
            <th scope="col" className="num">
              Groups
            </th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {snapshots.map((s) => {
            const selected = s.id === selectedId;
            return (
              <tr
                key={s.id}
                className={selected ? 'selected' : undefined}
                aria-selected={selected}
                tabIndex={0}
                onClick={() => onSelect(s.id)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    onSelect(s.id);
                  }
                }}
              >
                <td>{s.label}</td>
                <td>{originLabels[s.origin]}</td>
                <td>{new Date(s.fetchedAt).toLocaleString()}</td>
                <td className="num">{s.userCount.toLocaleString('en-US')}</td>
                <td className="num">{s.groupCount.toLocaleString('en-US')}</td>
                <td>
                  {onRefresh && s.origin === 'graph' && (
                    <button
                      type="button"
                      aria-label={`Refresh snapshot ${s.label}`}
                      {...disabledBecause(
                        (!s.refreshable &&
                          "This snapshot keeps no Graph deltaLinks (read for one app's assignments, or before refresh existed): fetch it again to refresh it later") ||
                          refreshBlocked?.(s),
                        'Read only what changed in Graph since this snapshot, into a new snapshot',
                      )}
                      onClick={(e) => {
                        e.stopPropagation();
                        onRefresh(s);
                      }}
                    >
                      Refresh
                    </button>
                  )}
                  <button
                    type="button"
                    className="danger"
                    aria-label={`Delete snapshot ${s.label}`}
                    onClick={(e) => {
                      e.stopPropagation();
                      onDelete(s);
                    }}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
