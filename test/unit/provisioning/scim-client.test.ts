import { describe, expect, it } from 'vitest';
import { ScimClient, TargetUrlError, errorCodeFor, isLoopbackUrl, parseTenantUrl } from '../../../electron/backend/provisioning/scim-client.ts';
import { retryAfterMs } from '../../../electron/backend/http/retry.ts';
import { auditToCsv } from '../../../electron/backend/provisioning/export.ts';
import { csvField } from '../../../shared/csv.ts';
import { nextRetryAt } from '../../../electron/backend/provisioning/cycle.ts';

/** A fetch that answers from a script and records what it was asked. */
function scriptedFetch(answers: Array<{ status: number; headers?: Record<string, string>; body?: unknown } | Error>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return new Response(next.body === undefined ? null : JSON.stringify(next.body), { status: next.status, headers: next.headers ?? {} });
  }) as unknown as typeof fetch;
  return { fetchImpl, calls };
}

describe('Tenant URL', () => {
  it('takes the aadOptscim062020 flag off the base and selects its dialect', () => {
    expect(parseTenantUrl('https://api.example.com/scim/v2?aadOptscim062020')).toEqual({ base: 'https://api.example.com/scim/v2', dialect: 'aadOptscim062020' });
    expect(parseTenantUrl('https://api.example.com/scim/')).toEqual({ base: 'https://api.example.com/scim', dialect: 'default' });
  });

  it('refuses URLs that are not http(s) or carry credentials', () => {
    expect(() => parseTenantUrl('ftp://x/scim')).toThrow(TargetUrlError);
    expect(() => parseTenantUrl('https://user:pw@x/scim')).toThrow(/user name or password/);
    expect(() => parseTenantUrl('not a url')).toThrow(/not a URL/);
  });

  it('tells loopback targets from the rest', () => {
    expect(isLoopbackUrl('http://127.0.0.1:8080/scim')).toBe(true);
    expect(isLoopbackUrl('http://localhost/scim')).toBe(true);
    expect(isLoopbackUrl('http://[::1]:99/scim')).toBe(true);
    expect(isLoopbackUrl('https://127.evil.example.com/scim')).toBe(false);
    expect(isLoopbackUrl('https://scim.example.com')).toBe(false);
  });

  it('never sends outside the typed base', () => {
    const client = new ScimClient({ tenantUrl: 'https://api.example.com/scim/v2', auth: { kind: 'bearer', token: 't' } });
    expect(client.urlFor('/Users?filter=x')).toBe('https://api.example.com/scim/v2/Users?filter=x');
    expect(() => client.urlFor('/../../admin')).toThrow(/outside the Tenant URL/);
    expect(() => client.urlFor('/Users/%2e%2e/%2e%2e/%2e%2e/admin')).toThrow(/outside the Tenant URL/);
  });

  it('answers a request whose path would leave the base with a refusal instead of sending it', async () => {
    const { fetchImpl, calls } = scriptedFetch([]);
    const client = new ScimClient({ tenantUrl: 'https://api.example.com/scim/v2', auth: { kind: 'bearer', token: 't' } }, { fetch: fetchImpl });
    const exchange = await client.send({ method: 'PATCH', path: '/Users/../../../admin', body: {} });
    expect(exchange).toMatchObject({ status: null, attempts: 0, errorCode: 'SystemForCrossDomainIdentityManagementServiceIncompatible' });
    expect(calls).toEqual([]);
  });
});

describe('error codes and retries', () => {
  it("names failures as Entra's provisioning log does", () => {
    expect(errorCodeFor(201, 'POST', false)).toBeNull();
    expect(errorCodeFor(401, 'GET', true)).toBe('SystemForCrossDomainIdentityManagementCredentialValidationFailure');
    expect(errorCodeFor(404, 'GET', true)).toBe('SystemForCrossDomainIdentityManagementServiceIncompatible');
    expect(errorCodeFor(404, 'PATCH', false)).toBe('InvalidAnchor');
    expect(errorCodeFor(409, 'POST', false)).toBe('EntryConflict');
    expect(errorCodeFor(429, 'GET', true)).toBe('TooManyRequests');
    expect(errorCodeFor(503, 'GET', true)).toBe('InternalServerError');
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs('soon')).toBeNull();
  });

  it('waits for Retry-After on 429 and retries, then reports the attempts', async () => {
    const { fetchImpl, calls } = scriptedFetch([
      { status: 429, headers: { 'Retry-After': '3' } },
      { status: 200, body: { totalResults: 0, Resources: [] } },
    ]);
    const waits: number[] = [];
    const client = new ScimClient({ tenantUrl: 'http://127.0.0.1:1/scim', auth: { kind: 'bearer', token: 'secret' } }, { fetch: fetchImpl, sleep: async (ms) => void waits.push(ms) });
    const exchange = await client.send({ method: 'GET', path: '/Users?filter=userName+eq+%22a%22' });
    expect(waits).toEqual([3000]);
    expect(exchange).toMatchObject({ status: 200, attempts: 2, errorCode: null });
    expect(calls).toHaveLength(2);
    expect((calls[0]!.init.headers as Record<string, string>).Authorization).toBe('Bearer secret');
    expect(exchange.requestHeaders.Authorization).toBe('Bearer <redacted>');
    expect(calls[0]!.init.redirect).toBe('manual');
  });

  it('does not wait for a Retry-After longer than the limit: the object is escrowed instead', async () => {
    const { fetchImpl } = scriptedFetch([{ status: 429, headers: { 'Retry-After': '3600' } }]);
    const client = new ScimClient({ tenantUrl: 'http://127.0.0.1:1/scim', auth: { kind: 'bearer', token: 't' } }, { fetch: fetchImpl, sleep: async () => {} });
    expect(await client.send({ method: 'POST', path: '/Users', body: { userName: 'a' } })).toMatchObject({ status: 429, attempts: 1, errorCode: 'TooManyRequests' });
  });

  it('reports a network failure as WebExceptionProtocolError and a 400 with the target’s detail', async () => {
    const { fetchImpl } = scriptedFetch([new TypeError('fetch failed'), { status: 400, body: { detail: 'userName is required' } }]);
    const client = new ScimClient({ tenantUrl: 'http://127.0.0.1:1/scim', auth: { kind: 'bearer', token: 't' } }, { fetch: fetchImpl });
    expect(await client.send({ method: 'GET', path: '/Users/1' })).toMatchObject({ status: null, errorCode: 'WebExceptionProtocolError' });
    expect(await client.send({ method: 'POST', path: '/Users', body: {} })).toMatchObject({ status: 400, errorCode: 'BadRequest', errorMessage: 'StatusCode: 400. Web Response: userName is required' });
  });

  it('gets an OAuth2 client-credentials token once and sends it as the bearer', async () => {
    const { fetchImpl, calls } = scriptedFetch([
      { status: 200, body: { access_token: 'issued', expires_in: 3600 } },
      { status: 200, body: { totalResults: 0, Resources: [] } },
      { status: 200, body: { totalResults: 0, Resources: [] } },
    ]);
    const client = new ScimClient(
      { tenantUrl: 'http://127.0.0.1:1/scim', auth: { kind: 'client-credentials', tokenUrl: 'http://127.0.0.1:1/token', clientId: 'c', clientSecret: 's' } },
      { fetch: fetchImpl },
    );
    await client.send({ method: 'GET', path: '/Users?filter=a' });
    await client.send({ method: 'GET', path: '/Users?filter=b' });
    expect(calls.map((c) => c.url)).toEqual(['http://127.0.0.1:1/token', 'http://127.0.0.1:1/scim/Users?filter=a', 'http://127.0.0.1:1/scim/Users?filter=b']);
    expect(String(calls[0]!.init.body)).toBe('grant_type=client_credentials&client_id=c&client_secret=s');
    expect((calls[2]!.init.headers as Record<string, string>).Authorization).toBe('Bearer issued');
  });
});

describe('escrow schedule and exports', () => {
  it('retries escrowed failures 6 h, 12 h, then 24 h apart (entra-scim.md §1.13)', () => {
    const first = '2026-01-01T00:00:00.000Z';
    expect(nextRetryAt(first, 1).toISOString()).toBe('2026-01-01T06:00:00.000Z');
    expect(nextRetryAt(first, 2).toISOString()).toBe('2026-01-01T12:00:00.000Z');
    expect(nextRetryAt(first, 3).toISOString()).toBe('2026-01-02T00:00:00.000Z');
  });

  it('quotes CSV fields and defuses spreadsheet formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField(null)).toBe('');
    const csv = auditToCsv([
      {
        objectType: 'User', sourceId: 'u1', label: 'a@b.c', action: 'create', status: 'failure', reason: 'StatusCode: 400', errorCode: 'BadRequest', targetId: null, durationMs: 3,
        steps: [{ name: 'Action', status: 'failure', summary: 'x', details: {}, requests: [{ method: 'POST', url: 'http://h/scim/Users', requestHeaders: {}, requestBody: null, status: 400, responseHeaders: {}, responseBody: null, attempts: 1, durationMs: 1, errorCode: 'BadRequest', errorMessage: null }] }],
      },
    ]);
    expect(csv.split('\r\n')[1]).toBe('User,u1,a@b.c,create,failure,StatusCode: 400,BadRequest,,3,POST /scim/Users → 400,Action: failure (x)');
  });
});
