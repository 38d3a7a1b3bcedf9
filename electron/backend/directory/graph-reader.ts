/**
 * Reads a tenant's users, groups, memberships, directory extensions, app assignments and provisioning
 * schema through @microsoft/microsoft-graph-client, with paging, throttling, progress and cancel.
 *
 * Every call goes through GraphClient (graph-client.ts), which owns the token, the origin check and retries.
 */
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
import {
  GraphCallCancelledError,
  GraphClient,
  GraphRequestError,
  type GraphCallOptions,
  type GraphClientOptions,
} from './graph-client.ts';

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

/** The admin (or a caller) cancelled; nothing read so far is returned. */
export class DirectoryReadCancelledError extends Error {
  override readonly name = 'DirectoryReadCancelledError';
  constructor() {
    super('Reading the directory was cancelled; nothing was kept.');
  }
}

export interface GraphReaderOptions extends GraphClientOptions {
  /** users/groups per page; Graph allows at most 999 */
  pageSize?: number;
  /** monotonic clock in ms for rate and time left */
  now?: () => number;
}

const GROUP_MEMBER_CONCURRENCY = 4;
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

export class GraphReader {
  private readonly graph: GraphClient;
  private readonly pageSize: number;
  private readonly now: () => number;

  constructor(options: GraphReaderOptions) {
    this.graph = new GraphClient(options);
    this.pageSize = Math.min(999, Math.max(1, options.pageSize ?? 999));
    this.now = options.now ?? (() => performance.now());
  }

  /** GET one Graph path through the client (retries and Retry-After there); a cancel is the directory read's. */
  private async get<T>(path: string, init: GraphCallOptions & { postBody?: unknown } = {}): Promise<T> {
    const { postBody, ...options } = init;
    try {
      return postBody === undefined
        ? await this.graph.request<T>('GET', path, options)
        // a POST that only reads (getByIds-style queries): safe to repeat after a 503
        : await this.graph.request<T>('POST', path, { ...options, body: postBody, repeatable: true });
    } catch (error) {
      if (error instanceof GraphCallCancelledError) throw new DirectoryReadCancelledError();
      throw error;
    }
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
  /** awaited with the directory extensions' names before the users are read (graph-delta.ts takes its deltaLinks) */
  beforeUsers?: (directoryExtensions: string[]) => Promise<void>;
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
  await options.beforeUsers?.(directoryExtensions.map((e) => e.name));
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
