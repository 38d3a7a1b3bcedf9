/**
 * A fake Microsoft identity platform, answered at MSAL's network seam (`system.networkClient`): MSAL
 * refuses http authorities, so instead of a local server the seam itself plays the authority. It serves
 * OpenID metadata, instance discovery, the device code endpoint and the token endpoint (device code
 * grant with one "authorization_pending" round, authorization codes with PKCE, and refresh tokens),
 * minting unsigned id tokens — MSAL for Node decodes but does not verify them.
 *
 * The browser's half of the authorization code flow, the /authorize page, is `authorize(url)`: a test's
 * "browser" (a fetch, or Playwright answering https://login.microsoftonline.com/**) calls it with the URL
 * MSAL built and follows the redirect it returns to the app's loopback listener. Its codes carry what
 * they were issued for (client, redirect URI, PKCE challenge, scope), so the page and the token endpoint
 * may run in different processes, as they do when the app under test is a child process.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

export interface FakeAuthorityOptions {
  tenantId: string;
  /** the access token handed out (give the same to the fake Graph) */
  accessToken: string;
  username?: string;
  /** token endpoint answers "authorization_pending" this many times first (default 1) */
  pendingPolls?: number;
  /** the registered app's client id; when set, other client ids are unknown to the directory */
  clientId?: string;
  /** permissions nobody consented to: a refresh asking for one is refused with AADSTS65001, as Entra refuses it */
  notConsented?: string[];
}

/** What the admin does on the sign-in page. */
export interface AuthorizeChoice {
  /** "Cancel" on the sign-in page or "Cancel" on the consent prompt: Entra answers access_denied */
  decline?: boolean;
}

/**
 * The /authorize page could not send the browser back (unknown client, unregistered redirect URI):
 * Entra shows such errors on its own page instead of redirecting (RFC 6749 §4.1.2.1).
 */
export class AuthorizePageError extends Error {
  override readonly name = 'AuthorizePageError';
}

export interface FakeAuthority {
  networkClient: INetworkModule;
  /** every request MSAL made: method and URL (form bodies parsed) */
  requests: { method: 'GET' | 'POST'; url: string; form?: Record<string, string> }[];
  /**
   * The sign-in page: checks the authorization request as Entra's /authorize does and returns the URL
   * it redirects the browser to (`redirect_uri?code=...&state=...`, or `?error=...` when the request is
   * wrong or the admin declines). Throws AuthorizePageError when Entra would not redirect at all.
   */
  authorize(url: string, choice?: AuthorizeChoice): string;
}

const base64url = (value: string) => Buffer.from(value).toString('base64url');
const sha256base64url = (value: string) => createHash('sha256').update(value).digest('base64url');

/** What an authorization code was issued for; the code is this, encoded, so any process can redeem it. */
interface IssuedCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  tenant: string;
  /** makes every code unique, so "already redeemed" can be told apart */
  nonce: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The delegated permissions the app registration asks for (docs/tenant-setup.md). */
const REQUIRED_PERMISSIONS = ['User.Read.All', 'Group.Read.All', 'Application.Read.All'];

/**
 * A loopback redirect as MSAL for Node sends it: http on localhost (or the loopback IP) with any port,
 * which Entra accepts for a "Mobile and desktop" http://localhost registration (RFC 8252 §7.3).
 */
function isLoopbackRedirect(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) && url.search === '';
  } catch {
    return false;
  }
}

function decodeCode(code: string): IssuedCode | null {
  try {
    const issued = JSON.parse(Buffer.from(code, 'base64url').toString('utf8')) as Partial<IssuedCode>;
    const fields = ['clientId', 'redirectUri', 'codeChallenge', 'scope', 'tenant', 'nonce'] as const;
    return fields.every((f) => typeof issued[f] === 'string') ? (issued as IssuedCode) : null;
  } catch {
    return null;
  }
}

export function createFakeAuthority(options: FakeAuthorityOptions): FakeAuthority {
  const requests: FakeAuthority['requests'] = [];
  const userId = '0d6f3c62-5b1e-4c84-9c55-1e2f3a4b5c6d';
  const username = options.username ?? 'admin@contoso.onmicrosoft.com';
  let pending = options.pendingPolls ?? 1;
  /** codes this token endpoint has redeemed: a code is good for one token request */
  const redeemed = new Set<string>();

  const ok = <T>(body: unknown, status = 200): NetworkResponse<T> => ({
    headers: { 'content-type': 'application/json' },
    body: body as T,
    status,
  });

  function metadata(host: string, tenant: string) {
    const root = `https://${host}/${tenant}`;
    return {
      token_endpoint: `${root}/oauth2/v2.0/token`,
      authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${root}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${root}/oauth2/v2.0/logout`,
      jwks_uri: `https://${host}/${tenant}/discovery/v2.0/keys`,
      issuer: `https://${host}/${options.tenantId}/v2.0`,
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      response_modes_supported: ['query', 'fragment', 'form_post'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'name', 'oid', 'tid', 'preferred_username'],
      request_uri_parameter_supported: false,
      tenant_region_scope: 'EU',
      cloud_instance_name: host.endsWith('.us')
        ? 'microsoftonline.us'
        : host.endsWith('.cn')
          ? 'chinacloudapi.cn'
          : 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
    };
  }

  function tokenResponse(host: string, clientId: string, scope: string) {
    const now = 1_900_000_000; // fixed "now" inside the token; MSAL uses its own clock for expiry.
    const idToken = [
      base64url(JSON.stringify({ typ: 'JWT', alg: 'none' })),
      base64url(
        JSON.stringify({
          aud: clientId,
          iss: `https://${host}/${options.tenantId}/v2.0`,
          iat: now - 60,
          nbf: now - 60,
          exp: now + 3600,
          name: 'Contoso Admin',
          oid: userId,
          preferred_username: username,
          sub: 'fake-subject',
          tid: options.tenantId,
          ver: '2.0',
        }),
      ),
      '',
    ].join('.');
    return {
      token_type: 'Bearer',
      scope,
      expires_in: 3600,
      ext_expires_in: 3600,
      access_token: options.accessToken,
      refresh_token: 'fake-refresh-token',
      id_token: idToken,
      client_info: base64url(JSON.stringify({ uid: userId, utid: options.tenantId })),
    };
  }

  const knownClient = (clientId: string | null | undefined) =>
    options.clientId ? clientId === options.clientId : GUID.test(clientId ?? '');

  /** Why the token endpoint refuses this authorization code, as Entra words it; null when it is good. */
  function refuseCodeRedemption(form: Record<string, string>): string | null {
    const issued = form.code ? decodeCode(form.code) : null;
    if (!issued) {
      return 'AADSTS9002313: Invalid request. Request is malformed or invalid. (the authorization code was not issued here)';
    }
    if (redeemed.has(form.code!)) {
      return 'AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code.';
    }
    if (form.client_id !== issued.clientId) {
      return `AADSTS700005: Provided Authorization Code is intended to use against other application '${issued.clientId}'.`;
    }
    if (form.redirect_uri !== issued.redirectUri) {
      return 'AADSTS500112: The reply address does not match the reply address provided when requesting the authorization code.';
    }
    if (!form.code_verifier) {
      return 'AADSTS50148: The code_verifier is missing; the authorization code was requested with a code_challenge.';
    }
    if (sha256base64url(form.code_verifier) !== issued.codeChallenge) {
      return 'AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.';
    }
    return null;
  }

  function authorize(url: string, choice: AuthorizeChoice = {}): string {
    const request = new URL(url);
    const query = request.searchParams;
    const path = /^\/([^/]+)\/oauth2\/v2\.0\/authorize$/.exec(request.pathname);
    if (request.protocol !== 'https:' || !path) throw new AuthorizePageError(`${url} is not an authorization endpoint`);
    const clientId = query.get('client_id');
    if (!knownClient(clientId)) {
      throw new AuthorizePageError(
        `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${path[1]}'.`,
      );
    }
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!isLoopbackRedirect(redirectUri)) {
      throw new AuthorizePageError(
        `AADSTS50011: The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'.`,
      );
    }
    // From here on, errors go back to the app, with its state, as Entra does.
    const state = query.get('state');
    const back = (params: Record<string, string>) => {
      const target = new URL(redirectUri);
      for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
      if (state !== null) target.searchParams.set('state', state);
      return target.toString();
    };
    const problem = (error: string, description: string) => back({ error, error_description: description });

    if (query.get('response_type') !== 'code') {
      return problem(
        'unsupported_response_type',
        `AADSTS700054: response_type '${query.get('response_type')}' is not enabled for the application.`,
      );
    }
    // Entra insists on PKCE only for single-page apps; the fake insists always, so losing it fails a test.
    const challenge = query.get('code_challenge');
    if (!challenge) {
      return problem(
        'invalid_request',
        "AADSTS900144: The request must contain the parameter 'code_challenge' (PKCE).",
      );
    }
    if (query.get('code_challenge_method') !== 'S256') {
      return problem(
        'invalid_request',
        `AADSTS501491: Invalid code_challenge_method '${query.get('code_challenge_method')}': use S256.`,
      );
    }
    const scopes = (query.get('scope') ?? '').split(' ').filter(Boolean);
    const missing = [
      ...['openid', 'offline_access'].filter((s) => !scopes.includes(s)),
      ...REQUIRED_PERMISSIONS.filter((p) => !scopes.some((s) => s === p || s.endsWith(`/${p}`))),
    ];
    if (missing.length > 0) {
      return problem(
        'invalid_scope',
        `AADSTS70011: The provided value for the input parameter 'scope' is not valid: it lacks ${missing.join(', ')}.`,
      );
    }
    if (choice.decline) {
      return problem('access_denied', 'AADSTS65004: User declined to consent to access the app.');
    }
    const issued: IssuedCode = {
      clientId: clientId!,
      redirectUri,
      codeChallenge: challenge,
      scope: scopes.join(' '),
      tenant: path[1]!,
      nonce: randomUUID(),
    };
    return back({ code: base64url(JSON.stringify(issued)) });
  }

  const networkClient: INetworkModule = {
    async sendGetRequestAsync<T>(url: string): Promise<NetworkResponse<T>> {
      requests.push({ method: 'GET', url });
      const parsed = new URL(url);
      if (parsed.pathname.endsWith('/discovery/instance')) {
        return ok<T>({
          tenant_discovery_endpoint: `https://${parsed.host}/${options.tenantId}/v2.0/.well-known/openid-configuration`,
          'api-version': '1.1',
          metadata: [{ preferred_network: parsed.host, preferred_cache: parsed.host, aliases: [parsed.host] }],
        });
      }
      const meta = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(parsed.pathname);
      if (meta) return ok<T>(metadata(parsed.host, meta[1]!));
      return ok<T>({ error: 'not_found', error_description: `fake authority has no ${url}` }, 404);
    },

    async sendPostRequestAsync<T>(url: string, request?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
      const form = Object.fromEntries(new URLSearchParams(request?.body ?? ''));
      requests.push({ method: 'POST', url, form });
      const parsed = new URL(url);
      if (parsed.pathname.endsWith('/oauth2/v2.0/devicecode')) {
        return ok<T>({
          user_code: 'FAKE-CODE',
          device_code: 'fake-device-code',
          verification_uri: 'https://microsoft.com/devicelogin',
          expires_in: 900,
          interval: 1,
          message:
            'To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FAKE-CODE to authenticate.',
        });
      }
      if (parsed.pathname.endsWith('/oauth2/v2.0/token')) {
        if (form.grant_type === 'device_code' || form.grant_type === 'urn:ietf:params:oauth:grant-type:device_code') {
          if (form.device_code !== 'fake-device-code')
            return ok<T>({ error: 'invalid_grant', error_description: 'unknown device code' }, 400);
          if (pending > 0) {
            pending--;
            return ok<T>(
              {
                error: 'authorization_pending',
                error_description: 'AADSTS70016: the user has not yet finished authenticating.',
                error_codes: [70016],
              },
              400,
            );
          }
          return ok<T>(tokenResponse(parsed.host, form.client_id ?? '', form.scope ?? ''));
        }
        if (form.grant_type === 'authorization_code') {
          const refused = refuseCodeRedemption(form);
          if (refused) {
            const code = Number(/AADSTS(\d+)/.exec(refused)![1]);
            return ok<T>({ error: 'invalid_grant', error_description: refused, error_codes: [code] }, 400);
          }
          redeemed.add(form.code!);
          return ok<T>(tokenResponse(parsed.host, form.client_id ?? '', decodeCode(form.code!)!.scope));
        }
        if (form.grant_type === 'refresh_token' && form.refresh_token === 'fake-refresh-token') {
          const refused = (options.notConsented ?? []).filter((p) => (form.scope ?? '').split(' ').some((s) => s === p || s.endsWith(`/${p}`)));
          if (refused.length > 0) {
            const description = `AADSTS65001: The user or administrator has not consented to use the application with ID '${form.client_id}'. Send an interactive authorization request for this user and resource (${refused.join(', ')}).`;
            return ok<T>({ error: 'invalid_grant', error_description: description, error_codes: [65001], suberror: 'consent_required' }, 400);
          }
          return ok<T>(tokenResponse(parsed.host, form.client_id ?? '', form.scope ?? ''));
        }
        return ok<T>(
          { error: 'unsupported_grant_type', error_description: `fake authority cannot do ${form.grant_type}` },
          400,
        );
      }
      return ok<T>({ error: 'not_found', error_description: `fake authority has no ${url}` }, 404);
    },
  };
  return { networkClient, requests, authorize };
}
