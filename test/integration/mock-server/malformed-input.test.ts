import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scim, startTestServer, type TestServer } from './helpers.ts';

/** `depth` levels of objects: {"a":{"a":...}} */
const nested = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

let running: TestServer;
beforeAll(async () => {
  running = await startTestServer();
});
afterAll(async () => {
  await running.close();
});

describe('mock server: malformed input is a 400, never a 5xx', () => {
  it('clamps a startIndex past any page (1e20) and answers an empty page', async () => {
    const call = scim(running.server);
    await call('POST', '/Users', { userName: 'paging@contoso.test' });
    for (const path of ['/Users?startIndex=1e20', '/Groups?startIndex=1e20&count=1e20', '/Users?startIndex=-1e20&count=-1e20']) {
      const reply = await call('GET', path);
      expect(reply.status, path).toBe(200);
      expect(reply.json!.totalResults, path).toBe(path.startsWith('/Users') ? 1 : 0);
    }
    const search = await call('POST', '/Users/.search', { startIndex: 1e20, count: 10 });
    expect(search.status).toBe(200);
    expect(search.json!.Resources).toEqual([]);
  });

  it('refuses a body nested 5,000 levels deep inside a custom extension with a clear 400', async () => {
    const extension = 'urn:ietf:params:scim:schemas:extension:contoso:2.0:User';
    const body = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","${extension}"],"userName":"deep@contoso.test","${extension}":${nested(5000)}}`;
    const reply = await scim(running.server)('POST', '/Users', body);
    expect(reply.status).toBe(400);
    expect(reply.json!.scimType).toBe('invalidSyntax');
    expect(reply.json!.detail).toContain('100 levels');
    expect(running.server.listUsers({ filter: 'userName eq "deep@contoso.test"' }).total).toBe(0);
  });

  it('accepts a body nested as deep as the bound allows', async () => {
    const reply = await scim(running.server)('POST', '/Users/.search', `{"count":1,"x":${nested(98)}}`);
    expect(reply.status).toBeLessThan(500);
    expect(reply.json!.detail ?? '').not.toContain('levels');
  });

  it('answers a malformed percent-encoding in the path without a 5xx', async () => {
    const reply = await scim(running.server)('GET', '/Users/%E0%A4%A');
    expect(reply.status).toBe(400);
  });
});
