import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UserPreviewDetail } from '../../../renderer/preview/UserPreviewDetail.tsx';
import { adeleDetail } from './fixtures.ts';
import { byText, cleanup, click, render, settle } from './render.tsx';
import { callsOf, resetFakeApi, setHandler } from './fake-api.ts';

vi.mock('../../../renderer/api-client.ts', async () => await import('./fake-api.ts'));

beforeEach(() => {
  resetFakeApi();
  setHandler('preview.getUser', () => adeleDetail);
});
afterEach(cleanup);

async function renderAdele() {
  const view = await render(<UserPreviewDetail runId="run-1" userId="u-1" />);
  await settle();
  return view;
}

describe('UserPreviewDetail', () => {
  it('asks the backend for this user of this run', async () => {
    await renderAdele();
    expect(callsOf('preview.getUser')).toEqual([{ runId: 'run-1', userId: 'u-1' }]);
  });

  it('shows the requests in order, with the POST body as highlighted JSON', async () => {
    const view = await renderAdele();
    const requests = [...view.querySelectorAll('.request-view')];
    expect(requests.map((r) => r.getAttribute('aria-label'))).toEqual([
      'Request 1: GET /Users?filter=userName+eq+%22adele%40contoso.test%22',
      'Request 2: POST /Users',
    ]);
    expect(requests[0]!.textContent).toContain('No body.');
    const body = view.querySelector('pre[aria-label="POST /Users body"]')!;
    expect(JSON.parse(body.textContent!)).toEqual(adeleDetail.requests[1]!.body);
    const classed = (cls: string) => [...body.querySelectorAll(`.${cls}`)].map((s) => s.textContent);
    expect(classed('json-key')).toContain('"userName"');
    expect(classed('json-string')).toContain('"adele@contoso.test"');
    expect(classed('json-boolean')).toEqual(['true']);
    expect(classed('json-null')).toEqual(['null']);
    expect(classed('json-number')).toEqual(['3']);
  });

  it('copies a request as curl and says so visibly', async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const view = await renderAdele();
    const post = view.querySelectorAll('.request-view')[1]!;
    await click(byText(post, 'button', 'Copy as curl'));
    await settle();
    expect(writeText).toHaveBeenCalledWith(adeleDetail.requests[1]!.curl);
    expect(post.querySelector('.copy-status')!.textContent).toBe('✔ Copied to the clipboard');
  });

  it('shows the curl command to select by hand when the clipboard refuses', async () => {
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: vi.fn(async () => Promise.reject(new Error('denied'))) }, configurable: true });
    const view = await renderAdele();
    const post = view.querySelectorAll('.request-view')[1]!;
    await click(byText(post, 'button', 'Copy as curl'));
    await settle();
    expect(post.querySelector('.copy-status')!.textContent).toMatch(/clipboard refused/);
    expect(post.querySelector('.curl-command')!.textContent).toBe(adeleDetail.requests[1]!.curl);
  });

  it('shows the target object, the source attributes, the findings and unverified rules', async () => {
    const view = await renderAdele();
    expect(JSON.parse(view.querySelector('pre[aria-label="Target object"]')!.textContent!)).toEqual(adeleDetail.target);
    const sourceNames = [...view.querySelectorAll('.attribute-table th')].map((th) => th.textContent);
    expect(sourceNames).toEqual(expect.arrayContaining(['displayName', 'employeeHireDate', 'mobile', 'objectId']));
    expect(view.querySelector('.user-findings')!.textContent).toContain(' Warning');
    expect(view.querySelector('.user-findings .codicon-warning')).not.toBeNull();
    expect(view.querySelector('.user-findings')!.textContent).toContain('VENDOR_VALUE_SPACES');
    expect(view.querySelector('.unverified-note')!.textContent).toContain('FormatDateTime with an empty input format');
    expect(view.querySelector('h2')!.textContent).toBe('Adele Vance');
  });

  it('shows the backend’s message when the user is not in the run', async () => {
    setHandler('preview.getUser', () => {
      throw new Error('The preview run run-1 has no user u-1.');
    });
    const view = await renderAdele();
    expect(view.querySelector('.error-text')!.textContent).toBe('The preview run run-1 has no user u-1.');
  });
});
