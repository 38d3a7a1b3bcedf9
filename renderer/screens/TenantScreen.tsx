import { useCallback, useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { DirectoryAccount, SnapshotSummary } from '../../shared/api.ts';
import { api, onEvent } from '../api-client.ts';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { UserTable } from '../components/UserTable.tsx';
import { UserDetailPanel } from '../components/UserDetailPanel.tsx';
import { useProject } from '../state/project.ts';
import { useUiStore } from '../state/store.ts';
import { AccountList } from '../tenant/AccountList.tsx';
import { DemoTenantButton } from '../tenant/DemoTenantButton.tsx';
import { FetchProgressPanel } from '../tenant/FetchProgressPanel.tsx';
import { useSnapshotRefresh } from '../tenant/snapshot-refresh.ts';
import { ImportPanel } from '../tenant/ImportPanel.tsx';
import { PasteTokenPanel } from '../tenant/PasteTokenPanel.tsx';
import { SignInPanel } from '../tenant/SignInPanel.tsx';
import { SnapshotCompare } from '../tenant/SnapshotCompare.tsx';
import { SnapshotList } from '../tenant/SnapshotList.tsx';
import '../styles/tenant.css';
import { disabledBecause } from '../components/disabled-reason.ts';

type ConnectPanel = 'sign-in' | 'import' | 'token' | null;

const connectActions: { id: Exclude<ConnectPanel, null>; label: string }[] = [
  { id: 'sign-in', label: 'Sign in' },
  { id: 'import', label: 'Import file' },
  { id: 'token', label: 'Paste access token' },
];

export function TenantScreen() {
  const { search, setSearch } = useUiStore(useShallow((s) => ({ search: s.search, setSearch: s.setSearch })));
  // the current snapshot is the project's: choosing one here is what Mappings, Preview, Provisioning and Reports use
  const { snapshots, snapshotId, selectSnapshot, snapshotsListed } = useProject(
    useShallow((s) => ({ snapshots: s.snapshots, snapshotId: s.snapshotId, selectSnapshot: s.selectSnapshot, snapshotsListed: s.snapshotsListed })),
  );
  const [accounts, setAccounts] = useState<DirectoryAccount[]>([]);
  const [panel, setPanel] = useState<ConnectPanel>(null);
  const [comparing, setComparing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const refresh = useCallback(() => setReload((n) => n + 1), []);

  useEffect(() => onEvent('workspace.changed', refresh), [refresh]);

  useEffect(() => {
    api['tenant.listSnapshots']({}).then(snapshotsListed, (e: Error) => setError(e.message));
    api['directory.accounts']({}).then(setAccounts, (e: Error) => setError(e.message));
  }, [reload, snapshotsListed]);

  const onAccount = useCallback(
    (_account: DirectoryAccount) => {
      setPanel(null);
      refresh();
    },
    [refresh],
  );

  const showSnapshot = (id: number) => {
    selectSnapshot(id);
    refresh();
  };

  const deleteSnapshot = async (snapshot: SnapshotSummary) => {
    const sure = window.confirm(
      `Delete the snapshot "${snapshot.label}" with its ${snapshot.userCount} users and ${snapshot.groupCount} groups? Everything derived from it goes too.`,
    );
    if (!sure) return;
    try {
      await api['tenant.deleteSnapshot']({ snapshotId: snapshot.id });
      refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const { refreshSnapshot, refreshBlocked } = useSnapshotRefresh(accounts, showSnapshot, setError);

  const canCompare = (snapshots?.length ?? 0) >= 2;
  // Compare the selected snapshot with the one taken just before it (the list is newest first).
  const compareTo = snapshotId ?? snapshots?.[0]?.id ?? 0;
  const olderIndex = snapshots ? snapshots.findIndex((s) => s.id === compareTo) + 1 : 0;
  const compareFrom = snapshots?.[olderIndex]?.id ?? snapshots?.[1]?.id ?? compareTo;

  return (
    <section className="tenant-screen" aria-labelledby="tenant-title">
      <div className="screen-toolbar">
        <h1 id="tenant-title">Tenant</h1>
        <div className="connect-bar" role="group" aria-label="Connect a tenant">
          {connectActions.map((action) => (
            <button
              key={action.id}
              type="button"
              aria-expanded={panel === action.id}
              className={panel === action.id ? 'selected' : undefined}
              onClick={() => setPanel(panel === action.id ? null : action.id)}
            >
              {action.label}
            </button>
          ))}
          <DemoTenantButton
            snapshots={snapshots}
            selectedId={snapshotId}
            onLoaded={(demo) => {
              setPanel(null);
              showSnapshot(demo.id);
            }}
            onError={setError}
          />
        </div>
      </div>
      {error && <ErrorBanner message={error} />}
      {panel === 'sign-in' && <SignInPanel onSignedIn={onAccount} />}
      {panel === 'import' && <ImportPanel onImported={(s) => showSnapshot(s.id)} />}
      {panel === 'token' && <PasteTokenPanel onAdded={onAccount} />}
      {accounts.length > 0 && <AccountList accounts={accounts} onChanged={refresh} />}
      <FetchProgressPanel onShowSnapshot={showSnapshot} />

      {snapshots && snapshots.length === 0 && (
        <p className="empty-state">
          This project has no directory snapshot. Sign in and fetch, import a file, or use the demo tenant.
        </p>
      )}
      {snapshots && snapshots.length > 0 && (
        <div className="snapshots-section">
          <div className="section-head">
            <h2>Snapshots</h2>
            <button type="button" {...disabledBecause(!canCompare && 'Comparing needs two snapshots: fetch or import another one')} aria-expanded={comparing} onClick={() => setComparing((c) => !c)}>
              Compare snapshots
            </button>
          </div>
          <SnapshotList
            snapshots={snapshots}
            selectedId={snapshotId}
            onSelect={selectSnapshot}
            onDelete={deleteSnapshot}
            onRefresh={refreshSnapshot}
            refreshBlocked={refreshBlocked}
          />
        </div>
      )}
      {comparing && snapshots && canCompare && (
        <SnapshotCompare
          key={`${compareFrom}-${compareTo}`}
          snapshots={snapshots}
          initialFrom={compareFrom}
          initialTo={compareTo}
          onClose={() => setComparing(false)}
        />
      )}

      {snapshotId !== null && !comparing && (
        <>
          <div className="users-toolbar">
            <input
              type="search"
              className="search"
              placeholder="Search users by name, UPN, mail, department"
              aria-label="Search users"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
          </div>
          <div className="tenant-split">
            <UserTable snapshotId={snapshotId} search={search} />
            <UserDetailPanel snapshotId={snapshotId} />
          </div>
        </>
      )}
    </section>
  );
}
