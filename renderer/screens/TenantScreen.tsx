import { useEffect, useState } from 'react';
import type { SnapshotSummary } from '../../shared/api.ts';
import { api, onEvent } from '../api-client.ts';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { UserTable } from '../components/UserTable.tsx';
import { UserDetailPanel } from '../components/UserDetailPanel.tsx';
import { useUiStore } from '../state/store.ts';
import { useShallow } from 'zustand/react/shallow';

const originLabels: Record<SnapshotSummary['origin'], string> = {
  demo: 'Built-in demo tenant',
  graph: 'Microsoft Graph',
  csv: 'CSV import',
  json: 'JSON import',
};

export function TenantScreen() {
  const { snapshotId, selectSnapshot, search, setSearch } = useUiStore(
    useShallow((s) => ({ snapshotId: s.snapshotId, selectSnapshot: s.selectSnapshot, search: s.search, setSearch: s.setSearch })),
  );
  const [snapshots, setSnapshots] = useState<SnapshotSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => onEvent('workspace.changed', () => setReload((n) => n + 1)), []);

  useEffect(() => {
    api['tenant.listSnapshots']({}).then(
      (list) => {
        setSnapshots(list);
        const current = useUiStore.getState().snapshotId;
        if (!list.some((s) => s.id === current)) selectSnapshot(list[0]?.id ?? null);
      },
      (e: Error) => setError(e.message),
    );
  }, [reload, selectSnapshot]);

  const snapshot = snapshots?.find((s) => s.id === snapshotId);

  const deleteSnapshot = async () => {
    if (!snapshot) return;
    const sure = window.confirm(
      `Delete the snapshot "${snapshot.label}" with its ${snapshot.userCount} users and ${snapshot.groupCount} groups? Everything derived from it goes too.`,
    );
    if (!sure) return;
    try {
      await api['tenant.deleteSnapshot']({ snapshotId: snapshot.id });
      setReload((n) => n + 1);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section className="tenant-screen" aria-labelledby="tenant-title">
      <div className="screen-toolbar">
        <h1 id="tenant-title">Tenant</h1>
        <label className="field">
          <span>Snapshot</span>
          <select
            value={snapshotId ?? ''}
            onChange={(e) => selectSnapshot(e.target.value ? Number(e.target.value) : null)}
            aria-label="Snapshot"
          >
            {snapshots?.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label} — {new Date(s.fetchedAt).toLocaleString()}
              </option>
            ))}
          </select>
        </label>
        {snapshot && (
          <span className="snapshot-facts">
            {originLabels[snapshot.origin]} · {snapshot.userCount} users · {snapshot.groupCount} groups
          </span>
        )}
        <input
          type="search"
          className="search"
          placeholder="Search users by name, UPN, mail, department"
          aria-label="Search users"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        {snapshot && (
          <button type="button" className="danger" onClick={deleteSnapshot}>
            Delete snapshot
          </button>
        )}
      </div>
      {error && <ErrorBanner message={error} />}
      {snapshots && snapshots.length === 0 && (
        <p className="empty-state">This project has no directory snapshot. Sign-in and import arrive with the tenant issue.</p>
      )}
      {snapshotId !== null && (
        <div className="tenant-split">
          <UserTable snapshotId={snapshotId} search={search} />
          <UserDetailPanel snapshotId={snapshotId} />
        </div>
      )}
    </section>
  );
}
