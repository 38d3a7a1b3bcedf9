import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MethodOutput } from '../../../shared/api.ts';
import { UserTable } from '../../../renderer/components/UserTable.tsx';
import { useUiStore } from '../../../renderer/state/store.ts';
import { UserFilters } from '../../../renderer/tenant/UserFilters.tsx';
import { byText, changeValue, cleanup, click, press, render, settle } from '../preview/render.tsx';
import { callsOf, resetFakeApi, setHandler } from '../preview/fake-api.ts';

vi.mock('../../../renderer/api-client.ts', async () => await import('../preview/fake-api.ts'));

type UserRow = MethodOutput<'tenant.listUsers'>['items'][number];
const users: UserRow[] = Array.from({ length: 1000 }, (_, i) => ({
  id: `u${i}`,
  userPrincipalName: `user${i}@contoso.test`,
  displayName: `User ${i}`,
  mail: `user${i}@contoso.test`,
  department: 'Sales',
  accountEnabled: true,
  userType: 'Member',
}));

beforeEach(() => {
  resetFakeApi();
  useUiStore.setState({ selectedUserId: null, userFilters: [], userSort: null });
  // happy-dom does no layout: give the scroll area a height so the virtualiser has a window to fill
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(320);
  setHandler('tenant.listUsers', ({ offset = 0, limit = 200 }) => ({
    total: users.length,
    offset,
    items: users.slice(offset, offset + limit),
  }));
});
afterEach(async () => {
  await cleanup();
  vi.restoreAllMocks();
});

const selected = () => useUiStore.getState().selectedUserId;

describe('UserTable', () => {
  it('selects the next and previous user with the arrow keys, the detail following the keyboard', async () => {
    const view = await render(<UserTable snapshotId={1} search="" />);
    await settle();
    const grid = view.querySelector('[role="grid"]')!;
    await press(grid, 'ArrowDown');
    expect(selected()).toBe('u0');
    await press(grid, 'ArrowDown');
    await press(grid, 'ArrowDown');
    await press(grid, 'ArrowUp');
    expect(selected()).toBe('u1');
    expect(grid.getAttribute('aria-activedescendant')).toBe('user-row-1');
    expect(view.querySelector('#user-row-1')!.getAttribute('aria-selected')).toBe('true');
  });

  it('selects the last user with End once its page has arrived, fetching only that page', async () => {
    const view = await render(<UserTable snapshotId={1} search="" />);
    await settle();
    const grid = view.querySelector('[role="grid"]')!;
    await press(grid, 'End');
    await settle();
    expect(selected()).toBe('u999');
    expect(callsOf('tenant.listUsers').map((c) => c.offset)).toEqual([0, 800]);
    await press(grid, 'Home');
    expect(selected()).toBe('u0');
  });

  it('goes on from the user selected before, by click or from another screen', async () => {
    useUiStore.setState({ selectedUserId: 'u3' });
    const view = await render(<UserTable snapshotId={1} search="" />);
    await settle();
    const grid = view.querySelector('[role="grid"]')!;
    await press(grid, 'ArrowDown');
    expect(selected()).toBe('u4');
    await click(view.querySelector('#user-row-7'));
    expect(selected()).toBe('u7');
    await press(grid, 'ArrowUp');
    expect(selected()).toBe('u6');
  });
});

/** The Tenant screen's table with its filters, wired to the UI store as the screen wires them. */
function TenantUsers() {
  const { userFilters, userSort, setUserFilters, setUserSort } = useUiStore();
  return (
    <>
      <UserFilters filters={userFilters} onChange={setUserFilters} />
      <UserTable snapshotId={1} search="" filters={userFilters} sort={userSort} onSort={setUserSort} />
    </>
  );
}

describe('UserTable: sort and filters from the backend', () => {
  const header = (view: HTMLElement, name: string) => byText(view, '[role="columnheader"]', new RegExp(`^${name}`))!;

  it('sorts by a column from its header: ascending, descending, then the snapshot order again', async () => {
    const view = await render(<TenantUsers />);
    await settle();
    expect(header(view, 'Display name').getAttribute('aria-sort')).toBe('none');
    await click(header(view, 'Display name').querySelector('button'));
    await settle();
    expect(header(view, 'Display name').getAttribute('aria-sort')).toBe('ascending');
    expect(callsOf('tenant.listUsers').at(-1)).toMatchObject({ offset: 0, sort: { by: 'displayName', direction: 'ascending' } });
    await click(header(view, 'Display name').querySelector('button'));
    await settle();
    expect(callsOf('tenant.listUsers').at(-1)).toMatchObject({ sort: { by: 'displayName', direction: 'descending' } });
    await click(header(view, 'Department').querySelector('button'));
    await settle();
    expect(header(view, 'Display name').getAttribute('aria-sort')).toBe('none');
    expect(header(view, 'Department').getAttribute('aria-sort')).toBe('ascending');
    await click(header(view, 'Department').querySelector('button'));
    await click(header(view, 'Department').querySelector('button'));
    await settle();
    expect(callsOf('tenant.listUsers').at(-1)).not.toHaveProperty('sort');
    // the headers are buttons: reachable with Tab, pressed with Enter or Space
    expect(header(view, 'userPrincipalName').querySelector('button')!.tagName).toBe('BUTTON');
  });

  it('asks the backend for the portal filters, Account enabled and User type, one value each or all', async () => {
    const view = await render(<TenantUsers />);
    await settle();
    const select = (label: string) => byText(view, 'label', new RegExp(`^${label}`))!.querySelector('select')!;
    await changeValue(select('Account enabled'), 'disabled');
    await settle();
    expect(callsOf('tenant.listUsers').at(-1)).toMatchObject({ offset: 0, filters: ['disabled'] });
    await changeValue(select('User type'), 'guest');
    await changeValue(select('Account enabled'), 'enabled');
    await settle();
    expect(callsOf('tenant.listUsers').at(-1)!.filters).toEqual(['guest', 'enabled']);
    await changeValue(select('User type'), '');
    await settle();
    expect(callsOf('tenant.listUsers').at(-1)!.filters).toEqual(['enabled']);
    expect(view.querySelector('.user-table-foot')!.textContent).toBe('1000 users matching the filters');
  });
});

describe('UserTable: a search that matches many users shows its first page while it is counted', () => {
  it('shows “More than …, counting…” with an unknown row count, then the exact count, the first rows staying put', async () => {
    const many = Array.from({ length: 30_000 }, (_, i) => ({ ...users[i % users.length]!, id: `m${i}`, displayName: `Smith ${i}` }));
    let countExactly: () => void = () => {};
    setHandler('tenant.listUsers', ({ offset = 0, limit = 200, countLimit }) => {
      const page = { offset, items: many.slice(offset, offset + limit) };
      if (countLimit !== undefined) return { ...page, total: Math.max(countLimit, offset + limit) + 1, counting: true as const };
      // the exact count takes its time: the test says when it is done
      return new Promise((resolve) => (countExactly = () => resolve({ ...page, total: many.length })));
    });
    const view = await render(<UserTable snapshotId={1} search="smith" />);
    await settle();
    const grid = view.querySelector('[role="grid"]')!;
    const foot = () => view.querySelector('.user-table-foot')!.textContent;
    expect(foot()).toBe('More than 1000 users matching “smith”, counting…');
    expect(grid.getAttribute('aria-rowcount')).toBe('-1');
    expect(view.querySelector('#user-row-0')!.textContent).toContain('Smith 0');
    expect(callsOf('tenant.listUsers')).toEqual([
      expect.objectContaining({ offset: 0, search: 'smith', countLimit: 1000 }),
      expect.not.objectContaining({ countLimit: expect.anything() }),
    ]);
    countExactly();
    await settle();
    expect(foot()).toBe('30000 users matching “smith”');
    expect(grid.getAttribute('aria-rowcount')).toBe('30000');
    expect(view.querySelector('#user-row-0')!.textContent).toContain('Smith 0');
  });

  it('asks no capped count of a list nothing narrows (its count is the snapshot’s)', async () => {
    await render(<UserTable snapshotId={1} search="" />);
    await settle();
    expect(callsOf('tenant.listUsers')).toEqual([expect.not.objectContaining({ countLimit: expect.anything() })]);
  });
});
