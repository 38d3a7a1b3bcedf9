import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../../electron/backend/backend.ts';
import { dispatch } from '../../../electron/backend/dispatch.ts';
import type { MethodName, MockRequestDetail, MockRequestSummary, MockResourceRow, MockServerStatus } from '../../../shared/api.ts';
import { tempDir } from '../../support/temp.ts';

/** The Mock server screen's handlers on a real workspace file, called through the dispatch every door uses. */
describe('mock server handlers on a temp workspace', () => {
  const dir = tempDir('scim-planner-mock-handlers-');
  let backend: Backend;
  const events: MockRequestSummary[] = [];

  async function call<T = unknown>(name: MethodName, input: unknown = {}): Promise<T> {
    const envelope = await dispatch(backend.handlers, name, input);
    if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), { code: envelope.error.code });
    return envelope.value as T;
  }
  async function failure(name: MethodName, input: unknown) {
    const envelope = await dispatch(backend.handlers, name, input);
    if (envelope.ok) throw new Error(`${name} unexpectedly succeeded`);
    return envelope.error;
  }
  const scim = (status: MockServerStatus, method: string, path: string, body?: unknown) =>
    fetch(status.url! + path, {
      method,
      headers: { Authorization: `Bearer ${status.token}`, ...(body ? { 'Content-Type': 'application/scim+json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  beforeAll(() => {
    backend = new Backend({ mode: 'browser', version: 'test', workspacePath: join(dir.path, 'w.scimplan') });
    backend.events.subscribe((name, payload) => {
      if (name === 'mockServer.request') events.push(payload as MockRequestSummary);
    });
  });
  afterAll(async () => {
    await backend.close();
    dir.cleanup();
  });

  it('reports a stopped server with the built-in vendors before the first start', async () => {
    const status = await call<MockServerStatus>('mockServer.status');
    expect(status).toMatchObject({ running: false, url: null, vendorId: 'generic', mode: 'entra', host: '127.0.0.1', users: 0, groups: 0 });
    expect(status.vendors.map((v) => v.id)).toEqual(['hithrive', 'haiilo', 'thrive', 'formsonfire', 'hector', 'generic']);
  });

  it('starts on the workspace, streams each request as an event and logs its bodies and deciding rule', async () => {
    const status = await call<MockServerStatus>('mockServer.start', { vendorId: 'formsonfire' });
    expect(status).toMatchObject({ running: true, vendorId: 'formsonfire', vendorName: 'Forms On Fire', mode: 'entra' });
    expect(status.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    expect(status.token).toMatch(/^[\w-]{20,}$/);

    const missingName = await scim(status, 'POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'lee@contoso.test' });
    expect(missingName.status).toBe(400);
    await expect.poll(() => events.length).toBe(1);
    expect(events[0]).toMatchObject({ method: 'POST', path: '/scim/v2/Users', status: 400, rule: 'vendor.required:name.givenName' });

    const log = await call<{ total: number; items: MockRequestSummary[] }>('mockServer.requestLog', {});
    expect(log.total).toBe(1);
    expect(log.items[0]).not.toHaveProperty('requestBody');
    const detail = await call<MockRequestDetail>('mockServer.requestDetail', { seq: log.items[0]!.seq });
    expect(JSON.parse(detail.requestBody!)).toMatchObject({ userName: 'lee@contoso.test' });
    expect(JSON.parse(detail.responseBody!)).toMatchObject({ status: '400', scimType: 'invalidValue' });
  });

  it('lists the users and groups as the vendor holds them, searchable, and filters the log by status and text', async () => {
    const status = await call<MockServerStatus>('mockServer.status');
    const user = (userName: string, givenName: string) => ({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName,
      externalId: givenName.toLowerCase(),
      name: { givenName, familyName: 'Test' },
      emails: [{ type: 'work', value: userName, primary: true }],
    });
    const lee = (await (await scim(status, 'POST', '/Users', user('lee@contoso.test', 'Lee'))).json()) as { id: string };
    expect((await scim(status, 'POST', '/Users', user('megan@contoso.test', 'Megan'))).status).toBe(201);
    const group = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Sales', members: [{ value: lee.id }] };
    expect((await scim(status, 'POST', '/Groups', group)).status).toBe(201);

    const users = await call<{ total: number; items: MockResourceRow[] }>('mockServer.listUsers', {});
    expect(users.total).toBe(2);
    expect(users.items.map((r) => r.name)).toEqual(['lee@contoso.test', 'megan@contoso.test']);
    expect(users.items[0]).toMatchObject({ externalId: 'lee', active: null, members: null });
    const found = await call<{ total: number; items: MockResourceRow[] }>('mockServer.listUsers', { search: 'MEGAN' });
    expect(found.items.map((r) => r.name)).toEqual(['megan@contoso.test']);
    const groups = await call<{ total: number; items: MockResourceRow[] }>('mockServer.listGroups', {});
    expect(groups.items).toEqual([expect.objectContaining({ name: 'Sales', members: 1 })]);

    const created = await call<{ total: number; items: MockRequestSummary[] }>('mockServer.requestLog', { status: 201 });
    expect(created.total).toBe(3);
    const bySearch = await call<{ total: number; items: MockRequestSummary[] }>('mockServer.requestLog', { search: 'VENDOR.required' });
    expect(bySearch.items.map((e) => e.status)).toEqual([400]);
    const paged = await call<{ total: number; offset: number; items: MockRequestSummary[] }>('mockServer.requestLog', { offset: 1, limit: 2 });
    expect(paged).toMatchObject({ total: 4, offset: 1 });
    expect(paged.items.map((e) => e.path)).toEqual(['/scim/v2/Users', '/scim/v2/Users']);
  });

  it('keeps data and token across stop and start, and resets to empty on request', async () => {
    const before = await call<MockServerStatus>('mockServer.status');
    const stopped = await call<MockServerStatus>('mockServer.stop');
    expect(stopped).toMatchObject({ running: false, url: null, users: 2, groups: 1, vendorId: 'formsonfire', token: before.token });
    await expect(fetch(before.url! + '/Users')).rejects.toThrow();
    expect((await call<{ total: number }>('mockServer.listUsers', {})).total).toBe(2);
    expect((await call<{ total: number }>('mockServer.requestLog', {})).total).toBe(4);

    const again = await call<MockServerStatus>('mockServer.start', { vendorId: 'generic', strict: true });
    expect(again).toMatchObject({ running: true, token: before.token, mode: 'strict', users: 2 });
    expect(await call('mockServer.reset')).toEqual({ deletedUsers: 2, deletedGroups: 1 });
    expect(await call<MockServerStatus>('mockServer.status')).toMatchObject({ users: 0, groups: 0 });
  });

  it('says so when the port is taken or the vendor is unknown', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const taken = await failure('mockServer.start', { port });
      expect(taken.code).toBe('port-in-use');
      expect(taken.message).toContain(`Port ${port} is already in use`);
    } finally {
      blocker.close();
    }
    expect((await failure('mockServer.start', { vendorId: 'acme' })).code).toBe('invalid-input');
    expect((await failure('mockServer.requestDetail', { seq: 999_999 })).code).toBe('not-found');
  });

  it('stops the server when the backend closes', async () => {
    const status = await call<MockServerStatus>('mockServer.start', {});
    expect((await scim(status, 'GET', '/Users')).status).toBe(200);
    await backend.close();
    await expect(fetch(status.url! + '/Users')).rejects.toThrow();
    backend = new Backend({ mode: 'browser', version: 'test', workspacePath: join(dir.path, 'w.scimplan') });
    expect(await call<MockServerStatus>('mockServer.status')).toMatchObject({ running: false, vendorId: 'generic', mode: 'entra', token: status.token });
  });
});
