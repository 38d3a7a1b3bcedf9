import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MethodOutput } from '../../../shared/api.ts';
import { UserTable } from '../../../renderer/components/UserTable.tsx';
import { useUiStore } from '../../../renderer/state/store.ts';
import { cleanup, click, press, render, settle } from '../preview/render.tsx';
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
  useUiStore.setState({ selectedUserId: null });
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
