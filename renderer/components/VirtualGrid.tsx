import { useEffect, useRef, type ReactNode } from 'react';
import { useRowWindow } from './row-window.ts';
import { useRowNavigation, type RowNavigationOptions } from './use-row-navigation.ts';

/** The class names a list's stylesheet and tests select on: each list keeps its own. */
interface VirtualGridClassNames {
  grid: string;
  head: string;
  body: string;
  /** Every row carries this, plus `selected` and `active` when they apply. */
  row: string;
}

/** A column header: its text, or a node (a sort button) with the column's aria-sort. */
export type GridColumn = string | { header: ReactNode; sort?: 'ascending' | 'descending' | 'none' };

/** What the keyboard needs (useRowNavigation), and the open row (openKey) is the one marked selected. */
export interface VirtualGridProps<Row> extends Omit<RowNavigationOptions<Row>, 'rows'> {
  label: string;
  /** Rows in the whole list: aria-rowcount, and what the virtualiser lays out unless `count` says otherwise. */
  total: number;
  /** `total` is a lower bound, the exact count still on its way: aria-rowcount says unknown (-1) meanwhile */
  counting?: boolean;
  /** Rows held now, for a list that fetches older rows as it scrolls and so holds fewer than `total`. */
  count?: number;
  columns: readonly GridColumn[];
  classNames: VirtualGridClassNames;
  rowHeight: number;
  overscan: number;
  /** The gridcells of a loaded row. */
  renderCells(row: Row): ReactNode;
  /**
   * Rows move under the viewport (a live log grows at the top): React keys each row by keyOf, so its element
   * moves with it rather than every row below re-rendering. Otherwise rows are keyed by position.
   */
  rowsShift?: boolean;
  /** Called with the last rendered row's index when it, `count` or this callback changes: a list that loads as it scrolls asks for more here. */
  onLastRowRendered?(index: number): void;
  /**
   * Plain text after the body, inside the grid, where the tenant's and the mock server's lists keep their count line.
   * Never a live status (role="status"): a grid holds rows only, so axe fails it; put that beside the grid.
   */
  footer?: ReactNode;
}

/**
 * A virtualised list as an ARIA grid: only the visible rows exist in the DOM, and the keyboard moves through
 * all of them (useRowNavigation). The list supplies its columns, its class names and the cells of a row.
 */
export function VirtualGrid<Row>(props: VirtualGridProps<Row>) {
  const {
    label,
    total,
    counting = false,
    count = total,
    columns,
    classNames,
    rowHeight,
    overscan,
    renderCells,
    rowsShift,
    onLastRowRendered,
    footer,
    ...options
  } = props;
  const { rowAt, keyOf, openKey = null } = options;
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = useRowWindow({ count, rowHeight, overscan, scrollRef });
  const navigation = useRowNavigation({ ...options, rows });

  const items = rows.items;
  const lastIndex = items.at(-1)?.index;
  useEffect(() => {
    if (lastIndex !== undefined) onLastRowRendered?.(lastIndex);
  }, [lastIndex, count, onLastRowRendered]);

  return (
    <div className={classNames.grid} role="grid" aria-label={label} aria-rowcount={counting ? -1 : total} {...navigation.gridProps}>
      <div className={classNames.head} role="row">
        {columns.map((column, i) =>
          typeof column === 'string' ? (
            <span key={i} role="columnheader">
              {column}
            </span>
          ) : (
            <span key={i} role="columnheader" aria-sort={column.sort}>
              {column.header}
            </span>
          ),
        )}
      </div>
      <div className={classNames.body} ref={scrollRef}>
        {/* overflow hidden: overscan rows past the content's end never lengthen the scroll area */}
        <div style={{ height: rows.contentHeight, position: 'relative', overflow: 'hidden' }}>
          {items.map((item) => {
            const row = rowAt(item.index);
            const selected = row !== undefined && keyOf(row) === openKey;
            // `loading-` keeps a loading row's key apart from every loaded row's key.
            const key = !rowsShift ? item.index : row !== undefined ? keyOf(row) : `loading-${item.index}`;
            return (
              <div
                key={key}
                id={navigation.rowId(item.index)}
                role="row"
                aria-rowindex={item.index + 1}
                aria-selected={selected}
                className={[
                  classNames.row,
                  selected ? 'selected' : '',
                  item.index === navigation.activeIndex ? 'active' : '',
                ]
                  .filter(Boolean)
                  .join(' ')}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  height: rowHeight,
                  transform: `translateY(${item.start}px)`,
                }}
                onClick={() => navigation.openRow(item.index)}
              >
                {row !== undefined ? (
                  renderCells(row)
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
      {footer}
    </div>
  );
}
