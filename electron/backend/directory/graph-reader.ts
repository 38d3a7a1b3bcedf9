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
import { RequestBudget } from '../http/request-budget.ts';
import {
  GraphCallCancelledError,
  GraphClient,
  GraphRequestError,
  type GraphCallOptions,
  type GraphClientOptions,
} from './graph-client.ts';
import { identityReadBudget, identityRequestCost } from './graph-throttling.ts';

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

/**
 * Member lists read at once. Each is a chain of pages, so several in flight hide Graph's latency; the resource-unit
 * budget (graph-throttling.ts), not this number, keeps the read inside the tenant's throttling limits.
 */
const GROUP_MEMBER_CONCURRENCY = 8;
interface GraphPage<T> {
  value: T[];
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
}

interface PageOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  total?: number | null;
  headers?: Record<string, string>;
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
  private readonly sleep: GraphReaderOptions['sleep'];
  /** resource units spent in the last 10 s, so concurrent reads stay inside Graph's budget instead of meeting 429s */
  private budget: RequestBudget;

  constructor(options: GraphReaderOptions) {
    this.graph = new GraphClient(options);
    this.pageSize = Math.min(999, Math.max(1, options.pageSize ?? 999));
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep;
    this.budget = new RequestBudget(identityReadBudget(null), Date.now, this.sleep);
  }

  /** The tenant's size decides its resource-unit budget (graph-throttling.ts); known once the users are counted. */
  private sizeBudget(userCount: number | null): void {
    this.budget = new RequestBudget(identityReadBudget(userCount), Date.now, this.sleep);
  }

  /** GET one Graph path through the client (retries and Retry-After there); a cancel is the directory read's. */
  private async get<T>(path: string, init: GraphCallOptions & { postBody?: unknown } = {}): Promise<T> {
    const { postBody, ...options } = init;
    try {
      await this.budget.turn(options.signal, options.onWait, identityRequestCost(postBody === undefined ? 'GET' : 'POST', path));
      return postBody === undefined
        ? await this.graph.request<T>('GET', path, options)
        // a POST that only reads (getByIds-style queries): safe to repeat after a 503
        : await this.graph.request<T>('POST', path, { ...options, body: postBody, repeatable: true });
    } catch (error) {
      if (error instanceof GraphCallCancelledError || options.signal?.aborted) throw new DirectoryReadCancelledError();
      throw error;
    }
  }

  /** Every item of a paged collection, held: for the small collections (assignments, deleted ids, a group's members). */
  private async readAllPages<T>(firstPath: string, phase: FetchPhase, options: PageOptions = {}): Promise<T[]> {
    const items: T[] = [];
    await this.forEachPage<T>(firstPath, phase, options, (page) => {
      for (const item of page) items.push(item);
    });
    return items;
  }

  /**
   * A paged collection page by page: `onPage` gets each page while the next one is already requested, and only those
   * two pages are held (the caller's work on a page is the back-pressure: no third page is asked for until it returns).
   */
  private async forEachPage<T>(
    firstPath: string,
    phase: FetchPhase,
    options: PageOptions,
    onPage: (items: readonly T[]) => void | Promise<void>,
  ): Promise<number> {
    let fetched = 0;
    const started = this.now();
    let total = options.total ?? null;
    const report = (retryInSeconds?: number) => {
      if (!options.onProgress) return;
      const elapsed = Math.max(1e-3, (this.now() - started) / 1000);
      const rate = fetched / elapsed;
      const eta = total !== null && rate > 0 ? Math.max(0, (total - fetched) / rate) : null;
      options.onProgress({
        phase,
        fetched,
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
      const next = page['@odata.nextLink'];
      if (next !== early) {
        pending = next ? fetchPage(next) : null;
        pending?.catch(() => undefined);
      }
      fetched += page.value.length;
      // Work on this page (conversion, the snapshot write) runs while the next page is in flight.
      await onPage(page.value);
      report();
    }
    return fetched;
  }

  /**
   * The user total through /users/$count (an advanced query: needs ConsistencyLevel: eventual). It also sizes the
   * resource-unit budget, which Graph sets by the tenant's number of users.
   */
  async countUsers(signal?: AbortSignal): Promise<number | null> {
    let count: number | null = null;
    try {
      const text = await this.get<string | number>('/users/$count', {
        headers: { ConsistencyLevel: 'eventual' },
        signal,
      });
      count = Number.isFinite(Number(text)) ? Number(text) : null;
    } catch (error) {
      // A total is only for the progress bar; a tenant that refuses $count still gets read.
      if (!(error instanceof GraphRequestError)) throw error;
    }
    this.sizeBudget(count);
    return count;
  }

  /**
   * Every user with all source properties and the manager expanded, 999 per page, page by page (see forEachPage);
   * `total` is the count when the caller has it, else it is read from /users/$count first. $expand is kept out of
   * the advanced-query (ConsistencyLevel) request because Graph does not support $expand there.
   */
  async streamUsers(
    options: ReadUsersOptions & { total?: number | null },
    onPage: (users: readonly GraphUser[]) => void | Promise<void>,
  ): Promise<number> {
    const total = options.total !== undefined ? options.total : await this.countUsers(options.signal);
    const select = [...graphUserSelect(options.directoryExtensions ?? []), ...(options.extraSelect ?? [])];
    const path = `/users?$select=${select.join(',')}&$expand=${MANAGER_EXPAND}&$top=${this.pageSize}`;
    return this.forEachPage<GraphUser>(path, 'users', { ...options, total }, onPage);
  }

  /** Every user, held in one array: for small tenants and tests; a snapshot is written from streamUsers. */
  async readUsers(options: ReadUsersOptions = {}): Promise<GraphUser[]> {
    const users: GraphUser[] = [];
    await this.streamUsers(options, (page) => {
      for (const user of page) users.push(user);
      options.onPage?.(page);
    });
    return users;
  }

  /** Groups (without members) page by page, in Graph's order. */
  async streamGroups(
    options: { signal?: AbortSignal; onProgress?: ProgressListener },
    onPage: (groups: readonly GraphGroup[]) => void | Promise<void>,
  ): Promise<number> {
    return this.forEachPage<GraphGroup>(
      `/groups?$select=${GRAPH_GROUP_SELECT.join(',')}&$top=${this.pageSize}`,
      'groups',
      options,
      onPage,
    );
  }

  /**
   * The direct members (users and nested groups; provisioning ignores nesting, MS-KNOWN) of each group, a few lists
   * at a time (GROUP_MEMBER_CONCURRENCY); `onGroup` gets each group with its members as its list completes, so only
   * the lists in flight are held. A group deleted meanwhile (404) has none.
   */
  async readMembersOf(
    groups: readonly GraphGroup[],
    options: { signal?: AbortSignal },
    onGroup: (group: GraphGroup, index: number) => void,
  ): Promise<void> {
    await this.streamMembersOf(groups, options, (group, index) => collectMembers(group, (whole) => onGroup(whole, index)));
  }

  /**
   * The same lists page by page: `openGroup` is called as a group's list starts and its sink gets each page (the next
   * page waits for a returned promise), so a list of a million members is never held here.
   */
  async streamMembersOf(
    groups: readonly GraphGroup[],
    options: { signal?: AbortSignal },
    openGroup: (group: GraphGroup, index: number) => GroupMembersSink,
  ): Promise<void> {
    let nextIndex = 0;
    const worker = async (signal: AbortSignal) => {
      while (nextIndex < groups.length && !signal.aborted) {
        const index = nextIndex++;
        const group = groups[index]!;
        const sink = openGroup(group, index);
        let deleted = false;
        try {
          await this.streamGroupMembers(group.id, signal, (page) => sink.members(page));
        } catch (error) {
          if (!(error instanceof GraphRequestError && error.status === 404)) throw error;
          deleted = true;
        }
        if (!signal.aborted) await sink.end(deleted);
      }
    };
    await together(options.signal, Array.from({ length: Math.min(GROUP_MEMBER_CONCURRENCY, groups.length) }, () => worker));
    if (options.signal?.aborted) throw new DirectoryReadCancelledError();
  }

  async readGroupMembers(groupId: string, signal?: AbortSignal): Promise<GraphMemberRef[]> {
    const members: GraphMemberRef[] = [];
    await this.streamGroupMembers(groupId, signal, (page) => void members.push(...page));
    return members;
  }

  /** A group's direct members page by page, each cut to the two properties kept ('@odata.type' and id). */
  private streamGroupMembers(
    groupId: string,
    signal: AbortSignal | undefined,
    onPage: (members: readonly GraphMemberRef[]) => void | Promise<void>,
  ): Promise<number> {
    const path = `/groups/${encodeURIComponent(groupId)}/members?$select=id&$top=${this.pageSize}`;
    return this.forEachPage<GraphMemberRef>(path, 'members', { signal }, (page) =>
      onPage(page.map((m) => ({ '@odata.type': m['@odata.type'], id: m.id }))),
    );
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

/** What a read knows before the first user: what converting a user into a source object needs. */
export interface DirectoryReadContext {
  directoryExtensions: DirectoryExtensionDefinition[];
  /** set when reading was limited to an app's assignments */
  assignedTo: {
    servicePrincipal: ServicePrincipalInfo;
    assignments: AppRoleAssignment[];
    /** users assigned directly or as direct members of an assigned group (Entra's "assigned only" scope) */
    assignedUserIds: ReadonlySet<string>;
    /** per user: app roles from direct and group assignments (group inheritance unconfirmed, graph-source-attributes.json) */
    appRolesByUser: Record<string, AppRoleAssignmentRef[]>;
  } | null;
}

export interface DirectoryReadSummary extends DirectoryReadContext {
  /** group → nested group ids, reported because provisioning does not expand them */
  nestedGroups: { groupId: string; memberGroupIds: string[] }[];
}

/** Where one group's member list goes as it is read. */
interface GroupMembersSink {
  /** the next page of direct members in Graph's order; the next page waits for a returned promise */
  members(page: readonly GraphMemberRef[]): void | Promise<void>;
  /** the list is complete; `deleted` when the group was deleted while it was read (404): it is kept with no members */
  end(deleted: boolean): void | Promise<void>;
}

/** A member list held whole: `done` gets the group with all its members (none when it was deleted while read). */
function collectMembers(group: GraphGroup, done: (group: GraphGroup) => void): GroupMembersSink {
  const members: GraphMemberRef[] = [];
  return {
    members: (page) => void members.push(...page),
    end: (deleted) => done({ ...group, members: deleted ? [] : members }),
  };
}

/** Where a streamed read goes (the snapshot writer): the context once, then users and groups as they arrive. */
interface DirectorySink {
  start(context: DirectoryReadContext): void;
  /** the next users in Graph's order, already limited to the scope; the next page waits for a returned promise */
  users(page: readonly GraphUser[]): void | Promise<void>;
  /**
   * A kept group (without members) as its member list starts; `ordinal` is its place among the kept groups in Graph's
   * order. Its members follow page by page, so a group of a million members is never held whole.
   */
  group(group: GraphGroup, ordinal: number): GroupMembersSink;
}

interface DirectoryReadResult extends Omit<DirectoryReadSummary, 'assignedTo'> {
  users: GraphUser[];
  groups: GraphGroup[];
  assignedTo: (Omit<NonNullable<DirectoryReadContext['assignedTo']>, 'assignedUserIds'> & { assignedUserIds: string[] }) | null;
}

export interface ReadDirectoryOptions {
  /** the enterprise app's appId: keep only users and groups assigned to it */
  assignedToAppId?: string;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  extraSelect?: readonly string[];
  /** awaited with the directory extensions' names before any user or group is read (graph-fetch.ts takes the deltaLinks) */
  beforeUsers?: (directoryExtensions: string[]) => Promise<void>;
}

/**
 * Runs tasks side by side under one signal; the first failure (or the caller's cancel) stops the others, and this
 * waits for every task to end before throwing it, so nothing writes after the caller gives up.
 */
async function together(signal: AbortSignal | undefined, tasks: ((signal: AbortSignal) => Promise<unknown>)[]): Promise<void> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  signal?.addEventListener('abort', stop, { once: true });
  let failure: { error: unknown } | null = null;
  try {
    await Promise.all(
      tasks.map((task) =>
        task(controller.signal).catch((error: unknown) => {
          failure ??= { error };
          controller.abort();
        }),
      ),
    );
  } finally {
    signal?.removeEventListener('abort', stop);
  }
  if (failure) throw (failure as { error: unknown }).error;
}

/** The nested group ids among members, for the note that provisioning does not expand them. */
function nestedGroupsOf(members: readonly GraphMemberRef[]): string[] {
  return members.filter((m) => m['@odata.type'] === '#microsoft.graph.group').map((m) => m.id);
}

/**
 * The whole read for one snapshot, streamed into `sink`: users page by page while groups and their members are read
 * beside them, within Graph's resource-unit budget. For "Sync only assigned users and groups" the assignments and the
 * assigned groups' members are read first, so the scope is known before the first user arrives and users outside it
 * are dropped as they stream by. It either completes or throws (cancel, 401, Graph error); the sink's owner then
 * discards what it was given, so a failed read leaves no partial snapshot.
 */
export async function streamDirectory(
  reader: GraphReader,
  sink: DirectorySink,
  options: ReadDirectoryOptions = {},
): Promise<DirectoryReadSummary> {
  const { signal, onProgress } = options;
  onProgress?.({ phase: 'extensions', fetched: 0, total: null, ratePerSecond: 0, etaSeconds: null });
  const directoryExtensions = await reader.readDirectoryExtensions(signal);
  const total = await reader.countUsers(signal);

  let assignedTo: DirectoryReadContext['assignedTo'] = null;
  const assignedGroups = new Map<string, GraphGroup>();
  if (options.assignedToAppId) {
    onProgress?.({ phase: 'assignments', fetched: 0, total: null, ratePerSecond: 0, etaSeconds: null });
    const servicePrincipal = await reader.findServicePrincipal(options.assignedToAppId, signal);
    if (!servicePrincipal)
      throw new Error(`No enterprise application with appId ${options.assignedToAppId} in this tenant.`);
    const assignments = await reader.readAppRoleAssignedTo(servicePrincipal.id, signal);
    const groupIds = [...new Set(assignments.filter((a) => a.principalType === 'Group').map((a) => a.principalId))];
    await reader.readMembersOf(groupIds.map((id) => ({ id })), { signal }, (group) => assignedGroups.set(group.id, group));
    const scope = assignedScope(assignments, [...assignedGroups.values()], servicePrincipal);
    assignedTo = { servicePrincipal, assignments, assignedUserIds: scope.userIds, appRolesByUser: scope.appRolesByUser };
  }
  // Just before the first user or group is read: a change made while they are read is replayed, never missed.
  await options.beforeUsers?.(directoryExtensions.map((e) => e.name));
  sink.start({ directoryExtensions, assignedTo });

  const nested = new Map<number, { groupId: string; memberGroupIds: string[] }>();
  let kept = 0;
  const keep = (group: GraphGroup, ordinal: number): GroupMembersSink => {
    const target = sink.group(group, ordinal);
    const memberGroupIds: string[] = [];
    return {
      members: (page) => {
        memberGroupIds.push(...nestedGroupsOf(page));
        return target.members(page);
      },
      end: (deleted) => {
        if (memberGroupIds.length > 0 && !deleted) nested.set(ordinal, { groupId: group.id, memberGroupIds });
        return target.end(deleted);
      },
    };
  };
  // Users lead the progress bar; the groups' progress shows once the users are in.
  let usersDone = false;
  const groupProgress: ProgressListener = (p) => usersDone && onProgress?.(p);
  let membersRead = 0;
  const scope = assignedTo?.assignedUserIds;

  await together(signal, [
    async (taskSignal) => {
      await reader.streamUsers(
        { directoryExtensions: directoryExtensions.map((e) => e.name), extraSelect: options.extraSelect, signal: taskSignal, onProgress, total },
        (page) => sink.users(scope ? page.filter((u) => scope.has(u.id)) : page),
      );
      usersDone = true;
    },
    (taskSignal) =>
      reader.streamGroups({ signal: taskSignal, onProgress: groupProgress }, async (page) => {
        if (assignedTo) {
          // The assigned groups' members were read for the scope; the listing gives their properties and order.
          for (const group of page) {
            const members = assignedGroups.get(group.id)?.members;
            if (!members) continue;
            const target = keep(group, kept++);
            await target.members(members);
            await target.end(false);
          }
          return;
        }
        // This page's member lists are read before the next page is handed over: at most two pages of groups wait.
        const first = kept;
        kept += page.length;
        await reader.streamMembersOf(page, { signal: taskSignal }, (group, index) => {
          const target = keep(group, first + index);
          return {
            members: (members) => target.members(members),
            end: async (deleted) => {
              await target.end(deleted);
              membersRead++;
              groupProgress({ phase: 'members', fetched: membersRead, total: null, ratePerSecond: 0, etaSeconds: null });
            },
          };
        });
      }),
  ]);
  if (signal?.aborted) throw new DirectoryReadCancelledError();
  const nestedGroups = [...nested.entries()].sort(([a], [b]) => a - b).map(([, n]) => n);
  return { directoryExtensions, assignedTo, nestedGroups };
}

/**
 * The whole read held in memory (users, groups with members): for small tenants and tests. A snapshot is written
 * from streamDirectory, which never holds the tenant.
 */
export async function readDirectory(
  reader: GraphReader,
  options: ReadDirectoryOptions = {},
): Promise<DirectoryReadResult> {
  const users: GraphUser[] = [];
  const groups: GraphGroup[] = [];
  const summary = await streamDirectory(
    reader,
    {
      start: () => undefined,
      users: (page) => {
        for (const user of page) users.push(user);
      },
      group: (group, ordinal) => collectMembers(group, (whole) => void (groups[ordinal] = whole)),
    },
    options,
  );
  const assignedTo = summary.assignedTo && { ...summary.assignedTo, assignedUserIds: [...summary.assignedTo.assignedUserIds] };
  return { ...summary, users, groups, assignedTo };
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
