/**
 * Writes a refreshed snapshot as layers (snapshot-rows.ts): the rows of its base are shared, not copied; only the
 * users and groups that changed get rows of their own, and the ids the base has but the refresh removed are listed.
 * A refresh of a refreshed snapshot keeps the same base and carries its parent's own rows forward, so a chain of
 * refreshes never reads through more than two layers and deleting any of them leaves the others whole.
 */
import type Database from 'better-sqlite3';
import type { SnapshotSummary } from '../../../shared/api.ts';
import {
  SNAPSHOT_GROUP_COLUMNS,
  SNAPSHOT_USER_COLUMNS,
  layerParams,
  snapshotGroupColumns,
  snapshotGroupsSql,
  snapshotMembershipsSql,
  snapshotUserColumns,
  snapshotUsersSql,
} from './snapshot-rows.ts';
import { indexTenantUsers } from './tenant-users.ts';

/** What a Graph read keeps to be refreshed: the deltaLinks and the directory extensions the users were read with. */
export interface DeltaState {
  users: string;
  groups: string;
  directoryExtensions: string[];
}

interface RefreshedGroup {
  raw: Record<string, unknown>;
  source: Record<string, unknown>;
  members: readonly { id: string; type: string }[];
}

const USER_COLUMNS = SNAPSHOT_USER_COLUMNS.join(', ');
const GROUP_COLUMNS = SNAPSHOT_GROUP_COLUMNS.join(', ');
const CARRY_FORWARD = [
  `INSERT INTO snapshot_users (snapshot_id, ${USER_COLUMNS}) SELECT @child, ${USER_COLUMNS} FROM snapshot_users WHERE snapshot_id = @parent`,
  'INSERT INTO snapshot_removed_users (snapshot_id, id) SELECT @child, id FROM snapshot_removed_users WHERE snapshot_id = @parent',
  `INSERT INTO snapshot_groups (snapshot_id, ${GROUP_COLUMNS}) SELECT @child, ${GROUP_COLUMNS} FROM snapshot_groups WHERE snapshot_id = @parent`,
  `INSERT INTO snapshot_memberships (snapshot_id, group_id, member_id, member_type)
   SELECT @child, group_id, member_id, member_type FROM snapshot_memberships WHERE snapshot_id = @parent`,
  'INSERT INTO snapshot_removed_groups (snapshot_id, id) SELECT @child, id FROM snapshot_removed_groups WHERE snapshot_id = @parent',
];

export class SnapshotRefreshWriter {
  private readonly stmt;
  private readonly layers: Record<string, number | null>;
  private userCount: number;
  private groupCount: number;
  private nextUserOrdinal: number;
  private nextGroupOrdinal: number;

  private constructor(
    private readonly db: Database.Database,
    readonly snapshotId: number,
    base: number,
    parent: SnapshotSummary,
  ) {
    this.layers = layerParams({ own: snapshotId, base });
    this.userCount = parent.userCount;
    this.groupCount = parent.groupCount;
    this.stmt = {
      user: db.prepare(`${snapshotUsersSql('u.id, u.ordinal, u.raw', 'u.id = @id')} LIMIT 1`),
      group: db.prepare(`${snapshotGroupsSql('g.id, g.ordinal, g.raw', 'g.id = @id')} LIMIT 1`),
      putUser: db.prepare(
        `INSERT INTO snapshot_users (snapshot_id, ${USER_COLUMNS}) VALUES (?, ${SNAPSHOT_USER_COLUMNS.map(() => '?').join(', ')})`,
      ),
      deleteOwnUser: db.prepare('DELETE FROM snapshot_users WHERE snapshot_id = ? AND id = ?'),
      inBase: db.prepare('SELECT 1 FROM snapshot_users WHERE snapshot_id = ? AND id = ?').pluck(),
      baseOrdinal: db.prepare('SELECT ordinal FROM snapshot_users WHERE snapshot_id = ? AND id = ?').pluck(),
      groupInBase: db.prepare('SELECT 1 FROM snapshot_groups WHERE snapshot_id = ? AND id = ?').pluck(),
      markRemoved: db.prepare('INSERT OR IGNORE INTO snapshot_removed_users (snapshot_id, id) VALUES (?, ?)'),
      unmarkRemoved: db.prepare('DELETE FROM snapshot_removed_users WHERE snapshot_id = ? AND id = ?'),
      putGroup: db.prepare(
        `INSERT OR REPLACE INTO snapshot_groups (snapshot_id, ${GROUP_COLUMNS}) VALUES (?, ${SNAPSHOT_GROUP_COLUMNS.map(() => '?').join(', ')})`,
      ),
      deleteOwnGroup: db.prepare('DELETE FROM snapshot_groups WHERE snapshot_id = ? AND id = ?'),
      deleteOwnMembers: db.prepare('DELETE FROM snapshot_memberships WHERE snapshot_id = ? AND group_id = ?'),
      insertMember: db.prepare(
        'INSERT OR IGNORE INTO snapshot_memberships (snapshot_id, group_id, member_id, member_type) VALUES (?, ?, ?, ?)',
      ),
      markGroupRemoved: db.prepare('INSERT OR IGNORE INTO snapshot_removed_groups (snapshot_id, id) VALUES (?, ?)'),
      unmarkGroupRemoved: db.prepare('DELETE FROM snapshot_removed_groups WHERE snapshot_id = ? AND id = ?'),
      members: db.prepare(
        `SELECT member_id AS id, member_type AS type FROM (${snapshotMembershipsSql('m.group_id, m.member_id, m.member_type')})
          WHERE group_id = @id`,
      ),
      setCounts: db.prepare('UPDATE snapshots SET user_count = ?, group_count = ? WHERE id = ?'),
    };
    const maxOrdinal = (table: string) =>
      (db.prepare(`SELECT max(ordinal) FROM ${table} WHERE snapshot_id IN (?, ?)`).pluck().get(snapshotId, base) as number | null) ?? -1;
    this.nextUserOrdinal = maxOrdinal('snapshot_users') + 1;
    this.nextGroupOrdinal = maxOrdinal('snapshot_groups') + 1;
  }

  /** Inserts the refreshed snapshot's row and carries its parent's own rows forward; call inside a transaction. */
  static begin(
    db: Database.Database,
    parent: SnapshotSummary,
    meta: { label: string; fetchedAt?: string; deltaState: DeltaState },
  ): SnapshotRefreshWriter {
    const parentBase = db.prepare('SELECT base_id FROM snapshots WHERE id = ?').pluck().get(parent.id) as number | null;
    const base = parentBase ?? parent.id;
    const info = db
      .prepare(
        `INSERT INTO snapshots (project_id, label, origin, tenant_name, fetched_at, user_count, group_count, parent_id, base_id, delta_state)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        parent.projectId,
        meta.label,
        parent.origin,
        parent.tenantName,
        meta.fetchedAt ?? new Date().toISOString(),
        parent.userCount,
        parent.groupCount,
        parent.id,
        base,
        JSON.stringify(meta.deltaState),
      );
    const snapshotId = Number(info.lastInsertRowid);
    if (parentBase !== null) for (const sql of CARRY_FORWARD) db.prepare(sql).run({ child: snapshotId, parent: parent.id });
    return new SnapshotRefreshWriter(db, snapshotId, base, parent);
  }

  private get base(): number {
    return this.layers.base!;
  }

  /** The user's Graph JSON as the refreshed snapshot has it so far. */
  getUser(id: string): Record<string, unknown> | undefined {
    const row = this.stmt.user.get({ ...this.layers, id }) as { raw: string } | undefined;
    return row && (JSON.parse(row.raw) as Record<string, unknown>);
  }

  /** Adds the user or replaces it, keeping its place in the snapshot's order. */
  putUser(raw: Record<string, unknown>, source: Record<string, unknown>): void {
    const id = String(raw.id);
    const existing = this.stmt.user.get({ ...this.layers, id }) as { ordinal: number } | undefined;
    // A user the base has but an earlier refresh removed comes back to its old place (no gap is left behind).
    const ordinal =
      existing?.ordinal ?? (this.stmt.baseOrdinal.get(this.base, id) as number | undefined) ?? this.nextUserOrdinal++;
    if (!existing) this.userCount++;
    // the snapshot's own earlier row of this user goes first (an id is not a unique key of snapshot_users)
    this.stmt.deleteOwnUser.run(this.snapshotId, id);
    this.stmt.putUser.run(this.snapshotId, ...snapshotUserColumns({ raw, source, ordinal }, ordinal));
    this.stmt.unmarkRemoved.run(this.snapshotId, id);
  }

  /** Removes the user (Graph's @removed with reason "deleted"); false when the snapshot did not have it. */
  removeUser(id: string): boolean {
    if (!this.stmt.user.get({ ...this.layers, id })) return false;
    this.stmt.deleteOwnUser.run(this.snapshotId, id);
    if (this.stmt.inBase.get(this.base, id)) this.stmt.markRemoved.run(this.snapshotId, id);
    this.userCount--;
    return true;
  }

  getGroup(id: string): { raw: Record<string, unknown>; members: { id: string; type: string }[] } | undefined {
    const row = this.stmt.group.get({ ...this.layers, id }) as { raw: string } | undefined;
    if (!row) return undefined;
    return { raw: JSON.parse(row.raw) as Record<string, unknown>, members: this.stmt.members.all({ ...this.layers, id }) as { id: string; type: string }[] };
  }

  /** Adds the group or replaces it with its whole member list (a group's members live in the same layer as its row). */
  putGroup(group: RefreshedGroup): void {
    const id = String(group.raw.id);
    const existing = this.stmt.group.get({ ...this.layers, id }) as { ordinal: number } | undefined;
    const ordinal = existing?.ordinal ?? this.nextGroupOrdinal++;
    if (!existing) this.groupCount++;
    this.stmt.putGroup.run(this.snapshotId, ...snapshotGroupColumns(group, ordinal));
    this.stmt.deleteOwnMembers.run(this.snapshotId, id);
    for (const member of group.members) this.stmt.insertMember.run(this.snapshotId, id, member.id, member.type);
    this.stmt.unmarkGroupRemoved.run(this.snapshotId, id);
  }

  removeGroup(id: string): boolean {
    if (!this.stmt.group.get({ ...this.layers, id })) return false;
    this.stmt.deleteOwnGroup.run(this.snapshotId, id);
    this.stmt.deleteOwnMembers.run(this.snapshotId, id);
    if (this.stmt.groupInBase.get(this.base, id)) this.stmt.markGroupRemoved.run(this.snapshotId, id);
    this.groupCount--;
    return true;
  }

  finish(): number {
    this.stmt.setCounts.run(this.userCount, this.groupCount, this.snapshotId);
    indexTenantUsers(this.db, this.snapshotId);
    return this.snapshotId;
  }
}
