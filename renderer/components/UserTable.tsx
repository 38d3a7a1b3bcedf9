import type { TenantUserSort } from '../../shared/api.ts';
import { usePagedUsers, type UserTableView } from '../state/use-paged-users.ts';
import { useUiStore } from '../state/store.ts';
import { VirtualGrid, type GridColumn } from './VirtualGrid.tsx';

const SORTABLE: { by: TenantUserSort['by']; label: string }[] = [
  { by: 'displayName', label: 'Display name' },
  { by: 'userPrincipalName', label: 'userPrincipalName' },
  { by: 'department', label: 'Department' },
];
const CLASS_NAMES = { grid: 'user-table', head: 'user-table-head', body: 'user-table-body', row: 'user-row' };

/** A header's next sort: ascending, then descending, then back to the snapshot's order. */
function nextSort(current: TenantUserSort | null, by: TenantUserSort['by']): TenantUserSort | null {
  if (current?.by !== by) return { by, direction: 'ascending' };
  return current.direction === 'ascending' ? { by, direction: 'descending' } : null;
}

interface UserTableProps extends UserTableView {
  snapshotId: number;
  /** sortable headers when given: a click (or Enter/Space) sorts by that column */
  onSort?(sort: TenantUserSort | null): void;
}

/** The snapshot's users, virtualised: only the visible rows exist in the DOM; search, filters and sort are the backend's. */
export function UserTable({ snapshotId, search, filters, sort = null, onSort }: UserTableProps) {
  const { total, counting, rowAt, error, loaded } = usePagedUsers(snapshotId, { search, filters, sort });
  const selectedUserId = useUiStore((s) => s.selectedUserId);
  const selectUser = useUiStore((s) => s.selectUser);
  const columns: GridColumn[] = [
    ...SORTABLE.map(({ by, label }): GridColumn => {
      if (!onSort) return label;
      const direction = sort?.by === by ? sort.direction : 'none';
      return {
        sort: direction,
        header: (
          <button type="button" className="sort-header" onClick={() => onSort(nextSort(sort, by))} title={`Sort by ${label}`}>
            {label}
            <span aria-hidden="true">{direction === 'ascending' ? ' ▲' : direction === 'descending' ? ' ▼' : ''}</span>
          </button>
        ),
      };
    }),
    'Notes',
  ];
  const narrowed = search !== '' || (filters?.length ?? 0) > 0;

  // The user detail is read from the snapshot on this machine, cheap enough to follow every arrow press.
  return (
    <VirtualGrid
      label="Users"
      total={total}
      counting={counting}
      rowAt={rowAt}
      keyOf={(row) => row.id}
      idPrefix="user-row"
      onOpen={(row) => selectUser(row.id)}
      openKey={selectedUserId}
      selectionFollowsFocus
      listKey={JSON.stringify([snapshotId, search, filters, sort])}
      columns={columns}
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
          {error ? (
            <span className="error-text">{error}</span>
          ) : loaded ? (
            `${counting ? `More than ${total - 1}` : total} users${search ? ` matching “${search}”` : narrowed ? ' matching the filters' : ''}${counting ? ', counting…' : ''}`
          ) : (
            'Loading users…'
          )}
        </div>
      }
    />
  );
}
