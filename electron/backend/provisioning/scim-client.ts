/**
 * The SCIM client the provisioning simulator sends with, configured as an Entra provisioning job is: a Tenant URL (its
 * `?aadOptscim062020` flag selects the PATCH dialect, Microsoft Learn "Known issues and resolutions with SCIM 2.0
 * protocol compliance") and a Secret Token, or OAuth2 client credentials as some apps use (§1.1, §5 item 11). It sends
 * the requests the preview builder made, only under the URL the admin typed, and classifies answers with Entra's error
 * codes (§1.13).
 */
import { dialectOfTenantUrl, scimBaseOf, type ScimDialect } from '../../../shared/mapping/model.ts';
import { SCIM_CONTENT_TYPE } from '../../../shared/scim/requests/render.ts';
import type { JsonObject } from '../../../shared/scim/requests/target-path.ts';
import { abortableSleep, backoffMs, retryAfterMs } from '../http/retry.ts';

type TargetAuth =
  | { kind: 'bearer'; token: string }
  | { kind: 'client-credentials'; tokenUrl: string; clientId: string; clientSecret: string; scope?: string };

export interface TargetConfig {
  /** the Tenant URL exactly as typed, flags included */
  tenantUrl: string;
  auth: TargetAuth;
}

interface ScimClientOptions {
  /** per attempt; Entra gives up on a slow target and logs Timeout (§1.13) */
  timeoutMs?: number;
  /** how many times a 429 is retried after waiting its Retry-After (§1.13, §5 item 4) */
  maxThrottleRetries?: number;
  /** Retry-After longer than this is not waited for: the object is escrowed instead */
  maxRetryAfterMs?: number;
  /** immediate retries of 5xx / network errors; 0 = Entra's behaviour (escrowed to a later cycle, §1.13) */
  transientRetries?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

interface RequestToSend {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** relative to the SCIM base: `/Users?filter=…`, `/Users/<id>` */
  path: string;
  body?: JsonObject | null;
}

/** One request as it went over the wire and what came back: what the audit log shows. */
export interface ScimExchange {
  method: string;
  url: string;
  /** the Authorization header is redacted: tokens never reach the log */
  requestHeaders: Record<string, string>;
  requestBody: JsonObject | null;
  status: number | null;
  responseHeaders: Record<string, string>;
  responseBody: unknown;
  attempts: number;
  durationMs: number;
  /** Entra's name for the failure, or null on success */
  errorCode: string | null;
  errorMessage: string | null;
}

export class TargetUrlError extends Error {}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Loopback targets (this machine) are rehearsals; anything else needs the admin's confirmation. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return LOOPBACK_HOSTS.has(host) || /^127(\.\d{1,3}){3}$/.test(host) || host.endsWith('.localhost');
}

/** Checks a typed Tenant URL: absolute http(s), no credentials in it. Returns the SCIM base and dialect. */
export function parseTenantUrl(tenantUrl: string): { base: string; dialect: ScimDialect } {
  let url: URL;
  try {
    url = new URL(tenantUrl.trim());
  } catch {
    throw new TargetUrlError(`"${tenantUrl}" is not a URL; type the Tenant URL as in Entra, e.g. https://api.example.com/scim/v2`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TargetUrlError(`The Tenant URL must start with https:// (got ${url.protocol})`);
  if (url.username || url.password) throw new TargetUrlError('The Tenant URL must not carry a user name or password; use the Secret Token');
  return { base: scimBaseOf(tenantUrl.trim()), dialect: dialectOfTenantUrl(tenantUrl.trim()) };
}

/**
 * Entra's error code for an HTTP answer (Microsoft Learn "How to analyze the Microsoft Entra provisioning logs", error
 * codes table).
 */
export function errorCodeFor(status: number, method: string, expectList: boolean): string | null {
  if (status >= 200 && status < 300) return null;
  if (status === 401 || status === 403) return 'SystemForCrossDomainIdentityManagementCredentialValidationFailure';
  if (status === 404) return expectList ? 'SystemForCrossDomainIdentityManagementServiceIncompatible' : 'InvalidAnchor';
  if (status === 409) return method === 'POST' ? 'EntryConflict' : 'Conflict';
  if (status === 429) return 'TooManyRequests';
  if (status === 400) return 'BadRequest';
  if (status >= 500) return 'InternalServerError';
  return 'WebExceptionProtocolError';
}

interface AccessToken {
  value: string;
  expiresAt: number;
}

export class ScimClient {
  readonly base: string;
  readonly dialect: ScimDialect;
  readonly loopback: boolean;
  private readonly baseUrl: URL;
  private readonly options: Required<Omit<ScimClientOptions, 'fetch' | 'sleep'>>;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private token: AccessToken | null = null;
  private tokenRequest: Promise<AccessToken> | null = null;

  constructor(
    readonly target: TargetConfig,
    options: ScimClientOptions = {},
  ) {
    const { base, dialect } = parseTenantUrl(target.tenantUrl);
    this.base = base;
    this.dialect = dialect;
    this.baseUrl = new URL(base);
    this.loopback = isLoopbackUrl(base);
    this.options = {
      timeoutMs: options.timeoutMs ?? 30_000,
      maxThrottleRetries: options.maxThrottleRetries ?? 5,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
      transientRetries: options.transientRetries ?? 0,
    };
    this.fetchImpl = options.fetch ?? fetch;
    this.sleep = options.sleep ?? abortableSleep;
    if (target.auth.kind === 'bearer' && target.auth.token === '') {
      throw new TargetUrlError('The Secret Token is empty; Entra would send its own JWT, which only Entra can issue');
    }
  }

  /**
   * The URL a relative request path resolves to. Refuses anything that would leave the typed base (another
   * host, or `..` climbing out of the path): requests go only where the admin pointed them.
   */
  urlFor(path: string): string {
    const url = this.base + (path.startsWith('/') ? path : `/${path}`);
    const parsed = new URL(url);
    const basePath = this.baseUrl.pathname.replace(/\/+$/, '');
    if (parsed.origin !== this.baseUrl.origin || !(parsed.pathname === basePath || parsed.pathname.startsWith(`${basePath}/`))) {
      throw new TargetUrlError(`Refusing to send to ${parsed.origin}${parsed.pathname}: it is outside the Tenant URL ${this.base}`);
    }
    return url;
  }

  async send(request: RequestToSend, signal?: AbortSignal): Promise<ScimExchange> {
    const started = performance.now();
    const body = request.body ?? null;
    let url: string;
    try {
      url = this.urlFor(request.path);
    } catch (error) {
      // e.g. a target id like "../admin" returned by the target: never followed outside the base
      return {
        method: request.method, url: `${this.base}${request.path}`, requestHeaders: {}, requestBody: body, status: null, responseHeaders: {},
        responseBody: null, attempts: 0, durationMs: 0, errorCode: 'SystemForCrossDomainIdentityManagementServiceIncompatible', errorMessage: (error as Error).message,
      };
    }
    const requestHeaders: Record<string, string> = { Authorization: 'Bearer <redacted>' };
    // Entra's GETs carry no SCIM Accept header (Microsoft Learn "Develop a SCIM endpoint for user provisioning",
    // "Handling endpoint authentication"); bodies are application/scim+json.
    if (body) requestHeaders['Content-Type'] = SCIM_CONTENT_TYPE;
    const expectList = request.method === 'GET' && request.path.includes('?');
    const exchange: ScimExchange = {
      method: request.method,
      url,
      requestHeaders,
      requestBody: body,
      status: null,
      responseHeaders: {},
      responseBody: null,
      attempts: 0,
      durationMs: 0,
      errorCode: null,
      errorMessage: null,
    };
    let throttled = 0;
    let transient = 0;
    for (;;) {
      exchange.attempts++;
      const attempt = await this.attempt(request.method, url, body, signal);
      exchange.status = attempt.status;
      exchange.responseHeaders = attempt.headers;
      exchange.responseBody = attempt.body;
      if (attempt.status === null) {
        exchange.errorCode = attempt.errorCode;
        exchange.errorMessage = attempt.errorMessage;
        if (attempt.errorCode !== 'Cancelled' && transient < this.options.transientRetries) {
          transient++;
          await this.sleep(backoffMs(transient, 250), signal);
          continue;
        }
        break;
      }
      const code = errorCodeFor(attempt.status, request.method, expectList);
      exchange.errorCode = code;
      exchange.errorMessage = code ? describeFailure(attempt.status, attempt.body) : null;
      if (attempt.status === 429 && throttled < this.options.maxThrottleRetries) {
        // Retry-After is honoured (a 2025 Microsoft answer says Entra pauses for it; §5 item 4 records the dispute).
        const wait = retryAfterMs(attempt.headers['retry-after']) ?? backoffMs(throttled, 1000);
        if (wait <= this.options.maxRetryAfterMs) {
          throttled++;
          await this.sleep(wait, signal);
          continue;
        }
      }
      if (attempt.status >= 500 && transient < this.options.transientRetries) {
        transient++;
        await this.sleep(backoffMs(transient, 250), signal);
        continue;
      }
      if (code === null && exchange.attempts > 1) exchange.errorMessage = null;
      break;
    }
    exchange.durationMs = Math.round((performance.now() - started) * 100) / 100;
    return exchange;
  }

  private async attempt(
    method: string,
    url: string,
    body: JsonObject | null,
    signal: AbortSignal | undefined,
  ): Promise<{ status: number | null; headers: Record<string, string>; body: unknown; errorCode: string | null; errorMessage: string | null }> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const authorization = await this.authorization(combined);
      const headers: Record<string, string> = { Authorization: authorization };
      if (body) headers['Content-Type'] = SCIM_CONTENT_TYPE;
      const response = await this.fetchImpl(url, {
        method,
        headers,
        ...(body ? { body: JSON.stringify(body) } : {}),
        // a redirect would take the request somewhere the admin did not type
        redirect: 'manual',
        signal: combined,
      });
      const text = await response.text();
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value, key) => {
        responseHeaders[key] = value;
      });
      let parsed: unknown = null;
      if (text !== '') {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
        }
      }
      return { status: response.status, headers: responseHeaders, body: parsed, errorCode: null, errorMessage: null };
    } catch (error) {
      if (signal?.aborted) return { status: null, headers: {}, body: null, errorCode: 'Cancelled', errorMessage: 'The cycle was cancelled' };
      if (timeout.aborted) {
        return { status: null, headers: {}, body: null, errorCode: 'Timeout', errorMessage: `No answer within ${this.options.timeoutMs} ms` };
      }
      if (error instanceof TokenError) return { status: null, headers: {}, body: null, errorCode: error.code, errorMessage: error.message };
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const detail = cause?.code ?? cause?.message ?? (error as Error).message;
      return { status: null, headers: {}, body: null, errorCode: 'WebExceptionProtocolError', errorMessage: `The target did not answer: ${detail}` };
    }
  }

  private async authorization(signal: AbortSignal): Promise<string> {
    const auth = this.target.auth;
    if (auth.kind === 'bearer') return `Bearer ${auth.token}`;
    if (this.token && this.token.expiresAt - 60_000 > Date.now()) return `Bearer ${this.token.value}`;
    this.tokenRequest ??= this.fetchToken(auth, signal).finally(() => {
      this.tokenRequest = null;
    });
    this.token = await this.tokenRequest;
    return `Bearer ${this.token.value}`;
  }

  /** OAuth 2.0 client credentials grant (RFC 6749 §4.4) against the token endpoint the admin typed. */
  private async fetchToken(auth: Extract<TargetAuth, { kind: 'client-credentials' }>, signal: AbortSignal): Promise<AccessToken> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: auth.clientId, client_secret: auth.clientSecret });
    if (auth.scope) form.set('scope', auth.scope);
    let response: Response;
    try {
      response = await this.fetchImpl(auth.tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        redirect: 'manual',
        signal,
      });
    } catch (error) {
      throw new TokenError('SystemForCrossDomainIdentityManagementCredentialValidationUnavailable', `The token endpoint did not answer: ${(error as Error).message}`);
    }
    const json = (await response.json().catch(() => null)) as { access_token?: unknown; expires_in?: unknown } | null;
    if (!response.ok || !json || typeof json.access_token !== 'string') {
      throw new TokenError(
        'SystemForCrossDomainIdentityManagementCredentialValidationFailure',
        `The token endpoint refused the client credentials (HTTP ${response.status})`,
      );
    }
    const lifetime = typeof json.expires_in === 'number' ? json.expires_in : 3600;
    return { value: json.access_token, expiresAt: Date.now() + lifetime * 1000 };
  }
}

class TokenError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The log line Entra writes: status and the target's own `detail` (§1.13 "StatusCode: BadRequest … Web Response"). */
function describeFailure(status: number, body: unknown): string {
  const detail =
    body && typeof body === 'object' && typeof (body as { detail?: unknown }).detail === 'string'
      ? (body as { detail: string }).detail
      : typeof body === 'string'
        ? body
        : body === null
          ? ''
          : JSON.stringify(body);
  return `StatusCode: ${status}${detail ? `. Web Response: ${detail}` : ''}`;
}
