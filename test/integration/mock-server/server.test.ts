import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configureMockServerDatabase } from '../../../electron/backend/mock-server/store.ts';
import { startMockServer } from '../../../electron/backend/mock-server/server.ts';
import { GENERIC_BEHAVIOUR, type VendorBehaviour } from '../../../electron/backend/mock-server/vendor-behaviour.ts';
import { scim, startTestServer, type TestServer } from './helpers.ts';

let running: TestServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const user = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName,
  active: true,
  ...extra,
});

describe('mock server HTTP safety', () => {
  it('binds 127.0.0.1 and shows the Tenant URL with the base path', async () => {
    running = await startTestServer();
    expect(running.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    expect(running.server.host).toBe('127.0.0.1');
  });

  it('answers 401 with WWW-Authenticate for a missing or wrong token and logs the auth rule', async () => {
    running = await startTestServer();
    const missing = await fetch(running.server.url + '/Users');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await fetch(running.server.url + '/Users', { headers: { Authorization: 'Bearer test-tokeX' } });
    expect(wrong.status).toBe(401);
    expect(running.server.requestLog({ status: 401 })[0]?.rule).toBe('auth.bearer');
  });

  it('refuses a body above the limit with 413 and keeps serving', async () => {
    running = await startTestServer({ maxBodyBytes: 1024 });
    const call = scim(running.server);
    const big = await call('POST', '/Users', user('big@contoso.test', { displayName: 'x'.repeat(5000) }));
    expect(big.status).toBe(413);
    expect(big.json?.schemas).toContain('urn:ietf:params:scim:api:messages:2.0:Error');
    expect((await call('GET', '/Users')).status).toBe(200);
  });

  it('answers malformed JSON with 400 invalidSyntax', async () => {
    running = await startTestServer();
    const response = await scim(running.server)('POST', '/Users', '{"userName": ');
    expect(response.status).toBe(400);
    expect(response.json?.scimType).toBe('invalidSyntax');
  });

  it('serves HTTPS with a self-signed certificate when tls is on', async () => {
    running = await startTestServer({ tls: true });
    expect(running.server.url.startsWith('https://')).toBe(true);
    const https = await import('node:https');
    const status = await new Promise<number>((resolve, reject) => {
      https
        .get(running!.server.url + '/ServiceProviderConfig', { rejectUnauthorized: false, headers: { Authorization: 'Bearer test-token' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject);
    });
    expect(status).toBe(200);
  });

  it('answers 429 with Retry-After beyond the vendor rate limit', async () => {
    const behaviour: VendorBehaviour = { ...GENERIC_BEHAVIOUR, rateLimit: { requestsPerSecond: 1, burst: 2 } };
    running = await startTestServer({ behaviour });
    const call = scim(running.server);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await call('GET', '/Users'));
    expect(statuses.slice(0, 2).map((r) => r.status)).toEqual([200, 200]);
    const limited = statuses.find((r) => r.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('injects failures at the configured rate', async () => {
    running = await startTestServer({ failureRate: 1 });
    const response = await scim(running.server)('GET', '/Users');
    expect(response.status).toBe(500);
    expect(running.server.requestLog()[0]?.rule).toBe('inject.failure');
  });
});

describe('mock server state and request log', () => {
  it('keeps users across a restart on the same file and resets on request', async () => {
    running = await startTestServer();
    await scim(running.server)('POST', '/Users', user('persist@contoso.test'));
    await running.server.stop();
    const again = await startMockServer({ db: running.db, port: 0 });
    try {
      expect(again.listUsers({ filter: 'userName eq "PERSIST@contoso.test"' }).total).toBe(1);
      again.reset();
      expect(again.listUsers().total).toBe(0);
    } finally {
      await again.stop();
    }
  });

  it('persists a generated token so the Tenant URL and Secret Token stay valid across restarts', async () => {
    const db = new Database(':memory:');
    configureMockServerDatabase(db);
    const first = await startMockServer({ db, port: 0 });
    await first.stop();
    const second = await startMockServer({ db, port: 0 });
    await second.stop();
    expect(first.token.length).toBeGreaterThanOrEqual(32);
    expect(second.token).toBe(first.token);
    db.close();
  });

  it('streams every request live and finds it by text, method and status', async () => {
    running = await startTestServer();
    const seen: string[] = [];
    running.server.onRequest((entry) => seen.push(`${entry.method} ${entry.status}`));
    const call = scim(running.server);
    await call('POST', '/Users', user('log@contoso.test'));
    await call('POST', '/Users', user('LOG@contoso.test'));
    expect(seen).toEqual(['POST 201', 'POST 409']);
    const conflicts = running.server.requestLog({ status: 409 });
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]!.rule).toBe('scim.uniqueness:userName');
    expect(conflicts[0]!.requestBody).toContain('LOG@contoso.test');
    expect(running.server.requestLog({ text: 'log@contoso.test', method: 'post' }).length).toBe(2);
    expect(running.server.requestLog({ text: 'nobody@contoso.test' })).toEqual([]);
  });

  it('caps the persisted request log', async () => {
    running = await startTestServer({ logCap: 5 });
    const call = scim(running.server);
    for (let i = 0; i < 12; i++) await call('GET', '/ServiceProviderConfig');
    running.server.requestLog();
    const rows = running.db.prepare('SELECT count(*) FROM mock_request_log').pluck().get();
    expect(rows).toBe(5);
  });
});

describe('vendor emulation', () => {
  const strictVendor: VendorBehaviour = {
    ...GENERIC_BEHAVIOUR,
    id: 'test-vendor',
    name: 'Test Vendor',
    unsupportedAttributes: 'reject',
    supportedAttributes: ['userName', 'name', 'active', 'emails', 'userType', 'externalId'],
    userAttributes: [
      { path: 'name.givenName', required: true },
      { path: 'userName', format: 'email' },
      { path: 'userType', allowedValues: ['Premium', 'Standard'], caseSensitive: true },
      { path: 'emails[type eq "work"].value', unique: true },
    ],
    deactivation: 'delete',
    groups: 'reject',
    validationError: { status: 422 },
  };

  it('enforces required attributes, formats and allowed values with the vendor status', async () => {
    running = await startTestServer({ behaviour: strictVendor });
    const call = scim(running.server);
    const missing = await call('POST', '/Users', user('a@contoso.test'));
    expect(missing.status).toBe(422);
    expect(running.server.requestLog()[0]?.rule).toBe('vendor.required:name.givenName');
    const format = await call('POST', '/Users', user('not-an-email', { name: { givenName: 'A' } }));
    expect(format.status).toBe(422);
    const allowed = await call('POST', '/Users', user('b@contoso.test', { name: { givenName: 'B' }, userType: 'premium' }));
    expect(allowed.status).toBe(422);
    expect(allowed.json?.detail).toContain('Premium');
  });

  it('rejects unsupported attributes and groups, and 409s a duplicate unique value', async () => {
    running = await startTestServer({ behaviour: strictVendor });
    const call = scim(running.server);
    const extra = await call('POST', '/Users', user('c@contoso.test', { name: { givenName: 'C' }, title: 'Boss' }));
    expect(extra.status).toBe(400);
    expect(extra.json?.detail).toContain('title');
    const work = (v: string) => [{ type: 'work', value: v }];
    expect((await call('POST', '/Users', user('d@contoso.test', { name: { givenName: 'D' }, emails: work('d@x.test') }))).status).toBe(201);
    const dup = await call('POST', '/Users', user('e@contoso.test', { name: { givenName: 'E' }, emails: work('D@X.test') }));
    expect(dup.status).toBe(409);
    expect((await call('GET', '/Groups')).status).toBe(404);
  });

  it('deletes instead of deactivating when the vendor has no soft delete', async () => {
    running = await startTestServer({ behaviour: strictVendor });
    const call = scim(running.server);
    const created = await call('POST', '/Users', user('f@contoso.test', { name: { givenName: 'F' } }));
    const disable = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] };
    expect((await call('PATCH', `/Users/${created.json!.id}`, disable)).status).toBe(204);
    expect((await call('GET', `/Users/${created.json!.id}`)).status).toBe(404);
  });
});

describe('mock-server CLI entry', () => {
  const entry = join(import.meta.dirname, '../../../electron/cli/mock-server-entry.ts');

  function launch(args: string[]) {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, exited, out: () => stdout, err: () => stderr };
  }

  it('prints exactly one JSON line when listening and stops cleanly on SIGTERM', async () => {
    const run = launch(['--port', '0', '--db', ':memory:', '--token', 'cli-token']);
    await expect.poll(() => run.out(), { timeout: 20_000 }).toContain('\n');
    const lines = run.out().trim().split('\n');
    expect(lines).toHaveLength(1);
    const { url, token } = JSON.parse(lines[0]!);
    expect(token).toBe('cli-token');
    const response = await fetch(`${url}/Users?filter=userName+eq+%22nobody%22`, { headers: { Authorization: 'Bearer cli-token' } });
    expect((await response.json()).totalResults).toBe(0);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.err()).toContain('stopping');
  });

  it('exits 2 with a clear message when the port is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = launch(['--port', String(port), '--db', ':memory:']);
      expect(await run.exited).toBe(2);
      expect(run.err()).toContain(`port ${port}`);
      expect(run.out()).toBe('');
    } finally {
      blocker.close();
    }
  });
});
