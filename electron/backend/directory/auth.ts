/**
 * Sign-in to Microsoft Entra with @azure/msal-node as a public client (no secret in the app):
 * authorization code with PKCE in the system browser and a loopback redirect (MSAL runs the loopback
 * listener), device code as the fallback for machines without a browser, silent renewal from the cache,
 * several accounts and tenants, sign-out.
 *
 * Tokens stay in MSAL's cache, which is persisted only through a TokenCacheStore:
 * - Electron: main.ts injects an encryptor built on safeStorage (encryptedFileCache);
 * - CLI and browser mode: in memory by default; an admin may opt in to a plain file readable only by
 *   them (0600), with a warning, because there is no OS-level encryption there.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import {
  PublicClientApplication,
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
  mkdirSync(dirname(path), { recursive: true });
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

export interface SignInOptions {
  /** the app registration's Application (client) ID (docs/tenant-setup.md) */
  clientId: string;
  /** tenant id or domain; "organizations" lets the admin pick at sign-in */
  tenant?: string;
  cloud?: CloudName;
  cache?: TokenCacheStore;
  /** MSAL's network seam: tests answer the identity provider here (MSAL refuses http authorities) */
  networkClient?: INetworkModule;
  /** also ask for Synchronization.Read.All (to import an enterprise app's existing mappings) */
  synchronization?: boolean;
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
export interface DeviceCodeDetails {
  userCode: string;
  verificationUri: string;
  expiresInSeconds: number;
}

/**
 * The loopback listener for the browser flow. MSAL's own listener waits forever and cannot be stopped
 * from outside, so an admin who closes the browser tab would leave a port open until the app exits;
 * this one answers the same redirect and also closes when the sign-in is cancelled.
 */
class CancellableLoopback implements ILoopbackClient {
  private server: Server | undefined;
  constructor(private readonly signal?: AbortSignal) {}

  listenForAuthCode(successTemplate?: string, errorTemplate?: string): Promise<AuthorizeResponse> {
    return new Promise((resolve, reject) => {
      if (this.signal?.aborted) return reject(new SignInRequiredError('The sign-in was cancelled.'));
      const server = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        if (url.pathname === '/' && url.search === '') {
          // The browser lands here after the redirect below, so the code never stays in its history.
          res.end(successTemplate ?? 'Signed in. You can close this window.');
          return;
        }
        const response = Object.fromEntries(url.searchParams) as AuthorizeResponse;
        if (response.code) {
          res.writeHead(302, { location: this.getRedirectUri() });
          res.end();
        } else {
          res.end(errorTemplate ?? 'Sign-in failed.');
        }
        resolve(response);
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

  closeServer(): void {
    if (!this.server) return;
    this.server.close();
    this.server.closeAllConnections();
    this.server.unref();
    this.server = undefined;
  }
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
    this.scopes = graphScopes(this.cloud, { synchronization: options.synchronization });
    const cloud = CLOUDS[this.cloud];
    const configuration: Configuration = {
      auth: {
        clientId: options.clientId,
        authority: `${cloud.authorityHost}/${options.tenant ?? 'organizations'}`,
        // National-cloud hosts are not in MSAL's built-in instance list; naming them skips discovery.
        knownAuthorities: [new URL(cloud.authorityHost).host],
      },
      cache: { cachePlugin: cachePlugin(options.cache ?? memoryCache()) },
      system: options.networkClient ? { networkClient: options.networkClient } : {},
    };
    this.app = new PublicClientApplication(configuration);
  }

  /**
   * Authorization code + PKCE in the system browser. MSAL listens on http://localhost:<random port>
   * for the redirect; the app registration needs the "Mobile and desktop" redirect URI http://localhost.
   */
  async signInInteractive(openBrowser: (url: string) => Promise<void>, signal?: AbortSignal): Promise<SignedInAccount> {
    const result = await this.app.acquireTokenInteractive({
      scopes: this.scopes,
      openBrowser,
      loopbackClient: new CancellableLoopback(signal),
      successTemplate: '<h1>Signed in to SCIM Planner</h1><p>You can close this window and return to the app.</p>',
      errorTemplate: '<h1>Sign-in failed</h1><p>Return to SCIM Planner for details.</p>',
    });
    return toAccount(this.accountOf(result));
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

  /** A Graph token for the account from the cache, refreshed silently when needed. */
  async accessToken(homeAccountId?: string): Promise<string> {
    const all = await this.app.getTokenCache().getAllAccounts();
    const account = homeAccountId ? all.find((a) => a.homeAccountId === homeAccountId) : all[0];
    if (!account) throw new SignInRequiredError('Not signed in: sign in to the tenant first.');
    try {
      const result = await this.app.acquireTokenSilent({ account, scopes: this.scopes });
      return result.accessToken;
    } catch (error) {
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
