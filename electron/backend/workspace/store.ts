import type Database from 'better-sqlite3';
import type { Page, SnapshotSummary, TenantUserView, UserRow } from '../../../shared/api.ts';
import { openWorkspaceDatabase, type OpenOptions } from './db.ts';
import { VendorProfileStore } from './vendor-profiles.ts';
import {
  layerParams,
  snapshotGroupsSql,
  snapshotMembershipsSql,
  snapshotUsersSql,
  SNAPSHOT_GROUP_COLUMNS,
  SNAPSHOT_USER_COLUMNS,
  snapshotGroupColumns,
  sourceDigest,
  userColumns,
  type SnapshotGroupInput,
  type SnapshotUserInput,
  type SnapshotUserRow,
} from './snapshot-rows.ts';
import { SnapshotRefreshWriter, type DeltaState } from './snapshot-refresh.ts';
import { indexTenantUsers, TenantUserKeys, TenantUsers } from './tenant-users.ts';

export type { DeltaState } from './snapshot-refresh.ts';
export type { SnapshotGroupInput, SnapshotUserInput } from './snapshot-rows.ts';

export interface ProjectRecord {
  id: number;
  name: string;
  vendorId: string | null;
  createdAt: string;
}


/**
 * Sources derived before a streamed file had declared everything (a directory extension first seen further down):
 * the users in `ranges` (ordinals, end exclusive) get their source derived again from their raw JSON.
 */
export interface SourceRevision {
  ranges: Iterable<readonly [number, number]>;
  derive(raw: Record<string, unknown>): Record<string, unknown>;
}
export interface NewSnapshot {
  projectId: number;
  label: string;
  origin: SnapshotSummary['origin'];
  tenantName?: string | null;
  fetchedAt?: string;
  users?: Iterable<SnapshotUserInput>;
  /** the users already converted by snapshotUserColumns, in place of `users` (an import converts beside the inserts: users-file-thread.ts) */
  userRows?: Iterable<SnapshotUserRow>;
  groups?: Iterable<SnapshotGroupInput>;
  /** asked once the users are written, inside the same transaction (see SourceRevision) */
  reviseSources?: () => SourceRevision | null;
  /** Graph's deltaLinks taken for this read, so the snapshot can be refreshed */
  deltaState?: DeltaState | null;
  /** the snapshot this whole read replaces (a refresh whose deltaLink had expired) */
  parentId?: number | null;
}

/** A snapshot's own row without its project: what a writer in steps learns only at its end. */
export type SnapshotMeta = Omit<NewSnapshot, 'users' | 'groups' | 'reviseSources' | 'projectId'>;

/** label, origin, tenant_name, fetched_at, delta_state, parent_id: in the order both snapshot statements take them. */
const snapshotRowValues = (snapshot: SnapshotMeta) => [
  snapshot.label,
  snapshot.origin,
  snapshot.tenantName ?? null,
  snapshot.fetchedAt ?? new Date().toISOString(),
  snapshot.deltaState ? JSON.stringify(snapshot.deltaState) : null,
  snapshot.parentId ?? null,
];

export interface MappingRevision {
  id: number;
  projectId: number;
  revision: number;
  label: string;
  createdAt: string;
  schemaJson: string;
}

const SUMMARY = `SELECT id, project_id AS projectId, label, origin, tenant_name AS tenantName, fetched_at AS fetchedAt,
                        user_count AS userCount, group_count AS groupCount, parent_id AS parentId,
                        delta_state IS NOT NULL AS refreshable
                   FROM snapshots`;
const toSummary = (row: Record<string, unknown> | undefined): SnapshotSummary | undefined =>
  row && ({ ...row, refreshable: row.refreshable === 1 } as SnapshotSummary);

/**
 * Runs a large write with a page cache big enough for the B-trees keyed on GUIDs (the index on id, the UPN index) of
 * a million-user snapshot: with SQLite's default 2 MB, each random insert spills a dirty page to the WAL.
 */
function withWriteCache<T>(db: Database.Database, write: () => T): T {
  const before = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = ${WRITE_CACHE_KIB}`);
  try {
    return write();
  } finally {
    db.pragma(`cache_size = ${before}`);
  }
}
/** 256 MiB, as a negative cache_size (KiB). */
export const WRITE_CACHE_KIB = -256 * 1024;

/** A snapshot readers see: not a retained base (see deleteSnapshot), not one still being written (snapshot-writer.ts). */
const VISIBLE = 'retained = 0 AND writer_pid IS NULL';

/** Whether a process is still running: signal 0 checks without sending anything (EPERM: running, not ours). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The workspace: one SQLite file holding projects, directory snapshots and mapping revisions. SQL lives here as
 * statements prepared once (docs/architecture.md, "Data").
 */
export class WorkspaceStore {
  readonly db: Database.Database;
  private readonly stmt;
  private vendorProfileStore: VendorProfileStore | undefined;
  private tenantUserReads: TenantUsers | undefined;

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
      // A retained base (deleted by the admin, still sharing its rows with refreshed snapshots) is out of sight.
      snapshots: db.prepare(`${SUMMARY} WHERE project_id = ? AND ${VISIBLE} ORDER BY id DESC`),
      snapshot: db.prepare(`${SUMMARY} WHERE id = ? AND ${VISIBLE}`),
      insertSnapshot: db.prepare(
        `INSERT INTO snapshots (project_id, label, origin, tenant_name, fetched_at, user_count, group_count, delta_state, parent_id, writer_pid)
         VALUES (?, ?, ?, ?, ?, 0, 0, ?, ?, ?)`,
      ),
      completeSnapshot: db.prepare(
        `UPDATE snapshots SET label = ?, origin = ?, tenant_name = ?, fetched_at = ?, delta_state = ?, parent_id = ?,
                              user_count = ?, group_count = ?, writer_pid = NULL
          WHERE id = ? AND writer_pid IS NOT NULL`,
      ),
      deleteIncomplete: db.prepare('DELETE FROM snapshots WHERE id = ? AND writer_pid IS NOT NULL'),
      deltaState: db.prepare(`SELECT delta_state FROM snapshots WHERE id = ? AND ${VISIBLE}`).pluck(),
      layerOf: db.prepare('SELECT id, base_id AS base, retained FROM snapshots WHERE id = ?'),
      childCount: db.prepare('SELECT count(*) FROM snapshots WHERE base_id = ?').pluck(),
      retain: db.prepare('UPDATE snapshots SET retained = 1 WHERE id = ?'),
      setCounts: db.prepare('UPDATE snapshots SET user_count = ?, group_count = ? WHERE id = ?'),
      // one pass over the index on (snapshot_id, id): ids are not a unique key of the table (migration 10)
      repeatedUserId: db.prepare('SELECT id FROM snapshot_users WHERE snapshot_id = ? GROUP BY id HAVING count(*) > 1 LIMIT 1').pluck(),
      rawInRange: db.prepare(
        'SELECT ordinal, raw FROM snapshot_users WHERE snapshot_id = ? AND ordinal >= ? AND ordinal < ? ORDER BY ordinal LIMIT ?',
      ),
      insertGroup: db.prepare(
        `INSERT INTO snapshot_groups (snapshot_id, ${SNAPSHOT_GROUP_COLUMNS.join(', ')})
         VALUES (?, ${SNAPSHOT_GROUP_COLUMNS.map(() => '?').join(', ')})`,
      ),
      insertMembership: db.prepare(
        'INSERT OR IGNORE INTO snapshot_memberships (snapshot_id, group_id, member_id, member_type) VALUES (?, ?, ?, ?)',
      ),
      deleteSnapshot: db.prepare('DELETE FROM snapshots WHERE id = ?'),
      user: db.prepare(`${snapshotUsersSql('u.id, u.raw, u.source', 'u.id = @ref')} LIMIT 1`),
      userByUpn: db.prepare(`${snapshotUsersSql('u.id, u.raw, u.source', 'u.user_principal_name = @ref COLLATE NOCASE')} LIMIT 1`),
      allUsers: db.prepare(`${snapshotUsersSql('u.id, u.raw, u.source, u.ordinal')} ORDER BY ordinal`),
      allGroups: db.prepare(`${snapshotGroupsSql('g.id, g.raw, g.source, g.ordinal')} ORDER BY ordinal`),
      groupSources: db.prepare(`${snapshotGroupsSql('g.source, g.ordinal')} ORDER BY ordinal`),
      memberships: db.prepare(snapshotMembershipsSql('m.group_id AS groupId, m.member_id AS memberId, m.member_type AS memberType')),
      revisions: db.prepare(
        `SELECT id, project_id AS projectId, revision, label, created_at AS createdAt, schema_json AS schemaJson
           FROM mapping_revisions WHERE project_id = ? ORDER BY revision`,
      ),
      latestRevisionNumber: db.prepare('SELECT max(revision) AS n FROM mapping_revisions WHERE project_id = ?'),
      insertRevision: db.prepare(
        'INSERT INTO mapping_revisions (project_id, revision, label, created_at, schema_json) VALUES (?, ?, ?, ?, ?)',
      ),
    };
    if (!options.readOnly) this.deleteAbandonedSnapshots();
  }

  /**
   * The statements that write user rows, prepared on first use: a workspace from before migration 10 opened read-only
   * has no source_digest column and is never written.
   */
  private get userWrites() {
    return (this.userWriteStmt ??= {
      setSource: this.db.prepare('UPDATE snapshot_users SET source = ?, source_digest = ? WHERE snapshot_id = ? AND ordinal = ?'),
      insertUser: this.db.prepare(
        `INSERT INTO snapshot_users (snapshot_id, ${SNAPSHOT_USER_COLUMNS.join(', ')})
         VALUES (?, ${SNAPSHOT_USER_COLUMNS.map(() => '?').join(', ')})`,
      ),
    });
  }
  private userWriteStmt: { setSource: Database.Statement; insertUser: Database.Statement } | undefined;

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
    return (this.stmt.snapshots.all(projectId) as Record<string, unknown>[]).map((row) => toSummary(row)!);
  }

  getSnapshot(snapshotId: number): SnapshotSummary | undefined {
    return toSummary(this.stmt.snapshot.get(snapshotId) as Record<string, unknown> | undefined);
  }

  /** The deltaLinks a Graph snapshot was read or refreshed with; null when it has none (a file, or an app's scope). */
  getDeltaState(snapshotId: number): DeltaState | null {
    const json = this.stmt.deltaState.get(snapshotId) as string | null | undefined;
    return json ? (JSON.parse(json) as DeltaState) : null;
  }

  private layers(snapshotId: number): Record<string, number | null> {
    const row = this.stmt.layerOf.get(snapshotId) as { base: number | null } | undefined;
    return layerParams({ own: snapshotId, base: row?.base ?? null });
  }

  /**
   * Writes a snapshot refreshed from `parentId` in one transaction: `apply` gets a writer that reads the snapshot as it
   * is being built and records only what changed; the rows the parent shares are not copied (snapshot-rows.ts).
   */
  refreshSnapshot(
    parentId: number,
    meta: { label: string; fetchedAt?: string; deltaState: DeltaState },
    apply: (writer: SnapshotRefreshWriter) => void,
  ): SnapshotSummary {
    const id = this.db.transaction(() => {
      const parent = this.getSnapshot(parentId);
      if (!parent) throw new Error(`Snapshot ${parentId} does not exist; it cannot be refreshed.`);
      const writer = SnapshotRefreshWriter.begin(this.db, parent, meta);
      apply(writer);
      return writer.finish();
    }).immediate();
    return this.getSnapshot(id)!;
  }

  /**
   * Writes a whole snapshot in one transaction: a crash or a cancel part-way leaves no partial
   * snapshot behind, only the ones committed before it.
   */
  addSnapshot(snapshot: NewSnapshot): SnapshotSummary {
    const { users: userInputs = [], userRows, groups: groupInputs, reviseSources, ...meta } = snapshot;
    const s = this.stmt;
    const { insertUser } = this.userWrites;
    const id = this.db.transaction(() => {
      const snapshotId = this.insertSnapshotRow(meta.projectId, meta, null);
      const counts = withWriteCache(this.db, () => {
        let users = 0;
        const keys = new TenantUserKeys(this.db);
        for (const columns of userRows ?? userColumns(userInputs)) {
          insertUser.run(snapshotId, ...columns);
          keys.add(columns);
          users++;
        }
        const revision = reviseSources?.();
        if (revision) this.reviseSources(snapshotId, revision);
        let groups = 0;
        for (const group of groupInputs ?? []) {
          const columns = snapshotGroupColumns(group, groups);
          s.insertGroup.run(snapshotId, ...columns);
          for (const member of group.members) s.insertMembership.run(snapshotId, columns[1], member.id, member.type);
          groups++;
        }
        this.sealUserRows(snapshotId, keys);
        return { users, groups };
      });
      s.setCounts.run(counts.users, counts.groups, snapshotId);
      return snapshotId;
    }).immediate();
    return this.getSnapshot(id)!;
  }

  /**
   * Starts a snapshot that a SnapshotWriter fills in steps (snapshot-writer.ts): out of sight, naming this process as
   * its writer, until completeSnapshot.
   */
  beginSnapshot(projectId: number): number {
    return this.insertSnapshotRow(projectId, { label: 'being written', origin: 'graph' }, process.pid);
  }

  /** Gives a snapshot begun with beginSnapshot its label and counts and makes it visible, in one transaction. */
  completeSnapshot(snapshotId: number, snapshot: SnapshotMeta, counts: { users: number; groups: number }): void {
    this.db.transaction(() => {
      this.sealUserRows(snapshotId);
      const info = this.stmt.completeSnapshot.run(
        ...snapshotRowValues(snapshot),
        counts.users,
        counts.groups,
        snapshotId,
      );
      if (info.changes !== 1) throw new Error(`Snapshot ${snapshotId} is not one being written; it cannot be completed.`);
    }).immediate();
  }

  /** Deletes a snapshot still being written (a cancelled or failed read), with its rows. */
  deleteIncompleteSnapshot(snapshotId: number): void {
    this.stmt.deleteIncomplete.run(snapshotId);
  }

  /**
   * Snapshots left incomplete by a writer that is no longer running (a crash or a kill during a fetch) are deleted;
   * those of a running process (another window, the CLI, a writer of this process) are left to it.
   */
  private deleteAbandonedSnapshots(): void {
    const writers = this.db.prepare('SELECT id, writer_pid AS pid FROM snapshots WHERE writer_pid IS NOT NULL').all() as { id: number; pid: number }[];
    for (const { id, pid } of writers) if (pid !== process.pid && !isRunning(pid)) this.deleteIncompleteSnapshot(id);
  }

  private insertSnapshotRow(
    projectId: number,
    snapshot: SnapshotMeta,
    writerPid: number | null,
  ): number {
    const info = this.stmt.insertSnapshot.run(projectId, ...snapshotRowValues(snapshot), writerPid);
    return Number(info.lastInsertRowid);
  }

  /** An id is not a unique key of snapshot_users (migration 10): a whole snapshot is checked once, on the index. */
  /**
   * Once a whole snapshot's user rows are in (addSnapshot, a fetch's completeSnapshot), in the same transaction: each id
   * once, then the Tenant table's word index and sort orders over them (a refresh does its own in snapshot-refresh.ts).
   */
  private sealUserRows(snapshotId: number, keys?: TenantUserKeys): void {
    const twice = this.stmt.repeatedUserId.get(snapshotId) as string | undefined;
    if (twice !== undefined) throw new Error(`User id ${twice} appears more than once; a snapshot holds each user once. Nothing was stored.`);
    indexTenantUsers(this.db, snapshotId, keys);
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
          const source = JSON.stringify(revision.derive(JSON.parse(row.raw)));
          this.userWrites.setSource.run(source, sourceDigest(source), snapshotId, row.ordinal);
        }
        if (rows.length < PAGE) break;
        next = rows[rows.length - 1]!.ordinal + 1;
      }
    }
  }

  /**
   * Deletes a snapshot; its own users, groups and memberships go with it (ON DELETE CASCADE). A base whose rows
   * refreshed snapshots still share is only retained out of sight, and goes when the last of them does.
   */
  deleteSnapshot(snapshotId: number): boolean {
    return this.db.transaction(() => {
      const row = this.stmt.layerOf.get(snapshotId) as { id: number; base: number | null; retained: number } | undefined;
      if (!row || row.retained) return false;
      if ((this.stmt.childCount.get(snapshotId) as number) > 0) {
        this.stmt.retain.run(snapshotId);
        return true;
      }
      this.stmt.deleteSnapshot.run(snapshotId);
      if (row.base !== null) {
        const base = this.stmt.layerOf.get(row.base) as { retained: number } | undefined;
        if (base?.retained && (this.stmt.childCount.get(row.base) as number) === 0) this.stmt.deleteSnapshot.run(row.base);
      }
      return true;
    }).immediate();
  }

  /** A page of the Tenant table (tenant-users.ts): `search` for the start of words, then `view`'s filters and sort. */
  listUsers(snapshotId: number, search: string, offset: number, limit: number, view: Omit<TenantUserView, 'search'> = {}): Page<UserRow> {
    this.tenantUserReads ??= new TenantUsers(this.db);
    return this.tenantUserReads.list({ own: snapshotId, base: this.layers(snapshotId).base ?? null }, { ...view, search }, offset, limit);
  }

  /** A user by object id or, failing that, by userPrincipalName (case-insensitive, as Entra compares UPNs). */
  getUser(snapshotId: number, ref: string): { id: string; raw: Record<string, unknown>; source: Record<string, unknown> } | undefined {
    const layers = this.layers(snapshotId);
    const row = (this.stmt.user.get({ ...layers, ref }) ?? this.stmt.userByUpn.get({ ...layers, ref })) as
      | { id: string; raw: string; source: string }
      | undefined;
    return row && { id: row.id, raw: JSON.parse(row.raw), source: JSON.parse(row.source) };
  }

  *iterateUsers(snapshotId: number): Generator<{ id: string; raw: Record<string, unknown>; source: Record<string, unknown> }> {
    for (const row of this.stmt.allUsers.iterate(this.layers(snapshotId)) as Iterable<{ id: string; raw: string; source: string }>) {
      yield { id: row.id, raw: JSON.parse(row.raw), source: JSON.parse(row.source) };
    }
  }

  listGroups(snapshotId: number): { id: string; raw: Record<string, unknown>; source: Record<string, unknown> }[] {
    return (this.stmt.allGroups.all(this.layers(snapshotId)) as { id: string; raw: string; source: string }[]).map((row) => ({
      id: row.id,
      raw: JSON.parse(row.raw),
      source: JSON.parse(row.source),
    }));
  }

  /** Only the derived source objects: what previews read (the raw JSON repeats every member list). */
  listGroupSources(snapshotId: number): Record<string, unknown>[] {
    return (this.stmt.groupSources.all(this.layers(snapshotId)) as { source: string }[]).map((row) => JSON.parse(row.source));
  }

  listMemberships(snapshotId: number): { groupId: string; memberId: string; memberType: string }[] {
    return this.stmt.memberships.all(this.layers(snapshotId)) as { groupId: string; memberId: string; memberType: string }[];
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
