import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FindingList, groupByCode } from '../../../renderer/preview/FindingList.tsx';
import { byText, cleanup, click, render, settle } from './render.tsx';
import { findingGroups, hireDateGroup } from './fixtures.ts';

afterEach(cleanup);

const noop = () => {};

describe('FindingList', () => {
  it('groups findings by code, sums their counts and puts errors first', () => {
    const blocks = groupByCode(findingGroups);
    expect(blocks.map((b) => [b.code, b.severity, b.count, b.entries.length])).toEqual([
      ['VENDOR_REQUIRED_MISSING', 'error', 7, 1],
      // one error entry makes the whole code an error
      ['VENDOR_ROW_MISSING', 'error', 2, 2],
      ['VENDOR_VALUE_SPACES', 'warning', 2, 1],
    ]);
  });

  it('says severity with an icon and a word, not colour alone', async () => {
    const view = await render(<FindingList groups={findingGroups} activeFilter={null} onFilter={noop} onFix={vi.fn()} lastFix={null} />);
    const codes = [...view.querySelectorAll('.finding-code')];
    expect(codes).toHaveLength(3);
    // the glyph is the codicon font's (an element with no text), never an emoji that needs an emoji font
    const tag = (el: Element) => [el.querySelector('.codicon')?.className, el.textContent];
    expect(tag(codes[0]!.querySelector('.severity-tag')!)).toEqual(['severity-icon codicon codicon-error', ' Error']);
    expect(tag(codes[2]!.querySelector('.severity-tag')!)).toEqual(['severity-icon codicon codicon-warning', ' Warning']);
    expect(codes[1]!.querySelector('.finding-count')!.textContent).toBe('2');
    // the warning entry inside an error block carries its own tag
    expect(tag(codes[1]!.querySelectorAll('.finding-entry .severity-tag')[0]!)).toEqual(['severity-icon codicon codicon-warning', ' Warning']);
  });

  it('offers "Fix it" only where a mechanical fix exists, and shows the saved revision', async () => {
    const onFix = vi.fn(async (_group: unknown) => ({ revision: 4, label: 'Fix VENDOR_ROW_MISSING on hire_date' }));
    let lastFix: { revision: number; label: string } | null = null;
    const view = await render(
      <FindingList
        groups={findingGroups}
        activeFilter={null}
        onFilter={noop}
        onFix={async (g) => (lastFix = await onFix(g))}
        lastFix={lastFix}
      />,
    );
    const fixButtons = [...view.querySelectorAll('button')].filter((b) => b.textContent === 'Fix it');
    expect(fixButtons).toHaveLength(2);
    await click(view.querySelector(`button[aria-label="Fix it: VENDOR_ROW_MISSING on ${hireDateGroup.attribute}"]`));
    await settle();
    expect(onFix).toHaveBeenCalledWith(hireDateGroup);
    await cleanup();
    const after = await render(<FindingList groups={[]} activeFilter={null} onFilter={noop} onFix={onFix} lastFix={lastFix} />);
    expect(after.querySelector('.fix-saved')!.textContent).toContain('Saved as mapping revision 4');
  });

  it('says why a fix failed', async () => {
    const onFix = vi.fn(async () => {
      throw new Error('the mapping set changed since this preview');
    });
    const view = await render(<FindingList groups={[hireDateGroup]} activeFilter={null} onFilter={noop} onFix={onFix} lastFix={null} />);
    await click(byText(view, 'button', 'Fix it'));
    await settle();
    expect(view.querySelector('.finding-status .error-text')!.textContent).toMatch(/could not be fixed: the mapping set changed/);
    expect(byText(view, 'button', 'Fix it')!.hasAttribute('disabled')).toBe(false);
  });

  it('says why "Fix it" is unavailable while a fix’s preview is open, and offers it again once it closes', async () => {
    let close: (result: null) => void = () => undefined;
    const onFix = () => new Promise<null>((resolve) => (close = resolve));
    const view = await render(<FindingList groups={findingGroups} activeFilter={null} onFilter={noop} onFix={onFix} lastFix={null} />);
    const opened = view.querySelector<HTMLButtonElement>(`button[aria-label="Fix it: VENDOR_ROW_MISSING on ${hireDateGroup.attribute}"]`)!;
    const other = view.querySelector<HTMLButtonElement>('button[aria-label="Fix it: VENDOR_ROW_MISSING on externalId"]')!;
    await click(opened);
    expect([opened.disabled, opened.title]).toEqual([true, 'This fix’s preview is open: apply or cancel it there']);
    expect([other.disabled, other.title]).toEqual([true, 'Another fix’s preview is open: apply or cancel it first']);
    await act(async () => close(null));
    await settle();
    expect([opened.disabled, opened.title, other.disabled, other.title]).toEqual([false, '', false, '']);
  });

  it('filters the user table by a user-level code and clears the filter again', async () => {
    const onFilter = vi.fn();
    const view = await render(<FindingList groups={findingGroups} activeFilter={null} onFilter={onFilter} onFix={vi.fn()} lastFix={null} />);
    // mapping-level codes (no example users) cannot filter users
    expect([...view.querySelectorAll('button')].filter((b) => b.textContent === 'Show affected users')).toHaveLength(2);
    await click(byText(view, 'button', 'Show affected users'));
    expect(onFilter).toHaveBeenLastCalledWith('VENDOR_REQUIRED_MISSING');
    await cleanup();
    const filtered = await render(
      <FindingList groups={findingGroups} activeFilter="VENDOR_REQUIRED_MISSING" onFilter={onFilter} onFix={vi.fn()} lastFix={null} />,
    );
    await click(byText(filtered, 'button', 'Show all users'));
    expect(onFilter).toHaveBeenLastCalledWith(null);
  });
});
