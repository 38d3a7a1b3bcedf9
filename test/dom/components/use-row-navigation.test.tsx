import { act, useRef } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useRowNavigation } from '../../../renderer/components/use-row-navigation.ts';
import { useRowWindow } from '../../../renderer/components/row-window.ts';
import { fakeViewport, mount as mountUi, pressKey as press, unmountAll } from '../support/mount.tsx';

const ROW_HEIGHT = 30;
// happy-dom does no layout: a 300 px scroll area holds exactly ten 30 px rows, so a page is ten rows.
const VIEWPORT = 300;

interface ListProps {
  rows: readonly string[];
  /** Rows from this index on are still loading (rowAt answers undefined), as in a paged list. */
  loaded?: number;
  onOpen?: (row: string) => void;
  openKey?: string | null;
  selectionFollowsFocus?: boolean;
  listKey?: string;
  withInput?: boolean;
}

function List({
  rows,
  loaded = rows.length,
  onOpen = () => {},
  openKey = null,
  selectionFollowsFocus = false,
  listKey = '',
  withInput = false,
}: ListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const window = useRowWindow({ count: rows.length, rowHeight: ROW_HEIGHT, overscan: 2, scrollRef });
  const rowAt = (index: number) => (index < loaded ? rows[index] : undefined);
  const navigation = useRowNavigation({
    rows: window,
    rowAt,
    keyOf: (row) => row,
    idPrefix: 'row',
    onOpen,
    openKey,
    selectionFollowsFocus,
    listKey,
  });
  return (
    <div role="grid" aria-label="Rows" {...navigation.gridProps}>
      {withInput && <input aria-label="Filter rows" />}
      <div ref={scrollRef}>
        <div style={{ height: window.contentHeight, position: 'relative' }}>
          {window.items.map((item) => (
            <div
              key={item.index}
              id={navigation.rowId(item.index)}
              role="row"
              className={item.index === navigation.activeIndex ? 'active' : undefined}
              onClick={() => navigation.openRow(item.index)}
            >
              {rowAt(item.index) ?? 'Loading…'}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}

const rowsOf = (n: number, prefix = 'r') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

let container: HTMLElement;

async function mount(props: ListProps) {
  const mounted = await mountUi(<List {...props} />);
  container = mounted.container;
  return {
    grid: container.querySelector<HTMLElement>('[role="grid"]')!,
    rerender: (next: ListProps) => mounted.rerender(<List {...next} />),
  };
}

async function pressAll(target: Element, ...keys: string[]) {
  for (const key of keys) await press(target, key);
}

const activeId = (grid: Element) => grid.getAttribute('aria-activedescendant');

beforeEach(() => fakeViewport(VIEWPORT));
afterEach(async () => {
  await unmountAll();
  vi.restoreAllMocks();
});

describe('useRowNavigation', () => {
  it('moves the active row with ↑/↓ without opening it, and opens it with Enter or Space', async () => {
    const onOpen = vi.fn();
    const { grid } = await mount({ rows: rowsOf(30), onOpen });
    expect(activeId(grid)).toBeNull();
    await pressAll(grid, 'ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowUp');
    expect(activeId(grid)).toBe('row-1');
    expect(container.querySelector('[role="row"].active')!.id).toBe('row-1');
    expect(onOpen).not.toHaveBeenCalled();

    expect((await press(grid, 'Enter')).defaultPrevented).toBe(true);
    expect(onOpen).toHaveBeenLastCalledWith('r1');
    await press(grid, 'ArrowDown');
    expect((await press(grid, ' ')).defaultPrevented).toBe(true);
    expect(onOpen).toHaveBeenLastCalledWith('r2');
    expect(onOpen).toHaveBeenCalledTimes(2);
  });

  it('goes to the first and last row with Home and End, and stays there at the edges', async () => {
    const { grid } = await mount({ rows: rowsOf(30) });
    await press(grid, 'End');
    expect(activeId(grid)).toBe('row-29');
    await pressAll(grid, 'ArrowDown', 'End');
    expect(activeId(grid)).toBe('row-29');
    await press(grid, 'Home');
    expect(activeId(grid)).toBe('row-0');
    await pressAll(grid, 'ArrowUp', 'Home');
    expect(activeId(grid)).toBe('row-0');
  });

  it('moves by the rows in view with Page Down and Page Up, stopping at the first and last row', async () => {
    const { grid } = await mount({ rows: rowsOf(100) });
    await press(grid, 'ArrowDown');
    await press(grid, 'PageDown');
    expect(activeId(grid)).toBe('row-10');
    await press(grid, 'PageDown');
    expect(activeId(grid)).toBe('row-20');
    await press(grid, 'PageUp');
    expect(activeId(grid)).toBe('row-10');
    await pressAll(grid, 'PageUp', 'PageUp');
    expect(activeId(grid)).toBe('row-0');
    await pressAll(grid, 'End', 'PageDown');
    expect(activeId(grid)).toBe('row-99');
  });

  it('pages by however many rows the scroll area shows', async () => {
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(5 * ROW_HEIGHT);
    const { grid } = await mount({ rows: rowsOf(100) });
    await pressAll(grid, 'ArrowDown', 'PageDown');
    expect(activeId(grid)).toBe('row-5');
    await pressAll(grid, 'PageDown', 'PageUp', 'PageUp');
    expect(activeId(grid)).toBe('row-0');
  });

  it('stops Page Down at the last row of a list shorter than a page', async () => {
    const { grid } = await mount({ rows: rowsOf(4) });
    await pressAll(grid, 'ArrowDown', 'PageDown');
    expect(activeId(grid)).toBe('row-3');
  });

  it('scrolls the active row into view through the list’s window', async () => {
    // happy-dom does no layout: report the content height a browser would
    vi.spyOn(HTMLElement.prototype, 'scrollHeight', 'get').mockReturnValue(1000 * ROW_HEIGHT);
    const { grid } = await mount({ rows: rowsOf(1000) });
    const scrollArea = grid.querySelector<HTMLElement>('[role="row"]')!.parentElement!.parentElement!;
    // happy-dom moves scrollTop but fires no scroll event; fire the one a browser would, so the window re-renders
    const scrolled = () => act(async () => scrollArea.dispatchEvent(new Event('scroll')));
    expect(container.querySelector('#row-999')).toBeNull();
    await press(grid, 'End');
    expect(scrollArea.scrollTop).toBe(1000 * ROW_HEIGHT - VIEWPORT);
    await scrolled();
    expect(container.querySelector('#row-999')?.textContent).toBe('r999');
    expect(container.querySelector('#row-0')).toBeNull();
    await press(grid, 'Home');
    expect(scrollArea.scrollTop).toBe(0);
    await scrolled();
    expect(container.querySelector('#row-0')?.textContent).toBe('r0');
  });

  it('does nothing on an empty list and leaves the keys to the page', async () => {
    const onOpen = vi.fn();
    const { grid } = await mount({ rows: [], onOpen });
    for (const key of ['ArrowDown', 'ArrowUp', 'Home', 'End', 'PageDown', 'PageUp', 'Enter', ' ']) {
      expect((await press(grid, key)).defaultPrevented).toBe(false);
    }
    expect(activeId(grid)).toBeNull();
    expect(onOpen).not.toHaveBeenCalled();
  });

  it('keeps the keyboard on the last row when the list shrinks under the active row, and on none when it empties', async () => {
    const { grid, rerender } = await mount({ rows: rowsOf(10) });
    await pressAll(grid, 'End', 'ArrowUp');
    expect(activeId(grid)).toBe('row-8');
    await rerender({ rows: rowsOf(4, 'k') });
    expect(activeId(grid)).toBe('row-3');
    expect(container.querySelector('[role="row"].active')!.id).toBe('row-3');
    await press(grid, 'ArrowUp');
    expect(activeId(grid)).toBe('row-2');
    await rerender({ rows: [] });
    expect(activeId(grid)).toBeNull();
    expect((await press(grid, 'ArrowDown')).defaultPrevented).toBe(false);
  });

  it('stays on the same row when rows arrive above it', async () => {
    const { grid, rerender } = await mount({ rows: rowsOf(10) });
    await pressAll(grid, 'ArrowDown', 'ArrowDown', 'ArrowDown');
    expect(container.querySelector('.active')!.textContent).toBe('r2');
    await rerender({ rows: ['new1', 'new0', ...rowsOf(10)] });
    expect(activeId(grid)).toBe('row-4');
    expect(container.querySelector('.active')!.textContent).toBe('r2');
    await press(grid, 'ArrowDown');
    expect(container.querySelector('.active')!.textContent).toBe('r3');
  });

  it('leaves keys typed in an input inside the list to the input', async () => {
    const onOpen = vi.fn();
    const { grid } = await mount({ rows: rowsOf(10), onOpen, withInput: true });
    await press(grid, 'ArrowDown');
    const input = container.querySelector('input')!;
    for (const key of ['ArrowDown', 'ArrowUp', 'Home', 'End', 'PageDown', ' ', 'Enter']) {
      expect((await press(input, key)).defaultPrevented).toBe(false);
    }
    expect(activeId(grid)).toBe('row-0');
    expect(onOpen).not.toHaveBeenCalled();
  });

  it('leaves shortcuts with Alt, Ctrl or Meta to the app', async () => {
    const { grid } = await mount({ rows: rowsOf(10) });
    expect((await press(grid, 'ArrowDown', { altKey: true })).defaultPrevented).toBe(false);
    expect((await press(grid, 'End', { ctrlKey: true })).defaultPrevented).toBe(false);
    expect((await press(grid, 'Home', { metaKey: true })).defaultPrevented).toBe(false);
    expect(activeId(grid)).toBeNull();
  });

  it('starts from the open row when no row is active yet', async () => {
    const { grid } = await mount({ rows: rowsOf(10), openKey: 'r5' });
    expect(activeId(grid)).toBe('row-5');
    await press(grid, 'ArrowDown');
    expect(activeId(grid)).toBe('row-6');
  });

  it('makes a clicked row active and opens it', async () => {
    const onOpen = vi.fn();
    const { grid } = await mount({ rows: rowsOf(10), onOpen });
    await act(async () => container.querySelector<HTMLElement>('#row-3')!.click());
    expect(onOpen).toHaveBeenCalledWith('r3');
    await press(grid, 'ArrowDown');
    expect(activeId(grid)).toBe('row-4');
  });

  it('forgets the active row when the list changes', async () => {
    const { grid, rerender } = await mount({ rows: rowsOf(10), listKey: 'search=a' });
    await pressAll(grid, 'ArrowDown', 'ArrowDown');
    expect(activeId(grid)).toBe('row-1');
    await rerender({ rows: rowsOf(10), listKey: 'search=ab' });
    expect(activeId(grid)).toBeNull();
    await press(grid, 'ArrowDown');
    expect(activeId(grid)).toBe('row-0');
  });

  it('opens every row it moves to when selection follows focus', async () => {
    const onOpen = vi.fn();
    const { grid } = await mount({ rows: rowsOf(10), onOpen, selectionFollowsFocus: true });
    await pressAll(grid, 'ArrowDown', 'ArrowDown', 'End', 'Home');
    expect(onOpen.mock.calls.map(([row]) => row)).toEqual(['r0', 'r1', 'r9', 'r0']);
  });

  it('opens a row that was still loading once it arrives, when selection follows focus', async () => {
    const onOpen = vi.fn();
    const rows = rowsOf(500);
    const { grid, rerender } = await mount({ rows, loaded: 200, onOpen, selectionFollowsFocus: true });
    await press(grid, 'End');
    expect(activeId(grid)).toBe('row-499');
    expect(onOpen).not.toHaveBeenCalled();
    await rerender({ rows, loaded: 500, onOpen, selectionFollowsFocus: true });
    expect(onOpen).toHaveBeenCalledExactlyOnceWith('r499');
    await press(grid, 'ArrowUp');
    expect(onOpen).toHaveBeenLastCalledWith('r498');
  });
});
