import { useEffect, useState, type KeyboardEvent } from 'react';
import type { RowWindow } from './row-window.ts';

type RowKey = string | number;

export interface RowNavigationOptions<Row> {
  /** The list's window of rendered rows (useRowWindow). */
  rows: RowWindow;
  /** The row at an index, or undefined while its page is still loading. */
  rowAt(index: number): Row | undefined;
  keyOf(row: Row): RowKey;
  /** Rows get the id `${idPrefix}-${index}`, which aria-activedescendant points at: unique in the document. */
  idPrefix: string;
  /** Opens a row (its detail): Enter, Space, a click, and every move when selection follows focus. */
  onOpen(row: Row): void;
  /** The row open now: with no active row yet, the keyboard starts from it. */
  openKey?: RowKey | null;
  /** Where a key is in the whole list; without it only the rendered rows are searched. */
  indexOfKey?(key: RowKey): number;
  /** Moving opens the row, for lists whose detail is cheap enough to show on every arrow press. */
  selectionFollowsFocus?: boolean;
  /** Identifies the list (run, filter, search): when it changes the old position means nothing, so it is forgotten. */
  listKey?: string;
}

interface ActiveRow {
  index: number;
  /** The row's key once it is loaded, so the active row is found again when rows shift (a live log grows at the top). */
  key: RowKey | undefined;
  /** The row was to open but was still loading (End in 100,000 users, a click on "Loading…"): open it when its page arrives. */
  openWhenLoaded: boolean;
}

const NONE: ActiveRow = { index: -1, key: undefined, openWhenLoaded: false };

/** Keys typed into a control inside the list belong to that control, never to the list. */
function fromControl(event: KeyboardEvent<HTMLElement>): boolean {
  if (event.target === event.currentTarget || !(event.target instanceof Element)) return false;
  const control = event.target.closest(
    'input, textarea, select, button, a[href], [contenteditable]:not([contenteditable="false"])',
  );
  return control !== null && event.currentTarget.contains(control);
}

/**
 * Keyboard row navigation for a virtualised grid, the ARIA grid pattern with aria-activedescendant:
 * focus stays on the grid (rows come and go as the list scrolls, so they cannot hold focus), ↑/↓ move
 * the active row, Page Up/Down by the rows in view, Home/End to the first/last, Enter or Space opens it,
 * and the active row is scrolled into view through the list's window (useRowWindow).
 */
export function useRowNavigation<Row>(options: RowNavigationOptions<Row>) {
  const {
    rows,
    rowAt,
    keyOf,
    idPrefix,
    onOpen,
    openKey = null,
    indexOfKey,
    selectionFollowsFocus = false,
    listKey = '',
  } = options;
  const count = rows.count;
  const [active, setActive] = useState<ActiveRow>(NONE);
  const [seenListKey, setSeenListKey] = useState(listKey);
  // Reset while rendering rather than in an effect, so a new list never shows, or opens, the old position.
  if (seenListKey !== listKey) {
    setSeenListKey(listKey);
    setActive(NONE);
  }

  const locate = (key: RowKey): number => {
    if (indexOfKey) return indexOfKey(key);
    for (const item of rows.items) {
      const row = rowAt(item.index);
      if (row !== undefined && keyOf(row) === key) return item.index;
    }
    return -1;
  };

  let index = active.index;
  if (active.key !== undefined) {
    const row = index >= 0 && index < count ? rowAt(index) : undefined;
    if (row === undefined || keyOf(row) !== active.key) {
      const found = locate(active.key);
      if (found >= 0) index = found;
    }
  }
  if (index < 0 && openKey !== null) index = locate(openKey);
  // A list that shrank under the active row keeps the keyboard on its last row.
  const activeIndex = Math.min(index, count - 1);

  // Runs after every render: a page that arrives re-renders the list, and this picks up the row it brought.
  useEffect(() => {
    if (active.index < 0 || active.index >= count || active.key !== undefined) return;
    const row = rowAt(active.index);
    if (row === undefined) return;
    setActive({ index: active.index, key: keyOf(row), openWhenLoaded: false });
    if (active.openWhenLoaded) onOpen(row);
  });

  const moveTo = (target: number) => {
    const next = Math.min(count - 1, Math.max(0, target));
    const row = rowAt(next);
    setActive({
      index: next,
      key: row === undefined ? undefined : keyOf(row),
      openWhenLoaded: selectionFollowsFocus && row === undefined,
    });
    if (selectionFollowsFocus && row !== undefined) onOpen(row);
    rows.scrollToIndex(next);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (count === 0 || event.altKey || event.ctrlKey || event.metaKey || fromControl(event)) return;
    const moves: Record<string, () => number> = {
      ArrowDown: () => activeIndex + 1,
      ArrowUp: () => activeIndex - 1,
      PageDown: () => activeIndex + rows.visibleRowCount(),
      PageUp: () => activeIndex - rows.visibleRowCount(),
      Home: () => 0,
      End: () => count - 1,
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      moveTo(move());
    } else if (event.key === 'Enter' || event.key === ' ') {
      const row = activeIndex >= 0 ? rowAt(activeIndex) : undefined;
      if (row === undefined) return;
      event.preventDefault();
      onOpen(row);
    }
  };

  const rowId = (rowIndex: number) => `${idPrefix}-${rowIndex}`;
  return {
    activeIndex,
    rowId,
    /** Spread on the element with role="grid". */
    gridProps: { tabIndex: 0, 'aria-activedescendant': activeIndex >= 0 ? rowId(activeIndex) : undefined, onKeyDown },
    /** A click on a row: it becomes the active row and opens. */
    openRow(rowIndex: number) {
      const row = rowAt(rowIndex);
      setActive({
        index: rowIndex,
        key: row === undefined ? undefined : keyOf(row),
        openWhenLoaded: row === undefined,
      });
      if (row !== undefined) onOpen(row);
    },
  };
}
