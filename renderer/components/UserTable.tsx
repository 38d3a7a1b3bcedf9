import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { usePagedUsers } from '../state/use-paged-users.ts';
import { useUiStore } from '../state/store.ts';
import { useRowNavigation } from './use-row-navigation.ts';

const ROW_HEIGHT = 32;

/** The snapshot's users, virtualised: only the visible rows exist in the DOM. */
export function UserTable({ snapshotId, search }: { snapshotId: number; search: string }) {
  const { total, rowAt, error, loaded } = usePagedUsers(snapshotId, search);
  const selectedUserId = useUiStore((s) => s.selectedUserId);
  const selectUser = useUiStore((s) => s.selectUser);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  // The user detail is read from the snapshot on this machine, cheap enough to follow every arrow press.
  const navigation = useRowNavigation({
    virtualizer,
    rowAt,
    keyOf: (row) => row.id,
    idPrefix: 'user-row',
    onOpen: (row) => selectUser(row.id),
    openKey: selectedUserId,
    selectionFollowsFocus: true,
    listKey: JSON.stringify([snapshotId, search]),
  });

  return (
    <div className="user-table" role="grid" aria-label="Users" aria-rowcount={total} {...navigation.gridProps}>
      <div className="user-table-head" role="row">
        <span role="columnheader">Display name</span>
        <span role="columnheader">userPrincipalName</span>
        <span role="columnheader">Department</span>
        <span role="columnheader">Notes</span>
      </div>
      <div className="user-table-body" ref={scrollRef}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rowAt(item.index);
            const selected = row !== undefined && row.id === selectedUserId;
            return (
              <div
                key={item.key}
                id={navigation.rowId(item.index)}
                role="row"
                aria-rowindex={item.index + 1}
                aria-selected={selected}
                className={['user-row', selected ? 'selected' : '', item.index === navigation.activeIndex ? 'active' : ''].filter(Boolean).join(' ')}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                onClick={() => navigation.openRow(item.index)}
              >
                {row ? (
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
                ) : (
                  <span role="gridcell" className="muted">
                    Loading…
                  </span>
                )}
              </div>
            );
          })}
        </div>
      </div>
      <div className="user-table-foot">
        {error ? <span className="error-text">{error}</span> : loaded ? `${total} users${search ? ` matching “${search}”` : ''}` : 'Loading users…'}
      </div>
    </div>
  );
}
