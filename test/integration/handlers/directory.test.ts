import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, MethodInput, MethodName, MethodOutput } from '../../../shared/api.ts';
import { exportUsersCsv } from '../../../shared/directory/csv-import.ts';
import type { GraphUser } from '../../../shared/directory/graph-to-source.ts';
import { Backend, type BackendOptions } from '../../../electron/backend/backend.ts';
import { dispatch } from '../../../electron/backend/dispatch.ts';
import { encryptedFileCache } from '../../../electron/backend/directory/auth.ts';
import { consentingCache } from '../../../electron/backend/directory/token-caches.ts';
import { createFakeAuthority } from '../../support/fake-graph/fake-authority.ts';
import { demoGraphData } from '../../support/fake-graph/demo-data.ts';
import { startFakeGraph, type FakeGraph } from '../../support/fake-graph/server.ts';
import { tempDir } from '../../support/temp.ts';

const CLIENT_ID = '6f1c0f0e-a7a9-4b1f-a0a1-b2c3d4e5f607';
const TENANT_ID = '3c5f8a21-7d4e-4b9a-8f61-2e0d9c7b1a54';
/** A reversible stand-in for safeStorage: the tests only check that files hold no plain token. */
const xorEncryptor = {
  encrypt: (s: string) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
  decrypt: (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
};

interface Harness {
  backend: Backend;
  events: { name: EventName; payload: unknown }[];
  call<M extends MethodName>(name: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  /** the envelope's error, for calls expected to fail */
  fail(name: MethodName, input: unknown): Promise<{ code: string; message: string }>;
  /** resolves with the first event of that name matching the predicate (past or future) */
  waitFor<T>(name: EventName, match?: (payload: T) => boolean): Promise<T>;
}

const dirs: { path: string; cleanup(): void }[] = [];
const backends: Backend[] = [];
afterEach(async () => {
  for (const backend of backends.splice(0)) await backend.close();
});
afterAll(() => dirs.forEach((d) => d.cleanup()));

function harness(directory: BackendOptions['directory'] = {}, workspaceDir?: string): Harness {
  let dir = workspaceDir;
  if (!dir) {
    const fresh = tempDir('directory-handlers-');
    dirs.push(fresh);
    dir = fresh.path;
  }
  const backend = new Backend({ mode: 'browser', version: 'test', workspacePath: join(dir, 'w.scimplan'), directory });
  backends.push(backend);
  const events: Harness['events'] = [];
  const waiters: { name: EventName; match: (p: unknown) => boolean; resolve: (p: unknown) => void }[] = [];
  backend.events.subscribe((name, payload) => {
    events.push({ name, payload });
    for (const w of [...waiters]) {
      if (w.name === name && w.match(payload)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(payload);
      }
    }
  });
  return {
    backend,
    events,
    async call(name, input) {
      const envelope = await dispatch(backend.handlers, name, input);
      if (!envelope.ok) throw new Error(`${name}: ${envelope.error.code}: ${envelope.error.message}`);
      return envelope.value as never;
    },
    async fail(name, input) {
      const envelope = await dispatch(backend.handlers, name, input);
      if (envelope.ok) throw new Error(`${name} was expected to fail`);
      return envelope.error;
    },
    waitFor<T>(name: EventName, match: (payload: T) => boolean = () => true) {
      const past = events.find((e) => e.name === name && match(e.payload as T));
      if (past) return Promise.resolve(past.payload as T);
      return new Promise<T>((resolve) =>
        waiters.push({ name, match: match as (p: unknown) => boolean, resolve: resolve as (p: unknown) => void }),
      );
    },
  };
}

type Finished = MethodOutput<'directory.fetch.status'>;
type Progress = { jobId: string; phase: string; fetched: number; total: number | null; retryInSeconds: number | null };

async function fetchAndWait(h: Harness, input: MethodInput<'directory.fetch'>): Promise<Finished> {
  const { jobId } = await h.call('directory.fetch', input);
  return h.waitFor<Finished>('directory.fetch.finished', (s) => s.jobId === jobId);
}

describe('directory handlers against the fake Graph over HTTP', () => {
  const data = demoGraphData(5000);
  let graph: FakeGraph;
  beforeAll(async () => {
    graph = await startFakeGraph(data);
  });
  afterAll(() => graph.close());

  it('fetches 5,000 users into a snapshot and reports fetched / total progress', async () => {
    const h = harness();
    const before = await h.call('tenant.listSnapshots', {});
    const finished = await fetchAndWait(h, { token: graph.accessToken, graphBaseUrl: graph.baseUrl, label: 'Fake Graph' });
    expect(finished.state).toBe('done');
    expect(finished.snapshot).toMatchObject({ label: 'Fake Graph', origin: 'graph', userCount: 5000 });
    expect(finished.snapshot!.groupCount).toBe(data.groups!.length);

    const progress = h.events
      .filter((e) => e.name === 'directory.fetch.progress')
      .map((e) => e.payload as Progress)
      .filter((p) => p.phase === 'users');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.total === 5000)).toBe(true);
    expect(progress.at(-1)!.fetched).toBe(5000);
    const counts = progress.map((p) => p.fetched);
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);

    const after = await h.call('tenant.listSnapshots', {});
    expect(after).toHaveLength(before.length + 1);
    const users = await h.call('tenant.listUsers', { snapshotId: finished.snapshot!.id, limit: 1 });
    expect(users.total).toBe(5000);
    // A workspace.changed event lets the Tenant screen refresh its snapshot list.
    expect(h.events.some((e) => e.name === 'workspace.changed')).toBe(true);
  });

  it('waits out a 429 for its Retry-After and resumes at the throttled page', async () => {
    const sleeps: number[] = [];
    const h = harness({ graph: { sleep: async (ms) => void sleeps.push(ms) } });
    graph.injectFault({ path: /^\/v1\.0\/users$/, after: 2, status: 429, retryAfterSeconds: 3 });
    const finished = await fetchAndWait(h, { token: graph.accessToken, graphBaseUrl: graph.baseUrl });
    expect(finished.state).toBe('done');
    expect(finished.snapshot!.userCount).toBe(5000);
    expect(sleeps).toEqual([3000]);
    const waits = h.events
      .filter((e) => e.name === 'directory.fetch.progress')
      .map((e) => e.payload as Progress)
      .filter((p) => p.retryInSeconds !== null);
    expect(waits.map((p) => p.retryInSeconds)).toEqual([3]);
  });

  it('cancels a running fetch and keeps no snapshot', async () => {
    const slow = await startFakeGraph(data, { latencyMs: 40 });
    try {
      const h = harness({ graph: { pageSize: 100 } });
      const before = await h.call('tenant.listSnapshots', {});
      const { jobId } = await h.call('directory.fetch', { token: slow.accessToken, graphBaseUrl: slow.baseUrl });
      await h.waitFor<Progress>('directory.fetch.progress', (p) => p.jobId === jobId && p.phase === 'users' && p.fetched > 0);
      expect(await h.call('directory.cancel', { jobId })).toEqual({ cancelled: true });
      const finished = await h.waitFor<Finished>('directory.fetch.finished', (s) => s.jobId === jobId);
      expect(finished.state).toBe('cancelled');
      expect(finished.snapshot).toBeNull();
      expect(await h.call('tenant.listSnapshots', {})).toEqual(before);
      // A second cancel has nothing left to stop.
      expect(await h.call('directory.cancel', { jobId })).toEqual({ cancelled: false });
    } finally {
      await slow.close();
    }
  });

  it('turns a 401 into a "sign in again" failure', async () => {
    const h = harness();
    const finished = await fetchAndWait(h, { token: 'not-the-right-token-at-all', graphBaseUrl: graph.baseUrl });
    expect(finished.state).toBe('failed');
    expect(finished.error!.code).toBe('sign-in-required');
    expect(finished.error!.message).toMatch(/Sign in again/);
    expect((await h.call('directory.fetch.status', { jobId: finished.jobId })).state).toBe('failed');
  });

  it('refuses a plain-http Graph endpoint that is not on loopback', async () => {
    const h = harness();
    const error = await h.fail('directory.fetch', { token: graph.accessToken, graphBaseUrl: 'http://graph.example.com' });
    expect(error.code).toBe('invalid-input');
    expect(error.message).toMatch(/must use https/);
  });

  it('keeps a pasted token in the backend: accounts describe it without the token', async () => {
    const h = harness();
    const claims = { aud: 'https://graph.microsoft.com', upn: 'admin@contoso.com', tid: TENANT_ID, exp: Math.floor(Date.now() / 1000) + 3600 };
    const jwt = ['{"alg":"none"}', JSON.stringify(claims), 'signature'].map((p, i) => (i < 2 ? Buffer.from(p).toString('base64url') : p)).join('.');
    const account = await h.call('directory.useAccessToken', { token: jwt, cloud: 'global' });
    expect(account).toMatchObject({ kind: 'access-token', username: 'admin@contoso.com', tenantId: TENANT_ID });
    const accounts = await h.call('directory.accounts', {});
    expect(accounts.map((a) => a.accountId)).toEqual([account.accountId]);
    expect(JSON.stringify(accounts)).not.toContain(jwt);
    expect(await h.call('directory.signOut', { accountId: account.accountId })).toEqual({ signedOut: true });
    expect(await h.call('directory.accounts', {})).toEqual([]);

    const wrongAudience = jwt.replace(
      jwt.split('.')[1]!,
      Buffer.from(JSON.stringify({ ...claims, aud: 'https://management.azure.com' })).toString('base64url'),
    );
    const refused = await h.fail('directory.useAccessToken', { token: wrongAudience });
    expect(refused.message).toMatch(/not Microsoft Graph.*--resource-type ms-graph/);
  });

  it('fetches with a pasted opaque token through its account id', async () => {
    const h = harness();
    const account = await h.call('directory.useAccessToken', { token: graph.accessToken, cloud: 'global' });
    const finished = await fetchAndWait(h, { accountId: account.accountId, graphBaseUrl: graph.baseUrl });
    expect(finished.snapshot!.userCount).toBe(5000);
  });
});

describe('directory sign-in against a fake authority', () => {
  type SignInStatus = MethodOutput<'directory.signIn.status'>;
  const browserSignIn = { tenant: TENANT_ID, clientId: CLIENT_ID, method: 'browser' } as const;
  const data = demoGraphData();
  let graph: FakeGraph;
  beforeAll(async () => {
    graph = await startFakeGraph(data, { accessToken: 'token-from-device-code' });
  });
  afterAll(() => graph.close());

  it('signs in with a device code, fetches with the account, then signs out', async () => {
    const authority = createFakeAuthority({ tenantId: TENANT_ID, accessToken: 'token-from-device-code' });
    const h = harness({ identityNetworkClient: authority.networkClient });
    const started = await h.call('directory.signIn.start', { tenant: TENANT_ID, clientId: CLIENT_ID, method: 'device-code' });
    expect(started.deviceCode).toMatchObject({ userCode: 'FAKE-CODE', verificationUri: 'https://microsoft.com/devicelogin' });
    expect(started.authorizationUrl).toBeNull();
    await h.waitFor('directory.signIn.deviceCode');

    const done = await h.waitFor<MethodOutput<'directory.signIn.status'>>('directory.signIn.finished');
    expect(done.state).toBe('signed-in');
    expect(done.account).toMatchObject({ kind: 'signed-in', username: 'admin@contoso.onmicrosoft.com', tenantId: TENANT_ID });
    expect(await h.call('directory.signIn.status', { signInId: started.signInId })).toEqual(done);
    // In memory only: browser mode has no OS key store.
    expect(done.account!.storage).toMatch(/in memory/);

    const accounts = await h.call('directory.accounts', {});
    expect(accounts.map((a) => a.username)).toEqual(['admin@contoso.onmicrosoft.com']);
    expect(JSON.stringify(accounts)).not.toContain('token-from-device-code');

    const finished = await fetchAndWait(h, { accountId: done.account!.accountId, graphBaseUrl: graph.baseUrl });
    expect(finished.state).toBe('done');
    expect(finished.snapshot!.userCount).toBe(data.users.length);
    expect(finished.snapshot!.tenantName).toBe(TENANT_ID);

    expect(await h.call('directory.signOut', { accountId: done.account!.accountId })).toEqual({ signedOut: true });
    expect(await h.call('directory.accounts', {})).toEqual([]);
    const after = await fetchAndWait(h, { accountId: done.account!.accountId, graphBaseUrl: graph.baseUrl });
    expect(after.error, after.error?.message).toMatchObject({ code: "sign-in-required" });
  });

  it('cancels a device-code sign-in that is still waiting', async () => {
    const authority = createFakeAuthority({ tenantId: TENANT_ID, accessToken: 'x', pendingPolls: 1000 });
    const h = harness({ identityNetworkClient: authority.networkClient });
    const started = await h.call('directory.signIn.start', { tenant: TENANT_ID, clientId: CLIENT_ID, method: 'device-code' });
    expect(await h.call('directory.signIn.cancel', { signInId: started.signInId })).toEqual({ cancelled: true });
    const done = await h.waitFor<MethodOutput<'directory.signIn.status'>>('directory.signIn.finished');
    expect(done.state).toBe('cancelled');
  });

  it('opens the browser flow with PKCE and a loopback redirect, and closes the listener on cancel', async () => {
    const authority = createFakeAuthority({ tenantId: TENANT_ID, accessToken: 'x' });
    const h = harness({ identityNetworkClient: authority.networkClient });
    const started = await h.call('directory.signIn.start', { tenant: TENANT_ID, clientId: CLIENT_ID, method: 'browser' });
    const url = new URL(started.authorizationUrl!);
    expect(url.host).toBe('login.microsoftonline.com');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const redirect = url.searchParams.get('redirect_uri')!;
    expect(redirect).toMatch(/^http:\/\/localhost:\d+$/);
    const port = new URL(redirect).port;
    // The loopback listener is waiting for the browser's redirect (and takes nothing else)...
    const stray = await fetch(`http://127.0.0.1:${port}/`);
    expect(stray.status).toBe(404);
    expect(await stray.text()).toMatch(/only for the sign-in it started/);
    await h.call('directory.signIn.cancel', { signInId: started.signInId });
    const done = await h.waitFor<MethodOutput<'directory.signIn.status'>>('directory.signIn.finished');
    expect(done.state).toBe('cancelled');
    // ...and is gone once the admin cancels.
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it('signs in through the browser: the authorization URL, the redirect to the loopback, the account', async () => {
    const authority = createFakeAuthority({
      tenantId: TENANT_ID,
      accessToken: 'token-from-device-code',
      clientId: CLIENT_ID,
    });
    const h = harness({ identityNetworkClient: authority.networkClient });
    const started = await h.call('directory.signIn.start', browserSignIn);
    expect(started.deviceCode).toBeNull();
    expect((await h.call('directory.signIn.status', { signInId: started.signInId })).state).toBe('waiting');

    // The admin's browser: the sign-in page sends it back to the app's loopback listener.
    const redirect = authority.authorize(started.authorizationUrl!);
    expect(redirect).toMatch(/^http:\/\/localhost:\d+\/\?code=/);
    const page = await fetch(redirect);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Signed in to SCIM Planner');

    const done = await h.waitFor<SignInStatus>('directory.signIn.finished', (s) => s.signInId === started.signInId);
    expect(done).toMatchObject({ state: 'signed-in', error: null });
    expect(done.account).toMatchObject({
      kind: 'signed-in',
      username: 'admin@contoso.onmicrosoft.com',
      tenantId: TENANT_ID,
      clientId: CLIENT_ID,
    });
    const accounts = await h.call('directory.accounts', {});
    expect(accounts.map((a) => a.accountId)).toEqual([done.account!.accountId]);

    const finished = await fetchAndWait(h, { accountId: done.account!.accountId, graphBaseUrl: graph.baseUrl });
    expect(finished.state).toBe('done');
    expect(finished.snapshot!.userCount).toBe(data.users.length);
  });

  it('reports a browser sign-in the admin declined as failed, with the reason', async () => {
    const authority = createFakeAuthority({ tenantId: TENANT_ID, accessToken: 'x' });
    const h = harness({ identityNetworkClient: authority.networkClient });
    const started = await h.call('directory.signIn.start', browserSignIn);
    const page = await fetch(authority.authorize(started.authorizationUrl!, { decline: true }));
    expect(await page.text()).toContain('Sign-in to SCIM Planner failed');
    const done = await h.waitFor<SignInStatus>('directory.signIn.finished', (s) => s.signInId === started.signInId);
    expect(done).toMatchObject({
      state: 'failed',
      account: null,
      error:
        'Sign-in failed: the sign-in was cancelled in the browser, or consent was refused (AADSTS65004: User declined to consent to access the app.)',
    });
    expect(await h.call('directory.accounts', {})).toEqual([]);
  });

  it('keeps sign-ins encrypted on disk and lists them again after a restart', async () => {
    const workspace = tempDir('directory-restart-');
    dirs.push(workspace);
    const cacheDir = join(workspace.path, 'tokens');
    const authority = createFakeAuthority({ tenantId: TENANT_ID, accessToken: 'persisted-token', pendingPolls: 0 });
    const options = { tokenCacheDir: cacheDir, encryptor: xorEncryptor, identityNetworkClient: authority.networkClient };
    const first = harness(options, workspace.path);
    await first.call('directory.signIn.start', { tenant: TENANT_ID, clientId: CLIENT_ID, method: 'device-code' });
    const done = await first.waitFor<MethodOutput<'directory.signIn.status'>>('directory.signIn.finished');
    expect(done.account!.storage).toMatch(/^encrypted in /);
    await first.backend.close();
    backends.splice(backends.indexOf(first.backend), 1);

    // the folder of sign-ins is this user's alone, like the files in it
    if (process.platform !== 'win32') expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
    const files = JSON.parse(readFileSync(join(cacheDir, 'sign-ins.json'), 'utf8')) as unknown[];
    expect(files).toEqual([{ cloud: 'global', tenant: TENANT_ID, clientId: CLIENT_ID }]);
    const second = harness(options, workspace.path);
    expect((await second.call('directory.accounts', {})).map((a) => a.username)).toEqual(['admin@contoso.onmicrosoft.com']);
  });

  it('asks before storing a sign-in when the OS encryption is weak, and keeps it in memory on "no"', async () => {
    const dir = tempDir('consent-');
    dirs.push(dir);
    const path = join(dir.path, 'cache.bin');
    let asked = 0;
    const declined = consentingCache(encryptedFileCache(path, xorEncryptor), async () => (asked++, false));
    await declined.save('{"Account":{}}');
    await declined.save('{"Account":{"a":1}}');
    expect(asked).toBe(1);
    expect(existsSync(path)).toBe(false);
    expect(await declined.load()).toBe('{"Account":{"a":1}}');
    expect(declined.description).toMatch(/in memory only/);

    const accepted = consentingCache(encryptedFileCache(path, xorEncryptor), async () => true);
    await accepted.save('{"Account":{}}');
    expect(existsSync(path)).toBe(true);
  });
});

describe('directory import and snapshot comparison', () => {
  const demoUsers = (JSON.parse(readFileSync('resources/demo-tenant/users.json', 'utf8')) as { value: GraphUser[] }).value;

  it('reports every CSV error with its line and imports nothing', async () => {
    const h = harness();
    const before = await h.call('tenant.listSnapshots', {});
    const lines = exportUsersCsv(demoUsers.slice(0, 5)).trimEnd().split(/\r?\n/);
    const header = lines[0]!.split(',');
    const enabledColumn = header.indexOf('accountEnabled');
    const broken = lines[3]!.split(',');
    broken[enabledColumn] = 'maybe';
    lines[3] = broken.join(',');
    lines[5] = `${lines[5]},extra`;
    const result = await h.call('directory.import', { fileName: 'users.csv', content: lines.join('\n') });
    expect(result.status).toBe('rejected');
    if (result.status !== 'rejected') return;
    expect(result.message).toMatch(/nothing was imported/);
    expect(result.issues.map((i) => i.line)).toEqual([4, 6]);
    expect(result.issues[0]).toMatchObject({ column: enabledColumn + 1, columnName: 'accountEnabled' });
    expect(await h.call('tenant.listSnapshots', {})).toEqual(before);
  });

  it('imports a correct CSV as a snapshot with its users', async () => {
    const h = harness();
    const result = await h.call('directory.import', { fileName: 'contoso.csv', content: exportUsersCsv(demoUsers) });
    expect(result.status).toBe('imported');
    if (result.status !== 'imported') return;
    expect(result.snapshot).toMatchObject({ label: 'contoso.csv', origin: 'csv', userCount: demoUsers.length });
    const first = await h.call('tenant.getUser', { snapshotId: result.snapshot.id, userId: demoUsers[0]!.id });
    expect(first.raw.userPrincipalName).toBe(demoUsers[0]!.userPrincipalName);
  });

  it('reports a Graph JSON syntax error with line and column', async () => {
    const h = harness();
    const result = await h.call('directory.import', { fileName: 'users.json', content: '{"value": [\n  {"id": "a",}\n]}' });
    expect(result).toMatchObject({ status: 'rejected', format: 'json' });
    if (result.status === 'rejected') expect(result.issues[0]!.line).toBe(2);
  });

  it('compares two snapshots: added, changed with the changed attributes, removed', async () => {
    const h = harness();
    const base = demoUsers.slice(0, 50);
    const next = structuredClone(base);
    next[3]!.department = 'Changed department';
    next[7]!.jobTitle = 'Changed title';
    const removed = next.splice(10, 2);
    const added: GraphUser = { ...structuredClone(base[0]!), id: '99999999-0000-4000-8000-000000000001', userPrincipalName: 'new.person@contoso.com', displayName: 'New Person' };
    next.push(added);
    const importJson = async (users: GraphUser[], fileName: string) => {
      const r = await h.call('directory.import', { fileName, content: JSON.stringify({ value: users }) });
      if (r.status !== 'imported') throw new Error(r.message);
      return r.snapshot.id;
    };
    const from = await importJson(base, 'before.json');
    const to = await importJson(next, 'after.json');

    const changed = await h.call('directory.compareSnapshots', { from, to, section: 'changed' });
    expect(changed.counts).toEqual({ added: 1, changed: 2, removed: 2, unchanged: 46 });
    expect(changed.items.map((u) => u.id)).toEqual([base[3]!.id, base[7]!.id]);
    expect(changed.items[0]!.changes).toEqual([
      { attribute: 'department', before: base[3]!.department ?? null, after: 'Changed department' },
    ]);
    expect(changed.items[1]!.changes.map((c) => c.attribute)).toEqual(['jobTitle']);

    const gone = await h.call('directory.compareSnapshots', { from, to, section: 'removed' });
    expect(gone.items.map((u) => u.userPrincipalName)).toEqual(removed.map((u) => u.userPrincipalName));
    const fresh = await h.call('directory.compareSnapshots', { from, to, section: 'added' });
    expect(fresh.items).toEqual([{ id: added.id, userPrincipalName: 'new.person@contoso.com', displayName: 'New Person', changes: [] }]);

    const page = await h.call('directory.compareSnapshots', { from, to, section: 'removed', offset: 1, limit: 1 });
    expect(page).toMatchObject({ total: 2, offset: 1 });
    expect(page.items.map((u) => u.id)).toEqual([removed[1]!.id]);
  });

  it('loads the demo tenant again after its snapshot was deleted', async () => {
    const h = harness();
    const demo = (await h.call('tenant.listSnapshots', {})).find((s) => s.origin === 'demo')!;
    expect(await h.call('directory.useDemoTenant', {})).toEqual(demo);
    await h.call('tenant.deleteSnapshot', { snapshotId: demo.id });
    const again = await h.call('directory.useDemoTenant', {});
    expect(again).toMatchObject({ origin: 'demo', userCount: demo.userCount, groupCount: demo.groupCount });
  });
});

describe('directory.refresh (Graph delta) against the fake Graph over HTTP', () => {
  const data = demoGraphData(300);
  let graph: FakeGraph;
  beforeAll(async () => {
    graph = await startFakeGraph(data);
  });
  afterAll(() => graph.close());

  async function refreshAndWait(h: Harness, input: MethodInput<'directory.refresh'>): Promise<Finished> {
    const { jobId } = await h.call('directory.refresh', input);
    return h.waitFor<Finished>('directory.fetch.finished', (s) => s.jobId === jobId);
  }

  it('refreshes a fetched snapshot into a child with the changes, then falls back to a full read when the link expired', async () => {
    const h = harness();
    const auth = { token: graph.accessToken, graphBaseUrl: graph.baseUrl };
    const fetched = await fetchAndWait(h, { ...auth, label: 'Contoso' });
    expect(fetched.snapshot).toMatchObject({ refreshable: true, parentId: null });

    const [changed, removed] = data.users as GraphUser[];
    graph.tenant.updateUser(changed!.id, { department: 'Refreshed in the app' });
    graph.tenant.hardDeleteUser(removed!.id);
    const refreshed = await refreshAndWait(h, { ...auth, snapshotId: fetched.snapshot!.id });
    expect(refreshed.state).toBe('done');
    expect(refreshed.snapshot).toMatchObject({ label: 'Contoso · refreshed', parentId: fetched.snapshot!.id, userCount: 299, refreshable: true });
    const user = await h.call('tenant.getUser', { snapshotId: refreshed.snapshot!.id, userId: changed!.id });
    expect(user.source.department).toBe('Refreshed in the app');

    graph.tenant.expireDeltaLinks();
    const fallback = await refreshAndWait(h, { ...auth, snapshotId: refreshed.snapshot!.id });
    expect(fallback.state).toBe('done');
    expect(fallback.notes.join('\n')).toMatch(/deltaLink can no longer be used .*; reading the whole tenant instead/);
    const notices = h.events
      .filter((e) => e.name === 'directory.fetch.progress' && (e.payload as { jobId: string }).jobId === fallback.jobId)
      .map((e) => (e.payload as { notice?: string | null }).notice);
    expect(notices.some((n) => n && /reading the whole tenant instead/.test(n))).toBe(true);
    expect(fallback.snapshot).toMatchObject({ parentId: refreshed.snapshot!.id, userCount: 299 });
  });

  it('refuses to refresh a snapshot that keeps no deltaLinks, saying why', async () => {
    const h = harness();
    const demo = (await h.call('tenant.listSnapshots', {}))[0]!;
    const error = await h.fail('directory.refresh', { token: graph.accessToken, graphBaseUrl: graph.baseUrl, snapshotId: demo.id });
    expect(error.message).toMatch(/keeps no Graph deltaLinks/);
  });
});
