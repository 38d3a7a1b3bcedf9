import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import { CONTENT_SECURITY_POLICY, CONTENT_TYPES } from './bridge/server.ts';

/**
 * The desktop window's own origin, `scimplanner://app`, serving only the built renderer (Electron's
 * security checklist, "Avoid usage of the file:// protocol and prefer usage of custom protocols"):
 * under file:// the CSP's 'self' would cover every file on the disk. main.ts registers the scheme and
 * hands each request to `serveAppRequest`; nothing here imports electron, so tests run it directly.
 */
export const APP_SCHEME = 'scimplanner';
const APP_HOST = 'app';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * standard: a real origin and relative URLs; secure: a secure context (the clipboard API needs one);
 * supportFetchAPI and codeCache for module scripts. corsEnabled stays off, so no other origin can read it.
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, codeCache: true } as const;

/**
 * Browser mode's policy with the one difference the window allows: Monaco's editor worker is a
 * bundled file (vite `?worker`, `new Worker(new URL(…, import.meta.url))`), so no blob: workers.
 * 'self' now means scimplanner://app and nothing else.
 */
export const APP_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.split('; ')
  .map((directive) => (directive.startsWith('worker-src ') ? "worker-src 'self'" : directive))
  .join('; ');

/** Whether a URL (a frame's, a permission requester's, a navigation target) is a page of the app. */
export function isAppUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === '';
}

type AppAsset =
  /** `clientRoute`: an extension-less path, answered with the app shell when no such file exists */
  { ok: true; file: string; clientRoute: boolean } | { ok: false; status: 400 | 403 | 404; reason: string };

/** Characters no file name in the bundle has and a path could use to leave the folder (`..\`, `C:`, NUL). */
const UNSAFE_SEGMENT = /[/\\:\0]/;
/** Windows opens these names as devices in any folder ("Naming Files, Paths, and Namespaces", Microsoft Learn). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/** Maps a request URL to a file inside `rendererRoot`, or says why it is refused. Reads nothing. */
export function resolveAppAsset(rawUrl: string, rendererRoot: string): AppAsset {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, status: 400, reason: `Not a URL: ${rawUrl}` };
  }
  if (!isAppUrl(url.href)) return { ok: false, status: 404, reason: `Not an app URL: ${rawUrl}` };
  const encoded = url.pathname === '/' ? ['index.html'] : url.pathname.slice(1).split('/');
  const segments: string[] = [];
  for (const part of encoded) {
    let segment: string;
    try {
      segment = decodeURIComponent(part);
    } catch {
      return { ok: false, status: 400, reason: `Malformed percent-encoding in ${url.pathname}` };
    }
    if (
      segment === '' ||
      segment === '.' ||
      segment === '..' ||
      UNSAFE_SEGMENT.test(segment) ||
      WINDOWS_DEVICE.test(segment)
    ) {
      return { ok: false, status: 403, reason: `Outside the app: ${url.pathname}` };
    }
    segments.push(segment);
  }
  const root = resolve(rendererRoot);
  const file = resolve(root, ...segments);
  // The segment rules already keep the path inside; this states the invariant once more, for the file system.
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    return { ok: false, status: 403, reason: `Outside the app: ${url.pathname}` };
  }
  return { ok: true, file, clientRoute: extname(segments[segments.length - 1]!) === '' };
}

function refusal(status: number, reason: string): Response {
  return new Response(reason, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
  });
}

function asset(file: string, body: Uint8Array): Response {
  const headers: Record<string, string> = {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'x-content-type-options': 'nosniff',
  };
  if (file.endsWith('.html')) headers['content-security-policy'] = APP_CONTENT_SECURITY_POLICY;
  return new Response(new Uint8Array(body), { status: 200, headers });
}

/** The scheme's handler (main.ts: `protocol.handle`): a file of the bundle, the app shell for a client route, or a refusal. */
export async function serveAppRequest(rawUrl: string, rendererRoot: string): Promise<Response> {
  const resolved = resolveAppAsset(rawUrl, rendererRoot);
  if (!resolved.ok) return refusal(resolved.status, resolved.reason);
  const shell = resolve(rendererRoot, 'index.html');
  try {
    return asset(resolved.file, await readFile(resolved.file));
  } catch {
    if (!resolved.clientRoute && resolved.file !== shell) {
      return refusal(404, `No such file in the app: ${new URL(rawUrl).pathname}`);
    }
  }
  try {
    return asset(shell, await readFile(shell));
  } catch {
    return refusal(503, 'The renderer is not built: run `npm run build` first.');
  }
}
