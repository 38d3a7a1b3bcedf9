/**
 * A fake Microsoft identity platform, answered at MSAL's network seam (`system.networkClient`): MSAL
 * refuses http authorities, so instead of a local server the seam itself plays the authority. It serves
 * OpenID metadata, instance discovery, the device code endpoint and the token endpoint (device code
 * grant with one "authorization_pending" round, and refresh tokens), minting unsigned id tokens — MSAL
 * for Node decodes but does not verify them.
 */
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

export interface FakeAuthorityOptions {
  tenantId: string;
  /** the access token handed out (give the same to the fake Graph) */
  accessToken: string;
  username?: string;
  /** token endpoint answers "authorization_pending" this many times first (default 1) */
  pendingPolls?: number;
}

export interface FakeAuthority {
  networkClient: INetworkModule;
  /** every request MSAL made: method and URL (form bodies parsed) */
  requests: { method: 'GET' | 'POST'; url: string; form?: Record<string, string> }[];
}

const base64url = (value: string) => Buffer.from(value).toString('base64url');

export function createFakeAuthority(options: FakeAuthorityOptions): FakeAuthority {
  const requests: FakeAuthority['requests'] = [];
  const userId = '0d6f3c62-5b1e-4c84-9c55-1e2f3a4b5c6d';
  const username = options.username ?? 'admin@contoso.onmicrosoft.com';
  let pending = options.pendingPolls ?? 1;

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
        if (form.grant_type === 'refresh_token' && form.refresh_token === 'fake-refresh-token') {
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
  return { networkClient, requests };
}
