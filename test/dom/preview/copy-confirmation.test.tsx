import { act, useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UserPreviewDetail } from '../../../renderer/preview/UserPreviewDetail.tsx';
import { adeleDetail } from './fixtures.ts';
import { byText, cleanup, click, render, settle } from './render.tsx';
import { resetFakeApi, setHandler } from './fake-api.ts';

vi.mock('../../../renderer/api-client.ts', async () => await import('./fake-api.ts'));

const meganDetail = {
  ...adeleDetail,
  id: 'u-2',
  userPrincipalName: 'megan@contoso.test',
  requests: adeleDetail.requests.map((r) => ({ ...r, curl: r.curl.replace(/adele/g, 'megan') })),
};

let showUser: (id: string) => void = () => undefined;
/** The Preview screen's detail pane, whose user changes as the admin picks another row. */
function DetailPane() {
  const [userId, setUserId] = useState('u-1');
  showUser = setUserId;
  return <UserPreviewDetail runId="run-1" userId={userId} />;
}

const writeText = vi.fn(async (_text: string) => {});
beforeEach(() => {
  resetFakeApi();
  writeText.mockClear();
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
  setHandler('preview.getUser', ({ userId }) => (userId === 'u-2' ? meganDetail : adeleDetail));
});
afterEach(cleanup);

const postOf = (view: HTMLElement) => view.querySelectorAll('.request-view')[1]!;
const statusOf = (view: HTMLElement) => postOf(view).querySelector('.copy-status');

/** Issue 20 item 9: "Copy as curl" confirms each copy, and only the copy it made. */
describe('Copy as curl', () => {
  it('shows no confirmation for the next user’s request before it is copied, then confirms that copy', async () => {
    const view = await render(<DetailPane />);
    await settle();
    await click(byText(postOf(view), 'button', 'Copy as curl'));
    await settle();
    expect(statusOf(view)?.textContent).toBe('✔ Copied to the clipboard');

    await act(async () => showUser('u-2'));
    await settle();
    expect(postOf(view).getAttribute('aria-label')).toBe('Request 2: POST /Users');
    expect(statusOf(view)).toBeNull();

    await click(byText(postOf(view), 'button', 'Copy as curl'));
    await settle();
    expect(writeText).toHaveBeenLastCalledWith(meganDetail.requests[1]!.curl);
    expect(statusOf(view)?.textContent).toBe('✔ Copied to the clipboard');
  });

  it('confirms a second copy of the same request as a new message', async () => {
    const view = await render(<DetailPane />);
    await settle();
    await click(byText(postOf(view), 'button', 'Copy as curl'));
    await settle();
    const first = statusOf(view);
    expect(first?.getAttribute('role')).toBe('status');
    await click(byText(postOf(view), 'button', 'Copy as curl'));
    await settle();
    expect(writeText).toHaveBeenCalledTimes(2);
    expect(statusOf(view)).not.toBe(first);
    expect(statusOf(view)?.textContent).toBe('✔ Copied to the clipboard');
  });
});
