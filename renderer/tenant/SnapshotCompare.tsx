import { useEffect, useState } from 'react';
import type { CompareSection, CompareUser, SnapshotComparison, SnapshotSummary } from '../../shared/api.ts';
import { api } from '../api-client.ts';

const PAGE = 100;
const sections: { id: CompareSection; label: string }[] = [
  { id: 'added', label: 'Added' },
  { id: 'changed', label: 'Changed' },
  { id: 'removed', label: 'Removed' },
];

function show(value: unknown): string {
  if (value === null || value === undefined) return '(no value)';
  if (Array.isArray(value)) return value.length ? value.join('; ') : '(empty list)';
  return typeof value === 'string' ? (value === '' ? '(empty)' : value) : JSON.stringify(value);
}

/**
 * Two snapshots side by side the way an incremental provisioning cycle sees them: users added, users
 * changed with the source attributes that changed, users removed.
 */
export function SnapshotCompare({
  snapshots,
  initialFrom,
  initialTo,
  onClose,
}: {
  snapshots: SnapshotSummary[];
  initialFrom: number;
  initialTo: number;
  onClose: () => void;
}) {
  const [from, setFrom] = useState(initialFrom);
  const [to, setTo] = useState(initialTo);
  const [section, setSection] = useState<CompareSection>('changed');
  const [result, setResult] = useState<SnapshotComparison | null>(null);
  const [users, setUsers] = useState<CompareUser[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(null);
    api['directory.compareSnapshots']({ from, to, section, offset: 0, limit: PAGE }).then(
      (r) => {
        if (!current) return;
        setResult(r);
        setUsers(r.items);
        setLoading(false);
      },
      (e: Error) => {
        if (!current) return;
        setError(e.message);
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [from, to, section]);

  const loadMore = async () => {
    try {
      const r = await api['directory.compareSnapshots']({ from, to, section, offset: users.length, limit: PAGE });
      setUsers((u) => [...u, ...r.items]);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const picker = (label: string, value: number, set: (id: number) => void) => (
    <label className="field">
      <span>{label}</span>
      <select aria-label={label} value={value} onChange={(e) => set(Number(e.target.value))}>
        {snapshots.map((s) => (
          <option key={s.id} value={s.id}>
            {s.label} — {new Date(s.fetchedAt).toLocaleString()}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <section className="snapshot-compare" aria-label="Compare snapshots">
      <div className="compare-toolbar">
        <h2>Compare snapshots</h2>
        {picker('From', from, setFrom)}
        <span aria-hidden="true">→</span>
        {picker('To', to, setTo)}
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {result && (
        <p className="muted">
          {result.counts.unchanged.toLocaleString('en-US')} users unchanged. Attributes are compared under Entra’s provisioning
          names, as an incremental cycle does.
        </p>
      )}
      <div role="tablist" aria-label="Differences" className="compare-tabs">
        {sections.map((s) => (
          <button
            key={s.id}
            type="button"
            role="tab"
            aria-selected={section === s.id}
            className={section === s.id ? 'selected' : undefined}
            onClick={() => setSection(s.id)}
          >
            {s.label} ({result ? result.counts[s.id].toLocaleString('en-US') : '…'})
          </button>
        ))}
      </div>
      <div role="tabpanel" className="compare-list" aria-busy={loading}>
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
        {!error && result && users.length === 0 && !loading && <p className="empty-state">No users {section} between these snapshots.</p>}
        <ul>
          {users.map((u) => (
            <li key={u.id} className="compare-user">
              <span className="account-name">{u.displayName ?? u.id}</span> <span className="muted">{u.userPrincipalName}</span>
              {u.changes.length > 0 && (
                <table className="attribute-changes" aria-label={`Changes of ${u.displayName ?? u.id}`}>
                  <tbody>
                    {u.changes.map((c) => (
                      <tr key={c.attribute}>
                        <th scope="row">{c.attribute}</th>
                        <td className="before">{show(c.before)}</td>
                        <td aria-hidden="true">→</td>
                        <td className="after">{show(c.after)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </li>
          ))}
        </ul>
        {result && result.section === section && users.length < result.total && (
          <button type="button" onClick={() => void loadMore()}>
            Show more ({(result.total - users.length).toLocaleString('en-US')} left)
          </button>
        )}
      </div>
    </section>
  );
}
