import type Database from 'better-sqlite3';
import type { Page, SnapshotSummary, UserRow } from '../../../shared/api.ts';
import { openWorkspaceDatabase, type OpenOptions } from './db.ts';
import { VendorProfileStore } from './vendor-profiles.ts';

export interface ProjectRecord {
  id: number;
  name: string;
  vendorId: string | null;
  createdAt: string;
}

/** One user as a snapshot stores it: Graph's JSON and the derived provisioning source object. */
export interface SnapshotUserInput {
  raw: Record<string, unknown>;
  source: Record<string, unknown>;
  /** the user's place in the snapshot when users arrive out of order (a CSV row waiting for its manager); default: arrival order */
  ordinal?: number;
}

/**
 * Sources derived before a streamed file had declared everything (a directory extension first seen further down):
 * the users in `ranges` (ordinals, end exclusive) get their source derived again from their raw JSON.
 */
export interface SourceRevision {
  ranges: Iterable<readonly [number, number]>;
  derive(raw: Record<string, unknown>): Record<string, unknown>;
}
export interface SnapshotGroupInput {
  raw: Record<string, unknown>;
  source: Record<string, unknown>;
  members: readonly { id: string; type: string }[];
}
export interface NewSnapshot {
  projectId: number;
  label: string;
  origin: SnapshotSummary['origin'];
  tenantName?: string | null;
  fetchedAt?: string;
  users: Iterable<SnapshotUserInput>;
  groups?: Iterable<SnapshotGroupInput>;
  /** asked once the users are written, inside the same transaction (see SourceRevision) */
  reviseSources?: () => SourceRevision | null;
}

export interface MappingRevision {
  id: number;
  projectId: number;
  revision: number;
  label: string;
  createdAt: string;
  schemaJson: string;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** snapshot_users' columns after snapshot_id, in the order snapshotUserColumns gives their values. */
export const SNAPSHOT_USER_COLUMNS = [
  'ordinal', 'id', 'user_principal_name', 'display_name', 'mail', 'department',
  'account_enabled', 'user_type', 'search_text', 'raw', 'source',
] as const;
/** snapshot_groups' columns after snapshot_id, in the order snapshotGroupColumns gives their values. */
export const SNAPSHOT_GROUP_COLUMNS = ['ordinal', 'id', 'display_name', 'raw', 'source'] as const;

/**
 * A snapshot user's column values (SNAPSHOT_USER_COLUMNS): one derivation for every writer.
 * `arrival` is the ordinal when the input names none; a user without an id is refused by its place.
 */
export function snapshotUserColumns({ raw, source, ordinal }: SnapshotUserInput, arrival: number): (string | number | null)[] {
  const userId = text(raw.id);
  if (!userId) throw new Error(`User number ${arrival + 1} of the snapshot has no id`);
  const upn = text(raw.userPrincipalName);
  const displayName = text(raw.displayName);
  const mail = text(raw.mail);
  const searchText = [upn, displayName, mail, text(raw.department), text(raw.jobTitle), userId]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
  const enabled = typeof raw.accountEnabled === 'boolean' ? (raw.accountEnabled ? 1 : 0) : null;
  return [
    ordinal ?? arrival,
    userId,
    upn,
    displayName,
    mail,
    text(raw.department),
    enabled,
    text(raw.userType),
    searchText,
    JSON.stringify(raw),
    JSON.stringify(source),
  ];
}

/** A snapshot group's column values (SNAPSHOT_GROUP_COLUMNS). */
export function snapshotGroupColumns({ raw, source }: SnapshotGroupInput, ordinal: number): (string | number | null)[] {
  const groupId = text(raw.id);
  if (!groupId) throw new Error(`Group number ${ordinal + 1} of the snapshot has no id`);
  return [ordinal, groupId, text(raw.displayName), JSON.stringify(raw), JSON.stringify(source)];
}

/**
 * The workspace: one SQLite file holding projects, directory snapshots and mapping revisions. SQL lives here as
 * statements prepared once (docs/architecture.md, "Data").
 */
export class WorkspaceStore {
  readonly db: Database.Database;
  private readonly stmt;
  private vendorProfileStore: VendorProfileStore | undefined;

  /**
   * `{ readOnly: true }` for commands that only read: the workspace must exist and is never created,
   * stamped or migrated; `create` says whether a missing (or, with 'new', empty) file becomes a workspace.
   */
  static open(path: string, options: OpenOptions = {}): WorkspaceStore {
    return new WorkspaceStore(path, options);
  }

  constructor(
    readonly path: string,
    options: OpenOptions = {},
  ) {
    this.db = openWorkspaceDatabase(path, options);
    const db = this.db;
    this.stmt = {
      projects: db.prepare('SELECT id, name, vendor_id AS vendorId, created_at AS createdAt FROM projects ORDER BY id'),
      insertProject: db.prepare('INSERT INTO projects (name, vendor_id, created_at) VALUES (?, ?, ?)'),
      setProjectVendor: db.prepare('UPDATE projects SET vendor_id = ? WHERE id = ?'),
      snapshots: db.prepare(
        `SELECT id, project_id AS projectId, label, origin, tenant_name AS tenantName, fetched_at AS fetchedAt,
                user_count AS userCount, group_count AS groupCount
           FROM snapshots WHERE project_id = ? ORDER BY id DESC`,
      ),
      snapshot: db.prepare(
        `SELECT id, project_id AS projectId, label, origin, tenant_name AS tenantName, fetched_at AS fetchedAt,
                user_count AS userCount, group_count AS groupCount
           FROM snapshots WHERE id = ?`,
      ),
      insertSnapshot: db.prepare(
        `INSERT INTO snapshots (project_id, label, origin, tenant_name, fetched_at, user_count, group_count)
         VALUES (?, ?, ?, ?, ?, 0, 0)`,
      ),
      setCounts: db.prepare('UPDATE snapshots SET user_count = ?, group_count = ? WHERE id = ?'),
      rawInRange: db.prepare(
        'SELECT ordinal, raw FROM snapshot_users WHERE snapshot_id = ? AND ordinal >= ? AND ordinal < ? ORDER BY ordinal LIMIT ?',
      ),
      setSource: db.prepare('UPDATE snapshot_users SET source = ? WHERE snapshot_id = ? AND ordinal = ?'),
      insertUser: db.prepare(
        `INSERT INTO snapshot_users (snapshot_id, ${SNAPSHOT_USER_COLUMNS.join(', ')})
         VALUES (?, ${SNAPSHOT_USER_COLUMNS.map(() => '?').join(', ')})`,
      ),
      insertGroup: db.prepare(
        `INSERT INTO snapshot_groups (snapshot_id, ${SNAPSHOT_GROUP_COLUMNS.join(', ')})
         VALUES (?, ${SNAPSHOT_GROUP_COLUMNS.map(() => '?').join(', ')})`,
      ),
      insertMembership: db.prepare(
        'INSERT OR IGNORE INTO snapshot_memberships (snapshot_id, group_id, member_id, member_type) VALUES (?, ?, ?, ?)',
      ),
      deleteSnapshot: db.prepare('DELETE FROM snapshots WHERE id = ?'),
      countUsers: db.prepare('SELECT count(*) AS n FROM snapshot_users WHERE snapshot_id = ?'),
      countUsersMatching: db.prepare(
        "SELECT count(*) AS n FROM snapshot_users WHERE snapshot_id = ? AND search_text LIKE ? ESCAPE '\\'",
      ),
      pageUsers: db.prepare(
        `SELECT id, user_principal_name AS userPrincipalName, display_name AS displayName, mail, department,
                account_enabled AS accountEnabled, user_type AS userType
           FROM snapshot_users WHERE snapshot_id = ? ORDER BY ordinal LIMIT ? OFFSET ?`,
      ),
      pageUsersMatching: db.prepare(
        `SELECT id, user_principal_name AS userPrincipalName, display_name AS displayName, mail, department,
                account_enabled AS accountEnabled, user_type AS userType
           FROM snapshot_users WHERE snapshot_id = ? AND search_text LIKE ? ESCAPE '\\'
          ORDER BY ordinal LIMIT ? OFFSET ?`,
      ),
      user: db.prepare('SELECT id, raw, source FROM snapshot_users WHERE snapshot_id = ? AND id = ?'),
      userByUpn: db.prepare(
        'SELECT id, raw, source FROM snapshot_users WHERE snapshot_id = ? AND user_principal_name = ? COLLATE NOCASE',
      ),
      allUsers: db.prepare('SELECT id, raw, source FROM snapshot_users WHERE snapshot_id = ? ORDER BY ordinal'),
      allGroups: db.prepare('SELECT id, raw, source FROM snapshot_groups WHERE snapshot_id = ? ORDER BY ordinal'),
      groupSources: db.prepare('SELECT source FROM snapshot_groups WHERE snapshot_id = ? ORDER BY ordinal'),
      memberships: db.prepare(
        'SELECT group_id AS groupId, member_id AS memberId, member_type AS memberType FROM snapshot_memberships WHERE snapshot_id = ?',
      ),
      revisions: db.prepare(
        `SELECT id, project_id AS projectId, revision, label, created_at AS createdAt, schema_json AS schemaJson
           FROM mapping_revisions WHERE project_id = ? ORDER BY revision`,
      ),
      latestRevisionNumber: db.prepare('SELECT max(revision) AS n FROM mapping_revisions WHERE project_id = ?'),
      insertRevision: db.prepare(
        'INSERT INTO mapping_revisions (project_id, revision, label, created_at, schema_json) VALUES (?, ?, ?, ?, ?)',
      ),
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  listProjects(): ProjectRecord[] {
    return this.stmt.projects.all() as ProjectRecord[];
  }

  createProject(name: string, vendorId: string | null = null): ProjectRecord {
    const createdAt = new Date().toISOString();
    const info = this.stmt.insertProject.run(name, vendorId, createdAt);
    return { id: Number(info.lastInsertRowid), name, vendorId, createdAt };
  }

  /** The project's vendor: a built-in profile id or one of its custom profiles (the caller checks which exist). */
  setProjectVendor(projectId: number, vendorId: string): void {
    this.stmt.setProjectVendor.run(vendorId, projectId);
  }

  /** The custom vendor profiles, prepared on first use (a read-only workspace from before them has none). */
  get vendorProfiles(): VendorProfileStore {
    return (this.vendorProfileStore ??= new VendorProfileStore(this.db));
  }

  listSnapshots(projectId: number): SnapshotSummary[] {
    return this.stmt.snapshots.all(projectId) as SnapshotSummary[];
  }

  getSnapshot(snapshotId: number): SnapshotSummary | undefined {
    return this.stmt.snapshot.get(snapshotId) as SnapshotSummary | undefined;
  }

  /**
   * Writes a whole snapshot in one transaction: a crash or a cancel part-way leaves no partial
   * snapshot behind, only the ones committed before it.
   */
  addSnapshot(snapshot: NewSnapshot): SnapshotSummary {
    const s = this.stmt;
    const id = this.db.transaction(() => {
      const info = s.insertSnapshot.run(
        snapshot.projectId,
        snapshot.label,
        snapshot.origin,
        snapshot.tenantName ?? null,
        snapshot.fetchedAt ?? new Date().toISOString(),
      );
      const snapshotId = Number(info.lastInsertRowid);
      let users = 0;
      for (const user of snapshot.users) {
        s.insertUser.run(snapshotId, ...snapshotUserColumns(user, users));
        users++;
      }
      const revision = snapshot.reviseSources?.();
      if (revision) this.reviseSources(snapshotId, revision);
      let groups = 0;
      for (const group of snapshot.groups ?? []) {
        const columns = snapshotGroupColumns(group, groups);
        s.insertGroup.run(snapshotId, ...columns);
        for (const member of group.members) s.insertMembership.run(snapshotId, columns[1], member.id, member.type);
        groups++;
      }
      s.setCounts.run(users, groups, snapshotId);
      return snapshotId;
    }).immediate();
    return this.getSnapshot(id)!;
  }

  /**
   * A snapshot whose rows `fill` writes itself (the Graph fetch copies them from its staging file), in one transaction
   * with the snapshot's row and counts, so a failure part-way leaves nothing.
   */
  addSnapshotFrom(
    snapshot: Omit<NewSnapshot, 'users' | 'groups' | 'reviseSources'>,
    fill: (snapshotId: number) => { users: number; groups: number },
  ): SnapshotSummary {
    const s = this.stmt;
    const id = this.db.transaction(() => {
      const info = s.insertSnapshot.run(
        snapshot.projectId,
        snapshot.label,
        snapshot.origin,
        snapshot.tenantName ?? null,
        snapshot.fetchedAt ?? new Date().toISOString(),
      );
      const snapshotId = Number(info.lastInsertRowid);
      const counts = fill(snapshotId);
      s.setCounts.run(counts.users, counts.groups, snapshotId);
      return snapshotId;
    }).immediate();
    return this.getSnapshot(id)!;
  }

  /** Derives the sources of the users in the revision's ranges again (within addSnapshot's transaction), in pages. */
  private reviseSources(snapshotId: number, revision: SourceRevision): void {
    const PAGE = 2000;
    for (const [from, to] of revision.ranges) {
      let next = from;
      while (next < to) {
        // read a page before writing: the connection cannot write while a statement is still iterating
        const rows = this.stmt.rawInRange.all(snapshotId, next, to, PAGE) as { ordinal: number; raw: string }[];
        for (const row of rows) {
          this.stmt.setSource.run(JSON.stringify(revision.derive(JSON.parse(row.raw))), snapshotId, row.ordinal);
        }
        if (rows.length < PAGE) break;
        next = rows[rows.length - 1]!.ordinal + 1;
      }
    }
  }

  /** Deletes a snapshot; its users, groups and memberships go with it (ON DELETE CASCADE). */
  deleteSnapshot(snapshotId: number): boolean {
    return this.stmt.deleteSnapshot.run(snapshotId).changes > 0;
  }

  listUsers(snapshotId: number, search: string, offset: number, limit: number): Page<UserRow> {
    const term = search.trim().toLowerCase();
    const toRow = (r: Record<string, unknown>) =>
      ({ ...r, accountEnabled: r.accountEnabled === null ? null : r.accountEnabled === 1 }) as UserRow;
    if (!term) {
      const total = (this.stmt.countUsers.get(snapshotId) as { n: number }).n;
      const rows = this.stmt.pageUsers.all(snapshotId, limit, offset) as Record<string, unknown>[];
      return { total, offset, items: rows.map(toRow) };
    }
    const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const total = (this.stmt.countUsersMatching.get(snapshotId, pattern) as { n: number }).n;
    const rows = this.stmt.pageUsersMatching.all(snapshotId, pattern, limit, offset) as Record<string, unknown>[];
    return { total, offset, items: rows.map(toRow) };
  }

  /** A user by object id or, failing that, by userPrincipalName (case-insensitive, as Entra compares UPNs). */
  getUser(snapshotId: number, ref: string): { id: string; raw: Record<string, unknown>; source: Record<string, unknown> } | undefined {
    const row = (this.stmt.user.get(snapshotId, ref) ?? this.stmt.userByUpn.get(snapshotId, ref)) as
      | { id: string; raw: string; source: string }
      | undefined;
    return row && { id: row.id, raw: JSON.parse(row.raw), source: JSON.parse(row.source) };
  }

  *iterateUsers(snapshotId: number): Generator<{ id: string; raw: Record<string, unknown>; source: Record<string, unknown> }> {
    for (const row of this.stmt.allUsers.iterate(snapshotId) as Iterable<{ id: string; raw: string; source: string }>) {
      yield { id: row.id, raw: JSON.parse(row.raw), source: JSON.parse(row.source) };
    }
  }

  listGroups(snapshotId: number): { id: string; raw: Record<string, unknown>; source: Record<string, unknown> }[] {
    return (this.stmt.allGroups.all(snapshotId) as { id: string; raw: string; source: string }[]).map((row) => ({
      id: row.id,
      raw: JSON.parse(row.raw),
      source: JSON.parse(row.source),
    }));
  }

  /** Only the derived source objects: what previews read (the raw JSON repeats every member list). */
  listGroupSources(snapshotId: number): Record<string, unknown>[] {
    return (this.stmt.groupSources.all(snapshotId) as { source: string }[]).map((row) => JSON.parse(row.source));
  }

  listMemberships(snapshotId: number): { groupId: string; memberId: string; memberType: string }[] {
    return this.stmt.memberships.all(snapshotId) as { groupId: string; memberId: string; memberType: string }[];
  }

  listMappingRevisions(projectId: number): MappingRevision[] {
    return this.stmt.revisions.all(projectId) as MappingRevision[];
  }

  /** Saving a mapping set never overwrites: each save is a new revision. */
  saveMappingRevision(projectId: number, label: string, schemaJson: string): MappingRevision {
    return this.db.transaction(() => {
      const latest = (this.stmt.latestRevisionNumber.get(projectId) as { n: number | null }).n ?? 0;
      const createdAt = new Date().toISOString();
      const info = this.stmt.insertRevision.run(projectId, latest + 1, label, createdAt, schemaJson);
      return { id: Number(info.lastInsertRowid), projectId, revision: latest + 1, label, createdAt, schemaJson };
    }).immediate();
  }
}
