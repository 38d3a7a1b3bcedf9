/**
 * A small SCIM service written for these tests, independent of the project's mock server: it keeps users in memory,
 * publishes its own discovery documents with a custom extension, refuses capitalised PATCH op names and "True"/"False"
 * strings, and has no /Groups. It can also issue OAuth client-credentials tokens and be told to fail or stall.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const ACME_URN = 'urn:ietf:params:scim:schemas:extension:acme:2.0:User';
const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

const attribute = (name: string, type: string, extra: Record<string, unknown> = {}) => ({
  name, type, multiValued: false, required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none', ...extra,
});

export const SCHEMAS = [
  {
    id: CORE_USER,
    name: 'User',
    attributes: [
      attribute('userName', 'string', { required: true, uniqueness: 'server' }),
      attribute('displayName', 'string'),
      attribute('active', 'boolean'),
      attribute('title', 'string'),
      attribute('name', 'complex', { subAttributes: [attribute('givenName', 'string'), attribute('familyName', 'string')] }),
      attribute('emails', 'complex', {
        multiValued: true,
        subAttributes: [attribute('value', 'string'), attribute('type', 'string', { canonicalValues: ['work', 'home'] }), attribute('primary', 'boolean')],
      }),
      attribute('groups', 'complex', { multiValued: true, mutability: 'readOnly', subAttributes: [attribute('value', 'string')] }),
    ],
  },
  {
    id: ACME_URN,
    name: 'Acme user',
    attributes: [
      attribute('badgeNumber', 'string', { required: true }),
      attribute('startDate', 'dateTime'),
      attribute('contractor', 'boolean'),
      attribute('level', 'string', { canonicalValues: ['junior', 'senior'], caseExact: true }),
    ],
  },
];

export interface IndependentServer {
  url: string;
  tokenUrl: string;
  users: Map<string, Record<string, unknown>>;
  /** every request as method + path, in order */
  log: string[];
  /** answer every PATCH with this status (e.g. 500), or never answer it ('stall') */
  failPatchesWith: number | 'stall' | null;
  /** called on each request before it is answered */
  onRequest: ((method: string, path: string) => void) | null;
  stop(): Promise<void>;
}

interface Options {
  /** accept only tokens issued by /oauth/token for this client */
  oauth?: { clientId: string; clientSecret: string; scope: string };
  token?: string;
  /** accept any op case and "True"/"False" strings, storing values as sent (a careless vendor) */
  lenient?: boolean;
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  res.writeHead(status, body === undefined ? {} : { 'Content-Type': 'application/scim+json' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

const error = (res: ServerResponse, status: number, detail: string) =>
  send(res, status, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), detail });

async function bodyOf(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

function hasStringBoolean(value: unknown): boolean {
  if (value === 'True' || value === 'False') return true;
  if (Array.isArray(value)) return value.some(hasStringBoolean);
  if (value && typeof value === 'object') return Object.values(value).some(hasStringBoolean);
  return false;
}

/** `name.givenName` into the `name` object; anything else (URNs, filters) as one key, which this service does not read. */
function setPath(user: Record<string, unknown>, path: string, value: unknown): void {
  const [parent, child] = path.split('.');
  if (path.startsWith('urn:') || path.includes('[') || child === undefined) {
    user[path] = value;
    return;
  }
  const held = user[parent!];
  user[parent!] = { ...(held && typeof held === 'object' ? held : {}), [child]: value };
}

export async function startIndependentServer(options: Options = {}): Promise<IndependentServer> {
  const users = new Map<string, Record<string, unknown>>();
  const issued = new Set<string>();
  let next = 1;
  const state = { failPatchesWith: null as number | 'stall' | null, onRequest: null as IndependentServer['onRequest'] };
  const log: string[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      log.push(`${method} ${url.pathname}${url.search}`);
      state.onRequest?.(method, url.pathname);
      const text = await bodyOf(req);
      if (url.pathname === '/oauth/token') {
        const form = new URLSearchParams(text);
        const oauth = options.oauth;
        if (!oauth || form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== oauth.clientId || form.get('client_secret') !== oauth.clientSecret || form.get('scope') !== oauth.scope) {
          send(res, 401, { error: 'invalid_client' });
          return;
        }
        const token = `issued-${crypto.randomUUID()}`;
        issued.add(token);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 }));
        return;
      }
      const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      const authorised = options.oauth ? issued.has(bearer) : bearer === (options.token ?? 'indie-token');
      if (!authorised) return error(res, 401, 'invalid token');
      const path = url.pathname.replace(/^\/scim/, '');
      if (method === 'GET' && path === '/ServiceProviderConfig') {
        return send(res, 200, { patch: { supported: true }, bulk: { supported: false }, filter: { supported: true, maxResults: 50 }, sort: { supported: false }, etag: { supported: false }, authenticationSchemes: [{ type: 'oauthbearertoken', name: 'Bearer token' }] });
      }
      if (method === 'GET' && path === '/ResourceTypes') {
        return send(res, 200, { totalResults: 1, Resources: [{ id: 'User', name: 'User', endpoint: '/Users', schema: CORE_USER, schemaExtensions: [{ schema: ACME_URN, required: false }] }] });
      }
      if (method === 'GET' && path === '/Schemas') return send(res, 200, { totalResults: SCHEMAS.length, Resources: SCHEMAS });
      if (!path.startsWith('/Users')) return error(res, 404, `no such endpoint ${path}`);
      const id = path.slice('/Users/'.length);
      if (method === 'GET' && path === '/Users') {
        const match = /^(\w+) eq "(.*)"$/.exec(url.searchParams.get('filter') ?? '');
        if (!match) return error(res, 400, 'only "attribute eq value" filters are supported');
        const hits = [...users.values()].filter((u) => u[match[1]!] === match[2]);
        return send(res, 200, { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: hits.length, Resources: hits });
      }
      if (method === 'POST' && path === '/Users') {
        const body = JSON.parse(text) as Record<string, unknown>;
        if ([...users.values()].some((u) => u.userName === body.userName)) return error(res, 409, 'userName exists');
        const user = { ...body, id: `u${next++}` };
        users.set(user.id, user);
        return send(res, 201, user);
      }
      const user = users.get(id);
      if (!user) return error(res, 404, `no user ${id}`);
      if (method === 'GET') return send(res, 200, user);
      if (method === 'PATCH') {
        if (state.failPatchesWith === 'stall') return;
        if (state.failPatchesWith !== null) return error(res, state.failPatchesWith, 'PATCH is failing on purpose');
        const body = JSON.parse(text) as { Operations: Array<{ op: string; path?: string; value?: unknown }> };
        for (const operation of body.Operations) {
          if (!options.lenient && operation.op !== operation.op.toLowerCase()) return error(res, 400, `op "${operation.op}" is not one of add, remove, replace`);
          if (!options.lenient && hasStringBoolean(operation.value)) return error(res, 400, 'booleans must be JSON true or false');
          if (operation.path) setPath(user, operation.path, operation.value);
          else for (const [key, value] of Object.entries(operation.value as Record<string, unknown>)) setPath(user, key, value);
        }
        return send(res, 200, user);
      }
      if (method === 'DELETE') {
        users.delete(id);
        return send(res, 204);
      }
      return error(res, 405, 'method not allowed');
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/scim`,
    tokenUrl: `http://127.0.0.1:${port}/oauth/token`,
    users,
    log,
    get failPatchesWith() {
      return state.failPatchesWith;
    },
    set failPatchesWith(value) {
      state.failPatchesWith = value;
    },
    get onRequest() {
      return state.onRequest;
    },
    set onRequest(value) {
      state.onRequest = value;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
