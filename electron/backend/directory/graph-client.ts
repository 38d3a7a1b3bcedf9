/**
 * One way to call Microsoft Graph: the bearer token sent to exactly one origin, Graph's error envelope read into
 * words, and 429/503/504 answered by waiting out Retry-After (or an exponential backoff) and repeating the same
 * request. The directory reader, the provisioning job checks (parseExpression, logs, job health) and the go-live
 * writes (schema PUT, provision on demand) all call Graph through it.
 *
 * Why a custom middleware chain instead of the client's default one: the default AuthenticationHandler
 * attaches the bearer token only to https URLs on Graph's known hosts (or `customHosts`, which are
 * also matched on "https://" only) and *strips* it from anything else. A local http stand-in for Graph
 * (the fake server in tests and benchmarks) would therefore get no token. Rather than loosen that check,
 * `BearerForOrigin` below sends the token to exactly one origin: the configured Graph base URL. That
 * origin must be https unless it is a loopback address, so the real cloud path stays https-only and a
 * token can never leave for another host (a nextLink to a foreign origin is refused outright).
 */
import { Client, GraphError, ResponseType, type Context, type Middleware, type MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import { SignInRequiredError } from './auth.ts';
import { CLOUDS, type CloudName } from './clouds.ts';
import { NetworkRequestError, connectionWasCut } from './network.ts';
import { abortableSleep, backoffMs, retryAfterMs } from '../http/retry.ts';

export interface GraphClientOptions {
  /** returns a bearer token for Graph (MSAL's acquireTokenSilent, or a pasted token) */
  getAccessToken: (signal?: AbortSignal) => Promise<string>;
  /** default: the cloud's Graph endpoint */
  cloud?: CloudName;
  /** overrides the cloud's endpoint, e.g. http://127.0.0.1:PORT for a local stand-in */
  graphBaseUrl?: string;
  /** retries per request after 429/503/504 before giving up */
  maxRetries?: number;
  /** backoff when Graph sends no Retry-After: first delay and cap, in ms */
  backoffMs?: { initial: number; max: number };
  /**
   * The fetch used for every request. Electron's main process passes `net.fetch`, which honours the
   * system proxy and certificate store; Node's global fetch honours NODE_EXTRA_CA_CERTS.
   */
  fetch?: typeof fetch;
  /** waits between retries; injectable so tests need not sleep */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface GraphCallOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** told how many seconds the client waits before repeating a throttled request */
  onWait?: (seconds: number) => void;
  /** the body as text, unparsed (paged reads parse it themselves) */
  asText?: boolean;
}

type GraphMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface GraphWriteOptions extends GraphCallOptions {
  /** sent as JSON */
  body?: unknown;
  /**
   * A POST or PATCH that changes something is repeated only after a 429 (Graph refused it before doing
   * anything); after a 503/504 it may have been done, so the error goes to the caller. Reads sent as POST
   * (parseExpression, getAvailableExtensionProperties) set this to be repeated like a GET.
   */
  repeatable?: boolean;
}

/** A Graph call stopped by its AbortSignal. */
export class GraphCallCancelledError extends Error {
  override readonly name = 'GraphCallCancelledError';
  constructor() {
    super('The Microsoft Graph request was cancelled.');
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Validates a Graph base URL and returns its origin: https, or http only on a loopback host. */
export function graphOrigin(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`"${baseUrl}" is not a valid Graph base URL.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    throw new Error(
      `The Graph base URL must use https (http is accepted only for a local stand-in on 127.0.0.1): ${baseUrl}`,
    );
  }
  return url.origin;
}

class BearerForOrigin implements Middleware {
  private next?: Middleware;
  constructor(
    private readonly origin: string,
    private readonly token: (signal?: AbortSignal) => Promise<string>,
  ) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const options = (context.options ??= {});
    if (new URL(url).origin !== this.origin) {
      throw new GraphRequestError(
        0,
        'ForeignOrigin',
        `Refusing to send the Graph token to ${new URL(url).origin}.`,
        url,
      );
    }
    const token = await this.token(options.signal ?? undefined);
    if (options.headers instanceof Headers) options.headers.set('Authorization', `Bearer ${token}`);
    else
      options.headers = {
        ...(options.headers as Record<string, string> | undefined),
        Authorization: `Bearer ${token}`,
      };
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** Marks a request that is safe to send again (the GraphClient decides: idempotent methods and reads sent as POST). */
class RepeatableRequest implements MiddlewareOptions {}

/**
 * The last link: performs the request with the configured fetch (see GraphReaderOptions.fetch). A request that is safe
 * to repeat (RFC 9110 §9.2.2) is sent again when its connection was cut: pooled keep-alive connections close on the
 * server's side after a while idle, and when the reader was busy with a page several of them may be dead at once, each
 * retry discarding one; `maxCuts` bounds it.
 */
class FetchHandler implements Middleware {
  constructor(
    private readonly fetchImpl: typeof fetch,
    private readonly maxCuts: number,
  ) {}
  async execute(context: Context): Promise<void> {
    const options = context.options as RequestInit;
    const repeatable = context.middlewareControl?.getMiddlewareOptions(RepeatableRequest) !== undefined;
    for (let cut = 0; ; cut++) {
      try {
        context.response = await this.fetchImpl(context.request, options);
        return;
      } catch (error) {
        if (options.signal?.aborted || !repeatable || cut >= this.maxCuts || !connectionWasCut(error)) throw error;
      }
    }
  }
}

/** Graph's error envelope `{"error": {"code", "message"}}`, or the raw text when it is not one. */
function graphErrorOf(body: string): { code: string; message: string } {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: string; message?: string } };
    if (parsed.error) return { code: parsed.error.code ?? 'Error', message: parsed.error.message ?? '' };
  } catch {
    // not JSON: fall through
  }
  return { code: 'Error', message: body.slice(0, 300) };
}

/** Graph refused the token: the only fix is a new sign-in (or a fresh pasted token). */
export class GraphSignInRequiredError extends Error {
  override readonly name = 'GraphSignInRequiredError';
  constructor(detail: string) {
    super(
      `Microsoft Graph refused the access token (${detail}). Sign in again, or paste a fresh token ` +
        '(az account get-access-token --resource-type ms-graph).',
    );
  }
}

export class GraphRequestError extends Error {
  override readonly name = 'GraphRequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly url: string,
  ) {
    super(message);
  }
}


/** Graph at one origin, with one token source; see the module comment. */
export class GraphClient {
  readonly origin: string;
  private readonly client: Client;
  private readonly maxRetries: number;
  private readonly backoff: { initial: number; max: number };
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(options: GraphClientOptions) {
    this.origin = graphOrigin(options.graphBaseUrl ?? CLOUDS[options.cloud ?? 'global'].graphBaseUrl);
    this.maxRetries = options.maxRetries ?? 8;
    this.backoff = options.backoffMs ?? { initial: 1000, max: 32_000 };
    this.sleep = options.sleep ?? abortableSleep;
    this.client = Client.initWithMiddleware({
      middleware: [new BearerForOrigin(this.origin, options.getAccessToken), new FetchHandler(options.fetch ?? fetch, this.maxRetries)],
      baseUrl: `${this.origin}/`,
      defaultVersion: 'v1.0',
    });
  }

  /**
   * One Graph call (a path relative to /v1.0, or a nextLink on the same origin) with retries:
   * 429/503/504 wait for Retry-After (or exponential backoff) and then repeat the *same* request, so a
   * paged read resumes at the page that was throttled.
   */
  async request<T>(method: GraphMethod, path: string, init: GraphWriteOptions = {}): Promise<T> {
    const relative = this.relativePath(path);
    const idempotent = method === 'GET' || method === 'PUT' || method === 'DELETE' || init.repeatable === true;
    for (let attempt = 0; ; attempt++) {
      if (init.signal?.aborted) throw new GraphCallCancelledError();
      let response: Response;
      try {
        // RAW: the status, headers (Retry-After) and body are read here; the client's own error
        // mapping drops the headers for non-JSON response types.
        let request = this.client.api(relative).responseType(ResponseType.RAW);
        for (const [name, value] of Object.entries(init.headers ?? {})) request = request.header(name, value);
        if (init.signal) request = request.options({ signal: init.signal });
        if (idempotent) request = request.middlewareOptions([new RepeatableRequest()]);
        response = (await send(request, method, init.body)) as Response;
      } catch (error) {
        if (init.signal?.aborted) throw new GraphCallCancelledError();
        if (error instanceof GraphRequestError || error instanceof SignInRequiredError) throw error;
        // A token that cannot be had (signed out, refresh refused) is a sign-in problem, not a network one;
        // the client wraps errors thrown in the middleware chain in a GraphError named after the original.
        if (error instanceof GraphError && error.code === 'SignInRequiredError')
          throw new SignInRequiredError(String(error.body).replace(/^SignInRequiredError: /, ''));
        const cause = String(error instanceof GraphError ? (error.body ?? error.message) : (error as Error).message);
        // explainedFetch (network.ts) already names the URL and the reason; other failures get both here.
        const explained = error instanceof NetworkRequestError || (error instanceof GraphError && error.code === 'NetworkRequestError');
        throw new GraphRequestError(0, 'NetworkError', explained ? cause : `Could not reach Microsoft Graph at ${this.origin}: ${cause}`, relative);
      }
      let body: string;
      try {
        body = await response.text();
      } catch (error) {
        if (init.signal?.aborted) throw new GraphCallCancelledError();
        throw error;
      }
      if (response.ok) {
        if (init.asText) return body as T;
        if (body === '') return undefined as T;
        return (/json/i.test(response.headers.get('content-type') ?? '') ? JSON.parse(body) : body) as T;
      }
      const { code, message } = graphErrorOf(body);
      const status = response.status;
      if (status === 401) throw new GraphSignInRequiredError(`401 ${code}: ${message}`);
      const retryable = status === 429 || (idempotent && (status === 503 || status === 504));
      if (!retryable || attempt >= this.maxRetries) {
        throw new GraphRequestError(status, code, `Graph answered ${status} ${code} for ${method} ${relative}: ${message}`, relative);
      }
      // No Retry-After: exponential backoff, capped (Graph throttling guidance).
      const delay = retryAfterMs(response.headers.get('Retry-After')) ?? backoffMs(attempt, this.backoff.initial, this.backoff.max);
      init.onWait?.(delay / 1000);
      try {
        await this.sleep(delay, init.signal);
      } catch (error) {
        if (init.signal?.aborted) throw new GraphCallCancelledError();
        throw error;
      }
    }
  }

  /** nextLinks are absolute; the client wants a path under /v1.0. A foreign origin is refused. */
  private relativePath(path: string): string {
    if (!/^https?:\/\//i.test(path)) return path;
    const url = new URL(path);
    if (url.origin !== this.origin)
      throw new GraphRequestError(0, 'ForeignOrigin', `Refusing to follow a link to ${url.origin}.`, path);
    return `${url.pathname.replace(/^\/v1\.0/, '')}${url.search}`;
  }
}

type GraphRequest = ReturnType<Client['api']>;

function send(request: GraphRequest, method: GraphMethod, body: unknown): Promise<unknown> {
  switch (method) {
    case 'GET':
      return request.get();
    case 'POST':
      return request.post(body ?? {});
    case 'PUT':
      return request.put(body ?? {});
    case 'PATCH':
      return request.patch(body ?? {});
    case 'DELETE':
      return request.delete();
  }
}
