import { usePagedUsers } from '../state/use-paged-users.ts';
import { useUiStore } from '../state/store.ts';
import { VirtualGrid } from './VirtualGrid.tsx';

const COLUMNS = ['Display name', 'userPrincipalName', 'Department', 'Notes'];
const CLASS_NAMES = { grid: 'user-table', head: 'user-table-head', body: 'user-table-body', row: 'user-row' };

/** The snapshot's users, virtualised: only the visible rows exist in the DOM. */
export function UserTable({ snapshotId, search }: { snapshotId: number; search: string }) {
  const { total, rowAt, error, loaded } = usePagedUsers(snapshotId, search);
  const selectedUserId = useUiStore((s) => s.selectedUserId);
  const selectUser = useUiStore((s) => s.selectUser);

  // The user detail is read from the snapshot on this machine, cheap enough to follow every arrow press.
  return (
    <VirtualGrid
      label="Users"
      total={total}
      rowAt={rowAt}
      keyOf={(row) => row.id}
      idPrefix="user-row"
      onOpen={(row) => selectUser(row.id)}
      openKey={selectedUserId}
      selectionFollowsFocus
      listKey={JSON.stringify([snapshotId, search])}
      columns={COLUMNS}
      classNames={CLASS_NAMES}
      rowHeight={32}
      overscan={12}
      renderCells={(row) => (
        <>
          <span role="gridcell">{row.displayName ?? '—'}</span>
          <span role="gridcell">{row.userPrincipalName ?? '—'}</span>
          <span role="gridcell">{row.department ?? ''}</span>
          <span role="gridcell">
            {row.accountEnabled === false ? <span className="badge warn">disabled</span> : null}
            {row.userType === 'Guest' ? <span className="badge">guest</span> : null}
            {row.mail === null ? <span className="badge">no mail</span> : null}
          </span>
        </>
      )}
      footer={
        <div className="user-table-foot">
          {error ? <span className="error-text">{error}</span> : loaded ? `${total} users${search ? ` matching “${search}”` : ''}` : 'Loading users…'}
        </div>
      }
    />
  );
}
