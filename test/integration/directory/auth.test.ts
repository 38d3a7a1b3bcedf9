import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EntraSignIn,
  SignInRequiredError,
  encryptedFileCache,
  memoryCache,
  plainFileCache,
} from '../../../electron/backend/directory/auth.ts';
import { GraphReader } from '../../../electron/backend/directory/graph-reader.ts';
import { createFakeAuthority } from '../../support/fake-graph/fake-authority.ts';
import { demoGraphData } from '../../support/fake-graph/demo-data.ts';
import { startFakeGraph } from '../../support/fake-graph/server.ts';

const CLIENT_ID = '6f1c0f0e-a7a9-4b1f-a0a1-b2c3d4e5f607';
const TENANT_ID = '3c5f8a21-7d4e-4b9a-8f61-2e0d9c7b1a54';
const temp = mkdtempSync(join(tmpdir(), 'msal-cache-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe("EntraSignIn with a fake authority at MSAL's network seam", () => {
  it('signs in with a device code and the token reads users from the fake Graph', async () => {
    const authority = createFakeAuthority({ tenantId: TENANT_ID, accessToken: 'token-from-device-code' });
    const signIn = new EntraSignIn({ clientId: CLIENT_ID, tenant: TENANT_ID, networkClient: authority.networkClient });
    const messages: string[] = [];
    const account = await signIn.signInWithDeviceCode((m) => messages.push(m));
    expect(messages[0]).toMatch(/enter the code FAKE-CODE/);
    expect(account).toMatchObject({ username: 'admin@contoso.onmicrosoft.com', tenantId: TENANT_ID });
    const posts = authority.requests.filter((r) => r.method === 'POST').map((r) => new URL(r.url).pathname);
    expect(posts).toEqual([
      `/${TENANT_ID}/oauth2/v2.0/devicecode`,
      `/${TENANT_ID}/oauth2/v2.0/token`,
      `/${TENANT_ID}/oauth2/v2.0/token`,
    ]);
    expect(authority.requests.find((r) => r.form?.scope)!.form!.scope).toContain(
      'https://graph.microsoft.com/User.Read.All',
    );

    const data = demoGraphData();
    const graph = await startFakeGraph(data, { accessToken: 'token-from-device-code' });
    try {
      const reader = new GraphReader({
        graphBaseUrl: graph.baseUrl,
        getAccessToken: () => signIn.accessToken(account.homeAccountId),
      });
      expect(await reader.readUsers()).toHaveLength(data.users.length);
    } finally {
      await graph.close();
    }
  });

  it('uses the national cloud authority and Graph scopes', async () => {
    const authority = createFakeAuthority({ tenantId: TENANT_ID, accessToken: 't', pendingPolls: 0 });
    const signIn = new EntraSignIn({
      clientId: CLIENT_ID,
      tenant: TENANT_ID,
      cloud: 'usgovdod',
      networkClient: authority.networkClient,
    });
    await signIn.signInWithDeviceCode(() => undefined);
    const deviceCode = authority.requests.find((r) => r.url.includes('/devicecode'))!;
    expect(new URL(deviceCode.url).host).toBe('login.microsoftonline.us');
    expect(deviceCode.form!.scope).toContain('https://dod-graph.microsoft.us/User.Read.All');
  });

  it('keeps the cache encrypted in a 0600 file and signs the account in again from it', async () => {
    const path = join(temp, 'encrypted.bin');
    // A reversible stand-in for safeStorage: the test only checks that the file holds no plain token.
    const encryptor = {
      encrypt: (s: string) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
      decrypt: (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
    };
    const authority = createFakeAuthority({ tenantId: TENANT_ID, accessToken: 'cached-token', pendingPolls: 0 });
    const first = new EntraSignIn({
      clientId: CLIENT_ID,
      tenant: TENANT_ID,
      networkClient: authority.networkClient,
      cache: encryptedFileCache(path, encryptor),
    });
    const account = await first.signInWithDeviceCode(() => undefined);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path).toString('utf8')).not.toContain('cached-token');

    const second = new EntraSignIn({
      clientId: CLIENT_ID,
      tenant: TENANT_ID,
      networkClient: authority.networkClient,
      cache: encryptedFileCache(path, encryptor),
    });
    expect((await second.accounts()).map((a) => a.username)).toEqual([account.username]);
    expect(await second.accessToken()).toBe('cached-token');
    expect(await second.signOut(account.homeAccountId)).toBe(true);
    await expect(second.accessToken()).rejects.toThrow(SignInRequiredError);
  });

  it('writes an opted-in plain cache readable only by the user', async () => {
    const path = join(temp, 'plain.json');
    const authority = createFakeAuthority({ tenantId: TENANT_ID, accessToken: 'plain-token', pendingPolls: 0 });
    const signIn = new EntraSignIn({
      clientId: CLIENT_ID,
      tenant: TENANT_ID,
      networkClient: authority.networkClient,
      cache: plainFileCache(path),
    });
    await signIn.signInWithDeviceCode(() => undefined);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8')).AccessToken).toBeTypeOf('object');
  });

  it('asks for a sign-in when the memory cache has no account', async () => {
    const signIn = new EntraSignIn({
      clientId: CLIENT_ID,
      cache: memoryCache(),
      networkClient: createFakeAuthority({ tenantId: TENANT_ID, accessToken: 'x' }).networkClient,
    });
    await expect(signIn.accessToken()).rejects.toThrow(/Not signed in/);
  });

  it('refuses a client id that is not a GUID', () => {
    expect(() => new EntraSignIn({ clientId: 'my-app' })).toThrow(/Application \(client\) ID/);
  });
});
