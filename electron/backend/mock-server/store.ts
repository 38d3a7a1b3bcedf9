/**
 * SQLite state of the mock SCIM server. Resources are stored as JSON next to indexed key columns (userName and work
 * email folded to lower case, externalId as sent), so Entra's matching queries (Microsoft Learn "Develop a SCIM
 * endpoint for user provisioning", "Retrieving Resources") are one index lookup at 100,000 users. Group members are
 * rows of their own so a membership PATCH touches only the rows that change.
 */
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { conflict, notFound } from '../../../shared/scim/errors.ts';
import { matchesFilter, validateFilter, type AttributeResolver, type FilterNode } from '../../../shared/scim/filter.ts';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE, resolveAttribute, type ResourceTypeName } from '../../../shared/scim/schemas.ts';
import { isPlainObject, type Json } from '../../../shared/scim/schemas-values.ts';
import { ownValue } from '../../../shared/scim/own-properties.ts';
import { prepareMockServerSchema } from './database.ts';

export { configureMockServerDatabase, prepareMockServerSchema } from './database.ts';

/** The indexed lookups behind filtered lists; test/integration/mock-server/store.test.ts checks their query plans. */
export const LOOKUP_SQL = {
  users: {
    id: 'SELECT seq, resource FROM mock_users WHERE id = ?',
    user_name_key: 'SELECT seq, resource FROM mock_users WHERE user_name_key = ?',
    external_id: 'SELECT seq, resource FROM mock_users WHERE external_id = ?',
    work_email_key: 'SELECT seq, resource FROM mock_users WHERE work_email_key = ?',
  },
  groups: {
    id: 'SELECT seq, resource FROM mock_groups WHERE id = ?',
    display_name_key: 'SELECT seq, resource FROM mock_groups WHERE display_name_key = ?',
    external_id: 'SELECT seq, resource FROM mock_groups WHERE external_id = ?',
  },
  membersOfGroup: 'SELECT value, member FROM mock_group_members WHERE group_id = ? ORDER BY position',
  groupsOfUser: `SELECT m.group_id AS value, json_extract(g.resource, '$.displayName') AS display
    FROM mock_group_members m JOIN mock_groups g ON g.id = m.group_id WHERE m.value = ? ORDER BY g.seq`,
} as const;

interface ListQuery {
  filter?: FilterNode;
  startIndex: number;
  count: number;
  /** groups: skip reading member rows (Entra always sends excludedAttributes=members, §1.10) */
  withMembers?: boolean;
  /** sortBy / sortOrder (RFC 7644 §3.4.2.3): every match is read and ordered before the page is cut */
  sort?: (a: Json, b: Json) => number;
}

export interface ListResult {
  total: number;
  resources: Json[];
}

const lower = (value: string) => value.toLowerCase();

function workEmailKey(resource: Json): string | null {
  const emails = resource.emails;
  if (!Array.isArray(emails)) return null;
  for (const element of emails) {
    const type = ownValue(element, 'type');
    const value = ownValue(element, 'value');
    if (typeof type === 'string' && type.toLowerCase() === 'work' && typeof value === 'string') return lower(value);
  }
  return null;
}

interface Candidates {
  column: 'id' | 'user_name_key' | 'external_id' | 'work_email_key' | 'display_name_key';
  values: string[];
}

/**
 * Finds an indexed equality that every match must satisfy: `userName eq`, `externalId eq`, `id eq`,
 * `emails[type eq "work" and value eq]` (also Entra's `emails[type eq "work"].value eq`), `displayName eq`
 * for groups. `and` needs one side indexed, `or` both. The full filter is still evaluated on candidates.
 */
function planCandidates(filter: FilterNode, type: ResourceTypeName, resolve: AttributeResolver): Candidates | undefined {
  switch (filter.kind) {
    case 'and':
      return planCandidates(filter.left, type, resolve) ?? planCandidates(filter.right, type, resolve);
    case 'or': {
      const left = planCandidates(filter.left, type, resolve);
      const right = planCandidates(filter.right, type, resolve);
      if (!left || !right || left.column !== right.column) return undefined;
      return { column: left.column, values: [...left.values, ...right.values] };
    }
    case 'compare': {
      if (filter.op !== 'eq' || typeof filter.value !== 'string' || filter.path.sub !== undefined) return undefined;
      const resolved = resolve(filter.path);
      if (!resolved || !resolved.topLevel) return undefined;
      const name = resolved.def.name;
      if (name === 'id') return { column: 'id', values: [filter.value] };
      if (name === 'externalId') return { column: 'external_id', values: [filter.value] };
      if (type === 'User' && name === 'userName') return { column: 'user_name_key', values: [lower(filter.value)] };
      if (type === 'Group' && name === 'displayName') return { column: 'display_name_key', values: [lower(filter.value)] };
      return undefined;
    }
    case 'valuePath': {
      if (type !== 'User' || resolve(filter.path)?.def.name !== 'emails') return undefined;
      const pairs = new Map<string, string>();
      const collect = (node: FilterNode): void => {
        if (node.kind === 'and') {
          collect(node.left);
          collect(node.right);
        } else if (node.kind === 'compare' && node.op === 'eq' && typeof node.value === 'string' && !node.path.sub) {
          pairs.set(node.path.attr.toLowerCase(), node.value);
        }
      };
      collect(filter.filter);
      const emailType = pairs.get('type');
      const value = pairs.get('value');
      if (emailType?.toLowerCase() === 'work' && value !== undefined) return { column: 'work_email_key', values: [lower(value)] };
      return undefined;
    }
    default:
      return undefined;
  }
}

function now(): string {
  return new Date().toISOString();
}

/** A weak ETag derived from the modification counter (RFC 7644 §3.14). */
const versionTag = (n: number) => `W/"${n}"`;

function nextVersion(previous: unknown): number {
  const match = typeof previous === 'string' ? /W\/"(\d+)"/.exec(previous) : null;
  return match ? Number(match[1]) + 1 : 1;
}

const resolveUser: AttributeResolver = (ref) => resolveAttribute(USER_RESOURCE_TYPE, ref);
const resolveGroup: AttributeResolver = (ref) => resolveAttribute(GROUP_RESOURCE_TYPE, ref);

export class MockStore {
  private readonly statements;
  /** false only while no membership row exists; set again by every member insert (see groupsOfUser) */
  private membershipsMayExist: boolean | undefined;

  constructor(private readonly db: Database.Database) {
    prepareMockServerSchema(db);
    const prepare = (sql: string) => db.prepare(sql);
    this.statements = {
      userById: prepare('SELECT resource FROM mock_users WHERE id = ?').pluck(),
      userIdByName: prepare('SELECT id FROM mock_users WHERE user_name_key = ?').pluck(),
      insertUser: prepare('INSERT INTO mock_users (id, user_name_key, external_id, work_email_key, resource) VALUES (?, ?, ?, ?, ?)'),
      updateUser: prepare('UPDATE mock_users SET user_name_key = ?, external_id = ?, work_email_key = ?, resource = ? WHERE id = ?'),
      deleteUser: prepare('DELETE FROM mock_users WHERE id = ?'),
      deleteMembershipsOf: prepare('DELETE FROM mock_group_members WHERE value = ?'),
      countUsers: prepare('SELECT count(*) FROM mock_users').pluck(),
      pageUsers: prepare('SELECT resource FROM mock_users ORDER BY seq LIMIT ? OFFSET ?').pluck(),
      allUsers: prepare('SELECT resource FROM mock_users ORDER BY seq').pluck(),
      usersBy: {
        id: prepare(LOOKUP_SQL.users.id),
        user_name_key: prepare(LOOKUP_SQL.users.user_name_key),
        external_id: prepare(LOOKUP_SQL.users.external_id),
        work_email_key: prepare(LOOKUP_SQL.users.work_email_key),
      },
      groupById: prepare('SELECT resource FROM mock_groups WHERE id = ?').pluck(),
      groupIdsByName: prepare('SELECT id FROM mock_groups WHERE display_name_key = ?').pluck(),
      insertGroup: prepare('INSERT INTO mock_groups (id, display_name_key, external_id, resource) VALUES (?, ?, ?, ?)'),
      updateGroup: prepare('UPDATE mock_groups SET display_name_key = ?, external_id = ?, resource = ? WHERE id = ?'),
      deleteGroup: prepare('DELETE FROM mock_groups WHERE id = ?'),
      deleteMembersOf: prepare('DELETE FROM mock_group_members WHERE group_id = ?'),
      countGroups: prepare('SELECT count(*) FROM mock_groups').pluck(),
      pageGroups: prepare('SELECT resource FROM mock_groups ORDER BY seq LIMIT ? OFFSET ?').pluck(),
      allGroups: prepare('SELECT resource FROM mock_groups ORDER BY seq').pluck(),
      groupsBy: {
        id: prepare(LOOKUP_SQL.groups.id),
        display_name_key: prepare(LOOKUP_SQL.groups.display_name_key),
        external_id: prepare(LOOKUP_SQL.groups.external_id),
      },
      membersOf: prepare(LOOKUP_SQL.membersOfGroup),
      groupsOfUser: prepare(LOOKUP_SQL.groupsOfUser),
      anyMembership: prepare('SELECT EXISTS (SELECT 1 FROM mock_group_members)').pluck(),
      maxPosition: prepare('SELECT coalesce(max(position), 0) FROM mock_group_members WHERE group_id = ?').pluck(),
      insertMember: prepare('INSERT INTO mock_group_members (group_id, value, position, member) VALUES (?, ?, ?, ?)'),
      updateMember: prepare('UPDATE mock_group_members SET member = ? WHERE group_id = ? AND value = ?'),
      deleteMember: prepare('DELETE FROM mock_group_members WHERE group_id = ? AND value = ?'),
      // the screen's browser: every row, or those whose stored JSON contains a text (ignoring ASCII case)
      browseUsers: prepare("SELECT resource FROM mock_users WHERE (@text = '' OR instr(lower(resource), @text) > 0) ORDER BY seq LIMIT @limit OFFSET @offset").pluck(),
      countBrowseUsers: prepare("SELECT count(*) FROM mock_users WHERE (@text = '' OR instr(lower(resource), @text) > 0)").pluck(),
      browseGroups: prepare(
        `SELECT g.resource AS resource, (SELECT count(*) FROM mock_group_members m WHERE m.group_id = g.id) AS members FROM mock_groups g
         WHERE (@text = '' OR instr(lower(g.resource), @text) > 0) ORDER BY g.seq LIMIT @limit OFFSET @offset`,
      ),
      countBrowseGroups: prepare("SELECT count(*) FROM mock_groups WHERE (@text = '' OR instr(lower(resource), @text) > 0)").pluck(),
      getSetting: prepare('SELECT value FROM mock_settings WHERE key = ?').pluck(),
      putSetting: prepare('INSERT INTO mock_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    };
  }

  // ----- users --------------------------------------------------------------------------------

  getUser(id: string): Json | undefined {
    const text = this.statements.userById.get(id) as string | undefined;
    return text === undefined ? undefined : (JSON.parse(text) as Json);
  }

  /** Creates a user from a normalized body; assigns id and meta. Throws 409 when userName is taken. */
  createUser(body: Json): Json {
    const userName = String(body.userName);
    if (this.statements.userIdByName.get(lower(userName)) !== undefined) {
      throw conflict(`a user with userName "${userName}" already exists`, 'scim.uniqueness:userName');
    }
    const stamp = now();
    const resource: Json = { ...body, id: randomUUID(), meta: { resourceType: 'User', created: stamp, lastModified: stamp, version: versionTag(1) } };
    this.statements.insertUser.run(resource.id, lower(userName), externalIdOf(resource), workEmailKey(resource), JSON.stringify(resource));
    return resource;
  }

  /** Stores a new state of an existing user (PUT or PATCH result), keeping id and meta.created. */
  replaceUser(id: string, body: Json): Json {
    const previous = this.getUser(id);
    if (!previous) throw notFound(`User ${id} not found`);
    const userName = String(body.userName);
    const holder = this.statements.userIdByName.get(lower(userName)) as string | undefined;
    if (holder !== undefined && holder !== id) throw conflict(`a user with userName "${userName}" already exists`, 'scim.uniqueness:userName');
    const previousMeta = isPlainObject(previous.meta) ? previous.meta : {};
    const resource: Json = {
      ...body,
      id,
      meta: { ...previousMeta, resourceType: 'User', lastModified: now(), version: versionTag(nextVersion(previousMeta.version)) },
    };
    this.statements.updateUser.run(lower(userName), externalIdOf(resource), workEmailKey(resource), JSON.stringify(resource), id);
    return resource;
  }

  deleteUser(id: string): boolean {
    return this.db.transaction(() => {
      const removed = this.statements.deleteUser.run(id).changes > 0;
      // a deleted user is no longer a member anywhere (RFC 7644 §3.6: it is gone from every query)
      if (removed) this.statements.deleteMembershipsOf.run(id);
      return removed;
    })();
  }

  listUsers(query: ListQuery): ListResult {
    return this.list('User', query);
  }

  // ----- groups -------------------------------------------------------------------------------

  getGroup(id: string, withMembers = true): Json | undefined {
    const text = this.statements.groupById.get(id) as string | undefined;
    if (text === undefined) return undefined;
    const group = JSON.parse(text) as Json;
    if (withMembers) this.attachMembers(group);
    return group;
  }

  groupIdsWithDisplayName(displayName: string): string[] {
    return this.statements.groupIdsByName.all(lower(displayName)) as string[];
  }

  createGroup(body: Json): Json {
    const stamp = now();
    const { members, ...rest } = body;
    const resource: Json = { ...rest, id: randomUUID(), meta: { resourceType: 'Group', created: stamp, lastModified: stamp, version: versionTag(1) } };
    this.db.transaction(() => {
      this.statements.insertGroup.run(resource.id, lower(String(resource.displayName)), externalIdOf(resource), JSON.stringify(resource));
      this.writeMembers(String(resource.id), [], Array.isArray(members) ? members : []);
    })();
    return this.getGroup(String(resource.id))!;
  }

  replaceGroup(id: string, body: Json): Json {
    const previous = this.getGroup(id);
    if (!previous) throw notFound(`Group ${id} not found`);
    const { members, ...rest } = body;
    const previousMeta = isPlainObject(previous.meta) ? previous.meta : {};
    const resource: Json = {
      ...rest,
      id,
      meta: { ...previousMeta, resourceType: 'Group', lastModified: now(), version: versionTag(nextVersion(previousMeta.version)) },
    };
    this.db.transaction(() => {
      this.statements.updateGroup.run(lower(String(resource.displayName)), externalIdOf(resource), JSON.stringify(resource), id);
      const before = Array.isArray(previous.members) ? previous.members : [];
      this.writeMembers(id, before, Array.isArray(members) ? members : []);
    })();
    return this.getGroup(id)!;
  }

  deleteGroup(id: string): boolean {
    return this.db.transaction(() => {
      const removed = this.statements.deleteGroup.run(id).changes > 0;
      if (removed) this.statements.deleteMembersOf.run(id);
      return removed;
    })();
  }

  listGroups(query: ListQuery): ListResult {
    return this.list('Group', query);
  }

  // ----- shared -------------------------------------------------------------------------------

  /** Drops every user and group (the request log and settings stay). */
  reset(): void {
    this.db.exec('DELETE FROM mock_group_members; DELETE FROM mock_groups; DELETE FROM mock_users;');
  }

  counts(): { users: number; groups: number } {
    return { users: this.statements.countUsers.get() as number, groups: this.statements.countGroups.get() as number };
  }

  /** Users as stored, for the app's browser; `text` searches the stored JSON. */
  browseUsers(text: string, offset: number, limit: number): { total: number; resources: Json[] } {
    const params = { text: text.toLowerCase(), offset, limit };
    const rows = this.statements.browseUsers.all(params) as string[];
    return { total: this.statements.countBrowseUsers.get(params) as number, resources: rows.map((r) => JSON.parse(r) as Json) };
  }

  /** Groups as stored without their member lists (a group may have 10,000), with the member count. */
  browseGroups(text: string, offset: number, limit: number): { total: number; groups: { resource: Json; members: number }[] } {
    const params = { text: text.toLowerCase(), offset, limit };
    const rows = this.statements.browseGroups.all(params) as { resource: string; members: number }[];
    return {
      total: this.statements.countBrowseGroups.get(params) as number,
      groups: rows.map((row) => ({ resource: JSON.parse(row.resource) as Json, members: row.members })),
    };
  }

  getSetting(key: string): string | undefined {
    return this.statements.getSetting.get(key) as string | undefined;
  }

  putSetting(key: string, value: string): void {
    this.statements.putSetting.run(key, value);
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  /**
   * The groups a user is a direct member of, for the user's read-only `groups` attribute (RFC 7643 §4.1.2);
   * the server has no nested groups, so every entry is `direct`. `$ref` needs the base URL: the caller adds it.
   */
  groupsOfUser(userId: string): { value: string; display: string; type: 'direct' }[] {
    // most emulated vendors hold no memberships at all; skip the lookup on every user read then
    this.membershipsMayExist ??= this.statements.anyMembership.get() === 1;
    if (!this.membershipsMayExist) return [];
    const rows = this.statements.groupsOfUser.all(userId) as { value: string; display: string | null }[];
    return rows.map((row) => ({ value: row.value, display: row.display ?? '', type: 'direct' }));
  }

  private attachGroups(user: Json): void {
    const groups = this.groupsOfUser(String(user.id));
    if (groups.length > 0) user.groups = groups;
  }

  private attachMembers(group: Json): void {
    const rows = this.statements.membersOf.all(group.id) as { member: string }[];
    group.members = rows.map((row) => JSON.parse(row.member) as Json);
  }

  /** Writes only the membership rows that changed (a 1-member PATCH on a 10,000-member group is one insert). */
  private writeMembers(groupId: string, before: unknown[], after: unknown[]): void {
    const keyed = (list: unknown[]) => {
      const map = new Map<string, Json>();
      for (const item of list) if (isPlainObject(item) && item.value !== undefined) map.set(String(item.value), item);
      return map;
    };
    const old = keyed(before);
    const next = keyed(after);
    for (const value of old.keys()) if (!next.has(value)) this.statements.deleteMember.run(groupId, value);
    let position = this.statements.maxPosition.get(groupId) as number;
    for (const [value, member] of next) {
      const previous = old.get(value);
      if (!previous) {
        this.statements.insertMember.run(groupId, value, ++position, JSON.stringify(member));
        this.membershipsMayExist = true;
      }
      else if (JSON.stringify(previous) !== JSON.stringify(member)) this.statements.updateMember.run(JSON.stringify(member), groupId, value);
    }
  }

  private list(type: ResourceTypeName, query: ListQuery): ListResult {
    const isUser = type === 'User';
    const resolve = isUser ? resolveUser : resolveGroup;
    const offset = Math.max(query.startIndex, 1) - 1;
    const count = Math.max(query.count, 0);
    const withMembers = !isUser && (query.withMembers ?? true);
    const finish = (resources: Json[]) => {
      if (withMembers) for (const group of resources) this.attachMembers(group);
      return resources;
    };

    if (!query.filter && !query.sort) {
      const total = (isUser ? this.statements.countUsers : this.statements.countGroups).get() as number;
      if (count === 0) return { total, resources: [] };
      const page = (isUser ? this.statements.pageUsers : this.statements.pageGroups).all(count, offset) as string[];
      return { total, resources: finish(page.map((text) => JSON.parse(text) as Json)) };
    }

    const filter = query.filter;
    if (filter) validateFilter(filter, resolve);
    const needsMembers = !isUser && filter !== undefined && mentionsMembers(filter);
    const needsGroups = isUser && filter !== undefined && mentionsAttribute(filter, 'groups');
    const test = (resource: Json) => {
      if (!filter) return true;
      if (needsMembers) this.attachMembers(resource);
      if (needsGroups) this.attachGroups(resource);
      return matchesFilter(filter, resource, resolve);
    };
    const plan = filter ? planCandidates(filter, type, resolve) : undefined;
    let matches: Json[];
    if (plan) {
      const statement = isUser
        ? this.statements.usersBy[plan.column as keyof typeof this.statements.usersBy]
        : this.statements.groupsBy[plan.column as keyof typeof this.statements.groupsBy];
      const rows = new Map<number, string>();
      for (const value of new Set(plan.values)) {
        for (const row of statement.all(value) as { seq: number; resource: string }[]) rows.set(row.seq, row.resource);
      }
      matches = [...rows.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([, text]) => JSON.parse(text) as Json)
        .filter(test);
    } else {
      matches = [];
      for (const text of (isUser ? this.statements.allUsers : this.statements.allGroups).iterate() as Iterable<string>) {
        const resource = JSON.parse(text) as Json;
        if (test(resource)) matches.push(resource);
      }
    }
    if (query.sort) matches.sort(query.sort);
    const page = matches.slice(offset, offset + count);
    if (needsGroups) for (const user of page) delete user.groups;
    if (withMembers) for (const group of page) if (group.members === undefined) this.attachMembers(group);
    if (!withMembers) for (const group of page) delete group.members;
    return { total: matches.length, resources: page };
  }
}

function externalIdOf(resource: Json): string | null {
  return typeof resource.externalId === 'string' ? resource.externalId : null;
}

function mentionsAttribute(filter: FilterNode, name: string): boolean {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return mentionsAttribute(filter.left, name) || mentionsAttribute(filter.right, name);
    case 'not':
      return mentionsAttribute(filter.operand, name);
    default:
      return filter.path.attr.toLowerCase() === name;
  }
}

const mentionsMembers = (filter: FilterNode) => mentionsAttribute(filter, 'members');

