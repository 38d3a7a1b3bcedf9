import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewSnapshot } from '../../../shared/preview/run.ts';
import { loadBuiltInProfile, toMockBehaviour, vendorFindings } from '../../../shared/vendors/index.ts';
import { defaultSet, demoGroups, demoUsers } from '../../unit/vendors/support.ts';
import { scim, startTestServer, type TestServer } from './helpers.ts';

/**
 * Issue 20 item 11: the HiThrive mock accepts users that `validate` flags with errors (Entra's default rows). Where
 * it is lenient on purpose, its request log names the vendor rule the preview applies: the same finding code for
 * the same target, with the profile's reason and citation.
 */
describe('the HiThrive mock server names the vendor rule it did not enforce', () => {
  const profile = loadBuiltInProfile('hithrive');
  const set = defaultSet();
  const preview = previewSnapshot({ set, users: demoUsers, vendor: 'hithrive' });
  const findings = vendorFindings(profile, set, preview, { users: demoUsers, groups: demoGroups });
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ behaviour: toMockBehaviour(profile) });
  });
  afterAll(async () => server.close());

  it('accepts the POST Entra sends with its default mappings, and logs the preview’s rule for each dropped target', async () => {
    const user = preview.users.find((u) => u.action === 'create' && u.requests.some((r) => r.method === 'POST' && JSON.stringify(r.body).includes('"addresses"')))!;
    const post = user.requests.find((r) => r.method === 'POST')!;
    const response = await scim(server.server)('POST', '/Users', post.body);
    expect(response.status).toBe(201);
    expect(response.json).not.toHaveProperty('addresses');

    const rule = server.server.requestLog({ method: 'POST', limit: 1 })[0]!.rule!;
    expect(rule.startsWith('vendor.lenient:')).toBe(true);
    expect(rule).toMatch(/VENDOR_FILTERED_DEFAULT addresses\[type eq "work"\]\.\w+/);
    const parts = rule.slice('vendor.lenient:'.length).split(' | ');
    expect(parts.length).toBeGreaterThan(0);
    for (const part of parts) {
      const [, code, targets, message] = /^(\S+) (.*?) — (.*?)(?: \(HiThrive's guide does not say.*)?$/.exec(part)!;
      for (const target of targets!.split(', ')) {
        // the preview reports the same code on the same target, with the same reason and source
        const finding = findings.find((f) => f.code === code && f.attribute === target);
        expect(finding, `${code} ${target}`).toBeDefined();
        expect(finding!.message).toContain(message!);
      }
    }
    expect(rule).toContain("HiThrive's guide does not say its API rejects these");
  });

  it('logs no rule for a user that sends only what HiThrive lists', async () => {
    const response = await scim(server.server)('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'listed.only@contoso.com',
      externalId: 'c0ffee00-0000-4000-8000-000000000001',
      active: true,
      name: { givenName: 'Listed', familyName: 'Only' },
    });
    expect(response.status).toBe(201);
    expect(server.server.requestLog({ method: 'POST', limit: 1 })[0]!.rule).toBeNull();
  });
});
