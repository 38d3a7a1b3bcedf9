import { useEffect, useState } from 'react';
import type { UserDetail } from '../../shared/api.ts';
import { api } from '../api-client.ts';
import { useUiStore } from '../state/store.ts';

function renderValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/**
 * One user twice: under Entra's provisioning attribute names (what expressions see) and exactly as
 * Microsoft Graph returned it, so an admin can trace every source value to Graph.
 */
export function UserDetailPanel({ snapshotId }: { snapshotId: number }) {
  const userId = useUiStore((s) => s.selectedUserId);
  const [detail, setDetail] = useState<UserDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setDetail(null);
    setError(null);
    if (!userId) return;
    let current = true;
    api['tenant.getUser']({ snapshotId, userId }).then(
      (d) => current && setDetail(d),
      (e: Error) => current && setError(e.message),
    );
    return () => {
      current = false;
    };
  }, [snapshotId, userId]);

  if (!userId) return <aside className="user-detail empty">Select a user to see its source attributes and raw Graph JSON.</aside>;
  if (error) return <aside className="user-detail error-text">{error}</aside>;
  if (!detail) return <aside className="user-detail">Loading…</aside>;

  const entries = Object.entries(detail.source).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
  return (
    <aside className="user-detail" aria-label="User detail">
      <h2>{renderValue(detail.raw.displayName)}</h2>
      <div className="detail-columns">
        <div>
          <h3>Source attributes (Entra provisioning names)</h3>
          <table className="attribute-table">
            <tbody>
              {entries.map(([name, value]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td className={value === null ? 'muted' : undefined}>{renderValue(value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h3>Raw Microsoft Graph JSON</h3>
          <pre className="json" aria-label="Raw Graph JSON">
            {JSON.stringify(detail.raw, null, 2)}
          </pre>
        </div>
      </div>
    </aside>
  );
}
