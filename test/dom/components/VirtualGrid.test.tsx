import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VirtualGrid, type VirtualGridProps } from '../../../renderer/components/VirtualGrid.tsx';
import { MAX_SCROLL_HEIGHT } from '../../../renderer/components/row-window.ts';
import { fakeViewport, mount, pressKey, unmountAll } from '../support/mount.tsx';

// happy-dom does no layout: a 300 px scroll area holds exactly ten 30 px rows, and overscan adds two below.
const VIEWPORT = 300;
const CLASS_NAMES = { grid: 'things', head: 'things-head', body: 'things-body', row: 'thing-row extra' };

type Props = Partial<VirtualGridProps<string>> & { rows: readonly string[]; loaded?: number };

function Things({ rows, loaded = rows.length, ...rest }: Props) {
  return (
    <VirtualGrid<string>
      label="Things"
      total={rows.length}
      rowAt={(index) => (index < loaded ? rows[index] : undefined)}
      keyOf={(row) => row}
      idPrefix="thing"
      onOpen={() => {}}
      columns={['Name', 'Length']}
      classNames={CLASS_NAMES}
      rowHeight={30}
      overscan={2}
      renderCells={(row) => (
        <>
          <span role="gridcell">{row}</span>
          <span role="gridcell">{row.length}</span>
        </>
      )}
      {...rest}
    />
  );
}

const rowsOf = (n: number) => Array.from({ length: n }, (_, i) => `r${i}`);

const gridOf = (container: HTMLElement) => container.querySelector<HTMLElement>('[role="grid"]')!;
const row = (index: number) => document.querySelector<HTMLElement>(`#thing-${index}`);
const cellsOf = (element: Element | null) =>
  [...(element?.querySelectorAll('[role="gridcell"]') ?? [])].map((c) => c.textContent);

beforeEach(() => fakeViewport(VIEWPORT));
afterEach(async () => {
  await unmountAll();
  vi.restoreAllMocks();
});

describe('VirtualGrid', () => {
  it('renders the head row, only the rows in view, then the list’s footer, under the list’s class names', async () => {
    const { container } = await mount(
      <Things rows={rowsOf(1000)} footer={<div className="things-foot">1000 things</div>} />,
    );
    const grid = gridOf(container);
    expect(grid.className).toBe('things');
    expect(grid.getAttribute('aria-label')).toBe('Things');
    expect(grid.getAttribute('aria-rowcount')).toBe('1000');
    const [head, body, foot] = [...grid.children];
    expect(head!.className).toBe('things-head');
    expect([...head!.querySelectorAll('[role="columnheader"]')].map((h) => h.textContent)).toEqual(['Name', 'Length']);
    expect(body!.className).toBe('things-body');
    expect(foot!.className).toBe('things-foot');

    const rows = body!.querySelectorAll('[role="row"]');
    expect(rows).toHaveLength(12);
    expect(rows[3]!.id).toBe('thing-3');
    expect(rows[3]!.getAttribute('aria-rowindex')).toBe('4');
    expect(rows[3]!.className).toBe('thing-row extra');
    expect(cellsOf(rows[3]!)).toEqual(['r3', '2']);
  });

  it('shows one "Loading…" cell for a row whose page has not arrived, and its cells once it has', async () => {
    const rows = rowsOf(30);
    const { rerender } = await mount(<Things rows={rows} loaded={5} />);
    expect(cellsOf(row(4))).toEqual(['r4', '2']);
    expect(cellsOf(row(5))).toEqual(['Loading…']);
    await rerender(<Things rows={rows} />);
    expect(cellsOf(row(5))).toEqual(['r5', '2']);
  });

  it('marks the open row selected and the keyboard’s row active', async () => {
    const onOpen = vi.fn();
    const grid = gridOf((await mount(<Things rows={rowsOf(30)} openKey="r2" onOpen={onOpen} />)).container);
    // Before any key is pressed the keyboard starts from the open row, so it is active as well.
    expect(row(2)!.className).toBe('thing-row extra selected active');
    expect(row(2)!.getAttribute('aria-selected')).toBe('true');
    expect(row(3)!.getAttribute('aria-selected')).toBe('false');

    await pressKey(grid, 'ArrowDown');
    expect(grid.getAttribute('aria-activedescendant')).toBe('thing-3');
    expect(row(2)!.className).toBe('thing-row extra selected');
    expect(row(3)!.className).toBe('thing-row extra active');
    expect(onOpen).not.toHaveBeenCalled();
    await act(async () => row(7)!.click());
    expect(onOpen).toHaveBeenCalledWith('r7');
  });

  it('counts the whole list but lays out only the rows held, for a list that fetches older rows as it scrolls', async () => {
    const grid = gridOf((await mount(<Things rows={rowsOf(30)} total={500} count={30} />)).container);
    expect(grid.getAttribute('aria-rowcount')).toBe('500');
    await pressKey(grid, 'End');
    expect(grid.getAttribute('aria-activedescendant')).toBe('thing-29');
  });

  it('tells the list its last rendered row, and tells it again when the list grows', async () => {
    const onLastRowRendered = vi.fn();
    const { rerender } = await mount(<Things rows={rowsOf(30)} onLastRowRendered={onLastRowRendered} />);
    expect(onLastRowRendered).toHaveBeenLastCalledWith(11);
    const calls = onLastRowRendered.mock.calls.length;
    await rerender(<Things rows={rowsOf(60)} onLastRowRendered={onLastRowRendered} />);
    expect(onLastRowRendered.mock.calls.length).toBe(calls + 1);
    expect(onLastRowRendered).toHaveBeenLastCalledWith(11);
  });

  it('moves a row’s element with it when rows shift, and reuses elements by position otherwise', async () => {
    const rows = rowsOf(30);
    const shifting = await mount(<Things rows={rows} rowsShift />);
    const first = row(0)!;
    await shifting.rerender(<Things rows={['new', ...rows]} rowsShift />);
    expect(row(1)).toBe(first);
    expect(cellsOf(first)).toEqual(['r0', '2']);
    await unmountAll();

    const positional = await mount(<Things rows={rows} />);
    const top = row(0)!;
    await positional.rerender(<Things rows={['new', ...rows]} />);
    expect(row(0)).toBe(top);
    expect(cellsOf(top)).toEqual(['new', '3']);
  });

  it('moves from where the last key left it when keys come faster than the scroll event (End, then Home at once)', async () => {
    const { container } = await mount(<Things rows={rowsOf(1000)} />);
    const grid = gridOf(container);
    const body = grid.children[1] as HTMLElement;
    // A browser sends a plain list's scroll event a frame after scrollTop is set; here it never comes.
    await pressKey(grid, 'End');
    expect(body.scrollTop).toBe(1000 * 30 - VIEWPORT);
    await pressKey(grid, 'Home');
    expect(grid.getAttribute('aria-activedescendant')).toBe('thing-0');
    expect(body.scrollTop).toBe(0);
  });

  describe('a list taller than a browser can lay out (a million rows)', () => {
    const MILLION = 1_000_000;
    // rows are computed, not held: the grid asks for the ones it renders
    const million = (props: Partial<VirtualGridProps<string>> = {}) => (
      <Things rows={[]} total={MILLION} rowAt={(index) => `r${index}`} {...props} />
    );
    const bodyOf = (container: HTMLElement) => gridOf(container).children[1] as HTMLElement;
    const topOf = (element: HTMLElement | null) => Number(/translateY\((-?[\d.]+)px\)/.exec(element?.style.transform ?? '')?.[1]);
    const scrolledTo = (body: HTMLElement, scrollTop: number) =>
      act(async () => {
        body.scrollTop = scrollTop;
        body.dispatchEvent(new Event('scroll'));
      });

    it('lays out at most MAX_SCROLL_HEIGHT px, and reaches the last row with End', async () => {
      const { container } = await mount(million());
      const body = bodyOf(container);
      const content = body.firstElementChild as HTMLElement;
      expect(MILLION * 30).toBeGreaterThan(MAX_SCROLL_HEIGHT);
      expect(content.style.height).toBe(`${MAX_SCROLL_HEIGHT}px`);

      await pressKey(gridOf(container), 'End');
      expect(gridOf(container).getAttribute('aria-activedescendant')).toBe(`thing-${MILLION - 1}`);
      expect(body.scrollTop).toBe(MAX_SCROLL_HEIGHT - VIEWPORT);
      // the last row is rendered at the bottom of the viewport, inside the laid-out content
      expect(cellsOf(row(MILLION - 1))).toEqual([`r${MILLION - 1}`, '7']);
      expect(topOf(row(MILLION - 1)) + 30).toBe(MAX_SCROLL_HEIGHT);
      await pressKey(gridOf(container), 'Home');
      expect(body.scrollTop).toBe(0);
      expect(topOf(row(0))).toBe(0);
    });

    it('maps the scrollbar proportionally: dragged to the middle it shows the middle rows, to the end the last', async () => {
      const { container } = await mount(million());
      const body = bodyOf(container);
      await scrolledTo(body, (MAX_SCROLL_HEIGHT - VIEWPORT) / 2);
      // the middle of the list: the row at (1,000,000 × 30 − 300) / 2 px is at the viewport's top
      const middle = Math.floor((MILLION * 30 - VIEWPORT) / 2 / 30);
      expect(row(middle)).not.toBeNull();
      expect(Math.abs(topOf(row(middle)) - body.scrollTop)).toBeLessThan(30);
      await scrolledTo(body, MAX_SCROLL_HEIGHT - VIEWPORT);
      expect(topOf(row(MILLION - 1)) + 30).toBe(MAX_SCROLL_HEIGHT);
      await scrolledTo(body, 0);
      expect(topOf(row(0))).toBe(0);
    });

    it('moves by the wheel’s own distance, so no row is skipped', async () => {
      const { container } = await mount(million());
      const body = bodyOf(container);
      const wheel = new WheelEvent('wheel', { deltaY: 90, cancelable: true, bubbles: true });
      await act(async () => body.dispatchEvent(wheel));
      expect(wheel.defaultPrevented).toBe(true);
      // 90 px is three rows: row 3 is now at the viewport's top, rows 0 to 2 are the overscan above it
      expect(topOf(row(3))).toBeCloseTo(body.scrollTop, 6);
      expect(row(0)).toBeNull();
      expect(row(1)).not.toBeNull();
      const lines = new WheelEvent('wheel', { deltaY: 2, deltaMode: 1, cancelable: true, bubbles: true });
      await act(async () => body.dispatchEvent(lines));
      expect(topOf(row(5))).toBeCloseTo(body.scrollTop, 6);
      // the scroll event of the hook's own move changes nothing
      await act(async () => body.dispatchEvent(new Event('scroll')));
      expect(topOf(row(5))).toBeCloseTo(body.scrollTop, 6);
    });

    it('leaves the wheel to the browser in a list that fits', async () => {
      const { container } = await mount(<Things rows={rowsOf(1000)} />);
      const wheel = new WheelEvent('wheel', { deltaY: 90, cancelable: true, bubbles: true });
      await act(async () => bodyOf(container).dispatchEvent(wheel));
      expect(wheel.defaultPrevented).toBe(false);
      expect((bodyOf(container).firstElementChild as HTMLElement).style.height).toBe(`${1000 * 30}px`);
    });
  });
});
