import { afterEach, describe, expect, it } from 'vitest';
import { previewSnapshot } from '../../../shared/preview/run.ts';
import { runCycle } from '../../../electron/backend/provisioning/cycle.ts';
import { ScimClient } from '../../../electron/backend/provisioning/scim-client.ts';
import { MemoryProvisioningState } from '../../../electron/backend/provisioning/types.ts';
import { GENERIC_BEHAVIOUR } from '../../../electron/backend/mock-server/vendor-behaviour.ts';
import { tempDir } from '../../support/temp.ts';
import { demoDirectory, heldUsers, mappingSet, startMock, type MockTarget } from './helpers.ts';

const DEFAULT_SET = 'resources/templates/entra-scim-default.schema.json';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('throttling and outages', () => {
  it('honours 429 Retry-After: every user is created and the throttled requests were retried', async () => {
    const mock = await startMock({ ...GENERIC_BEHAVIOUR, rateLimit: { requestsPerSecond: 40, burst: 5 } });
    cleanups.push(() => mock.stop());
    const users = demoDirectory().users.filter((u) => u.accountEnabled !== false).slice(0, 25);
    const client = new ScimClient({ tenantUrl: mock.server.url, auth: { kind: 'bearer', token: 'test-token' } });
    const { summary, entries } = await runCycle(client, { kind: 'initial', set: mappingSet(DEFAULT_SET), current: { users }, state: new MemoryProvisioningState(), concurrency: 4 });
    expect(summary.failed).toBe(0);
    expect(summary.created).toBe(heldUsers(mock.server).size);
    const retried = entries.flatMap((e) => e.steps.flatMap((s) => s.requests)).filter((r) => r.attempts > 1);
    expect(retried.length).toBeGreaterThan(0);
    const throttled = mock.server.requestLog({ status: 429, limit: 1000 });
    expect(throttled.length).toBeGreaterThanOrEqual(retried.length);
  });

  it('a server killed mid-cycle is reported, and the next cycle finishes the work without duplicates', async () => {
    const dir = tempDir('provisioning-outage-');
    cleanups.push(() => dir.cleanup());
    let mock: MockTarget | null = await startMock(GENERIC_BEHAVIOUR, { dir: dir.path });
    const port = mock.server.port;
    cleanups.push(() => mock?.stop());
    const set = mappingSet(DEFAULT_SET);
    const directory = { users: demoDirectory().users };
    const state = new MemoryProvisioningState();
    const client = new ScimClient({ tenantUrl: mock.server.url, auth: { kind: 'bearer', token: 'test-token' } });

    let posts = 0;
    const first = mock;
    first.server.onRequest((entry) => {
      if (entry.method === 'POST' && ++posts === 60) void first.stop();
    });
    const broken = await runCycle(client, { kind: 'initial', set, current: directory, state });
    expect(broken.summary.status).toBe('quarantined');
    expect(broken.summary.quarantine?.reason).toBe('EncounteredQuarantineException');
    expect(broken.summary.failed + broken.summary.notProcessed).toBeGreaterThan(0);
    expect(broken.entries.some((e) => e.status === 'failure' && e.errorCode === 'WebExceptionProtocolError')).toBe(true);

    mock = await startMock(GENERIC_BEHAVIOUR, { dir: dir.path, port });
    const resumed = await runCycle(client, { kind: 'incremental', set, current: directory, state });
    expect(resumed.summary.failed).toBe(0);
    expect(resumed.summary.status).toBe('completed');
    expect(resumed.summary.quarantine).toBeNull();

    // Exactly one account per user the preview creates: nothing created twice, nothing missing.
    const creates = previewSnapshot({ set, users: directory.users }).users.filter((u) => u.action === 'create');
    const held = heldUsers(mock.server);
    expect(mock.server.listUsers({ count: 1 }).total).toBe(creates.length);
    expect([...held.keys()].sort()).toEqual(creates.map((u) => String(u.userPrincipalName).toLowerCase()).sort());
  });
});
