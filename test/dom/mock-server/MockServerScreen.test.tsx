import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MockRequestDetail, MockRequestSummary, MockResourceRow, MockServerStatus } from '../../../shared/api.ts';
import { MockServerScreen } from '../../../renderer/screens/MockServerScreen.tsx';
import { useMockServerUi } from '../../../renderer/state/mock-server.ts';
import { byText, changeValue, cleanup, click, press, render, settle } from '../preview/render.tsx';
import { callsOf, emitEvent, resetFakeApi, setHandler } from '../preview/fake-api.ts';
import { fakeProjectVendor } from '../support/project-vendor.ts';
import { until } from '../support/until.ts';

vi.mock('../../../renderer/api-client.ts', async () => await import('../preview/fake-api.ts'));

const vendors = [
  { id: 'hithrive', name: 'HiThrive' },
  { id: 'formsonfire', name: 'Forms On Fire' },
  { id: 'generic', name: 'Generic SCIM 2.0' },
];
const stopped: MockServerStatus = {
  running: false,
  url: null,
  token: null,
  host: '127.0.0.1',
  port: 0,
  vendorId: 'generic',
  vendorName: 'Generic SCIM 2.0',
  mode: 'entra',
  latencyMs: 0,
  failureRate: 0,
  startedAt: null,
  users: 0,
  groups: 0,
  vendors,
};
const request = (seq: number, extra: Partial<MockRequestSummary> = {}): MockRequestSummary => ({
  seq,
  at: '2025-05-01T10:00:00.000Z',
  method: 'POST',
  path: '/scim/v2/Users',
  status: 201,
  durationMs: 1.5,
  rule: null,
  ...extra,
});
const adele: MockResourceRow = {
  id: 'u-1',
  name: 'adele@contoso.test',
  externalId: 'adele',
  active: true,
  members: null,
  lastModified: '2025-05-01T10:00:00.000Z',
  resource: { id: 'u-1', userName: 'adele@contoso.test', name: { givenName: 'Adele' } },
};

let status: MockServerStatus;
let log: MockRequestSummary[];
beforeEach(() => {
  resetFakeApi();
  fakeProjectVendor(vendors.map((v) => ({ ...v, builtIn: true, summary: v.name })), 'generic');
  useMockServerUi.setState({ tab: 'log', logSearch: '', logStatus: null, logMethod: null, selectedSeq: null, resourceSearch: '', selectedResourceId: null, tokenRevealed: false });
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(500);
  vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockReturnValue(500);
  status = stopped;
  log = [];
  setHandler('mockServer.status', () => status);
  setHandler('mockServer.start', (input) => {
    const vendor = vendors.find((v) => v.id === input.vendorId)!;
    status = { ...stopped, running: true, url: 'http://127.0.0.1:49152/scim/v2', token: 'secret-token-123', port: 49152, vendorId: vendor.id, vendorName: vendor.name, mode: input.strict ? 'strict' : 'entra', startedAt: '2025-05-01T10:00:00.000Z' };
    return status;
  });
  setHandler('mockServer.requestLog', (input) => {
    const matching = log.filter((e) => (input.status === undefined || e.status === input.status) && (!input.search || JSON.stringify(e).toLowerCase().includes(input.search.toLowerCase())));
    const offset = input.offset ?? 0;
    return { total: matching.length, offset, items: matching.slice(offset, offset + (input.limit ?? 200)) };
  });
  setHandler('mockServer.listUsers', () => ({ total: 1, offset: 0, items: [adele] }));
});
afterEach(async () => {
  await cleanup();
  vi.restoreAllMocks();
});

async function openScreen() {
  const view = await render(<MockServerScreen />);
  await settle();
  return view;
}

describe('Mock server screen', () => {
  it('starts the server with the chosen vendor and mode and shows the Tenant URL with the token masked until revealed', async () => {
    const view = await openScreen();
    expect(view.querySelector('[role="status"]')?.textContent).toBe('Stopped');
    await changeValue(view.querySelector<HTMLSelectElement>('select[aria-label="Vendor"]')!, 'formsonfire');
    await click(byText(view, 'label', /Strict RFC 7644/)?.querySelector('input'));
    await click(byText(view, 'button', 'Start'));
    await settle();

    expect(callsOf('mockServer.start')).toEqual([{ vendorId: 'formsonfire', strict: true, port: 0, host: '127.0.0.1', latencyMs: 0, failureRate: 0 }]);
    expect(view.querySelector('[role="status"]')?.textContent).toBe('Running · Forms On Fire · strict RFC');
    expect(view.querySelector<HTMLInputElement>('#mock-tenant-url')!.value).toBe('http://127.0.0.1:49152/scim/v2');
    const token = view.querySelector<HTMLInputElement>('#mock-secret-token')!;
    expect(token.type).toBe('password');
    await click(byText(view, 'button', 'Show'));
    expect(token.type).toBe('text');
    expect(token.value).toBe('secret-token-123');
    expect(byText(view, 'button', 'Restart with these settings')).toBeDefined();
  });

  it('refuses a port that is not a whole number without calling the backend', async () => {
    const view = await openScreen();
    const port = byText(view, 'label', /^Port/)!.querySelector('input')!;
    await changeValue(port, '80.5', 'input');
    await click(byText(view, 'button', 'Start'));
    await settle();
    expect(callsOf('mockServer.start')).toEqual([]);
    expect(view.querySelector('.error-banner')?.textContent).toContain('Port must be a whole number');
  });

  it('adds live requests to the log and shows a selected request’s bodies and deciding rule', async () => {
    log = [request(1, { method: 'GET', path: '/scim/v2/Users?filter=userName', status: 200 })];
    const detail: MockRequestDetail = {
      ...request(2, { status: 400, rule: 'vendor.required:name.givenName' }),
      requestBody: '{"userName":"lee@contoso.test"}',
      responseBody: '{"status":"400","scimType":"invalidValue"}',
    };
    setHandler('mockServer.requestDetail', () => detail);
    const view = await openScreen();
    expect(view.querySelectorAll('.mock-log-row.mock-row')).toHaveLength(1);

    log = [request(2, { status: 400, rule: 'vendor.required:name.givenName' }), ...log];
    // live entries are applied in batches (every 200 ms): wait for the batch to land, however late its timer fires
    await act(async () => emitEvent('mockServer.request', log[0]!));
    await until('the live request in the log', () => view.querySelectorAll('.mock-log-row.mock-row').length === 2, () => view.textContent);
    await settle();
    const rows = [...view.querySelectorAll('.mock-log-row.mock-row')];
    expect(rows.map((r) => r.querySelector('.mock-status')?.textContent)).toEqual(['400', '200']);
    expect(view.querySelector('.mock-table-foot')?.textContent).toBe('2 requests');

    await click(rows[0]);
    await settle();
    const aside = view.querySelector('[aria-label="Request detail"]')!;
    expect(aside.querySelector('[aria-label="Deciding rule"]')?.textContent).toContain('vendor.required:name.givenName');
    expect(aside.querySelector('[aria-label="Request body"]')?.textContent).toContain('"userName": "lee@contoso.test"');
    expect(aside.querySelector('[aria-label="Response body"]')?.textContent).toContain('invalidValue');
  });

  it('keeps a request selected at once after opening: the search box applies only a changed search', async () => {
    log = [request(1, { status: 400 })];
    setHandler('mockServer.requestDetail', ({ seq }) => ({ ...log.find((e) => e.seq === seq)!, requestBody: null, responseBody: null }));
    const view = await render(<MockServerScreen />);
    await until('the request log', () => view.querySelector('.mock-log-row.mock-row'), () => view.textContent);
    await click(view.querySelector('.mock-log-row.mock-row'));
    // past the search box's 250 ms debounce: the unchanged (empty) search must not clear the selection
    await act(async () => new Promise((resolve) => setTimeout(resolve, 400)));
    expect(useMockServerUi.getState().selectedSeq).toBe(1);
  });

  it('selects requests with the arrow keys and stays on the selected one as live requests arrive above it', async () => {
    log = [request(3, { status: 409 }), request(2, { status: 400 }), request(1)];
    setHandler('mockServer.requestDetail', ({ seq }) => ({ ...log.find((e) => e.seq === seq)!, requestBody: null, responseBody: null }));
    const view = await openScreen();
    const grid = view.querySelector('[role="grid"][aria-label="Request log"]')!;
    const selectedSeq = () => useMockServerUi.getState().selectedSeq;
    await press(grid, 'ArrowDown');
    await press(grid, 'ArrowDown');
    expect(selectedSeq()).toBe(2);
    await settle();
    expect(view.querySelector('[aria-label="Request detail"] .mock-status')?.textContent).toBe('400');

    log = [request(4, { status: 500 }), ...log];
    await act(async () => emitEvent('mockServer.request', log[0]!));
    await until('the live request in the log', () => view.querySelectorAll('.mock-log-row.mock-row').length === 4, () => view.textContent);
    await settle();
    expect(grid.getAttribute('aria-activedescendant')).toBe('mock-request-2');
    await press(grid, 'ArrowDown');
    expect(selectedSeq()).toBe(1);
    await press(grid, 'Home');
    expect(selectedSeq()).toBe(4);
  });

  it('filters the log by status through the backend', async () => {
    log = [request(2, { status: 409 }), request(1)];
    const view = await openScreen();
    await changeValue(view.querySelector<HTMLSelectElement>('select[aria-label="Status"]')!, '409');
    await settle();
    expect(callsOf('mockServer.requestLog').at(-1)).toMatchObject({ status: 409, offset: 0 });
    expect([...view.querySelectorAll('.mock-log-row.mock-row .mock-status')].map((s) => s.textContent)).toEqual(['409']);
  });

  it('browses the users the vendor holds and shows the stored resource', async () => {
    status = { ...stopped, users: 1 };
    const view = await openScreen();
    await click(byText(view, '[role="tab"]', 'Users (1)'));
    await settle();
    const row = byText(view, '.mock-resource-row.mock-row', /adele@contoso\.test/);
    expect(row?.textContent).toContain('adele');
    await click(row);
    const stored = view.querySelector('[aria-label="Stored resource"]')?.textContent ?? '';
    expect(JSON.parse(stored)).toMatchObject({ userName: 'adele@contoso.test', name: { givenName: 'Adele' } });
  });

  it('shows a user’s stored resource from the keyboard', async () => {
    status = { ...stopped, users: 1 };
    const view = await openScreen();
    await click(byText(view, '[role="tab"]', 'Users (1)'));
    await settle();
    const grid = view.querySelector('[role="grid"][aria-label="Mock server users"]')!;
    await press(grid, 'ArrowDown');
    expect(useMockServerUi.getState().selectedResourceId).toBe('u-1');
    expect(grid.getAttribute('aria-activedescendant')).toBe('mock-users-0');
    expect(JSON.parse(view.querySelector('[aria-label="Stored resource"]')?.textContent ?? '{}')).toMatchObject({ userName: 'adele@contoso.test' });
  });
});

/** Issue 20 item 9 on the Mock server screen: unavailable buttons say why, Copy confirms each copy. */
describe('Mock server screen: reasons and confirmations', () => {
  it('says why Stop, Delete all, Show and Copy are unavailable while the server has never run', async () => {
    const view = await openScreen();
    const disabled = [...view.querySelectorAll('button')].filter((b) => b.disabled);
    expect(Object.fromEntries(disabled.map((b) => [b.getAttribute('aria-label') ?? b.textContent, b.title]))).toEqual({
      Stop: 'The mock server is not running',
      'Delete all users and groups': 'The mock server holds no users or groups',
      Show: 'The token is generated at the first start',
      'Copy Tenant URL': 'Start the server to get its Tenant URL',
      'Copy Secret Token': 'The token is generated at the first start',
    });
  });

  it('confirms each copy of the Tenant URL beside its button', async () => {
    const writeText = vi.fn(async (_text: string) => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    status = { ...stopped, running: true, url: 'http://127.0.0.1:49152/scim/v2', token: 'secret-token-123', port: 49152, startedAt: '2025-05-01T10:00:00.000Z' };
    const view = await openScreen();
    const copyUrl = view.querySelector('button[aria-label="Copy Tenant URL"]')!;
    await click(copyUrl);
    await settle();
    expect(writeText).toHaveBeenCalledWith('http://127.0.0.1:49152/scim/v2');
    const confirmation = copyUrl.parentElement!.querySelector('[role="status"]');
    expect(confirmation?.textContent).toBe('✔ Copied');
    await click(copyUrl);
    await settle();
    expect(copyUrl.parentElement!.querySelector('[role="status"]')).not.toBe(confirmation);
    expect(copyUrl.textContent).toBe('Copy');
  });
});
