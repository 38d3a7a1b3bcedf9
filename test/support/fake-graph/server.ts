/**
 * A fake Microsoft Graph v1.0 for offline tests and benchmarks: node:http on 127.0.0.1, port 0.
 *
 * It speaks the parts of Graph the directory reader uses, with Graph's JSON shapes and error bodies:
 * /users ($select, $top up to 999 with @odata.nextLink paging, $expand=manager($select=...), $count with
 * ConsistencyLevel: eventual, /users/$count), /groups and /groups/{id}/members (with the
 * /microsoft.graph.user cast), directory extensions (/applications/{id}/extensionProperties and
 * POST /directoryObjects/getAvailableExtensionProperties), /servicePrincipals (?$filter=appId eq '...' or a tag),
 * /servicePrincipals/{id}/appRoleAssignedTo, synchronization jobs and their schema, and
 * /directory/deletedItems/microsoft.graph.user, and users/delta and groups/delta over a tenant tests change live
 * (./delta.ts). Bearer tokens other than the configured one get 401;
 * faults (429/503 with Retry-After) are injected on demand; latency is configurable per request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { GraphGroup, GraphUser } from '../../../shared/directory/graph-to-source.ts';
import { FakeTenant } from './delta.ts';
import { createGoLiveFake, routeGoLive, type GoLiveFake } from './go-live.ts';
import { routeSynchronizationChecks, type SynchronizationChecksData } from './synchronization-checks.ts';

export interface FakeGraphData {
  users: readonly GraphUser[];
  groups?: readonly GraphGroup[];
  /** servicePrincipal objects (id, appId, displayName, appRoles, ...) */
  servicePrincipals?: readonly Record<string, unknown>[];
  /** appRoleAssignment objects; `resourceId` says which service principal they belong to */
  appRoleAssignments?: readonly Record<string, unknown>[];
  /** extensionProperty objects (id, name, dataType, isMultiValued, targetObjects, appDisplayName) */
  extensionProperties?: readonly Record<string, unknown>[];
  /** synchronization jobs per service principal id */
  synchronizationJobs?: Readonly<Record<string, readonly Record<string, unknown>[]>>;
  /** synchronization schema per job id */
  synchronizationSchemas?: Readonly<Record<string, Record<string, unknown>>>;
  /** users in the recycle bin (/directory/deletedItems/microsoft.graph.user) */
  deletedUsers?: readonly GraphUser[];
  /** parseExpression answers, provisioning logs and denials (./synchronization-checks.ts); tests may change it live */
  synchronizationChecks?: SynchronizationChecksData;
}

export interface FakeGraphOptions {
  /** the only access token accepted (default "fake-graph-token") */
  accessToken?: string;
  /** delay before answering each request, in ms (default 0) */
  latencyMs?: number;
  /** instead of latencyMs: a delay drawn evenly from [min, max] ms for each request, as a real network varies */
  latencyRangeMs?: readonly [number, number];
  /** serve https with this key and certificate (PEM), as Graph itself does; default http */
  tls?: { key: string; cert: string };
  /**
   * The origin clients reach this server at when it is not its own address, e.g. https://graph.microsoft.com
   * through a test proxy; nextLinks and @odata.context use it, as Graph's carry its public host.
   */
  publicOrigin?: string;
}

export interface InjectedFault {
  /** which request paths it applies to (default: every path) */
  path?: RegExp;
  /** let this many matching requests through first (default 0) */
  after?: number;
  /** how many matching requests fail (default 1) */
  times?: number;
  status: 429 | 503 | 500 | 401 | 404;
  /** Retry-After header in seconds (omitted when undefined) */
  retryAfterSeconds?: number;
}

export interface RecordedRequest {
  method: string;
  /** path and query as received */
  url: string;
  status: number;
  headers: IncomingMessage['headers'];
}

export interface FakeGraph {
  /** origin, e.g. http://127.0.0.1:49152 (or the `publicOrigin` given) */
  readonly origin: string;
  /** the port it listens on, on 127.0.0.1 */
  readonly port: number;
  /** what a Graph client takes as base URL: `${origin}/` (requests go to `${origin}/v1.0/...`) */
  readonly baseUrl: string;
  readonly accessToken: string;
  readonly requests: RecordedRequest[];
  latencyMs: number;
  /** the job schemas, start/restart and provisionOnDemand (./go-live.ts) */
  readonly goLive: GoLiveFake;
  /** the users and groups served, changed live by tests (./delta.ts tracks the changes for users/delta) */
  readonly tenant: FakeTenant;
  injectFault(fault: InjectedFault): void;
  close(): Promise<void>;
}

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 999;
/** Graph returns these 11 user properties when there is no $select (G-LIST). */
const DEFAULT_USER_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function graphErrorBody(code: string, message: string): string {
  // Graph's error envelope, with the innerError it always carries.
  return JSON.stringify({
    error: {
      code,
      message,
      innerError: {
        date: '2026-01-01T00:00:00',
        'request-id': '00000000-0000-4000-8000-000000000000',
        'client-request-id': '00000000-0000-4000-8000-000000000000',
      },
    },
  });
}

/** `$skiptoken` is opaque in Graph; here it is the next offset, base64url-encoded so clients cannot rely on it. */
function encodeSkipToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}
function decodeSkipToken(token: string): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match)
    throw new GraphHttpError(
      400,
      'Directory_ExpiredPageToken',
      'The specified page token value has expired and can no longer be included in your request.',
    );
  return Number(match[1]);
}

/** `manager($select=id,displayName)` → { name: 'manager', select: ['id','displayName'] } */
function parseExpand(expand: string | null): { name: string; select: string[] | null } | null {
  if (!expand) return null;
  const match = /^(\w+)(?:\(\$select=([^)]*)\))?$/.exec(expand.trim());
  if (!match) throw new GraphHttpError(400, 'BadRequest', `Invalid $expand: ${expand}`);
  return { name: match[1]!, select: match[2] ? match[2].split(',').map((s) => s.trim()) : null };
}

function project(
  object: Record<string, unknown>,
  select: readonly string[] | null,
  defaults: readonly string[],
): Record<string, unknown> {
  const names = select ?? defaults;
  const result: Record<string, unknown> = {};
  // Graph always returns id, and null for a selected property without a value — except directory
  // extensions, which it omits when the object has no value for them.
  if (!names.includes('id')) result.id = object.id;
  for (const name of names) {
    const value = object[name];
    if (value === undefined) {
      if (!name.startsWith('extension_')) result[name] = null;
    } else result[name] = value;
  }
  return result;
}

function pageSizeOf(query: URLSearchParams): number {
  const top = query.get('$top');
  if (top === null) return DEFAULT_PAGE_SIZE;
  const size = Number(top);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new GraphHttpError(
      400,
      'Request_UnsupportedQuery',
      `Invalid page size specified: '${top}'. Must be between 1 and ${MAX_PAGE_SIZE} inclusive.`,
    );
  }
  return size;
}

export async function startFakeGraph(data: FakeGraphData, options: FakeGraphOptions = {}): Promise<FakeGraph> {
  const accessToken = options.accessToken ?? 'fake-graph-token';
  const tenant = new FakeTenant(data);
  const usersById = tenant.usersById;
  const groupsById = tenant.groupsById;
  const faults: (InjectedFault & { seen: number; failed: number })[] = [];
  const requests: RecordedRequest[] = [];
  const goLive = createGoLiveFake(data.synchronizationSchemas);
  let origin = '';

  /** One page of a collection as Graph's JSON text, each item shaped by `shape`. */
  function page(
    items: readonly Record<string, unknown>[],
    query: URLSearchParams,
    pathname: string,
    context: string,
    shape: (item: Record<string, unknown>) => Record<string, unknown>,
    count: boolean,
  ): { status: number; body: string } {
    const size = pageSizeOf(query);
    const skipToken = query.get('$skiptoken');
    const offset = skipToken === null ? 0 : decodeSkipToken(skipToken);
    const end = Math.min(items.length, offset + size);
    const head: Record<string, unknown> = { '@odata.context': context };
    if (count) head['@odata.count'] = items.length;
    if (end < items.length) {
      // Graph's nextLink repeats the query and adds $skiptoken; clients must follow it verbatim.
      const next = new URLSearchParams(query);
      next.delete('$skiptoken');
      next.delete('$count');
      next.set('$skiptoken', encodeSkipToken(end));
      head['@odata.nextLink'] = `${origin}${pathname}?${next.toString()}`;
    }
    const values: string[] = [];
    for (let i = offset; i < end; i++) values.push(JSON.stringify(shape(items[i]!)));
    const headJson = JSON.stringify(head);
    return { status: 200, body: `${headJson.slice(0, -1)},"value":[${values.join(',')}]}` };
  }

  /**
   * Users pages as the bytes sent, kept per query (its $select, $expand, $top and $skiptoken) until the tenant changes:
   * a benchmark reads the tenant once to warm up, then measures the reader, not this fake joining and encoding
   * a thousand users per page on the same cores.
   */
  const userPages = new Map<string, Buffer>();
  tenant.onChange(() => userPages.clear());

  function wantsCount(query: URLSearchParams, request: IncomingMessage): boolean {
    if (query.get('$count') !== 'true') return false;
    // $count on directory objects is an advanced query: it needs ConsistencyLevel: eventual (G-LIST).
    if (String(request.headers.consistencylevel ?? '').toLowerCase() !== 'eventual') {
      throw new GraphHttpError(
        400,
        'Request_BadRequest',
        "$count is not currently supported without the 'ConsistencyLevel' header set to 'eventual'.",
      );
    }
    return true;
  }

  function shapeUser(query: URLSearchParams): (user: Record<string, unknown>) => Record<string, unknown> {
    const select =
      query
        .get('$select')
        ?.split(',')
        .map((s) => s.trim()) ?? null;
    const expand = parseExpand(query.get('$expand'));
    if (expand && expand.name !== 'manager')
      throw new GraphHttpError(
        400,
        'BadRequest',
        `Could not find a property named '${expand.name}' on type 'microsoft.graph.user'.`,
      );
    return (user) => {
      const shaped = project(user, select, DEFAULT_USER_PROPERTIES);
      if (expand) {
        const ref = user.manager as { id: string } | undefined;
        const manager = ref ? usersById.get(ref.id) : undefined;
        if (manager)
          shaped.manager = {
            '@odata.type': '#microsoft.graph.user',
            ...project(manager as Record<string, unknown>, expand.select, [
              'id',
              'displayName',
              'userPrincipalName',
              'mail',
            ]),
          };
      }
      return shaped;
    };
  }

  const context = (what: string) => `${origin}/v1.0/$metadata#${what}`;

  function route(
    method: string,
    pathname: string,
    query: URLSearchParams,
    request: IncomingMessage,
    body: string,
  ): { status: number; body: string | Buffer; type?: string } {
    const json = (value: unknown, status = 200) => ({ status, body: JSON.stringify(value) });
    const segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (segments[0] !== 'v1.0') throw new GraphHttpError(400, 'BadRequest', 'Invalid version.');
    const [, collection, id, sub, ...rest] = segments;
    const checked = routeSynchronizationChecks(data.synchronizationChecks, method, pathname, query, body, origin);
    if (checked && 'error' in checked) throw new GraphHttpError(checked.status, checked.error.code, checked.error.message);
    if (checked) return checked;

    if (method === 'POST' && collection === 'directoryObjects' && id === 'getAvailableExtensionProperties') {
      const wanted = body ? (JSON.parse(body) as { isSyncedFromOnPremises?: boolean }) : {};
      const list = (data.extensionProperties ?? []).filter(
        (e) =>
          wanted.isSyncedFromOnPremises === undefined || e.isSyncedFromOnPremises === wanted.isSyncedFromOnPremises,
      );
      return json({ '@odata.context': context('Collection(microsoft.graph.extensionProperty)'), value: list });
    }
    const goLiveAnswer = routeGoLive(goLive, method, segments.slice(1), body, data.synchronizationJobs ?? {});
    if (goLiveAnswer) return goLiveAnswer;
    if (method !== 'GET')
      throw new GraphHttpError(405, 'Request_BadRequest', `Method ${method} is not supported here.`);

    if ((collection === 'users' || collection === 'groups') && (id === 'delta' || id === 'microsoft.graph.delta') && sub === undefined) {
      const kind = collection === 'users' ? 'user' : 'group';
      const result = tenant.deltaPage(
        kind,
        query,
        (token, next) => `${origin}/v1.0/${collection}/delta?${next ? '$skiptoken' : '$deltatoken'}=${token}`,
        (object, select) => {
          const names = select?.filter((name) => name !== 'manager' && name !== 'members') ?? null;
          const { manager: _manager, members: _members, ...rest } = object;
          return project(rest, names, kind === 'user' ? DEFAULT_USER_PROPERTIES : ['id', 'displayName', 'description', 'mailNickname']);
        },
      );
      if ('status' in result && typeof result.status === 'number')
        throw new GraphHttpError(result.status, String(result.code), String(result.message));
      return json({ '@odata.context': context(collection), ...result });
    }

    if (collection === 'users') {
      if (id === '$count') {
        if (String(request.headers.consistencylevel ?? '').toLowerCase() !== 'eventual')
          throw new GraphHttpError(
            400,
            'Request_BadRequest',
            "Count is not supported without the 'ConsistencyLevel' header set to 'eventual'.",
          );
        return { status: 200, body: String(tenant.users.length), type: 'text/plain' };
      }
      if (id === undefined) {
        const count = wantsCount(query, request);
        const key = `${count}|${query.toString()}`;
        let body = userPages.get(key);
        if (!body) {
          const users = tenant.users as unknown as Record<string, unknown>[];
          body = Buffer.from(page(users, query, pathname, context('users'), shapeUser(query), count).body);
          userPages.set(key, body);
        }
        return { status: 200, body };
      }
      const user = usersById.get(id);
      if (!user)
        throw new GraphHttpError(
          404,
          'Request_ResourceNotFound',
          `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
        );
      if (sub === undefined)
        return json({
          '@odata.context': context('users/$entity'),
          ...shapeUser(query)(user as Record<string, unknown>),
        });
      if (sub === 'manager') {
        const manager = user.manager ? usersById.get(user.manager.id) : undefined;
        if (!manager)
          throw new GraphHttpError(
            404,
            'Request_ResourceNotFound',
            `Resource 'manager' does not exist or one of its queried reference-property objects are not present.`,
          );
        return json({
          '@odata.context': context('directoryObjects/$entity'),
          '@odata.type': '#microsoft.graph.user',
          ...shapeUser(query)(manager as Record<string, unknown>),
        });
      }
    }

    if (collection === 'groups') {
      if (id === undefined) {
        const select = query.get('$select')?.split(',') ?? null;
        const groups = tenant.groups.map(({ members: _members, ...group }) => group as Record<string, unknown>);
        return page(
          groups,
          query,
          pathname,
          context('groups'),
          (g) =>
            project(g, select, [
              'id',
              'displayName',
              'description',
              'groupTypes',
              'mail',
              'mailEnabled',
              'mailNickname',
              'securityEnabled',
            ]),
          wantsCount(query, request),
        );
      }
      const group = groupsById.get(id);
      if (!group)
        throw new GraphHttpError(
          404,
          'Request_ResourceNotFound',
          `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
        );
      if (sub === 'members') {
        const cast = rest[0];
        let members = (group.members ?? []) as unknown as Record<string, unknown>[];
        if (cast === 'microsoft.graph.user')
          members = members.filter((m) => m['@odata.type'] === '#microsoft.graph.user');
        else if (cast === 'microsoft.graph.group')
          members = members.filter((m) => m['@odata.type'] === '#microsoft.graph.group');
        else if (cast !== undefined) throw new GraphHttpError(400, 'BadRequest', `Unknown type cast ${cast}.`);
        const select = query.get('$select')?.split(',') ?? null;
        return page(
          members,
          query,
          pathname,
          context('directoryObjects'),
          (m) => ({ '@odata.type': m['@odata.type'], ...project(m, select, ['id']) }),
          wantsCount(query, request),
        );
      }
    }

    if (collection === 'applications' && id !== undefined && sub === 'extensionProperties') {
      return json({
        '@odata.context': context(`applications('${id}')/extensionProperties`),
        value: data.extensionProperties ?? [],
      });
    }

    if (collection === 'servicePrincipals') {
      const all = data.servicePrincipals ?? [];
      if (id === undefined) {
        const filter = query.get('$filter');
        let list = all;
        if (filter) {
          const byAppId = /^appId eq '([^']*)'$/.exec(filter.trim());
          // the Enterprise applications blade's filter ("List servicePrincipals" with a lambda on tags)
          const byTag = /^tags\/any\((\w+):\1 eq '([^']*)'\)$/.exec(filter.trim());
          if (byAppId) list = all.filter((sp) => sp.appId === byAppId[1]);
          else if (byTag) list = all.filter((sp) => Array.isArray(sp.tags) && sp.tags.includes(byTag[2]));
          else throw new GraphHttpError(400, 'Request_UnsupportedQuery', `Unsupported filter: ${filter}`);
        }
        return json({ '@odata.context': context('servicePrincipals'), value: list });
      }
      const sp = all.find((s) => s.id === id);
      if (!sp)
        throw new GraphHttpError(
          404,
          'Request_ResourceNotFound',
          `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
        );
      if (sub === undefined) return json({ '@odata.context': context('servicePrincipals/$entity'), ...sp });
      if (sub === 'appRoleAssignedTo') {
        const assignments = (data.appRoleAssignments ?? []).filter((a) => a.resourceId === id);
        return page(
          assignments,
          query,
          pathname,
          context(`servicePrincipals('${id}')/appRoleAssignedTo`),
          (a) => a,
          false,
        );
      }
      if (sub === 'synchronization' && rest[0] === 'jobs') {
        const jobs = data.synchronizationJobs?.[id] ?? [];
        if (rest[1] === undefined)
          return json({ '@odata.context': context(`servicePrincipals('${id}')/synchronization/jobs`), value: jobs });
        const job = jobs.find((j) => j.id === rest[1]);
        if (!job)
          throw new GraphHttpError(404, 'Request_ResourceNotFound', `Synchronization job '${rest[1]}' was not found.`);
        if (rest[2] === undefined) return json(job);
        if (rest[2] === 'schema') {
          const schema = data.synchronizationSchemas?.[rest[1]!];
          if (!schema) throw new GraphHttpError(404, 'Request_ResourceNotFound', `No schema for job '${rest[1]}'.`);
          return json(schema);
        }
      }
    }

    if (collection === 'directory' && id === 'deletedItems' && sub === 'microsoft.graph.user') {
      const select = query.get('$select')?.split(',') ?? null;
      return page(
        tenant.deletedUsers as unknown as Record<string, unknown>[],
        query,
        pathname,
        context('users'),
        (u) => project(u, select, DEFAULT_USER_PROPERTIES),
        false,
      );
    }

    throw new GraphHttpError(
      404,
      'Request_ResourceNotFound',
      `Resource not found for the segment '${segments.slice(1).join('/')}'.`,
    );
  }

  function faultFor(pathname: string): InjectedFault | undefined {
    for (const fault of faults) {
      if (fault.path && !fault.path.test(pathname)) continue;
      fault.seen++;
      if (fault.seen <= (fault.after ?? 0)) continue;
      if (fault.failed >= (fault.times ?? 1)) continue;
      fault.failed++;
      return fault;
    }
    return undefined;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', origin);
    let status = 200;
    let body: string | Buffer = '';
    let type = 'application/json; odata.metadata=minimal';
    const headers: Record<string, string> = {};
    try {
      const range = options.latencyRangeMs;
      const latency = range ? range[0] + Math.random() * (range[1] - range[0]) : graph.latencyMs;
      if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
      const authorization = request.headers.authorization ?? '';
      if (authorization !== `Bearer ${accessToken}`) {
        throw new GraphHttpError(
          401,
          'InvalidAuthenticationToken',
          authorization ? 'Access token has expired or is not yet valid.' : 'Access token is empty.',
        );
      }
      const fault = faultFor(url.pathname);
      if (fault) {
        const retryHeaders: Record<string, string> =
          fault.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(fault.retryAfterSeconds) };
        const code =
          fault.status === 429
            ? 'TooManyRequests'
            : fault.status === 503
              ? 'serviceNotAvailable'
              : fault.status === 401
                ? 'InvalidAuthenticationToken'
                : 'generalException';
        throw new GraphHttpError(
          fault.status,
          code,
          fault.status === 429 ? 'Too many requests.' : 'The service is temporarily unavailable.',
          retryHeaders,
        );
      }
      const result = route(
        request.method ?? 'GET',
        url.pathname,
        url.searchParams,
        request,
        Buffer.concat(chunks).toString('utf8'),
      );
      status = result.status;
      body = result.body;
      if (result.type) type = result.type;
    } catch (error) {
      if (!(error instanceof GraphHttpError)) throw error;
      status = error.status;
      body = graphErrorBody(error.code, error.message);
      Object.assign(headers, error.headers);
    }
    requests.push({ method: request.method ?? 'GET', url: request.url ?? '', status, headers: request.headers });
    response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...headers });
    response.end(body);
  }

  const listener = (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'Content-Type': 'application/json' });
      response.end(graphErrorBody('generalException', (error as Error).message));
    });
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = options.publicOrigin ?? `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  const graph: FakeGraph = {
    origin,
    port,
    baseUrl: `${origin}/`,
    accessToken,
    requests,
    latencyMs: options.latencyMs ?? 0,
    goLive,
    tenant,
    injectFault(fault) {
      faults.push({ ...fault, seen: 0, failed: 0 });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
  return graph;
}
