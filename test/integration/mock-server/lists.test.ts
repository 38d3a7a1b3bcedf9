import { afterEach, describe, expect, it } from 'vitest';
import { scim, startTestServer, type TestServer } from './helpers.ts';

let running: TestServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

async function seed() {
  running = await startTestServer();
  const call = scim(running.server);
  const ids: Record<string, string> = {};
  for (const [userName, title] of [['carol@contoso.test', 'Buyer'], ['Alice@contoso.test', undefined], ['bob@contoso.test', 'Analyst']] as const) {
    const created = await call('POST', '/Users', { schemas: [USER], userName, ...(title ? { title } : {}) });
    ids[userName.toLowerCase()] = created.json!.id;
  }
  return { call, ids };
}

describe('list sorting (F37, RFC 7644 §3.4.2.3)', () => {
  it('advertises sort support and sorts a filtered list by userName descending before paging', async () => {
    const { call } = await seed();
    expect((await call('GET', '/ServiceProviderConfig')).json).toMatchObject({ sort: { supported: true } });
    const page = await call('GET', `/Users?filter=${encodeURIComponent('userName co "contoso"')}&sortBy=userName&sortOrder=descending&count=2`);
    expect(page.json).toMatchObject({ totalResults: 3, itemsPerPage: 2 });
    expect((page.json!.Resources as { userName: string }[]).map((r) => r.userName)).toEqual(['carol@contoso.test', 'bob@contoso.test']);
  });

  it('sorts an unfiltered list and a POST .search, with users lacking the value last', async () => {
    const { call } = await seed();
    const listed = await call('GET', '/Users?sortBy=title');
    expect((listed.json!.Resources as { userName: string }[]).map((r) => r.userName)).toEqual(['bob@contoso.test', 'carol@contoso.test', 'Alice@contoso.test']);
    const searched = await call('POST', '/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], sortBy: 'userName' });
    expect((searched.json!.Resources as { userName: string }[]).map((r) => r.userName)).toEqual(['Alice@contoso.test', 'bob@contoso.test', 'carol@contoso.test']);
  });

  it('refuses a sortOrder other than ascending or descending with 400 invalidValue', async () => {
    const { call } = await seed();
    const refused = await call('GET', '/Users?sortBy=userName&sortOrder=up');
    expect(refused.status).toBe(400);
    expect(refused.json?.scimType).toBe('invalidValue');
  });
});

describe('users’ read-only groups attribute (RFC 7643 §4.1.2)', () => {
  it('lists the groups a user is a direct member of, follows membership changes, and can be filtered on', async () => {
    const { call, ids } = await seed();
    const alice = ids['alice@contoso.test']!;
    const sales = await call('POST', '/Groups', { schemas: [GROUP], displayName: 'Sales', members: [{ value: alice }] });
    await call('POST', '/Groups', { schemas: [GROUP], displayName: 'Empty' });

    const read = await call('GET', `/Users/${alice}`);
    expect(read.json!.groups).toEqual([
      { value: sales.json!.id, display: 'Sales', type: 'direct', $ref: `${running!.server.url}/Groups/${sales.json!.id}` },
    ]);
    expect((await call('GET', `/Users/${ids['bob@contoso.test']}`)).json).not.toHaveProperty('groups');
    expect((await call('GET', `/Users/${alice}?excludedAttributes=groups`)).json).not.toHaveProperty('groups');

    const members = await call('GET', `/Users?filter=${encodeURIComponent(`groups.value eq "${sales.json!.id}"`)}`);
    expect((members.json!.Resources as { id: string }[]).map((r) => r.id)).toEqual([alice]);

    const removal = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'remove', path: `members[value eq "${alice}"]` }] };
    expect((await call('PATCH', `/Groups/${sales.json!.id}`, removal)).status).toBe(204);
    expect((await call('GET', `/Users/${alice}`)).json).not.toHaveProperty('groups');
  });

  it('ignores groups sent by a client, because the attribute is read-only', async () => {
    const { call } = await seed();
    const created = await call('POST', '/Users', { schemas: [USER], userName: 'dan@contoso.test', groups: [{ value: 'made-up' }] });
    expect(created.status).toBe(201);
    expect(created.json).not.toHaveProperty('groups');
  });
});
