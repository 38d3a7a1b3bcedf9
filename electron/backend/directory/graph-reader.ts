/**
 * Reads a tenant's users, groups, memberships, directory extensions, app assignments and provisioning
 * schema through @microsoft/microsoft-graph-client, with paging, throttling, progress and cancel.
 *
 * Why a custom middleware chain instead of the client's default one: the default AuthenticationHandler
 * attaches the bearer token only to https URLs on Graph's known hosts (or `customHosts`, which are
 * also matched on "https://" only) and *strips* it from anything else. A local http stand-in for Graph
 * (the fake server in tests and benchmarks) would therefore get no token. Rather than loosen that check,
 * `BearerForOrigin` below sends the token to exactly one origin: the configured Graph base URL. That
 * origin must be https unless it is a loopback address, so the real cloud path stays https-only and a
 * token can never leave for another host (a nextLink to a foreign origin is refused outright).
 */
import { Client, GraphError, ResponseType, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import type {
  AppRoleAssignmentRef,
  GraphGroup,
  GraphMemberRef,
  GraphUser,
} from '../../../shared/directory/graph-to-source.ts';
import {
  GRAPH_GROUP_SELECT,
  MANAGER_EXPAND,
  graphUserSelect,
  isDirectoryExtensionName,
  type DirectoryExtensionDefinition,
} from '../../../shared/directory/source-schema.ts';
import { SignInRequiredError } from './auth.ts';
import { CLOUDS, type CloudName } from './clouds.ts';
import { NetworkRequestError } from './network.ts';
import { abortableSleep, backoffMs, retryAfterMs } from '../http/retry.ts';

type FetchPhase = 'users' | 'groups' | 'members' | 'assignments' | 'extensions' | 'schema' | 'deleted';

export interface FetchProgress {
  phase: FetchPhase;
  /** items read so far in this phase */
  fetched: number;
  /** total items when known (users: from $count), else null */
  total: number | null;
  /** items per second since the phase started */
  ratePerSecond: number;
  /** seconds left at the current rate, when the total is known */
  etaSeconds: number | null;
  /** set while waiting out a 429/503 before retrying */
  retryInSeconds?: number;
}

type ProgressListener = (progress: FetchProgress) => void;

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

/** The admin (or a caller) cancelled; nothing read so far is returned. */
export class DirectoryReadCancelledError extends Error {
  override readonly name = 'DirectoryReadCancelledError';
  constructor() {
    super('Reading the directory was cancelled; nothing was kept.');
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

export interface GraphReaderOptions {
  /** returns a bearer token for Graph (MSAL's acquireTokenSilent, or a pasted token) */
  getAccessToken: (signal?: AbortSignal) => Promise<string>;
  /** default: the cloud's Graph endpoint */
  cloud?: CloudName;
  /** overrides the cloud's endpoint, e.g. http://127.0.0.1:PORT for a local stand-in */
  graphBaseUrl?: string;
  /** users/groups per page; Graph allows at most 999 */
  pageSize?: number;
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
  /** monotonic clock in ms for rate and time left */
  now?: () => number;
}

const GROUP_MEMBER_CONCURRENCY = 4;
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

/** The last link: performs the request with the configured fetch (see GraphReaderOptions.fetch). */
class FetchHandler implements Middleware {
  constructor(private readonly fetchImpl: typeof fetch) {}
  async execute(context: Context): Promise<void> {
    context.response = await this.fetchImpl(context.request, context.options as RequestInit);
  }
}

interface GraphPage<T> {
  value: T[];
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
}

interface ReadUsersOptions {
  /** directory extension names to add to $select (from readDirectoryExtensions) */
  directoryExtensions?: readonly string[];
  /** extra non-source properties to read (the Tenant screen shows userType) */
  extraSelect?: readonly string[];
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** called with each page's users as it arrives, while the next page is being fetched */
  onPage?: (users: readonly GraphUser[]) => void;
}

interface ServicePrincipalInfo {
  id: string;
  appId: string;
  displayName: string;
  appRoleAssignmentRequired?: boolean;
  appRoles: { id: string; value: string | null; displayName: string; isEnabled?: boolean }[];
}

interface AppRoleAssignment {
  id: string;
  appRoleId: string;
  principalId: string;
  principalType: 'User' | 'Group' | 'ServicePrincipal';
  principalDisplayName?: string;
  resourceId: string;
}

/**
 * The @odata.nextLink of a Graph page when it appears before "value" (as Graph writes it), read from
 * the first bytes without parsing the whole page; null when it is absent or comes later.
 */
export function prefetchLink(text: string): string | null {
  const head = text.slice(0, 8192);
  const valueAt = head.indexOf('"value":');
  const linkAt = head.indexOf('"@odata.nextLink":');
  if (linkAt < 0 || (valueAt >= 0 && valueAt < linkAt)) return null;
  const match = /^"@odata\.nextLink":\s*("(?:[^"\\]|\\.)*")/.exec(head.slice(linkAt));
  return match ? (JSON.parse(match[1]!) as string) : null;
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

export class GraphReader {
  private readonly client: Client;
  private readonly origin: string;
  private readonly pageSize: number;
  private readonly maxRetries: number;
  private readonly backoff: { initial: number; max: number };
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly now: () => number;

  constructor(options: GraphReaderOptions) {
    this.origin = graphOrigin(options.graphBaseUrl ?? CLOUDS[options.cloud ?? 'global'].graphBaseUrl);
    this.pageSize = Math.min(999, Math.max(1, options.pageSize ?? 999));
    this.maxRetries = options.maxRetries ?? 8;
    this.backoff = options.backoffMs ?? { initial: 1000, max: 32_000 };
    this.sleep = options.sleep ?? abortableSleep;
    this.now = options.now ?? (() => performance.now());
    this.client = Client.initWithMiddleware({
      middleware: [new BearerForOrigin(this.origin, options.getAccessToken), new FetchHandler(options.fetch ?? fetch)],
      baseUrl: `${this.origin}/`,
      defaultVersion: 'v1.0',
    });
  }

  /**
   * GET one Graph path (relative to /v1.0, or a nextLink on the same origin) with retries:
   * 429/503/504 wait for Retry-After (or exponential backoff) and then repeat the *same* request, so a
   * paged read resumes at the page that was throttled.
   */
  private async get<T>(
    path: string,
    init: {
      headers?: Record<string, string>;
      signal?: AbortSignal;
      onWait?: (seconds: number) => void;
      postBody?: unknown;
      asText?: boolean;
    } = {},
  ): Promise<T> {
    const relative = this.relativePath(path);
    for (let attempt = 0; ; attempt++) {
      if (init.signal?.aborted) throw new DirectoryReadCancelledError();
      let response: Response;
      try {
        // RAW: the status, headers (Retry-After) and body are read here; the client's own error
        // mapping drops the headers for non-JSON response types.
        let request = this.client.api(relative).responseType(ResponseType.RAW);
        for (const [name, value] of Object.entries(init.headers ?? {})) request = request.header(name, value);
        if (init.signal) request = request.options({ signal: init.signal });
        response = (init.postBody === undefined ? await request.get() : await request.post(init.postBody)) as Response;
      } catch (error) {
        if (init.signal?.aborted) throw new DirectoryReadCancelledError();
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
        if (init.signal?.aborted) throw new DirectoryReadCancelledError();
        throw error;
      }
      if (response.ok) {
        if (init.asText) return body as T;
        return (/json/i.test(response.headers.get('content-type') ?? '') ? JSON.parse(body) : body) as T;
      }
      const { code, message } = graphErrorOf(body);
      const status = response.status;
      if (status === 401) throw new GraphSignInRequiredError(`401 ${code}: ${message}`);
      const retryable = status === 429 || status === 503 || status === 504;
      if (!retryable || attempt >= this.maxRetries) {
        throw new GraphRequestError(
          status,
          code,
          `Graph answered ${status} ${code} for ${relative}: ${message}`,
          relative,
        );
      }
      // No Retry-After: exponential backoff, capped (Graph throttling guidance).
      const delay = retryAfterMs(response.headers.get('Retry-After')) ?? backoffMs(attempt, this.backoff.initial, this.backoff.max);
      init.onWait?.(delay / 1000);
      try {
        await this.sleep(delay, init.signal);
      } catch (error) {
        if (init.signal?.aborted) throw new DirectoryReadCancelledError();
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

  private async readAllPages<T>(
    firstPath: string,
    phase: FetchPhase,
    options: {
      signal?: AbortSignal;
      onProgress?: ProgressListener;
      total?: number | null;
      headers?: Record<string, string>;
      onPage?: (items: readonly T[]) => void;
    },
  ): Promise<T[]> {
    const items: T[] = [];
    const started = this.now();
    let total = options.total ?? null;
    const report = (retryInSeconds?: number) => {
      if (!options.onProgress) return;
      const elapsed = Math.max(1e-3, (this.now() - started) / 1000);
      const rate = items.length / elapsed;
      const eta = total !== null && rate > 0 ? Math.max(0, (total - items.length) / rate) : null;
      options.onProgress({
        phase,
        fetched: items.length,
        total,
        ratePerSecond: rate,
        etaSeconds: eta,
        ...(retryInSeconds !== undefined ? { retryInSeconds } : {}),
      });
    };
    // Pages are read as text so the next request can start before this page is parsed: Graph writes
    // @odata.nextLink ahead of "value", so it can be read from the first bytes (prefetchLink), and the
    // server's latency for page n+1 then overlaps the JSON parsing of page n.
    const fetchPage = (path: string) =>
      this.get<string>(path, {
        signal: options.signal,
        headers: options.headers,
        onWait: (s) => report(s),
        asText: true,
      });
    let pending: Promise<string> | null = fetchPage(firstPath);
    while (pending) {
      const text = await pending;
      pending = null;
      const early = prefetchLink(text);
      if (early) {
        pending = fetchPage(early);
        // Awaited on the next turn; until then a rejection (cancel, 401) must not count as unhandled.
        pending.catch(() => undefined);
      }
      const page = JSON.parse(text) as GraphPage<T>;
      if (typeof page['@odata.count'] === 'number') total = page['@odata.count'];
      for (const item of page.value) items.push(item);
      const next = page['@odata.nextLink'];
      if (next !== early) {
        pending = next ? fetchPage(next) : null;
      }
      // Work on this page (e.g. Graph → source conversion) runs while the next page is in flight.
      options.onPage?.(page.value);
      report();
    }
    return items;
  }

  /** The user total through /users/$count (an advanced query: needs ConsistencyLevel: eventual). */
  async countUsers(signal?: AbortSignal): Promise<number | null> {
    try {
      const text = await this.get<string | number>('/users/$count', {
        headers: { ConsistencyLevel: 'eventual' },
        signal,
      });
      const count = Number(text);
      return Number.isFinite(count) ? count : null;
    } catch (error) {
      // A total is only for the progress bar; a tenant that refuses $count still gets read.
      if (error instanceof GraphRequestError) return null;
      throw error;
    }
  }

  /**
   * Every user with all source properties and the manager expanded, 999 per page. The total comes from
   * /users/$count first; $expand is kept out of the advanced-query (ConsistencyLevel) request because
   * Graph does not support $expand there.
   */
  async readUsers(options: ReadUsersOptions = {}): Promise<GraphUser[]> {
    const total = await this.countUsers(options.signal);
    const select = [...graphUserSelect(options.directoryExtensions ?? []), ...(options.extraSelect ?? [])];
    const path = `/users?$select=${select.join(',')}&$expand=${MANAGER_EXPAND}&$top=${this.pageSize}`;
    return this.readAllPages<GraphUser>(path, 'users', { ...options, total });
  }

  /** Groups with their direct members (users and nested groups; provisioning ignores nesting, MS-KNOWN). */
  async readGroups(options: { signal?: AbortSignal; onProgress?: ProgressListener } = {}): Promise<GraphGroup[]> {
    const groups = await this.readAllPages<GraphGroup>(
      `/groups?$select=${GRAPH_GROUP_SELECT.join(',')}&$top=${this.pageSize}`,
      'groups',
      options,
    );
    // Members are read for a few groups at a time: a tenant with thousands of groups would otherwise pay
    // one round trip per group in series, and four in flight stays well inside Graph's per-app limits.
    let done = 0;
    let nextIndex = 0;
    const started = this.now();
    const worker = async () => {
      while (nextIndex < groups.length) {
        const group = groups[nextIndex++]!;
        group.members = await this.readGroupMembers(group.id, options.signal);
        done++;
        if (options.onProgress) {
          const rate = done / Math.max(1e-3, (this.now() - started) / 1000);
          options.onProgress({
            phase: 'members',
            fetched: done,
            total: groups.length,
            ratePerSecond: rate,
            etaSeconds: (groups.length - done) / rate,
          });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(GROUP_MEMBER_CONCURRENCY, groups.length) }, worker));
    return groups;
  }

  async readGroupMembers(groupId: string, signal?: AbortSignal): Promise<GraphMemberRef[]> {
    const members = await this.readAllPages<GraphMemberRef>(
      `/groups/${encodeURIComponent(groupId)}/members?$select=id&$top=${this.pageSize}`,
      'members',
      { signal },
    );
    return members.map((m) => ({ '@odata.type': m['@odata.type'], id: m.id }));
  }

  /** The tenant's directory extensions on users (POST /directoryObjects/getAvailableExtensionProperties). */
  async readDirectoryExtensions(signal?: AbortSignal): Promise<DirectoryExtensionDefinition[]> {
    // A read-only action despite POST; both cloud-created and Entra Connect-synced extensions are wanted.
    const path = '/directoryObjects/getAvailableExtensionProperties';
    const byName = new Map<string, DirectoryExtensionDefinition>();
    for (const isSyncedFromOnPremises of [false, true]) {
      const page = await this.get<GraphPage<DirectoryExtensionDefinition>>(path, {
        signal,
        postBody: { isSyncedFromOnPremises },
      });
      for (const e of page.value) {
        if (!isDirectoryExtensionName(e.name)) continue;
        if (e.targetObjects && !e.targetObjects.includes('User')) continue;
        byName.set(e.name, {
          name: e.name,
          dataType: e.dataType,
          isMultiValued: e.isMultiValued ?? false,
          targetObjects: e.targetObjects ?? [],
        });
      }
    }
    return [...byName.values()];
  }

  async findServicePrincipal(appId: string, signal?: AbortSignal): Promise<ServicePrincipalInfo | null> {
    const filter = encodeURIComponent(`appId eq '${appId.replace(/'/g, "''")}'`);
    const page = await this.get<GraphPage<ServicePrincipalInfo>>(
      `/servicePrincipals?$filter=${filter}&$select=id,appId,displayName,appRoleAssignmentRequired,appRoles`,
      { signal },
    );
    return page.value[0] ?? null;
  }

  async readAppRoleAssignedTo(servicePrincipalId: string, signal?: AbortSignal): Promise<AppRoleAssignment[]> {
    return this.readAllPages<AppRoleAssignment>(
      `/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/appRoleAssignedTo?$top=999`,
      'assignments',
      { signal },
    );
  }

  async readSynchronizationJobs(
    servicePrincipalId: string,
    signal?: AbortSignal,
  ): Promise<{ id: string; templateId?: string }[]> {
    const page = await this.get<GraphPage<{ id: string; templateId?: string }>>(
      `/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/synchronization/jobs`,
      { signal },
    );
    return page.value;
  }

  /** The job's synchronization schema (existing mappings and scoping), for import into a mapping set. */
  async readSynchronizationSchema(
    servicePrincipalId: string,
    jobId: string,
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>> {
    return this.get<Record<string, unknown>>(
      `/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/synchronization/jobs/${encodeURIComponent(jobId)}/schema`,
      { signal },
    );
  }

  /** Ids of users in the recycle bin (IsSoftDeleted rule (b)). */
  async readDeletedUserIds(signal?: AbortSignal): Promise<string[]> {
    const users = await this.readAllPages<{ id: string }>(
      `/directory/deletedItems/microsoft.graph.user?$select=id&$top=999`,
      'deleted',
      { signal },
    );
    return users.map((u) => u.id);
  }
}

export interface DirectoryReadResult {
  users: GraphUser[];
  groups: GraphGroup[];
  directoryExtensions: DirectoryExtensionDefinition[];
  /** set when reading was limited to an app's assignments */
  assignedTo: {
    servicePrincipal: ServicePrincipalInfo;
    assignments: AppRoleAssignment[];
    /** users assigned directly or as direct members of an assigned group (Entra's "assigned only" scope) */
    assignedUserIds: string[];
    /** per user: app roles from direct and group assignments (group inheritance unconfirmed, graph-source-attributes.json) */
    appRolesByUser: Record<string, AppRoleAssignmentRef[]>;
  } | null;
  /** group → nested group ids, reported because provisioning does not expand them */
  nestedGroups: { groupId: string; memberGroupIds: string[] }[];
}

interface ReadDirectoryOptions {
  /** the enterprise app's appId: keep only users and groups assigned to it */
  assignedToAppId?: string;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  extraSelect?: readonly string[];
}

/**
 * The whole read for one snapshot. It either returns everything or throws (cancel, 401, Graph error);
 * callers store the result in one transaction, so a failed read leaves no partial snapshot.
 */
export async function readDirectory(
  reader: GraphReader,
  options: ReadDirectoryOptions = {},
): Promise<DirectoryReadResult> {
  const { signal, onProgress } = options;
  onProgress?.({ phase: 'extensions', fetched: 0, total: null, ratePerSecond: 0, etaSeconds: null });
  const directoryExtensions = await reader.readDirectoryExtensions(signal);
  let users = await reader.readUsers({
    directoryExtensions: directoryExtensions.map((e) => e.name),
    extraSelect: options.extraSelect,
    signal,
    onProgress,
  });
  let groups = await reader.readGroups({ signal, onProgress });

  let assignedTo: DirectoryReadResult['assignedTo'] = null;
  if (options.assignedToAppId) {
    const servicePrincipal = await reader.findServicePrincipal(options.assignedToAppId, signal);
    if (!servicePrincipal)
      throw new Error(`No enterprise application with appId ${options.assignedToAppId} in this tenant.`);
    const assignments = await reader.readAppRoleAssignedTo(servicePrincipal.id, signal);
    const scope = assignedScope(assignments, groups, servicePrincipal);
    const assignedGroupIds = new Set(assignments.filter((a) => a.principalType === 'Group').map((a) => a.principalId));
    users = users.filter((u) => scope.userIds.has(u.id));
    groups = groups.filter((g) => assignedGroupIds.has(g.id));
    assignedTo = {
      servicePrincipal,
      assignments,
      assignedUserIds: [...scope.userIds],
      appRolesByUser: scope.appRolesByUser,
    };
  }
  const nestedGroups = groups
    .map((g) => ({
      groupId: g.id,
      memberGroupIds: (g.members ?? []).filter((m) => m['@odata.type'] === '#microsoft.graph.group').map((m) => m.id),
    }))
    .filter((n) => n.memberGroupIds.length > 0);
  return { users, groups, directoryExtensions, assignedTo, nestedGroups };
}

/**
 * Entra's "Sync only assigned users and groups": a user is in scope when assigned directly or as a
 * *direct* member of an assigned group (nested members are not, MS-KNOWN).
 */
export function assignedScope(
  assignments: readonly AppRoleAssignment[],
  groups: readonly GraphGroup[],
  servicePrincipal: Pick<ServicePrincipalInfo, 'appRoles'>,
): { userIds: Set<string>; appRolesByUser: Record<string, AppRoleAssignmentRef[]> } {
  const roleById = new Map(servicePrincipal.appRoles.map((r) => [r.id, r]));
  const groupById = new Map(groups.map((g) => [g.id, g]));
  const userIds = new Set<string>();
  const appRolesByUser: Record<string, AppRoleAssignmentRef[]> = {};
  const grant = (userId: string, appRoleId: string) => {
    userIds.add(userId);
    const role = roleById.get(appRoleId);
    // The default-access role (all-zero id) has no value: the user is in scope without an app role.
    if (!role || !role.value) return;
    const list = (appRolesByUser[userId] ??= []);
    if (!list.some((r) => r.id === role.id))
      list.push({ id: role.id, value: role.value, displayName: role.displayName });
  };
  for (const assignment of assignments) {
    if (assignment.principalType === 'User') grant(assignment.principalId, assignment.appRoleId);
    else if (assignment.principalType === 'Group') {
      for (const member of groupById.get(assignment.principalId)?.members ?? []) {
        if (member['@odata.type'] === '#microsoft.graph.user') grant(member.id, assignment.appRoleId);
      }
    }
  }
  return { userIds, appRolesByUser };
}
