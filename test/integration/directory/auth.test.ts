import { createHash } from 'node:crypto';
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
import { NetworkRequestError } from '../../../electron/backend/directory/network.ts';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import {
  AuthorizePageError,
  createFakeAuthority,
  type AuthorizeChoice,
  type FakeAuthority,
} from '../../support/fake-graph/fake-authority.ts';
import { demoGraphData } from '../../support/fake-graph/demo-data.ts';
import { startFakeGraph } from '../../support/fake-graph/server.ts';

const CLIENT_ID = '6f1c0f0e-a7a9-4b1f-a0a1-b2c3d4e5f607';
const TENANT_ID = '3c5f8a21-7d4e-4b9a-8f61-2e0d9c7b1a54';
const temp = mkdtempSync(join(tmpdir(), 'msal-cache-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

interface LandedPage {
  status: number;
  body: string;
}

/**
 * Plays the system browser for the authorization code flow: the sign-in page is the fake authority's
 * authorize(), then the browser follows its redirect to the app's loopback listener over real HTTP.
 * `tamper` edits the authorization URL on the way, as a hostile page could.
 */
function fakeBrowser(authority: FakeAuthority, choice?: AuthorizeChoice, tamper?: (url: URL) => void) {
  const browser = {
    authorizationUrl: null as URL | null,
    redirect: null as URL | null,
    /** what the tab shows after the redirect (set once the browser follows it) */
    landed: null as Promise<LandedPage> | null,
    async open(url: string) {
      const authorizationUrl = new URL(url);
      tamper?.(authorizationUrl);
      browser.authorizationUrl = authorizationUrl;
      browser.redirect = new URL(authority.authorize(authorizationUrl.toString(), choice));
      // Not awaited: the loopback answers the redirect only after the token request, which MSAL makes
      // after this returns (a browser tab does not block the app either).
      browser.landed = fetch(browser.redirect).then(
        async (r) => ({ status: r.status, body: await r.text() }),
        (error: Error) => ({ status: 0, body: String(error.cause ?? error) }),
      );
    },
  };
  return browser;
}

const base64urlSha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

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

  it('signs in in the browser with PKCE and a loopback redirect, and the token reads users from the fake Graph', async () => {
    const authority = createFakeAuthority({
      tenantId: TENANT_ID,
      accessToken: 'token-from-browser',
      clientId: CLIENT_ID,
    });
    const signIn = new EntraSignIn({ clientId: CLIENT_ID, tenant: TENANT_ID, networkClient: authority.networkClient });
    const browser = fakeBrowser(authority);
    const account = await signIn.signInInteractive((url) => browser.open(url));
    expect(account).toMatchObject({ username: 'admin@contoso.onmicrosoft.com', tenantId: TENANT_ID });

    const query = browser.authorizationUrl!.searchParams;
    expect(browser.authorizationUrl!.origin + browser.authorizationUrl!.pathname).toBe(
      `https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/authorize`,
    );
    expect(query.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+$/);
    expect(browser.redirect!.searchParams.get('state')).toBe(query.get('state'));
    const redemption = authority.requests.find((r) => r.form?.grant_type === 'authorization_code')!;
    expect(redemption.form).toMatchObject({ client_id: CLIENT_ID, redirect_uri: query.get('redirect_uri') });
    expect(base64urlSha256(redemption.form!.code_verifier!)).toBe(query.get('code_challenge'));

    // The tab that brought the code back says, in the app's words, that it worked.
    const page = await browser.landed!;
    expect(page.status).toBe(200);
    expect(page.body).toContain('Signed in to SCIM Planner');
    expect(page.body).toContain('You can close this tab');

    const data = demoGraphData();
    const graph = await startFakeGraph(data, { accessToken: 'token-from-browser' });
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

  it('is refused when the code was issued for another PKCE challenge than its verifier', async () => {
    const authority = createFakeAuthority({ tenantId: TENANT_ID, accessToken: 'never-issued' });
    const signIn = new EntraSignIn({ clientId: CLIENT_ID, tenant: TENANT_ID, networkClient: authority.networkClient });
    // A code someone else obtained, with their own challenge, slipped into this sign-in.
    const browser = fakeBrowser(authority, {}, (url) =>
      url.searchParams.set('code_challenge', base64urlSha256('a verifier the app never saw')),
    );
    await expect(signIn.signInInteractive((url) => browser.open(url))).rejects.toThrow(
      /^invalid_grant: .*AADSTS501481: The Code_Verifier does not match the code_challenge/,
    );
    const page = await browser.landed!;
    expect(page.status).toBe(400);
    expect(page.body).toContain('Sign-in to SCIM Planner failed');
    expect(page.body).toContain('AADSTS501481');
    expect(await signIn.accounts()).toEqual([]);
  });

  it('says the sign-in was cancelled or refused when the browser comes back with access_denied', async () => {
    const authority = createFakeAuthority({ tenantId: TENANT_ID, accessToken: 'never-issued' });
    const signIn = new EntraSignIn({ clientId: CLIENT_ID, tenant: TENANT_ID, networkClient: authority.networkClient });
    const browser = fakeBrowser(authority, { decline: true });
    await expect(signIn.signInInteractive((url) => browser.open(url))).rejects.toThrow(
      'the sign-in was cancelled in the browser, or consent was refused (AADSTS65004: User declined to consent to access the app.)',
    );
    expect(browser.redirect!.searchParams.get('error')).toBe('access_denied');
    expect(authority.requests.some((r) => r.form?.grant_type === 'authorization_code')).toBe(false);
    const page = await browser.landed!;
    expect(page.body).toContain('Sign-in to SCIM Planner failed');
    expect(page.body).toContain('Reason: the sign-in was cancelled in the browser, or consent was refused');
  });

  it('ignores a redirect for another sign-in, and frees the loopback port when cancelled', async () => {
    const authority = createFakeAuthority({ tenantId: TENANT_ID, accessToken: 'never-issued' });
    const signIn = new EntraSignIn({ clientId: CLIENT_ID, tenant: TENANT_ID, networkClient: authority.networkClient });
    const controller = new AbortController();
    let opened!: (url: string) => void;
    const authorizationUrl = new Promise<string>((resolve) => (opened = resolve));
    const flow = signIn.signInInteractive(async (url) => opened(url), controller.signal);
    const settled = flow.then(
      () => 'signed in',
      (error: Error) => error.message,
    );

    const url = new URL(await authorizationUrl);
    const port = new URL(url.searchParams.get('redirect_uri')!).port;
    // A code delivered with some other state (another tab, a hostile page) is not taken.
    const forged = new URL(authority.authorize(url.toString()));
    forged.searchParams.set('state', 'not-this-sign-in');
    const refused = await fetch(`http://127.0.0.1:${port}${forged.pathname}${forged.search}`);
    expect(refused.status).toBe(404);
    expect(await refused.text()).toBe('SCIM Planner listens here only for the sign-in it started.');
    expect(authority.requests.some((r) => r.form?.grant_type === 'authorization_code')).toBe(false);

    controller.abort();
    expect(await settled).toBe('The sign-in was cancelled.');
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
  });

  it('checks the authorization request and the code redemption as Entra does', async () => {
    const authority = createFakeAuthority({ tenantId: TENANT_ID, accessToken: 'checked', clientId: CLIENT_ID });
    const verifier = 'a-verifier-of-at-least-forty-three-characters-0123456789';
    const request = (params: Record<string, string>) => {
      const url = new URL(`https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/authorize`);
      const all = {
        client_id: CLIENT_ID,
        response_type: 'code',
        redirect_uri: 'http://localhost:41234',
        scope:
          'https://graph.microsoft.com/User.Read.All https://graph.microsoft.com/Group.Read.All https://graph.microsoft.com/Application.Read.All openid profile offline_access',
        code_challenge: base64urlSha256(verifier),
        code_challenge_method: 'S256',
        state: 'the-state',
        ...params,
      };
      for (const [name, value] of Object.entries(all)) if (value !== '') url.searchParams.set(name, value);
      return url.toString();
    };
    const answer = (params: Record<string, string>) =>
      Object.fromEntries(new URL(authority.authorize(request(params))).searchParams);

    expect(() => authority.authorize(request({ client_id: '00000000-0000-0000-0000-000000000000' }))).toThrow(
      /AADSTS700016/,
    );
    expect(() => authority.authorize(request({ redirect_uri: 'https://attacker.example/' }))).toThrow(
      AuthorizePageError,
    );
    expect(answer({ response_type: 'token' })).toMatchObject({
      error: 'unsupported_response_type',
      state: 'the-state',
    });
    expect(answer({ code_challenge: '' })).toMatchObject({
      error: 'invalid_request',
      error_description: expect.stringMatching(/code_challenge/),
    });
    expect(answer({ code_challenge_method: 'plain' })).toMatchObject({ error: 'invalid_request' });
    expect(answer({ scope: 'openid profile offline_access' }).error_description).toMatch(
      /lacks User\.Read\.All, Group\.Read\.All/,
    );
    expect(answer({ scope: 'User.Read.All Group.Read.All Application.Read.All openid' }).error_description).toMatch(
      /lacks offline_access/,
    );

    const { code, state } = answer({});
    expect(state).toBe('the-state');
    const token = (form: Record<string, string>) =>
      authority.networkClient.sendPostRequestAsync<Record<string, unknown>>(
        `https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/token`,
        {
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            client_id: CLIENT_ID,
            redirect_uri: 'http://localhost:41234',
            code: code!,
            ...form,
          }).toString(),
        },
      );
    const refusal = async (form: Record<string, string>) => {
      const response = await token(form);
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_grant');
      return response.body.error_description;
    };
    expect(await refusal({})).toMatch(/^AADSTS50148: The code_verifier is missing/);
    expect(await refusal({ code_verifier: `${verifier}x` })).toMatch(/^AADSTS501481:/);
    expect(await refusal({ code_verifier: verifier, redirect_uri: 'http://localhost:5000' })).toMatch(/^AADSTS500112:/);
    expect(await refusal({ code_verifier: verifier, code: 'not-a-code' })).toMatch(/^AADSTS9002313:/);
    const granted = await token({ code_verifier: verifier });
    expect(granted.status).toBe(200);
    expect(granted.body.access_token).toBe('checked');
    expect(await refusal({ code_verifier: verifier })).toMatch(
      /^AADSTS54005: OAuth2 Authorization code was already redeemed/,
    );
  });

  it('reports a network failure during silent renewal as a network failure, not as an expired sign-in', async () => {
    const authority = createFakeAuthority({ tenantId: TENANT_ID, accessToken: 'short-lived', pendingPolls: 0 });
    let offline = false;
    // Tokens that are already inside MSAL's renewal window, so the next accessToken() must refresh over the network.
    const networkClient: INetworkModule = {
      sendGetRequestAsync: (url, options) => authority.networkClient.sendGetRequestAsync(url, options),
      async sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
        if (offline) throw new NetworkRequestError(url, 'the proxy refused the connection (HTTP 403)');
        const response = await authority.networkClient.sendPostRequestAsync<T>(url, options);
        const body = response.body as { expires_in?: number };
        if (typeof body.expires_in === 'number') body.expires_in = 60;
        return response;
      },
    };
    const signIn = new EntraSignIn({ clientId: CLIENT_ID, tenant: TENANT_ID, networkClient });
    const account = await signIn.signInWithDeviceCode(() => undefined);
    offline = true;
    const failure = await signIn.accessToken(account.homeAccountId).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(NetworkRequestError);
    expect(failure).not.toBeInstanceOf(SignInRequiredError);
    expect((failure as Error).message).toMatch(/^Could not reach https:\/\/login\.microsoftonline\.com\/.*the proxy refused the connection/);
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
