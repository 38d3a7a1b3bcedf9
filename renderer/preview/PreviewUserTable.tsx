import { useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { PreviewUserRow } from '../../shared/api.ts';
import { actionLabels, formatCount, severityIcons } from './labels.ts';
import { usePreviewUsers, type PreviewUserFilters } from './use-preview-users.ts';

const ROW_HEIGHT = 44;
const PAGE_ROWS = 10;

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
  const [activeIndex, setActiveIndex] = useState(-1);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  // A new run or filter is a different list: the old position means nothing in it.
  useEffect(() => setActiveIndex(-1), [runId, filters.action, filters.findingCode, filters.search]);

  const moveTo = (index: number) => {
    if (total === 0) return;
    const next = Math.min(total - 1, Math.max(0, index));
    setActiveIndex(next);
    virtualizer.scrollToIndex(next);
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    const moves: Record<string, number> = {
      ArrowDown: activeIndex + 1,
      ArrowUp: activeIndex - 1,
      PageDown: activeIndex + PAGE_ROWS,
      PageUp: activeIndex - PAGE_ROWS,
      Home: 0,
      End: total - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      moveTo(moves[event.key]!);
      return;
    }
    if (event.key === 'Enter' || event.key === ' ') {
      const row = activeIndex >= 0 ? rowAt(activeIndex) : undefined;
      if (row) {
        event.preventDefault();
        onSelect(row.id);
      }
    }
  };

  const activeRowId = activeIndex >= 0 ? `preview-row-${activeIndex}` : undefined;
  return (
    <div
      className="preview-user-table"
      role="grid"
      aria-label="Preview users"
      aria-rowcount={total}
      aria-activedescendant={activeRowId}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
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
            const classes = ['preview-row', selected ? 'selected' : '', item.index === activeIndex ? 'active' : ''].filter(Boolean).join(' ');
            return (
              <div
                key={item.key}
                id={`preview-row-${item.index}`}
                role="row"
                aria-rowindex={item.index + 1}
                aria-selected={selected}
                className={classes}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                onClick={() => {
                  setActiveIndex(item.index);
                  if (row) onSelect(row.id);
                }}
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
