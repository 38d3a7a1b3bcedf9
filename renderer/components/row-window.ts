import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react';

/**
 * The tallest scroll content a list lays out. Browsers cap an element's height (Chromium near 33.5 million px,
 * Firefox near 17.9 million), so a million 44 px rows (44 million px) cannot all be laid out: their last rows would
 * be out of reach. Beyond this height the scroll area is scaled (see scrollGeometry); below it, it is plain.
 */
export const MAX_SCROLL_HEIGHT = 15_000_000;

interface RowWindowItem {
  index: number;
  /** The row's top inside the scroll content, in px. */
  start: number;
}

/** A virtualised list's window: what is rendered, and how the keyboard scrolls a row into view. */
export interface RowWindow {
  /** Rows laid out (the virtual list's length). */
  count: number;
  items: RowWindowItem[];
  /** The scroll content's height in px, at most MAX_SCROLL_HEIGHT. */
  contentHeight: number;
  /** Scrolls so the row is wholly in view, only as far as needed (nothing when it already is). */
  scrollToIndex(index: number): void;
  /** Rows wholly inside the scroll area now: Page Up/Down move by this many. */
  visibleRowCount(): number;
}

interface Geometry {
  /** the list's full height: count × rowHeight */
  full: number;
  /** what is laid out: the full height, capped */
  content: number;
  /** virtual px per physical px of scrolling: 1 unless scaled */
  ratio: number;
}

/**
 * A scaled list maps the scrollbar proportionally (its thumb at 70% shows the rows at 70% of the list) while the
 * wheel and the keyboard move by exact rows (useRowWindow), so no row is ever skipped and every row is reachable.
 */
function scrollGeometry(count: number, rowHeight: number, viewport: number): Geometry {
  const full = count * rowHeight;
  const content = Math.min(full, MAX_SCROLL_HEIGHT);
  const ratio = content < full && content > viewport ? (full - viewport) / (content - viewport) : 1;
  return { full, content, ratio };
}

interface ScrollView {
  /** where the list is: px from its first row's top to the viewport's top */
  virtualTop: number;
  /** the scroll area's scrollTop that goes with it */
  scrollTop: number;
  viewport: number;
}

/** WheelEvent.deltaMode's lines and pages (the DOM's constants, spelled out for environments without WheelEvent) */
const DELTA_LINE = 1;
const DELTA_PAGE = 2;

const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), Math.max(low, high));

/**
 * The rows to render for a list of fixed-height rows in `scrollRef`'s scroll area, plus `overscan` rows either side.
 * Our own rather than a general virtualiser's because a general one lays out every row's height, and a million
 * rows exceed what a browser can lay out (MAX_SCROLL_HEIGHT).
 */
export function useRowWindow(options: { count: number; rowHeight: number; overscan: number; scrollRef: RefObject<HTMLDivElement | null> }): RowWindow {
  const { count, rowHeight, overscan, scrollRef } = options;
  const [view, setView] = useState<ScrollView>({ virtualTop: 0, scrollTop: 0, viewport: 0 });
  const geometry = scrollGeometry(count, rowHeight, view.viewport);
  const maxVirtualTop = Math.max(0, geometry.full - view.viewport);
  // a list that shrank under the viewport shows its last rows
  const virtualTop = clamp(geometry.ratio === 1 ? view.scrollTop : view.virtualTop, 0, maxVirtualTop);

  // the scroll handlers read the newest geometry, and the scrollTop this hook last set (its own scroll event is no news)
  const latest = useRef({ geometry, virtualTop, maxVirtualTop, placedAt: NaN });
  latest.current = { ...latest.current, geometry, virtualTop, maxVirtualTop };

  /** Scrolls the area so the list's `target` px is at the viewport's top. */
  const scrollToVirtual = useCallback(
    (target: number) => {
      const element = scrollRef.current;
      if (!element) return;
      const { geometry: g, maxVirtualTop: max } = latest.current;
      const next = clamp(target, 0, max);
      // both ends exact (a division could land a hair short of the content's end)
      element.scrollTop = next === max ? Math.max(0, g.content - element.clientHeight) : next / g.ratio;
      if (g.ratio === 1) return; // the scroll event tells the plain list where it is
      latest.current.placedAt = element.scrollTop; // as the browser rounded it
      latest.current.virtualTop = next; // a second key before the re-render moves from here
      setView({ virtualTop: next, scrollTop: element.scrollTop, viewport: element.clientHeight });
    },
    [scrollRef],
  );

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const measure = () => setView((v) => (v.viewport === element.clientHeight ? v : { ...v, viewport: element.clientHeight }));
    measure();
    const onScroll = () => {
      const { geometry: g, placedAt } = latest.current;
      const scrollTop = element.scrollTop;
      const viewport = element.clientHeight;
      if (g.ratio === 1) return setView({ virtualTop: scrollTop, scrollTop, viewport });
      if (Math.abs(scrollTop - placedAt) < 1) return; // where this hook put it: its virtualTop is already set
      // the scrollbar was dragged (or the browser scrolled): proportionally, with both ends exact
      const atEnd = scrollTop + viewport >= g.content - 1;
      setView({ virtualTop: atEnd ? g.full - viewport : scrollTop * g.ratio, scrollTop, viewport });
    };
    // In a scaled list the wheel moves by the px it asks for, not by ratio times that: rows are never skipped.
    const onWheel = (event: WheelEvent) => {
      const { geometry: g, virtualTop: current } = latest.current;
      if (g.ratio === 1 || event.ctrlKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) return;
      const unit = event.deltaMode === DELTA_LINE ? rowHeight : event.deltaMode === DELTA_PAGE ? element.clientHeight : 1;
      event.preventDefault();
      scrollToVirtual(current + event.deltaY * unit);
    };
    element.addEventListener('scroll', onScroll, { passive: true });
    element.addEventListener('wheel', onWheel, { passive: false });
    const resizes = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    resizes?.observe(element);
    return () => {
      element.removeEventListener('scroll', onScroll);
      element.removeEventListener('wheel', onWheel);
      resizes?.disconnect();
    };
  }, [scrollRef, rowHeight, scrollToVirtual]);

  // The rows from the first one showing to the last one showing, plus overscan.
  const items: RowWindowItem[] = [];
  if (count > 0 && view.viewport > 0) {
    const first = Math.max(0, Math.floor(virtualTop / rowHeight) - overscan);
    const last = Math.min(count - 1, Math.ceil((virtualTop + view.viewport) / rowHeight) - 1 + overscan);
    // placed relative to where the area is scrolled, so a scaled list's rows sit in the viewport
    const offset = geometry.ratio === 1 ? 0 : view.scrollTop - virtualTop;
    for (let index = first; index <= last; index++) items.push({ index, start: index * rowHeight + offset });
  }

  /**
   * Where the list is now, which can be ahead of this render: keys pressed faster than a frame (End, then Home) each
   * move from where the one before left the list, not from where it was when the list last rendered.
   */
  const currentTop = () => {
    const element = scrollRef.current;
    const { geometry: g, virtualTop: placed, maxVirtualTop: max } = latest.current;
    // a plain list's scrollTop is its position, set at once; its scroll event and re-render come a frame later
    return element && g.ratio === 1 ? clamp(element.scrollTop, 0, max) : placed;
  };

  return {
    count,
    items,
    contentHeight: geometry.content,
    scrollToIndex(index: number) {
      const top = index * rowHeight;
      const current = currentTop();
      const viewport = scrollRef.current?.clientHeight ?? view.viewport;
      if (top < current) scrollToVirtual(top);
      else if (top + rowHeight > current + viewport) scrollToVirtual(top + rowHeight - viewport);
    },
    visibleRowCount() {
      const current = currentTop();
      const firstWhole = Math.ceil(current / rowHeight);
      const lastWhole = Math.min(count, Math.floor((current + view.viewport) / rowHeight)) - 1;
      return Math.max(1, lastWhole - firstWhole + 1);
    },
  };
}
