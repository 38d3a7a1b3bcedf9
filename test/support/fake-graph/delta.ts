/**
 * The fake Graph's tenant as it changes over time, and its users/delta and groups/delta functions, shaped after
 * Microsoft Learn's "user: delta", "group: delta" and "Use delta query to track changes in Microsoft Graph data":
 * an initial round returns every object and ends with an @odata.deltaLink; `$deltaToken=latest` returns only the
 * deltaLink; a later round returns each object changed since, with the selected properties, `manager@delta` /
 * `members@delta` for changed links, and `@removed` (reason `changed`: in the recycle bin; `deleted`: gone for good).
 * Expired links answer 410 with code syncStateNotFound (or another answer a test picks). State tokens are opaque (base64url) and carry the $select.
 */
import type { GraphGroup, GraphMemberRef, GraphUser } from '../../../shared/directory/graph-to-source.ts';

interface LogEntry {
  kind: 'user' | 'group';
  id: string;
  /** the user's manager id or the group's member list just before this change */
  managerBefore?: string | null;
  membersBefore?: readonly GraphMemberRef[];
}

interface DeltaToken {
  /** the change log's length when the round was asked for (its "now"), or -1 for an initial round */
  seq: number;
  /** the log length the round reports up to (the next deltaLink's seq) */
  upTo: number;
  epoch: number;
  select: string[] | null;
  offset: number;
}

export interface DeltaHttpError {
  status: number;
  code: string;
  message: string;
}

const DELTA_PAGE_SIZE = 200;

/** The tenant behind the fake: /users, /groups, deletedItems and the delta functions all read it. */
export class FakeTenant {
  readonly users: GraphUser[];
  readonly usersById: Map<string, GraphUser>;
  readonly groups: GraphGroup[];
  readonly groupsById: Map<string, GraphGroup>;
  readonly deletedUsers: GraphUser[];
  private readonly log: LogEntry[] = [];
  /** links issued before a bump of the epoch answer `expiredAnswer` */
  private epoch = 0;
  private expiredAnswer = { status: 410, code: 'syncStateNotFound', message: 'The sync state generation is not found. Please do a full sync.' };
  private readonly listeners: (() => void)[] = [];
  /**
   * The items of the last delta round asked for, by what decides them (kind, token, $select), until the tenant changes:
   * every page of a round is a slice of the same list, and computing it again for each page of 200 made the fake's own
   * work quadratic in the changes (50 pages × 10,000 changed users at a million: about 4 s of the 2 cores a benchmark
   * shares with the app, as real Graph's servers are not).
   */
  private round: { key: string; items: Record<string, unknown>[] } | null = null;

  constructor(data: { users: readonly GraphUser[]; groups?: readonly GraphGroup[]; deletedUsers?: readonly GraphUser[] }) {
    this.users = [...data.users];
    this.usersById = new Map(this.users.map((u) => [u.id, u]));
    this.groups = [...(data.groups ?? [])];
    this.groupsById = new Map(this.groups.map((g) => [g.id, g]));
    this.deletedUsers = [...(data.deletedUsers ?? [])];
  }

  /** called after every change (the server drops what it cached of /users) */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(entry: LogEntry): void {
    this.round = null;
    this.log.push(entry);
    for (const listener of this.listeners) listener();
  }

  /** Adds the user or replaces it whole (a new object: what was served before stays as it was). */
  upsertUser(user: GraphUser): void {
    const before = this.usersById.get(user.id);
    if (before) this.users[this.users.indexOf(before)] = user;
    else this.users.push(user);
    this.usersById.set(user.id, user);
    this.changed({ kind: 'user', id: user.id, managerBefore: before?.manager?.id ?? null });
  }

  /** Changes some properties of a user. */
  updateUser(id: string, properties: Partial<GraphUser>): void {
    const before = this.usersById.get(id);
    if (!before) throw new Error(`no user ${id}`);
    this.upsertUser({ ...before, ...properties, id });
  }

  setManager(id: string, managerId: string | null): void {
    const before = this.usersById.get(id);
    if (!before) throw new Error(`no user ${id}`);
    const { manager: _manager, ...rest } = before;
    this.upsertUser(managerId ? ({ ...rest, manager: { id: managerId } } as GraphUser) : (rest as GraphUser));
  }

  /** Deletes the user to the recycle bin (restorable): delta reports `@removed` reason `changed`. */
  softDeleteUser(id: string): void {
    const user = this.removeUser(id);
    this.deletedUsers.push({ ...user, deletedDateTime: '2026-01-02T00:00:00Z' });
  }

  /** Deletes the user for good: delta reports `@removed` reason `deleted`. */
  hardDeleteUser(id: string): void {
    this.removeUser(id);
  }

  private removeUser(id: string): GraphUser {
    const user = this.usersById.get(id);
    if (!user) throw new Error(`no user ${id}`);
    this.users.splice(this.users.indexOf(user), 1);
    this.usersById.delete(id);
    this.changed({ kind: 'user', id, managerBefore: user.manager?.id ?? null });
    return user;
  }

  setGroupMembers(groupId: string, members: readonly GraphMemberRef[]): void {
    const before = this.groupsById.get(groupId);
    if (!before) throw new Error(`no group ${groupId}`);
    const group = { ...before, members: [...members] };
    this.groups[this.groups.indexOf(before)] = group;
    this.groupsById.set(groupId, group);
    this.changed({ kind: 'group', id: groupId, membersBefore: before.members ?? [] });
  }

  /**
   * Every deltaLink and nextLink issued so far stops working (Graph's synchronization reset): by default 410 Gone with
   * syncStateNotFound; Graph also answers other 40x codes (resyncRequired, syncStateInvalid).
   */
  expireDeltaLinks(answer: { status: number; code: string; message?: string } = { status: 410, code: 'syncStateNotFound' }): void {
    this.epoch++;
    this.expiredAnswer = { message: 'The delta token has expired. Please do a full sync.', ...answer };
  }

  private encode(token: DeltaToken): string {
    return Buffer.from(JSON.stringify(token)).toString('base64url');
  }

  private decode(text: string): DeltaToken | DeltaHttpError {
    let token: DeltaToken;
    try {
      token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as DeltaToken;
    } catch {
      return { status: 400, code: 'badRequest', message: 'The state token is malformed.' };
    }
    if (token.epoch !== this.epoch) return this.expiredAnswer;
    return token;
  }

  /**
   * One page of users/delta or groups/delta. `query` holds $select, $deltaToken or $skipToken (either case, as
   * Graph accepts); `shape` projects an object on the selected properties.
   */
  deltaPage(
    kind: 'user' | 'group',
    query: URLSearchParams,
    link: (token: string, next: boolean) => string,
    shape: (object: Record<string, unknown>, select: string[] | null) => Record<string, unknown>,
  ): Record<string, unknown> | DeltaHttpError {
    const param = (name: string) => query.get(`$${name}`) ?? query.get(`$${name.toLowerCase()}`);
    const deltaToken = param('deltaToken');
    const skipToken = param('skipToken');
    let token: DeltaToken;
    if (skipToken !== null || (deltaToken !== null && deltaToken !== 'latest')) {
      const decoded = this.decode((skipToken ?? deltaToken)!);
      if ('status' in decoded) return decoded;
      token = skipToken !== null ? decoded : { ...decoded, seq: decoded.upTo, upTo: this.log.length, offset: 0 };
    } else {
      const select = query.get('$select')?.split(',').map((s) => s.trim()) ?? null;
      token = { seq: deltaToken === 'latest' ? this.log.length : -1, upTo: this.log.length, epoch: this.epoch, select, offset: 0 };
      if (deltaToken === 'latest') return { value: [], '@odata.deltaLink': link(this.encode(token), false) };
    }
    const items = token.seq < 0 ? this.initialRound(kind, token.select, shape) : this.keptChangesSince(kind, token, shape);
    const end = Math.min(items.length, token.offset + DELTA_PAGE_SIZE);
    const page: Record<string, unknown> = {};
    if (end < items.length) page['@odata.nextLink'] = link(this.encode({ ...token, offset: end }), true);
    else page['@odata.deltaLink'] = link(this.encode({ ...token, seq: token.upTo, offset: 0 }), false);
    page.value = items.slice(token.offset, end);
    return page;
  }

  private initialRound(
    kind: 'user' | 'group',
    select: string[] | null,
    shape: (object: Record<string, unknown>, select: string[] | null) => Record<string, unknown>,
  ): Record<string, unknown>[] {
    if (kind === 'user')
      return this.users.map((u) => ({ ...shape(u as Record<string, unknown>, select), ...this.managerDelta(u, null, select) }));
    return this.groups.map((g) => ({ ...shape(g as Record<string, unknown>, select), ...this.membersDelta(g, [], select) }));
  }

  /** changesSince, kept for the round's next pages (an initial round, the whole tenant, is not: a second tenant in memory). */
  private keptChangesSince(
    kind: 'user' | 'group',
    token: DeltaToken,
    shape: (object: Record<string, unknown>, select: string[] | null) => Record<string, unknown>,
  ): Record<string, unknown>[] {
    const key = JSON.stringify([kind, token.seq, token.upTo, token.epoch, token.select]);
    if (this.round?.key !== key) this.round = { key, items: this.changesSince(kind, token, shape) };
    return this.round.items;
  }

  private changesSince(
    kind: 'user' | 'group',
    token: DeltaToken,
    shape: (object: Record<string, unknown>, select: string[] | null) => Record<string, unknown>,
  ): Record<string, unknown>[] {
    // the state each changed object had when the link was issued: the first change after it says
    const first = new Map<string, LogEntry>();
    for (const entry of this.log.slice(token.seq, token.upTo)) if (entry.kind === kind && !first.has(entry.id)) first.set(entry.id, entry);
    const items: Record<string, unknown>[] = [];
    for (const [id, entry] of first) {
      if (kind === 'user') {
        const user = this.usersById.get(id);
        if (!user) {
          const reason = this.deletedUsers.some((d) => d.id === id) ? 'changed' : 'deleted';
          items.push({ '@odata.type': '#microsoft.graph.user', id, '@removed': { reason } });
        } else items.push({ ...shape(user as Record<string, unknown>, token.select), ...this.managerDelta(user, entry.managerBefore ?? null, token.select) });
      } else {
        const group = this.groupsById.get(id)!;
        const { members: _members, ...rest } = shape(group as Record<string, unknown>, token.select);
        items.push({ ...rest, ...this.membersDelta(group, entry.membersBefore ?? [], token.select) });
      }
    }
    return items;
  }

  private managerDelta(user: GraphUser, before: string | null, select: string[] | null): Record<string, unknown> {
    if (!select?.includes('manager')) return {};
    const now = user.manager?.id ?? null;
    if (now === before) return {};
    if (now === null) return { 'manager@delta': [{ '@odata.type': '#microsoft.graph.user', id: before, '@removed': { reason: 'deleted' } }] };
    return { 'manager@delta': [{ '@odata.type': '#microsoft.graph.user', id: now }] };
  }

  private membersDelta(group: GraphGroup, before: readonly GraphMemberRef[], select: string[] | null): Record<string, unknown> {
    if (select && !select.includes('members')) return {};
    const now = group.members ?? [];
    const had = new Set(before.map((m) => m.id));
    const has = new Set(now.map((m) => m.id));
    const changes: Record<string, unknown>[] = [
      ...now.filter((m) => !had.has(m.id)).map((m) => ({ '@odata.type': m['@odata.type'], id: m.id })),
      ...before.filter((m) => !has.has(m.id)).map((m) => ({ '@odata.type': m['@odata.type'], id: m.id, '@removed': { reason: 'deleted' } })),
    ];
    return changes.length > 0 ? { 'members@delta': changes } : {};
  }
}
