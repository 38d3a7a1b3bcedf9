import { afterEach, describe, expect, it } from 'vitest';
import { resolveVendorBehaviour } from '../../../electron/cli/mock-server.ts';
import { scim, startTestServer, type TestServer } from './helpers.ts';

/**
 * JSON.parse keeps a `"__proto__"` key as an ordinary own property; the server must read complex attributes
 * from own properties only, so such a key can neither satisfy a vendor's required sub-attribute nor leave an
 * indexed lookup key for a value the stored user does not hold.
 */

let running: TestServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';

async function formsOnFire() {
  running = await startTestServer({ behaviour: resolveVendorBehaviour('formsonfire') });
  return { call: scim(running.server), lastRule: () => running!.server.requestLog({ limit: 1 })[0]?.rule };
}

describe('complex attributes are read from own properties only', () => {
  it('refuses a POST whose name.givenName hides behind a "__proto__" key', async () => {
    const { call, lastRule } = await formsOnFire();
    // Sent as raw text: JSON.stringify of an object literal would not keep the __proto__ key.
    const body = `{"schemas":["${CORE}"],"userName":"proto@contoso.test","active":true,` + `"name":{"__proto__":{"givenName":"G"},"familyName":"F"}}`;
    const created = await call('POST', '/Users', body);
    expect(created.status).toBe(400);
    expect(created.json?.detail).toContain('requires "name.givenName"');
    expect(lastRule()).toBe('vendor.required:name.givenName');
    expect((await call('GET', '/Users')).json?.totalResults).toBe(0);
  });

  it('keeps no work-email lookup key for an e-mail hidden behind a "__proto__" key', async () => {
    const { call } = await formsOnFire();
    const body =
      `{"schemas":["${CORE}"],"userName":"ghost@contoso.test","active":true,"name":{"givenName":"G","familyName":"F"},` +
      `"emails":[{"__proto__":{"type":"work","value":"phantom@contoso.test"},"primary":true}]}`;
    const created = await call('POST', '/Users', body);
    expect(created.status).toBe(201);
    const stored = running!.db.prepare('SELECT work_email_key FROM mock_users WHERE id = ?').pluck().get(created.json!.id);
    expect(stored).toBeNull();
    // The element is kept as sent, its "__proto__" an ordinary (unknown) sub-attribute.
    expect((await call('GET', `/Users/${created.json!.id}`)).json?.emails).toEqual(
      JSON.parse('[{"__proto__":{"type":"work","value":"phantom@contoso.test"},"primary":true}]'),
    );
    const filter = encodeURIComponent('emails[type eq "work"].value eq "phantom@contoso.test"');
    const found = await call('GET', `/Users?filter=${filter}`);
    expect(found.status).toBe(200);
    expect(found.json?.totalResults).toBe(0);
    // A second user may take the address: the first one never held it.
    const second = await call(
      'POST',
      '/Users',
      { schemas: [CORE], userName: 'real@contoso.test', name: { givenName: 'R', familyName: 'F' }, emails: [{ type: 'work', value: 'phantom@contoso.test' }] },
    );
    expect(second.status).toBe(201);
  });
});
