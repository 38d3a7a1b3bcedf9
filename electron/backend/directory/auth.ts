/**
 * Sign-in to Microsoft Entra with @azure/msal-node as a public client (no secret in the app):
 * authorization code with PKCE in the system browser and a loopback redirect (a listener of ours on
 * 127.0.0.1, see CancellableLoopback), device code as the fallback for machines without a browser, silent renewal from the cache,
 * several accounts and tenants, sign-out.
 *
 * Tokens stay in MSAL's cache, which is persisted only through a TokenCacheStore:
 * - Electron: main.ts injects an encryptor built on safeStorage (encryptedFileCache);
 * - CLI and browser mode: in memory by default; an admin may opt in to a plain file readable only by
 *   them (0600), with a warning, because there is no OS-level encryption there.
 */
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ensureAppOwnedFolder } from '../paths.ts';
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import {
  PublicClientApplication,
  ServerError,
  type AccountInfo,
  type AuthenticationResult,
  type AuthorizeResponse,
  type Configuration,
  type ICachePlugin,
  type ILoopbackClient,
  type INetworkModule,
  type TokenCacheContext,
} from '@azure/msal-node';
import { CLOUDS, graphScopes, type CloudName } from './clouds.ts';
import { NetworkRequestError, environmentFetch, fetchNetworkModule } from './network.ts';

/** Where MSAL's serialized cache lives between runs. */
export interface TokenCacheStore {
  /** the serialized cache, or null when nothing is stored yet */
  load(): Promise<string | null>;
  save(serialized: string): Promise<void>;
  /** human-readable: where and how the tokens are kept (shown in settings and CLI output) */
  readonly description: string;
}

/** Encrypts the cache at rest; Electron's safeStorage fits this shape (encryptString/decryptString). */
export interface CacheEncryptor {
  encrypt(plain: string): Buffer | Promise<Buffer>;
  decrypt(data: Buffer): string | Promise<string>;
}

/** The default outside Electron: tokens live only as long as the process. */
export function memoryCache(): TokenCacheStore {
  let data: string | null = null;
  return {
    description: 'in memory only (signed out when the program exits)',
    async load() {
      return data;
    },
    async save(serialized) {
      data = serialized;
    },
  };
}

function writePrivateFile(path: string, content: Buffer | string): void {
  ensureAppOwnedFolder(dirname(path));
  // Write beside, then rename: a crash never leaves a half-written cache, and 0600 is set before any byte.
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

/** An encrypted cache file (Electron: encryptor from safeStorage). */
export function encryptedFileCache(path: string, encryptor: CacheEncryptor): TokenCacheStore {
  return {
    description: `encrypted in ${path}`,
    async load() {
      if (!existsSync(path)) return null;
      return encryptor.decrypt(readFileSync(path));
    },
    async save(serialized) {
      writePrivateFile(path, await encryptor.encrypt(serialized));
    },
  };
}

/**
 * A plain-text cache file for the CLI, only when the admin asks for it. Refresh tokens in it can read
 * the directory; the caller must show `PLAIN_FILE_CACHE_WARNING` before using it.
 */
export function plainFileCache(path: string): TokenCacheStore {
  return {
    description: `unencrypted in ${path} (readable only by you)`,
    async load() {
      return existsSync(path) ? readFileSync(path, 'utf8') : null;
    },
    async save(serialized) {
      writePrivateFile(path, serialized);
    },
  };
}

export const PLAIN_FILE_CACHE_WARNING =
  'Warning: the token cache file is not encrypted. Anyone who can read it as you can read your directory until the refresh token expires. Delete it when done.';

function cachePlugin(store: TokenCacheStore): ICachePlugin {
  return {
    async beforeCacheAccess(context: TokenCacheContext) {
      const data = await store.load();
      if (data) context.tokenCache.deserialize(data);
    },
    async afterCacheAccess(context: TokenCacheContext) {
      if (context.cacheHasChanged) await store.save(context.tokenCache.serialize());
    },
  };
}

interface SignInOptions {
  /** the app registration's Application (client) ID (docs/tenant-setup.md) */
  clientId: string;
  /** tenant id or domain; "organizations" lets the admin pick at sign-in */
  tenant?: string;
  cloud?: CloudName;
  cache?: TokenCacheStore;
  /** MSAL's network seam: tests answer the identity provider here (MSAL refuses http authorities) */
  networkClient?: INetworkModule;
  /**
   * Without a networkClient, MSAL's requests go through this fetch, the one Graph uses (network.ts):
   * Electron's net.fetch, or by default environmentFetch() (HTTPS_PROXY/HTTP_PROXY/NO_PROXY).
   */
  fetch?: typeof fetch;
  /** also ask for Synchronization.Read.All (to import an enterprise app's existing mappings), or ReadWrite ('write') */
  synchronization?: boolean | 'write';
  /** also ask for AuditLog.Read.All (the provisioning logs) */
  auditLog?: boolean;
}

export interface SignedInAccount {
  homeAccountId: string;
  username: string;
  name: string | null;
  tenantId: string;
}

/** MSAL could not get a token without the admin: they must sign in (again). */
export class SignInRequiredError extends Error {
  override readonly name = 'SignInRequiredError';
}

/** What the device code endpoint answered, for an app that shows the code itself. */
interface DeviceCodeDetails {
  userCode: string;
  verificationUri: string;
  expiresInSeconds: number;
}

/** The page the browser tab shows when the sign-in is over: the app's words, not MSAL's default text. */
const SIGNED_IN_PAGE = '<h1>Signed in to SCIM Planner</h1><p>You can close this tab and go back to SCIM Planner.</p>';
const SIGN_IN_FAILED_PAGE =
  '<h1>Sign-in to SCIM Planner failed</h1><p>Go back to SCIM Planner and sign in again; it shows the same reason.</p>';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function loopbackPage(fragment: string, reason?: string): string {
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SCIM Planner sign-in</title>',
    '<style>body{font:16px system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em}</style></head><body>',
    fragment,
    reason ? `<p>Reason: ${escapeHtml(reason)}</p>` : '',
    // Drops ?code=... from the address bar and history; the code is spent by now, but it has no business there.
    "<script>history.replaceState(null, '', '/')</script>",
    '</body></html>',
  ].join('');
}

/**
 * The loopback listener for the browser flow (RFC 8252 §7.3), in place of MSAL's own. MSAL's cannot be
 * stopped from outside (an admin who closes the browser tab would leave a port open until the app exits),
 * takes any request but "/" as the redirect, checks no `state`, and answers the redirect with a 302 to "/"
 * on a listener it closes as soon as the token arrives, so the browser often finds the port closed. This
 * one takes only the redirect carrying its state, holds that request open until the token request has
 * settled, and then answers it with the outcome.
 */
class CancellableLoopback implements ILoopbackClient {
  private server: Server | undefined;
  /** the browser's redirect, waiting for the outcome of the token request */
  private redirect: ServerResponse | undefined;
  private pages = { success: SIGNED_IN_PAGE, error: SIGN_IN_FAILED_PAGE };

  constructor(
    private readonly state: string,
    private readonly signal?: AbortSignal,
  ) {}

  listenForAuthCode(successTemplate?: string, errorTemplate?: string): Promise<AuthorizeResponse> {
    this.pages = { success: successTemplate ?? SIGNED_IN_PAGE, error: errorTemplate ?? SIGN_IN_FAILED_PAGE };
    return new Promise((resolve, reject) => {
      if (this.signal?.aborted) return reject(new SignInRequiredError('The sign-in was cancelled.'));
      let received = false;
      const server = createServer((req, res) => {
        const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
        const isRedirect = (params.has('code') || params.has('error')) && params.get('state') === this.state;
        if (received || !isRedirect) {
          // A stray request, or a response to some other sign-in (RFC 6749 §10.12): never redeemed here.
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('SCIM Planner listens here only for the sign-in it started.');
          return;
        }
        received = true;
        this.redirect = res;
        resolve(Object.fromEntries(params) as AuthorizeResponse);
      });
      this.signal?.addEventListener(
        'abort',
        () => {
          reject(new SignInRequiredError('The sign-in was cancelled.'));
          this.closeServer();
        },
        { once: true },
      );
      server.listen(0, '127.0.0.1');
      this.server = server;
    });
  }

  getRedirectUri(): string {
    // MSAL polls this until the server listens; throwing means "not yet".
    const address = this.server?.listening ? (this.server.address() as AddressInfo | null) : null;
    if (!address) throw new Error('The loopback listener is not ready yet.');
    return `http://localhost:${address.port}`;
  }

  /** MSAL calls this once the token request settled (or the listener failed): the port is freed at once. */
  closeServer(): void {
    if (!this.server) return;
    this.server.close();
    // The held redirect keeps its own connection until answerBrowser; every other one goes now.
    if (this.redirect) this.server.closeIdleConnections();
    else this.server.closeAllConnections();
    this.server.unref();
    this.server = undefined;
  }

  /** Tells the browser tab how the sign-in ended, on the redirect it is still waiting for. */
  answerBrowser(failure: string | null): void {
    const res = this.redirect;
    this.redirect = undefined;
    if (!res) return;
    res.writeHead(failure === null ? 200 : 400, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'close',
    });
    res.end(failure === null ? loopbackPage(this.pages.success) : loopbackPage(this.pages.error, failure));
  }
}

/** MSAL words the authority's refusal as "access_denied: AADSTS65004: ..."; the admin needs what it means. */
function explainInteractiveError(error: unknown): unknown {
  if (error instanceof ServerError && error.errorCode === 'access_denied') {
    return new Error(`the sign-in was cancelled in the browser, or consent was refused (${error.errorMessage})`, {
      cause: error,
    });
  }
  return error;
}

function toAccount(account: AccountInfo): SignedInAccount {
  return {
    homeAccountId: account.homeAccountId,
    username: account.username,
    name: account.name ?? null,
    tenantId: account.tenantId,
  };
}

export class EntraSignIn {
  readonly app: PublicClientApplication;
  readonly scopes: string[];
  readonly cloud: CloudName;

  constructor(readonly options: SignInOptions) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(options.clientId)) {
      throw new Error(
        `The client ID must be the app registration's Application (client) ID, a GUID; got "${options.clientId}".`,
      );
    }
    this.cloud = options.cloud ?? 'global';
    this.scopes = graphScopes(this.cloud, { synchronization: options.synchronization, auditLog: options.auditLog });
    const cloud = CLOUDS[this.cloud];
    const configuration: Configuration = {
      auth: {
        clientId: options.clientId,
        authority: `${cloud.authorityHost}/${options.tenant ?? 'organizations'}`,
        // National-cloud hosts are not in MSAL's built-in instance list; naming them skips discovery.
        knownAuthorities: [new URL(cloud.authorityHost).host],
      },
      cache: { cachePlugin: cachePlugin(options.cache ?? memoryCache()) },
      // MSAL's own http client knows neither the system proxy nor HTTPS_PROXY; Graph's fetch does.
      system: { networkClient: options.networkClient ?? fetchNetworkModule(options.fetch ?? environmentFetch()) },
    };
    this.app = new PublicClientApplication(configuration);
  }

  /**
   * Authorization code + PKCE in the system browser. The loopback listener waits on
   * http://localhost:<random port> for the redirect; the app registration needs the "Mobile and desktop"
   * redirect URI http://localhost. `openBrowser` must return once the page is opening, not when it is done:
   * the browser's redirect is answered only after the token request, which comes after it returns.
   */
  async signInInteractive(openBrowser: (url: string) => Promise<void>, signal?: AbortSignal): Promise<SignedInAccount> {
    // MSAL for Node sends no state of its own in this flow; the loopback takes only a redirect carrying this one.
    const state = randomUUID();
    const loopback = new CancellableLoopback(state, signal);
    try {
      const result = await this.app.acquireTokenInteractive({
        scopes: this.scopes,
        state,
        openBrowser,
        loopbackClient: loopback,
        successTemplate: SIGNED_IN_PAGE,
        errorTemplate: SIGN_IN_FAILED_PAGE,
      });
      const account = toAccount(this.accountOf(result));
      loopback.answerBrowser(null);
      return account;
    } catch (error) {
      const explained = explainInteractiveError(error);
      loopback.answerBrowser((explained as Error).message ?? String(explained));
      throw explained;
    }
  }

  /** Device code: prints a code to enter at https://microsoft.com/devicelogin (or the cloud's page). */
  async signInWithDeviceCode(
    show: (message: string, details: DeviceCodeDetails) => void,
    signal?: AbortSignal,
  ): Promise<SignedInAccount> {
    const request = {
      scopes: this.scopes,
      deviceCodeCallback: (response: { message: string; userCode: string; verificationUri: string; expiresIn: number }) =>
        show(response.message, {
          userCode: response.userCode,
          verificationUri: response.verificationUri,
          expiresInSeconds: response.expiresIn,
        }),
      cancel: false,
    };
    // MSAL polls until `cancel` turns true; an AbortSignal maps onto that flag.
    signal?.addEventListener('abort', () => (request.cancel = true), { once: true });
    const result = await this.app.acquireTokenByDeviceCode(request);
    if (!result) throw new SignInRequiredError('The device code sign-in was cancelled.');
    return toAccount(this.accountOf(result));
  }

  private accountOf(result: AuthenticationResult): AccountInfo {
    if (!result.account) throw new Error('Sign-in returned no account.');
    return result.account;
  }

  async accounts(): Promise<SignedInAccount[]> {
    return (await this.app.getTokenCache().getAllAccounts()).map(toAccount);
  }

  /** A Graph token for the account from the cache, refreshed silently when needed (for `scopes`, default the sign-in's). */
  async accessToken(homeAccountId?: string, scopes: string[] = this.scopes): Promise<string> {
    const all = await this.app.getTokenCache().getAllAccounts();
    const account = homeAccountId ? all.find((a) => a.homeAccountId === homeAccountId) : all[0];
    if (!account) throw new SignInRequiredError('Not signed in: sign in to the tenant first.');
    try {
      const result = await this.app.acquireTokenSilent({ account, scopes });
      return result.accessToken;
    } catch (error) {
      // A proxy or certificate problem is not an expired sign-in: signing in again would fail the same way.
      if (error instanceof NetworkRequestError) throw error;
      throw new SignInRequiredError(
        `The sign-in for ${account.username} has expired or was revoked; sign in again. (${(error as Error).message})`,
      );
    }
  }

  async signOut(homeAccountId: string): Promise<boolean> {
    const cache = this.app.getTokenCache();
    const account = (await cache.getAllAccounts()).find((a) => a.homeAccountId === homeAccountId);
    if (!account) return false;
    await cache.removeAccount(account);
    return true;
  }
}
