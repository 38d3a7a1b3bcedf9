import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { ApiErrorCode, Handlers } from '../../shared/api.ts';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from '../../shared/json-depth.ts';
import { dispatch } from '../backend/dispatch.ts';
import type { BackendEvents } from '../backend/events.ts';
import { BodyAbortedError, BodyTooLargeError, readRequestBody } from '../backend/http/request-body.ts';
import { LOG_FILE_UPLOAD_PATH } from '../../shared/api/log-comparison.ts';
import { receiveLogFile } from './log-file-upload.ts';
import { receiveUsersFile, sendUploadAnswer, USERS_FILE_UPLOAD_PATH } from './users-file-upload.ts';

/**
 * Browser mode's door to the backend (docs/architecture.md, "One API, three doors"): the built renderer, `POST
 * /api/<method>` and an SSE stream, on loopback only. A per-launch token arrives once in the printed URL and is then
 * kept in an HttpOnly, SameSite=Strict cookie, which EventSource sends too. Host and Origin are checked so a web page
 * the admin visits cannot reach the API (DNS rebinding, cross-site POSTs).
 */
interface BridgeOptions {
  handlers: Handlers;
  events: BackendEvents;
  /** the built renderer (vite build output) */
  staticDir: string;
  port?: number;
  /** fixed for tests; random per launch otherwise */
  token?: string;
  maxBodyBytes?: number;
  /** where the streaming upload of a users file lands (users-file-upload.ts); absent: the route answers 404 */
  importUsersFile?: Parameters<typeof receiveUsersFile>[2];
  /** where an uploaded provisioning-log file is held until compared (log-file-upload.ts); absent: the route answers 404 */
  acceptLogFile?: Parameters<typeof receiveLogFile>[2];
}

export interface RunningBridge {
  url: string;
  /** the URL to open: carries the token once */
  launchUrl: string;
  token: string;
  port: number;
  /** the session cookie's name for this launch (sessionCookieName) */
  cookieName: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * Cookies are scoped by host, never by port (RFC 6265 §8.5), so the name carries the port: a second
 * `npm run web` on another port sets its own cookie instead of replacing this one's.
 */
function sessionCookieName(port: number): string {
  return `scimplanner_session_${port}`;
}
const DEFAULT_MAX_BODY = 1024 * 1024;

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/** The renderer's CSP; the same policy is in renderer/index.html for the Electron window. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time comparison on digests, so length differences leak nothing either. */
function tokensMatch(given: string | undefined, expected: string): boolean {
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}

/** A malformed percent-encoding is a value that cannot match, not a failure of the bridge. */
function decodeOrUndefined(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeOrUndefined(rest.join('='));
  }
  return undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(payload);
}

function refuse(res: ServerResponse, status: number, code: ApiErrorCode, message: string): void {
  sendJson(res, status, { ok: false, error: { code, message } });
}

/** What the admin reads when the session cookie is missing: restarts and cleared cookies both end here. */
const SESSION_LOST =
  'This browser has no session for this launch (the app was restarted, or its cookie was cleared): open the URL printed in the terminal by `npm run web` again; it carries this launch’s token.';

export async function startBridge(options: BridgeOptions): Promise<RunningBridge> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const staticRoot = normalize(options.staticDir);
  let port = 0;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (error instanceof BodyAbortedError) return; // the client left mid-upload: no one to answer
      console.error('[bridge] request failed:', error);
      if (!res.headersSent) refuse(res, 500, 'internal', 'The bridge failed to answer this request');
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts().has(req.headers.host ?? '')) {
      return refuse(res, 403, 'forbidden-host', `Host "${req.headers.host ?? ''}" is not this app`);
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) {
      return refuse(res, 403, 'forbidden-origin', `Origin "${origin}" may not call this app`);
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      return refuse(res, 400, 'invalid-path', 'The request URL cannot be parsed');
    }

    // The launch URL: trade the token for the cookie, then drop it from the address bar.
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null && tokensMatch(queryToken, token)) {
      url.searchParams.delete('token');
      res.writeHead(303, {
        location: url.pathname + (url.search || ''),
        'set-cookie': `${sessionCookieName(port)}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        'cache-control': 'no-store',
      });
      res.end();
      return;
    }

    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!tokensMatch(readCookie(req, sessionCookieName(port)) ?? bearer, token)) {
      if (url.pathname.startsWith('/api/')) return refuse(res, 401, 'unauthorized', SESSION_LOST);
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`SCIM Planner: ${SESSION_LOST}\n`);
      return;
    }

    if (url.pathname === '/api/events') return streamEvents(req, res);
    if (url.pathname === USERS_FILE_UPLOAD_PATH && options.importUsersFile) {
      const answer = await receiveUsersFile(req, url, options.importUsersFile);
      if (answer) sendUploadAnswer(res, answer);
      return;
    }
    if (url.pathname === LOG_FILE_UPLOAD_PATH && options.acceptLogFile) return sendUploadAnswer(res, await receiveLogFile(req, url, options.acceptLogFile));
    if (url.pathname.startsWith('/api/')) {
      const name = decodeOrUndefined(url.pathname.slice(5));
      if (name === undefined) return refuse(res, 400, 'invalid-path', `The method name in "${url.pathname}" is not valid percent-encoding`);
      return callMethod(req, res, name);
    }
    return serveStatic(res, url.pathname);
  }

  async function callMethod(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return refuse(res, 405, 'method-not-allowed', 'API methods are called with POST');
    }
    if (!Object.prototype.hasOwnProperty.call(options.handlers, name)) {
      return refuse(res, 404, 'unknown-method', `There is no API method "${name}"`);
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      return refuse(res, 415, 'unsupported-media-type', 'API calls must send Content-Type: application/json');
    }
    let text: string;
    try {
      text = (await readRequestBody(req, { maxBytes: maxBody })).toString('utf8');
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        if (!error.drained) res.setHeader('connection', 'close');
        return refuse(res, 413, 'payload-too-large', `Request bodies are limited to ${maxBody} bytes`);
      }
      throw error;
    }
    let input: unknown;
    try {
      input = text.trim() ? JSON.parse(text) : {};
    } catch {
      return refuse(res, 400, 'invalid-json', 'The request body is not valid JSON');
    }
    if (exceedsJsonDepth(input)) {
      return refuse(res, 400, 'invalid-json', `The request body nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep`);
    }
    sendJson(res, 200, await dispatch(options.handlers, name, input));
  }

  function streamEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const unsubscribe = options.events.subscribe((name, payload) => {
      res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  }

  async function serveStatic(res: ServerResponse, pathname: string): Promise<void> {
    const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
    const file = normalize(join(staticRoot, relative));
    if (file !== staticRoot && !file.startsWith(staticRoot + sep)) {
      return refuse(res, 404, 'not-found', 'No such file');
    }
    let body: Buffer;
    let served = file;
    try {
      body = await readFile(file);
    } catch {
      // Client-side routes fall back to the app shell; missing assets stay 404.
      if (extname(relative)) return refuse(res, 404, 'not-found', `No such file: ${pathname}`);
      served = join(staticRoot, 'index.html');
      try {
        body = await readFile(served);
      } catch {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('The renderer is not built yet: run `npm run web` (it builds before serving).\n');
        return;
      }
    }
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPES[extname(served)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'cache-control': served.endsWith('.html') ? 'no-store' : 'private, max-age=3600',
    };
    if (served.endsWith('.html')) {
      headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
      headers['x-frame-options'] = 'DENY';
      headers['referrer-policy'] = 'no-referrer';
    }
    res.writeHead(200, headers);
    res.end(body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    launchUrl: `${url}/?token=${token}`,
    token,
    port,
    cookieName: sessionCookieName(port),
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
