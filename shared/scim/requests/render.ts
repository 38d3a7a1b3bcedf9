import type { JsonObject } from './target-path.ts';

type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** A request before rendering: the path is relative to the SCIM base (the tenant URL without its flags). */
export interface RequestSpec {
  readonly method: HttpMethod;
  readonly path: string;
  readonly body?: JsonObject;
}

/** One request exactly as Entra would send it, plus a curl command that replays it. */
export interface RenderedRequest {
  readonly method: HttpMethod;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: JsonObject | null;
  readonly curl: string;
}

interface RenderOptions {
  /** the SCIM base, e.g. https://api.contoso.com/scim; when absent the curl reads it from $SCIM_BASE */
  readonly baseUrl?: string;
}

/** The secret token never appears in output: headers show a placeholder, curl reads $SCIM_TOKEN. */
const AUTHORIZATION_PLACEHOLDER = 'Bearer <secret token>';
export const SCIM_CONTENT_TYPE = 'application/scim+json';

const BODY_HEADERS = Object.freeze({ Authorization: AUTHORIZATION_PLACEHOLDER, 'Content-Type': SCIM_CONTENT_TYPE });
// Entra's GETs carry no SCIM Accept header (Microsoft Learn "Develop a SCIM endpoint for user provisioning", "Protocol requests and responses"), so none is shown.
const GET_HEADERS = Object.freeze({ Authorization: AUTHORIZATION_PLACEHOLDER });

function shellSingleQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function renderCurl(spec: RequestSpec, options: RenderOptions = {}): string {
  // -g: target ids and filters contain [ ] { } which curl would otherwise treat as URL globs.
  const url = options.baseUrl ? shellSingleQuote(options.baseUrl + spec.path) : `"$SCIM_BASE"${shellSingleQuote(spec.path)}`;
  const parts = [`curl -g -X ${spec.method} ${url}`, `-H "Authorization: Bearer $SCIM_TOKEN"`];
  if (spec.body) {
    parts.push(`-H ${shellSingleQuote(`Content-Type: ${SCIM_CONTENT_TYPE}`)}`);
    parts.push(`--data-raw ${shellSingleQuote(JSON.stringify(spec.body))}`);
  }
  return parts.join(' ');
}

/**
 * A rendered request whose curl command is built when read (or serialised): a 100,000-user preview would
 * otherwise hold every body twice, once as JSON text inside its curl string.
 */
class LazyRenderedRequest implements RenderedRequest {
  readonly method: HttpMethod;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: JsonObject | null;
  readonly #options: RenderOptions;

  constructor(spec: RequestSpec, options: RenderOptions) {
    this.method = spec.method;
    this.path = spec.path;
    this.headers = spec.body ? BODY_HEADERS : GET_HEADERS;
    this.body = spec.body ?? null;
    this.#options = options;
  }

  get curl(): string {
    return renderCurl(this.body ? { method: this.method, path: this.path, body: this.body } : { method: this.method, path: this.path }, this.#options);
  }

  toJSON(): RenderedRequest {
    return { method: this.method, path: this.path, headers: this.headers, body: this.body, curl: this.curl };
  }
}

export function renderRequest(spec: RequestSpec, options: RenderOptions = {}): RenderedRequest {
  return new LazyRenderedRequest(spec, options);
}

/** Rebuilds a request that crossed a thread boundary (structured clone keeps data, not the curl getter). */
export function reviveRequest(request: Omit<RenderedRequest, 'curl'>, options: RenderOptions = {}): RenderedRequest {
  return new LazyRenderedRequest(request.body ? { method: request.method, path: request.path, body: request.body } : { method: request.method, path: request.path }, options);
}

/**
 * Query-string encoding as seen on the wire: spaces as `+`, quotes as `%22`, `@` as `%40`
 * (Microsoft Learn "Develop a SCIM endpoint for user provisioning", "Protocol requests and responses", e.g. `filter=userName+eq+%22…%22`).
 */
export function encodeQueryValue(text: string): string {
  return encodeURIComponent(text).replace(/%20/g, '+');
}

/** A string literal in a SCIM filter (RFC 7644 §3.4.2.2: JSON string rules). */
export function filterLiteral(value: string): string {
  return JSON.stringify(value);
}
