import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PreviewUserTable } from '../../../renderer/preview/PreviewUserTable.tsx';
import { listUsersOver, userRows } from './fixtures.ts';
import { cleanup, click, press, render, settle } from './render.tsx';
import { callsOf, resetFakeApi, setHandler } from './fake-api.ts';
import { COUNT_LIMIT } from '../../../renderer/state/use-paged-rows.ts';

vi.mock('../../../renderer/api-client.ts', async () => await import('./fake-api.ts'));

// happy-dom does no layout: give the scroll area a height so the virtualiser has a window to fill.
const VIEWPORT = 600;
beforeEach(() => {
  resetFakeApi();
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(VIEWPORT);
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(800);
});
afterEach(async () => {
  await cleanup();
  vi.restoreAllMocks();
});

const noFilters = { action: null, findingCode: null, search: '' };

describe('PreviewUserTable', () => {
  it('renders only the visible rows of 100,000 users and fetches only the first page', async () => {
    setHandler('preview.listUsers', listUsersOver(userRows(100_000)));
    const view = await render(<PreviewUserTable runId="run-1" filters={noFilters} selectedUserId={null} onSelect={vi.fn()} />);
    await settle();
    const rows = view.querySelectorAll('.preview-row');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(60);
    expect(callsOf('preview.listUsers')).toEqual([{ runId: 'run-1', search: '', offset: 0, limit: 200 }]);
    expect(view.querySelector('.preview-table-foot')!.textContent).toBe('100,000 users');
    expect(view.querySelector('[role="grid"]')!.getAttribute('aria-rowcount')).toBe('100000');
  });

  it('shows user, action with its reason, findings as icon and words, and the request count', async () => {
    setHandler('preview.listUsers', listUsersOver(userRows(20)));
    const view = await render(<PreviewUserTable runId="run-1" filters={noFilters} selectedUserId={null} onSelect={vi.fn()} />);
    await settle();
    const cells = (i: number) => [...view.querySelectorAll(`#preview-row-${i} [role="gridcell"]`)].map((c) => c.textContent);
    expect(cells(0)).toEqual(['User 0user0@contoso.test', 'Create', ' 1 error 2 warnings', '2']);
    expect([...view.querySelectorAll('#preview-row-0 .codicon')].map((icon) => icon.className)).toEqual([
      'severity-icon codicon codicon-error',
      'severity-icon codicon codicon-warning',
    ]);
    expect(cells(9)).toEqual(['User 9user9@contoso.test', 'SkippedOut of scope: accountEnabled is false', 'None', '0']);
  });

  it('passes the action, finding and search filters to preview.listUsers', async () => {
    setHandler('preview.listUsers', listUsersOver(userRows(50)));
    const view = await render(
      <PreviewUserTable runId="run-2" filters={{ action: 'skip', findingCode: 'VENDOR_FORMAT', search: 'user1' }} selectedUserId={null} onSelect={vi.fn()} />,
    );
    await settle();
    expect(callsOf('preview.listUsers')[0]).toEqual({ runId: 'run-2', search: 'user1', offset: 0, limit: 200, action: 'skip', findingCode: 'VENDOR_FORMAT', countLimit: COUNT_LIMIT });
    expect(view.querySelector('.preview-table-foot')!.textContent).toBe('1 user');
  });

  it('shows a common word’s first page while its users are counted, then the exact count', async () => {
    const over = listUsersOver(userRows(5_000));
    let countExactly: () => void = () => {};
    setHandler('preview.listUsers', (input) => {
      const exact = over(input);
      if (input.countLimit !== undefined) return { ...exact, total: input.countLimit + 1, counting: true as const };
      return new Promise((resolve) => (countExactly = () => resolve(exact)));
    });
    const view = await render(<PreviewUserTable runId="run-3" filters={{ ...noFilters, search: 'user' }} selectedUserId={null} onSelect={vi.fn()} />);
    await settle();
    const grid = view.querySelector('[role="grid"]')!;
    expect(view.querySelector('.preview-table-foot')!.textContent).toBe('More than 1,000 users, counting…');
    expect(grid.getAttribute('aria-rowcount')).toBe('-1');
    expect(view.querySelector('#preview-row-0')!.textContent).toContain('user0@contoso.test');
    countExactly();
    await settle();
    expect(view.querySelector('.preview-table-foot')!.textContent).toBe('5,000 users');
    expect(grid.getAttribute('aria-rowcount')).toBe('5000');
    expect(callsOf('preview.listUsers').map((c) => c.countLimit)).toEqual([COUNT_LIMIT, undefined]);
  });

  it('moves through rows with the arrow keys and opens one with Enter', async () => {
    setHandler('preview.listUsers', listUsersOver(userRows(30)));
    const onSelect = vi.fn();
    const view = await render(<PreviewUserTable runId="run-1" filters={noFilters} selectedUserId={null} onSelect={onSelect} />);
    await settle();
    const grid = view.querySelector('[role="grid"]')!;
    await press(grid, 'ArrowDown');
    await press(grid, 'ArrowDown');
    await press(grid, 'ArrowUp');
    await press(grid, 'ArrowDown');
    expect(grid.getAttribute('aria-activedescendant')).toBe('preview-row-1');
    expect(view.querySelector('.preview-row.active')!.id).toBe('preview-row-1');
    expect(onSelect).not.toHaveBeenCalled();
    await press(grid, 'Enter');
    expect(onSelect).toHaveBeenCalledWith('u-1');
    await press(grid, 'End');
    expect(grid.getAttribute('aria-activedescendant')).toBe('preview-row-29');
    await press(grid, 'Home');
    await press(grid, 'ArrowUp');
    expect(grid.getAttribute('aria-activedescendant')).toBe('preview-row-0');
  });

  it('marks the selected user and selects a row on click', async () => {
    setHandler('preview.listUsers', listUsersOver(userRows(10)));
    const onSelect = vi.fn();
    const view = await render(<PreviewUserTable runId="run-1" filters={noFilters} selectedUserId="u-3" onSelect={onSelect} />);
    await settle();
    expect(view.querySelector('.preview-row.selected')!.id).toBe('preview-row-3');
    expect(view.querySelector('#preview-row-3')!.getAttribute('aria-selected')).toBe('true');
    await click(view.querySelector('#preview-row-5'));
    expect(onSelect).toHaveBeenCalledWith('u-5');
  });
});
