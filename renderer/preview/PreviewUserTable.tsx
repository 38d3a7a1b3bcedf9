import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { PreviewUserRow } from '../../shared/api.ts';
import { useRowNavigation } from '../components/use-row-navigation.ts';
import { actionLabels, formatCount, severityIcons } from './labels.ts';
import { usePreviewUsers, type PreviewUserFilters } from './use-preview-users.ts';

const ROW_HEIGHT = 44;

function ActionCell({ row }: { row: PreviewUserRow }) {
  return (
    <span role="gridcell" className="preview-action-cell">
      <span className={`action-badge action-${row.action}`}>{actionLabels[row.action]}</span>
      {row.reason && (
        <span className="action-reason" title={row.reason}>
          {row.reason}
        </span>
      )}
    </span>
  );
}

function FindingsCell({ row }: { row: PreviewUserRow }) {
  if (row.errors === 0 && row.warnings === 0) {
    return (
      <span role="gridcell" className="muted">
        None
      </span>
    );
  }
  return (
    <span role="gridcell" className="findings-cell">
      {row.errors > 0 && (
        <span className="severity-count severity-error">
          <span aria-hidden="true">{severityIcons.error}</span> {row.errors} {row.errors === 1 ? 'error' : 'errors'}
        </span>
      )}
      {row.warnings > 0 && (
        <span className="severity-count severity-warning">
          <span aria-hidden="true">{severityIcons.warning}</span> {row.warnings} {row.warnings === 1 ? 'warning' : 'warnings'}
        </span>
      )}
    </span>
  );
}

export interface PreviewUserTableProps {
  runId: string;
  filters: PreviewUserFilters;
  selectedUserId: string | null;
  onSelect(userId: string): void;
}

/**
 * The preview run's users, virtualised and paged from the backend: only visible rows exist in the
 * DOM and only their pages cross the API, which keeps 100,000 users smooth. Arrow keys, Page Up/Down,
 * Home and End move the active row; Enter or Space opens it.
 */
export function PreviewUserTable({ runId, filters, selectedUserId, onSelect }: PreviewUserTableProps) {
  const { total, rowAt, error, loaded } = usePreviewUsers(runId, filters);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  // Opening a user fetches their requests and findings, so moving only marks the row; Enter opens it.
  const navigation = useRowNavigation({
    virtualizer,
    rowAt,
    keyOf: (row) => row.id,
    idPrefix: 'preview-row',
    onOpen: (row) => onSelect(row.id),
    openKey: selectedUserId,
    listKey: JSON.stringify([runId, filters.action, filters.findingCode, filters.search]),
  });

  return (
    // The count below is a live status, which a grid may not contain (it holds rows only), so it sits beside it.
    <div className="preview-user-table">
      <div className="preview-grid" role="grid" aria-label="Preview users" aria-rowcount={total} {...navigation.gridProps}>
      <div className="preview-table-head" role="row">
        <span role="columnheader">User</span>
        <span role="columnheader">Action</span>
        <span role="columnheader">Findings</span>
        <span role="columnheader">Requests</span>
      </div>
      <div className="preview-table-body" ref={scrollRef}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rowAt(item.index);
            const selected = row !== undefined && row.id === selectedUserId;
            const classes = ['preview-row', selected ? 'selected' : '', item.index === navigation.activeIndex ? 'active' : ''].filter(Boolean).join(' ');
            return (
              <div
                key={item.key}
                id={navigation.rowId(item.index)}
                role="row"
                aria-rowindex={item.index + 1}
                aria-selected={selected}
                className={classes}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                onClick={() => navigation.openRow(item.index)}
              >
                {row ? (
                  <>
                    <span role="gridcell" className="preview-user-cell">
                      <span className="preview-user-name">{row.displayName ?? row.userPrincipalName ?? row.id}</span>
                      <span className="preview-user-upn">{row.userPrincipalName ?? '(no userPrincipalName)'}</span>
                    </span>
                    <ActionCell row={row} />
                    <FindingsCell row={row} />
                    <span role="gridcell" className="preview-requests-cell">
                      {row.requestCount}
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
      </div>
      <div className="preview-table-foot" role="status">
        {error ? (
          <span className="error-text">{error}</span>
        ) : loaded ? (
          `${formatCount(total)} ${total === 1 ? 'user' : 'users'}`
        ) : (
          'Loading users…'
        )}
      </div>
    </div>
  );
}
