import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scim, startTestServer, type TestServer } from '../integration/mock-server/helpers.ts';

/** Deterministic PRNG (mulberry32) so a failing run can be replayed. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REQUESTS = 10_000;
const EXTENSION = 'urn:ietf:params:scim:schemas:extension:contoso:2.0:User';
/** A user whose custom extension nests `depth` objects (5,000 levels is about 30 KB). */
const deeplyNested = (depth: number) =>
  `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","${EXTENSION}"],"userName":"deep@contoso.test","${EXTENSION}":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
const MALFORMED_PERCENT_PATHS = ['/Users/%E0%A4%A', '/Users/%', '/Groups/%zz', '/Users?filter=%E0%A4%A', '/Users?startIndex=%FF&count=%', '/%C0%AF'];
const CONCURRENCY = 16;

let running: TestServer;
let userId: string;
let groupId: string;

beforeAll(async () => {
  running = await startTestServer({ maxBodyBytes: 64 * 1024 });
  const call = scim(running.server);
  for (let i = 0; i < 20; i++) {
    const created = await call('POST', '/Users', { userName: `seed${i}@contoso.test`, emails: [{ type: 'work', value: `seed${i}@contoso.test` }] });
    userId = created.json!.id;
  }
  groupId = (await call('POST', '/Groups', { displayName: 'Seed', members: [{ value: userId }] })).json!.id;
});
afterAll(async () => {
  await running.close();
});

function snapshot() {
  return JSON.stringify([running.server.listUsers({ count: 1000 }), running.server.listGroups({ count: 1000 })]);
}

describe('mock server under hostile input', () => {
  it(`answers ${REQUESTS} malformed, oversized and random requests without a 5xx and without changing data`, async () => {
    const before = snapshot();
    const random = prng(20240601);
    const pick = <T,>(items: T[]): T => items[Math.floor(random() * items.length)]!;
    const junk = (length: number) => Array.from({ length }, () => String.fromCharCode(Math.floor(random() * 0x3000))).join('');
    const filters = ['userName eq', '((', 'userName eq "x" and', 'emails[type eq "work"', 'active gt true', 'a.b.c eq 1', 'not userName', '"x"', '', ' ', 'title co ' + junk(5), 'emails[value eq "x"].value.more eq "y"', 'userName eq "' + junk(20) + '"', 'members[value eq "x"]'];
    const paths = [`/Users/${userId}`, `/Groups/${groupId}`, '/Users/nope', '/Groups/nope', '/Users', '/Groups', '/Users/%E0%A4%A', '/Schemas/x', '/ResourceTypes/Nope', '/Bulk', '/Me', '/../../etc/passwd', '/Users/a/b/c', '/%00', '/Users/.search'];
    const badPatches = [
      { Operations: [{ op: 'replace', path: 'id', value: 'x' }] },
      { Operations: [{ op: 'remove', path: 'userName' }] },
      { Operations: [{ op: 'replace', path: 'emails[type eq', value: 'x' }] },
      { Operations: [{ op: 'frobnicate' }] },
      { Operations: 'nope' },
      { Operations: [] },
      { Operations: [{ op: 'remove' }] },
      { Operations: [{ op: 'replace', path: 'active', value: 42 }] },
      { Operations: [{ op: 'add', path: 'members', value: { nested: { deep: [1, 2, 3] } } }, { op: 'replace', path: 'displayName', value: null }] },
      [1, 2, 3],
      'just a string',
      null,
    ];

    const makeRequest = (): { method: string; path: string; body?: string; headers: Record<string, string> } => {
      const headers: Record<string, string> = { Authorization: 'Bearer test-token' };
      const kind = Math.floor(random() * 12);
      switch (kind) {
        case 0:
          return { method: 'POST', path: '/Users', body: '{"userName": "x' + junk(10), headers };
        case 1:
          return { method: 'POST', path: pick(['/Users', '/Groups']), body: JSON.stringify({ userName: 'big', displayName: 'x'.repeat(70 * 1024) }), headers };
        case 2:
          return { method: 'GET', path: `/Users?filter=${encodeURIComponent(pick(filters))}&startIndex=${pick(['-5', 'abc', '1', '999999999999'])}&count=${pick(['0', '-1', 'x', '5000', '1.5'])}`, headers };
        case 3:
          return { method: 'PATCH', path: pick([`/Users/${userId}`, `/Groups/${groupId}`]), body: JSON.stringify(pick(badPatches)), headers };
        case 4:
          return { method: pick(['GET', 'PUT', 'PATCH', 'DELETE', 'POST', 'OPTIONS', 'HEAD']), path: pick(paths.filter((p) => !p.includes(userId) && !p.includes(groupId))) + (random() < 0.5 ? '?attributes=' + encodeURIComponent(junk(8)) : ''), body: random() < 0.5 ? junk(50) : '', headers };
        case 5:
          return { method: 'GET', path: `/Users/${userId}`, headers: { Authorization: pick(['Bearer wrong', 'Basic dGVzdA==', '', 'Bearer ' + junk(40), 'bearer test-token ']) } };
        case 6:
          return { method: 'POST', path: '/Users', body: JSON.stringify({ userName: `seed${Math.floor(random() * 20)}@contoso.test` }), headers };
        case 7:
          return { method: 'PUT', path: `/Users/${userId}`, body: JSON.stringify({ displayName: 'no userName' }), headers };
        case 10:
          return { method: pick(['POST', 'PUT']), path: pick(['/Users', `/Users/${userId}`]), body: deeplyNested(pick([150, 5000])), headers };
        case 11:
          return { method: pick(['GET', 'DELETE', 'PATCH']), path: pick(MALFORMED_PERCENT_PATHS), headers, body: '{}' };
        case 8:
          return { method: 'POST', path: '/Users', body: JSON.stringify({ userName: pick([42, '', null, ['a'], { a: 1 }]), active: pick(['maybe', 3, {}]) }), headers };
        default:
          return { method: 'GET', path: `/Groups?excludedAttributes=${encodeURIComponent(junk(6))}&filter=${encodeURIComponent(pick(filters))}`, headers };
      }
    };

    const statuses = new Map<number, number>();
    const serverErrors: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < REQUESTS) {
        next++;
        const request = makeRequest();
        const init: RequestInit = { method: request.method, headers: request.headers };
        if (request.body && request.method !== 'GET' && request.method !== 'HEAD') init.body = request.body;
        let status: number;
        try {
          const response = await fetch(running.server.url + request.path, init);
          await response.arrayBuffer();
          status = response.status;
        } catch {
          // a 413 with Connection: close may cut an upload short; that is the refusal, not a failure
          status = 413;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        // 501 is RFC 7644's answer for the unimplemented /Bulk and /Me (§3.7, §3.11), not a failure
        const unimplemented = status === 501 && /^\/(Bulk|Me)(\?|$)/.test(request.path);
        if (status >= 500 && !unimplemented) serverErrors.push(`${status} ${request.method} ${request.path}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(REQUESTS);
    expect(serverErrors).toEqual([]);
    const after = snapshot();
    expect(after).toBe(before);
    const alive = await scim(running.server)('GET', '/ServiceProviderConfig');
    expect(alive.status).toBe(200);
  });
});

describe('mock server under the probe’s hostile classes', () => {
  let probe: TestServer;
  let probeUserId: string;
  beforeAll(async () => {
    // the default 1 MiB body limit, so 10,000 operations and a 200,000-character userName reach the SCIM layer
    probe = await startTestServer();
    probeUserId = (await scim(probe.server)('POST', '/Users', { userName: 'probe@contoso.test' })).json!.id;
  });
  afterAll(async () => {
    await probe.close();
  });

  it('answers deep nesting, malformed percent-encoding, 10,000 operations and hostile regex values without a 5xx, and a concurrent GET stays prompt', async () => {
    const call = scim(probe.server);
    const dots = '.'.repeat(200_000);
    const tenThousandOps = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: Array.from({ length: 10_000 }, (_, i) => ({ op: 'replace', path: 'displayName', value: `n${i}` })) };
    const tenThousandFilterOps = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: Array.from({ length: 10_000 }, () => ({ op: 'remove', path: 'emails[value co "x"]' })) };
    const hostile: Array<() => Promise<{ status: number; label: string }>> = [
      async () => ({ label: 'POST 5,000-level custom extension', status: (await call('POST', '/Users', deeplyNested(5000))).status }),
      async () => ({ label: 'PUT 100,000-level array', status: (await call('PUT', `/Users/${probeUserId}`, `{"userName":"probe@contoso.test","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)).status }),
      ...MALFORMED_PERCENT_PATHS.map((path) => async () => ({ label: `GET ${path}`, status: (await call('GET', path)).status })),
      async () => ({ label: 'PATCH 10,000 operations', status: (await call('PATCH', `/Users/${probeUserId}`, tenThousandOps)).status }),
      async () => ({ label: 'PATCH 10,000 filtered removes', status: (await call('PATCH', `/Users/${probeUserId}`, tenThousandFilterOps)).status }),
      async () => ({ label: 'POST userName of 200,000 dots', status: (await call('POST', '/Users', { userName: dots })).status }),
      async () => ({ label: 'search userName co 200,000 dots', status: (await call('POST', '/Users/.search', { filter: `userName co "${dots}"` })).status }),
      async () => ({ label: 'search userName eq 200,000 dots', status: (await call('POST', '/Users/.search', { filter: `userName eq "${dots}"` })).status }),
      async () => ({ label: 'PATCH emails filter of 200,000 dots', status: (await call('PATCH', `/Users/${probeUserId}`, { Operations: [{ op: 'replace', path: `emails[value eq "${dots}"].value`, value: 'x@contoso.test' }] })).status }),
    ];

    const serverErrors: string[] = [];
    const slowest = { ms: 0 };
    let flooding = true;
    // A small GET every 50 ms while the hostile requests run: none may wait behind them for long.
    const prompt = (async () => {
      while (flooding) {
        const started = performance.now();
        const reply = await call('GET', '/Users?count=1');
        expect(reply.status).toBe(200);
        slowest.ms = Math.max(slowest.ms, performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(hostile.map((send) => send()));
      for (const { label, status } of results) if (status >= 500) serverErrors.push(`${status} ${label}`);
    }
    flooding = false;
    await prompt;

    expect(serverErrors).toEqual([]);
    expect(slowest.ms).toBeLessThan(2_000);
  });
});
