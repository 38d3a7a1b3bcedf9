/**
 * The mock SCIM server's HTTP side (node:http, no framework): bearer auth in constant time, body limit,
 * JSON parsing, injected latency / failures, vendor rate limit, and the request log around the
 * protocol core in scim-service.ts. One implementation for the app and the CLI.
 */
import type Database from 'better-sqlite3';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { ScimError } from '../../../shared/scim/errors.ts';
import { parseFilter } from '../../../shared/scim/filter.ts';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from '../../../shared/json-depth.ts';
import { MODE_DIALECTS, type MockServerMode } from './modes.ts';
import { RequestLog, type RequestListener, type RequestLogEntry, type RequestLogQuery } from './request-log.ts';
import { errorResponse, ScimService, type ScimResponse } from './scim-service.ts';
import { MockStore, type ListResult } from './store.ts';
import { GroupCommit } from './group-commit.ts';
import { TokenBucket } from './rate-limit.ts';
import { BodyTooLargeError, readRequestBody } from '../http/request-body.ts';
import { GENERIC_BEHAVIOUR, type VendorBehaviour } from './vendor-behaviour.ts';

export interface MockServerOptions {
  /** an open database: the app's workspace, or the CLI's own file */
  db: Database.Database;
  /** 0 picks a free port (default) */
  port?: number;
  /** default 127.0.0.1: the server is reachable from this machine only unless the admin says otherwise */
  host?: string;
  basePath?: string;
  /** the Secret Token; default: the one persisted in the database, or a new random one */
  token?: string;
  mode?: MockServerMode;
  behaviour?: VendorBehaviour;
  /** serve HTTPS with a self-signed certificate generated at start */
  tls?: boolean;
  /** added to every authenticated request, for rehearsing slow vendors */
  latencyMs?: number;
  /** 0..1: share of authenticated requests answered 500 on purpose */
  failureRate?: number;
  /** request bodies above this are refused with 413 (default 1 MiB) */
  maxBodyBytes?: number;
  /** request log rows kept (default 10,000) */
  logCap?: number;
  /** randomness for failure injection (tests pass a seeded one) */
  random?: () => number;
  /**
   * share one commit among the writes of an event-loop turn (group-commit.ts); default true. The app turns
   * it off because the workspace connection is shared with other areas.
   */
  groupCommit?: boolean;
}

export interface RunningMockServer {
  /** the Tenant URL to paste into Entra */
  url: string;
  /** the Secret Token to paste into Entra */
  token: string;
  port: number;
  host: string;
  tls: boolean;
  mode: MockServerMode;
  behaviour: VendorBehaviour;
  stop(): Promise<void>;
  /** deletes every user and group (the request log stays) */
  reset(): void;
  onRequest(listener: RequestListener): () => void;
  listUsers(query?: { filter?: string; startIndex?: number; count?: number }): ListResult;
  listGroups(query?: { filter?: string; startIndex?: number; count?: number }): ListResult;
  requestLog(query?: RequestLogQuery): RequestLogEntry[];
  /** newest first with the matching total; bodies left out unless asked for */
  requestLogPage(query?: RequestLogQuery & { offset?: number; withBodies?: boolean }): ReturnType<RequestLog['page']>;
  requestEntry(seq: number): RequestLogEntry | undefined;
}

export class PortInUseError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`port ${port} on ${host} is already in use; choose another with --port, or --port 0 for a free one`);
    this.name = 'PortInUseError';
  }
}

const JSON_TYPE = 'application/scim+json; charset=utf-8';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** the mock_settings key of the persisted Secret Token */
export const TOKEN_SETTING = 'token';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Compares the presented token with the secret in constant time: equal-length SHA-256 digests. */
function tokenMatches(presented: string, secretDigest: Buffer): boolean {
  return timingSafeEqual(digest(presented), secretDigest);
}

export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

function normalizeBasePath(basePath: string): string {
  const trimmed = ('/' + basePath.trim()).replace(/\/+/g, '/').replace(/\/$/, '');
  return trimmed;
}

async function selfSignedCredentials(host: string): Promise<{ key: string; cert: string }> {
  const selfsigned = (await import('selfsigned')).default;
  const altNames = [
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
  ];
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '0.0.0.0' && host !== '::') {
    altNames.push(/^[\d.]+$/.test(host) ? { type: 7, ip: host } : { type: 2, value: host });
  }
  const pems = selfsigned.generate([{ name: 'commonName', value: 'SCIM Planner mock server' }], {
    days: 30,
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames }],
  });
  return { key: pems.private, cert: pems.cert };
}

export async function startMockServer(options: MockServerOptions): Promise<RunningMockServer> {
  const host = options.host ?? '127.0.0.1';
  const basePath = normalizeBasePath(options.basePath ?? '/scim/v2');
  const basePathLower = basePath.toLowerCase();
  const mode = options.mode ?? 'entra';
  const behaviour = options.behaviour ?? GENERIC_BEHAVIOUR;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const latencyMs = Math.max(options.latencyMs ?? 0, 0);
  const failureRate = Math.min(Math.max(options.failureRate ?? 0, 0), 1);
  const random = options.random ?? Math.random;
  const tls = options.tls ?? false;

  const store = new MockStore(options.db);
  let token = options.token ?? store.getSetting(TOKEN_SETTING);
  if (!token) {
    token = generateToken();
    store.putSetting(TOKEN_SETTING, token);
  }
  const secretDigest = digest(token);
  const log = new RequestLog(options.db, options.logCap);
  const service = new ScimService(store, { mode, behaviour });
  const batch = options.groupCommit === false ? undefined : new GroupCommit(options.db);
  const bucket = behaviour.rateLimit ? new TokenBucket(behaviour.rateLimit.requestsPerSecond, behaviour.rateLimit.burst) : undefined;
  const scheme = tls ? 'https' : 'http';
  let listenPort = 0;

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const started = performance.now();

    const finish = (response: ScimResponse, requestBody: string | null) => {
      const text = response.body === undefined ? null : JSON.stringify(response.body);
      const headers: Record<string, string | number> = { ...(response.headers ?? {}) };
      if (text !== null) {
        headers['Content-Type'] = JSON_TYPE;
        headers['Content-Length'] = Buffer.byteLength(text);
      }
      if (!res.headersSent) {
        res.writeHead(response.status, headers);
        res.end(text ?? undefined);
      }
      log.record({
        at: new Date().toISOString(),
        method: req.method ?? '',
        path: req.url ?? '',
        status: response.status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        requestBody,
        responseBody: text,
        rule: response.rule ?? null,
      });
    };

    readRequestBody(req, { maxBytes: maxBodyBytes }).then(
      (buffer) => {
        const raw = buffer.toString('utf8');
        void respond(req, raw).then(
          (response) => finish(response, raw === '' ? null : raw),
          (error: unknown) => {
            // a defect in the server must still answer, and must never stop it
            const detail = error instanceof Error ? error.message : String(error);
            finish(errorResponse(new ScimError(500, undefined, `internal error: ${detail}`, 'server.defect')), raw === '' ? null : raw);
          },
        );
      },
      (error: unknown) => {
        if (!(error instanceof BodyTooLargeError)) return; // the client left mid-upload: no one to answer
        if (!error.drained) res.setHeader('Connection', 'close');
        finish(errorResponse(new ScimError(413, undefined, error.message, 'http.body-too-large')), null);
      },
    );
  };

  const respond = async (req: http.IncomingMessage, raw: string): Promise<ScimResponse> => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://mock.invalid');
    } catch {
      return errorResponse(new ScimError(400, 'invalidSyntax', 'the request URL cannot be parsed', 'http.url'));
    }
    const pathname = url.pathname;
    const lowerPath = pathname.toLowerCase();
    if (lowerPath !== basePathLower && !lowerPath.startsWith(basePathLower + '/')) {
      return errorResponse(new ScimError(404, undefined, `no SCIM service at ${pathname}; the base is ${basePath}`, 'http.base-path'));
    }

    const authorization = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (!match || !tokenMatches(match[1]!, secretDigest)) {
      return errorResponse(new ScimError(401, undefined, 'missing or invalid bearer token', 'auth.bearer'));
    }

    if (bucket) {
      const wait = bucket.take();
      if (wait > 0) {
        const response = errorResponse(new ScimError(429, undefined, `${behaviour.name} allows ${behaviour.rateLimit!.requestsPerSecond} requests per second`, 'vendor.rate-limit'));
        response.headers = { ...response.headers, 'Retry-After': String(wait) };
        return response;
      }
    }
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (failureRate > 0 && random() < failureRate) {
      return errorResponse(new ScimError(500, undefined, 'injected failure (rehearsal setting --failure-rate)', 'inject.failure'));
    }

    let body: unknown;
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
      } catch (error) {
        return errorResponse(new ScimError(400, 'invalidSyntax', `the body is not valid JSON: ${(error as Error).message}`, 'body.invalid-json'));
      }
      if (exceedsJsonDepth(body)) {
        return errorResponse(new ScimError(400, 'invalidSyntax', `the body nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep`, 'body.too-deep'));
      }
    }
    const hostHeader = forwardedOr(req.headers['x-forwarded-host'], req.headers.host) ?? `${host}:${listenPort}`;
    const proto = forwardedOr(req.headers['x-forwarded-proto'], undefined) ?? scheme;
    const headers: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(req.headers)) headers[key] = Array.isArray(value) ? value.join(', ') : value;
    const method = req.method ?? 'GET';
    const scimRequest = {
      method,
      path: pathname.slice(basePath.length),
      query: url.searchParams,
      body,
      headers,
      baseUrl: `${proto}://${hostHeader}${basePath}`,
    };
    if (!batch) return service.handle(scimRequest);
    return batch.run(() => service.handle(scimRequest), WRITE_METHODS.has(method.toUpperCase()));
  };

  const server = tls ? https.createServer(await selfSignedCredentials(host), handler) : http.createServer(handler);
  server.keepAliveTimeout = 5000;
  // malformed HTTP (bad request line, header overflow) gets a 400 and the server keeps running
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(host, options.port ?? 0) : error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(options.port ?? 0, host);
  });
  listenPort = (server.address() as AddressInfo).port;
  const displayHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  let stopped: Promise<void> | undefined;
  const listQuery = (query: { filter?: string; startIndex?: number; count?: number } = {}) => ({
    startIndex: query.startIndex ?? 1,
    count: query.count ?? 100,
    ...(query.filter ? { filter: parseListFilter(query.filter, mode) } : {}),
  });

  return {
    url: `${scheme}://${displayHost}:${listenPort}${basePath}`,
    token,
    port: listenPort,
    host,
    tls,
    mode,
    behaviour,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => {
        batch?.commit();
        log.flush();
      });
      return stopped;
    },
    reset: () => store.reset(),
    onRequest: (listener) => log.onRequest(listener),
    listUsers: (query) => store.listUsers(listQuery(query)),
    listGroups: (query) => store.listGroups({ ...listQuery(query), withMembers: true }),
    requestLog: (query) => log.query(query),
    requestLogPage: (query) => log.page(query),
    requestEntry: (seq) => log.entry(seq),
  };
}

function forwardedOr(forwarded: string | string[] | undefined, fallback: string | undefined): string | undefined {
  const value = Array.isArray(forwarded) ? forwarded[0] : forwarded;
  const candidate = value?.split(',')[0]?.trim() || fallback;
  // only host-like values end up in Location headers
  return candidate && /^[\w.\-:[\]]+$/.test(candidate) ? candidate : undefined;
}

function parseListFilter(filter: string, mode: MockServerMode) {
  return parseFilter(filter, MODE_DIALECTS[mode].filter);
}
