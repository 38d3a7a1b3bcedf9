/**
 * One network stack for sign-in and Graph, chosen per mode (issue 7, "Clouds and networks"):
 * - Electron: main.ts passes Chromium's `net.fetch`: the system proxy (PAC, WPAD) and the OS certificate store;
 * - CLI and browser mode: `environmentFetch()`, because Node 20's own fetch ignores HTTPS_PROXY/HTTP_PROXY/
 *   NO_PROXY. NODE_EXTRA_CA_CERTS needs nothing here: Node's TLS reads it at start-up for every connection.
 * MSAL for Node brings its own http client, which knows neither; `fetchNetworkModule` puts MSAL on the same
 * fetch as Graph, so a sign-in works wherever Graph does, and fails with the same words when it cannot.
 */
import {
  AuthError,
  ClientAuthErrorCodes,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import { EnvHttpProxyAgent, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from 'undici';

/**
 * A request that got no HTTP answer, worded for an admin: which URL and why (proxy, certificate, timeout).
 * An AuthError because MSAL replaces any other error from its network seam with a bare "Network request
 * failed" (msal-common BaseClient.sendPostRequest); AuthErrors reach the caller as they are.
 */
export class NetworkRequestError extends AuthError {
  constructor(
    readonly url: string,
    readonly reason: string,
    cause?: unknown,
  ) {
    super(ClientAuthErrorCodes.networkError, `Could not reach ${url}: ${reason}`);
    // AuthError pins the prototype to its own, which would hide this class from instanceof.
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = 'NetworkRequestError';
    this.message = this.errorMessage;
    this.cause = cause;
  }

  /** The Graph client keeps a failed request's error as String(error): the admin reads the reason, not a class name. */
  override toString(): string {
    return this.message;
  }
}

/** MSAL's own client waits without limit; a proxy that swallows connections would hang a sign-in for ever. */
const DEFAULT_TIMEOUT_MS = 60_000;
/**
 * Loopback never goes through a proxy, whatever NO_PROXY says: local stand-ins live there (the fake Graph in
 * tests and benchmarks, the mock SCIM server), and a proxy would only fail to reach them.
 */
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

const CERTIFICATE_UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

interface FailureDetail {
  code?: string;
  message: string;
  address?: string;
  port?: number;
  hostname?: string;
}

/** The error and its causes, outermost first: fetch says "fetch failed", the socket error under it says why. */
function failureChain(error: unknown): FailureDetail[] {
  const chain: FailureDetail[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    if (current instanceof AggregateError && current.errors.length > 0) current = current.errors[0];
    const e = current as { code?: unknown; message?: unknown; address?: unknown; port?: unknown; hostname?: unknown };
    chain.push({
      code: typeof e.code === 'string' ? e.code : undefined,
      message: typeof e.message === 'string' ? e.message : String(current),
      address: typeof e.address === 'string' ? e.address : undefined,
      port: typeof e.port === 'number' ? e.port : undefined,
      hostname: typeof e.hostname === 'string' ? e.hostname : undefined,
    });
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

const withoutCredentials = (proxy: string) => proxy.replace(/\/\/[^@/]*@/, '//');
/** A proxy as the admin would recognise it: scheme, host and port, never its credentials. */
const proxyName = (proxy: string) => {
  const url = new URL(proxy);
  return `${url.protocol}//${url.host}`;
};

/**
 * Why a request got no answer, in words an admin can act on. Node's and undici's codes come from the CLI
 * and browser mode, Chromium's `net::ERR_*` from Electron's net.fetch. `proxies` are the proxy URLs in use,
 * so a refused connection to one of them is named as the proxy's.
 */
/** Codes of a connection closed under a request (often a pooled keep-alive connection the server had just closed). */
const CONNECTION_CUT = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']);

/** True when the request failed because its connection was cut, so a request that is safe to repeat can be sent again. */
export function connectionWasCut(error: unknown): boolean {
  return failureChain(error).some((d) => d.code !== undefined && CONNECTION_CUT.has(d.code));
}

export function describeNetworkFailure(error: unknown, proxies: readonly string[] = []): string {
  const chain = failureChain(error);
  const find = (test: (d: FailureDetail) => boolean) => chain.find(test);

  const untrusted = find((d) => d.code !== undefined && CERTIFICATE_UNTRUSTED.has(d.code));
  if (untrusted) {
    return (
      `the server's certificate is not trusted (${untrusted.code}: ${untrusted.message}). If your network inspects ` +
      'HTTPS, its root certificate must be trusted: save it as a PEM file and set NODE_EXTRA_CA_CERTS to that file ' +
      "before starting SCIM Planner (the desktop app uses the operating system's certificate store instead)"
    );
  }
  const expired = find((d) => d.code === 'CERT_HAS_EXPIRED' || d.code === 'CERT_NOT_YET_VALID');
  if (expired)
    return `the server's certificate is outside its validity dates (${expired.code}); check this computer's clock`;
  const wrongName = find((d) => d.code === 'ERR_TLS_CERT_ALTNAME_INVALID');
  if (wrongName) return `the server's certificate is for another host name (${wrongName.message})`;

  // undici's ProxyAgent: the proxy answered the CONNECT with something other than 200.
  const tunnel = find((d) => /Proxy response \((\d+)\)/.test(d.message));
  if (tunnel) {
    const status = Number(/Proxy response \((\d+)\)/.exec(tunnel.message)![1]);
    return status === 407
      ? 'the proxy asks for credentials (407). Put them in the proxy URL (http://user:password@proxy:port) or ask for an exception for this host'
      : `the proxy refused to connect to it (it answered ${status}). Ask for this host to be allowed, or list it in NO_PROXY if it is reachable without the proxy`;
  }

  const chromium = find((d) => /net::ERR_[A-Z_]+/.test(d.message));
  if (chromium) {
    const code = /net::(ERR_[A-Z_]+)/.exec(chromium.message)![1]!;
    if (code.startsWith('ERR_CERT_')) {
      return `the server's certificate is not trusted (${code}). If your network inspects HTTPS, install its root certificate in the operating system's certificate store`;
    }
    const words: Record<string, string> = {
      ERR_PROXY_CONNECTION_FAILED: 'the system proxy could not be reached; check the proxy settings of this computer',
      ERR_TUNNEL_CONNECTION_FAILED: 'the system proxy refused to connect to it; ask for this host to be allowed',
      ERR_PROXY_AUTH_UNSUPPORTED: 'the system proxy asks for a kind of sign-in SCIM Planner cannot give',
      ERR_PROXY_AUTH_REQUESTED: 'the system proxy asks for credentials',
      ERR_NAME_NOT_RESOLVED: 'its host name could not be resolved (DNS)',
      ERR_CONNECTION_REFUSED: 'the connection was refused',
      ERR_CONNECTION_TIMED_OUT: 'the connection timed out',
      ERR_TIMED_OUT: 'the connection timed out',
      ERR_CONNECTION_RESET: 'the connection was cut before an answer came (a firewall or proxy may have dropped it)',
      ERR_CONNECTION_CLOSED: 'the connection was cut before an answer came (a firewall or proxy may have dropped it)',
      ERR_INTERNET_DISCONNECTED: 'this computer is offline',
    };
    return `${words[code] ?? 'the request failed'} (${code})`;
  }

  const refused = find((d) => d.code === 'ECONNREFUSED');
  if (refused) {
    const where = refused.address ? `${refused.address}:${refused.port}` : 'the server';
    // Through a proxy, every connection goes to the proxy; a refusal on its address is the proxy's.
    const proxy = proxies.find((p) => {
      const url = new URL(p);
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      const named = !/^[\d.]+$|^\[/.test(url.hostname);
      return refused.port === port && (named || url.hostname.replace(/^\[|\]$/g, '') === refused.address);
    });
    return proxy
      ? `the proxy ${proxyName(proxy)} refused the connection (ECONNREFUSED at ${where}); check HTTPS_PROXY/HTTP_PROXY`
      : `the connection to ${where} was refused (ECONNREFUSED)`;
  }
  const unresolved = find((d) => d.code === 'ENOTFOUND' || d.code === 'EAI_AGAIN');
  if (unresolved) {
    const name = unresolved.hostname ? `the host name ${unresolved.hostname}` : 'its host name';
    return `${name} could not be resolved (${unresolved.code}); check the name, DNS, or whether a proxy is needed (HTTPS_PROXY)`;
  }
  const timedOut = find((d) => d.code === 'ETIMEDOUT' || d.code === 'UND_ERR_CONNECT_TIMEOUT');
  if (timedOut)
    return `the connection timed out (${timedOut.code}); a firewall may be dropping it, or a proxy may be needed (HTTPS_PROXY)`;
  const reset = find((d) => d.code !== undefined && CONNECTION_CUT.has(d.code));
  if (reset)
    return `the connection was cut before an answer came (${reset.code}); a firewall or proxy may have dropped it`;

  const innermost = chain[chain.length - 1];
  return innermost ? `${innermost.code ? `${innermost.code}: ` : ''}${innermost.message}` : 'unknown error';
}

/** Where a request went, without its query (which may carry codes) for error messages. */
function displayUrl(input: string | URL | Request): string {
  const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  try {
    const url = new URL(raw);
    return `${url.origin}${url.pathname}`;
  } catch {
    return raw;
  }
}

const EXPLAINED = Symbol('explained fetch');

/**
 * A fetch whose failures say which URL failed and why (NetworkRequestError). A cancel is not a failure:
 * when the caller's signal aborted, its error passes through untouched.
 */
export function explainedFetch(base: typeof fetch, options: { proxies?: readonly string[] } = {}): typeof fetch {
  if ((base as { [EXPLAINED]?: true })[EXPLAINED]) return base;
  const explained = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    try {
      return await base(input, init);
    } catch (error) {
      if (init?.signal?.aborted || error instanceof NetworkRequestError) throw error;
      throw new NetworkRequestError(displayUrl(input), describeNetworkFailure(error, options.proxies), error);
    }
  };
  return Object.assign(explained, { [EXPLAINED]: true as const }) as typeof fetch;
}

/** MSAL's HttpClient turns a body that is not JSON into an error object; MSAL's callers expect that shape. */
function parseBody(status: number, statusText: string, headers: Record<string, string>, body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    const [type, who] =
      status >= 400 && status < 500
        ? ['client_error', 'A client']
        : status >= 500 && status < 600
          ? ['server_error', 'A server']
          : ['unknown_error', 'An unknown'];
    return {
      error: type,
      error_description: `${who} error occured.\nHttp status code: ${status}\nHttp status message: ${statusText || 'Unknown'}\nHeaders: ${JSON.stringify(headers)}`,
    };
  }
}

/**
 * MSAL's network seam (`system.networkClient`) over a fetch: the same requests MSAL's own HttpClient makes
 * (GET, and POST with a form body), the status and headers as they came (MSAL reads error bodies of 400s,
 * e.g. "authorization_pending" while a device code waits), JSON bodies parsed.
 */
export function fetchNetworkModule(fetchImpl: typeof fetch, options: { timeoutMs?: number } = {}): INetworkModule {
  const send = explainedFetch(fetchImpl);
  async function request<T>(
    method: 'GET' | 'POST',
    url: string,
    init: NetworkRequestOptions | undefined,
    timeoutMs: number,
  ): Promise<NetworkResponse<T>> {
    const signal = AbortSignal.timeout(timeoutMs);
    const headers = { ...init?.headers };
    // MSAL's POSTs are always forms; its own client adds the type when a caller leaves it out.
    if (method === 'POST' && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    }
    try {
      const response = await send(url, {
        method,
        headers,
        body: method === 'POST' ? (init?.body ?? '') : undefined,
        signal,
      });
      const text = await response.text();
      const received: Record<string, string> = {};
      response.headers.forEach((value, name) => (received[name] = value));
      return {
        status: response.status,
        headers: received,
        body: parseBody(response.status, response.statusText, received, text) as T,
      };
    } catch (error) {
      if (error instanceof NetworkRequestError) throw error;
      if (signal.aborted) {
        throw new NetworkRequestError(
          displayUrl(url),
          `no answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}; a proxy or firewall may be holding the connection`,
          error,
        );
      }
      throw new NetworkRequestError(displayUrl(url), describeNetworkFailure(error), error);
    }
  }
  const limit = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    sendGetRequestAsync: <T>(url: string, init?: NetworkRequestOptions, timeout?: number) =>
      request<T>('GET', url, init, timeout ?? limit),
    sendPostRequestAsync: <T>(url: string, init?: NetworkRequestOptions) => request<T>('POST', url, init, limit),
  };
}

const firstSet = (...values: (string | undefined)[]) => values.map((v) => v?.trim()).find((v) => v);

/** A proxy variable's value as a URL; "proxy:8080" means http, as curl reads it. */
function proxyFrom(env: NodeJS.ProcessEnv, lower: string, upper: string): string | undefined {
  const name = env[lower]?.trim() ? lower : upper;
  const raw = firstSet(env[lower], env[upper]);
  if (!raw) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`${name} is "${withoutCredentials(raw)}", which is not a proxy address; use http://host:port.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${name} uses ${url.protocol.slice(0, -1)}; only http:// and https:// proxies are supported.`);
  }
  return url.href;
}

/** undici 6 announces EnvHttpProxyAgent as experimental with a process warning an admin can do nothing about. */
function withoutExperimentalWarning<T>(create: () => T): T {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const options = rest[0] as { code?: string } | undefined;
    if (typeof options === 'object' && options?.code === 'UNDICI-EHPA') return;
    (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return create();
  } finally {
    process.emitWarning = emit;
  }
}

/**
 * The fetch for the CLI and browser mode. With HTTPS_PROXY or HTTP_PROXY (either case; lower case first, as
 * curl reads them; HTTP_PROXY alone also carries https) requests go through that proxy, except hosts in
 * NO_PROXY and loopback hosts (LOOPBACK_HOSTS), which never do. Without proxy variables it is Node's global
 * fetch. Either way failures say which URL failed and why.
 */
export function environmentFetch(env: NodeJS.ProcessEnv = process.env): typeof fetch {
  const httpProxy = proxyFrom(env, 'http_proxy', 'HTTP_PROXY');
  const httpsProxy = proxyFrom(env, 'https_proxy', 'HTTPS_PROXY');
  if (!httpProxy && !httpsProxy) return explainedFetch(globalThis.fetch);

  const noProxy = [firstSet(env.no_proxy, env.NO_PROXY), ...LOOPBACK_HOSTS].filter(Boolean).join(',');
  // Empty strings, not undefined: undici would otherwise fall back to process.env, and `env` is the whole truth.
  const dispatcher = withoutExperimentalWarning(
    () => new EnvHttpProxyAgent({ httpProxy: httpProxy ?? '', httpsProxy: httpsProxy ?? '', noProxy }),
  );
  // undici's own fetch: Node's global fetch runs on Node's bundled undici, which may not accept this dispatcher.
  const viaProxy = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const fromRequest: RequestInit =
      typeof input === 'string' || input instanceof URL
        ? {}
        : {
            method: input.method,
            headers: input.headers,
            signal: input.signal,
            ...(input.body ? { body: input.body, duplex: 'half' } : {}),
          };
    const url = typeof input === 'string' || input instanceof URL ? input : input.url;
    return undiciFetch(url, {
      ...fromRequest,
      ...init,
      dispatcher,
    } as UndiciRequestInit) as unknown as Promise<Response>;
  };
  return explainedFetch(viaProxy as typeof fetch, { proxies: [httpProxy, httpsProxy].filter((p): p is string => !!p) });
}
