/**
 * The one definition of which stored rows make up a snapshot (migration snapshot-delta.ts): a snapshot's own rows,
 * then the rows of its base that it neither replaced nor removed. Every reader (the Tenant table, the preview's
 * snapshot reader, snapshot compare) builds its SQL from these fragments, so a refreshed snapshot reads whole.
 *
 * The fragments take named parameters `@{p}own` and `@{p}base` (p: a prefix, so one statement can read two snapshots);
 * a whole snapshot binds base to null, which matches no row. Both arms read the primary key (snapshot_id, id) or the
 * ordinal index, so an ORDER BY over the UNION ALL is a merge of two ordered scans, not a sort.
 */
import type Database from 'better-sqlite3';

/** A snapshot's own id and the base whose rows it shares (null: a whole snapshot). */
export interface SnapshotLayers {
  own: number;
  base: number | null;
}

/** The base of a snapshot as stored; a snapshot that does not exist reads as a whole one with no rows. */
export function snapshotLayers(db: Database.Database, snapshotId: number): SnapshotLayers {
  const row = db.prepare('SELECT base_id AS base FROM snapshots WHERE id = ?').get(snapshotId) as { base: number | null } | undefined;
  return { own: snapshotId, base: row?.base ?? null };
}

/** The named parameters of a fragment built with prefix `p`. */
export function layerParams(layers: SnapshotLayers, p = ''): Record<string, number | null> {
  return { [`${p}own`]: layers.own, [`${p}base`]: layers.base };
}

const notReplaced = (table: 'users' | 'groups', alias: string, p: string) =>
  `NOT EXISTS (SELECT 1 FROM snapshot_${table} o WHERE o.snapshot_id = @${p}own AND o.id = ${alias}.id)
   AND NOT EXISTS (SELECT 1 FROM snapshot_removed_${table} r WHERE r.snapshot_id = @${p}own AND r.id = ${alias}.id)`;

/**
 * `SELECT <columns> FROM snapshot_users u WHERE <where>` over a snapshot's rows, as one compound select; `columns` and
 * `where` name the table `u`. Append `ORDER BY <result column> LIMIT ...` to the result.
 */
export function snapshotUsersSql(columns: string, where = 'TRUE', p = ''): string {
  return `SELECT ${columns} FROM snapshot_users u WHERE u.snapshot_id = @${p}own AND (${where})
          UNION ALL
          SELECT ${columns} FROM snapshot_users u WHERE u.snapshot_id = @${p}base AND (${where}) AND ${notReplaced('users', 'u', p)}`;
}

/** The same for groups (`g`). */
export function snapshotGroupsSql(columns: string, where = 'TRUE', p = ''): string {
  return `SELECT ${columns} FROM snapshot_groups g WHERE g.snapshot_id = @${p}own AND (${where})
          UNION ALL
          SELECT ${columns} FROM snapshot_groups g WHERE g.snapshot_id = @${p}base AND (${where}) AND ${notReplaced('groups', 'g', p)}`;
}

/**
 * A scalar subquery: the `column` of the user with id `idExpr` in the snapshot, or NULL when it has none. Its own row
 * wins over the base's.
 */
export function snapshotUserValueSql(column: string, idExpr: string, p = ''): string {
  return `COALESCE(
            (SELECT x.${column} FROM snapshot_users x WHERE x.snapshot_id = @${p}own AND x.id = ${idExpr}),
            (SELECT x.${column} FROM snapshot_users x WHERE x.snapshot_id = @${p}base AND x.id = ${idExpr}
                AND NOT EXISTS (SELECT 1 FROM snapshot_removed_users r WHERE r.snapshot_id = @${p}own AND r.id = ${idExpr})))`;
}

/** The memberships of the snapshot's groups: a group's members come from the same layer as the group's row (`m`). */
export function snapshotMembershipsSql(columns: string, p = ''): string {
  return `SELECT ${columns} FROM snapshot_memberships m WHERE m.snapshot_id = @${p}own
          UNION ALL
          SELECT ${columns} FROM snapshot_memberships m WHERE m.snapshot_id = @${p}base
             AND NOT EXISTS (SELECT 1 FROM snapshot_groups o WHERE o.snapshot_id = @${p}own AND o.id = m.group_id)
             AND NOT EXISTS (SELECT 1 FROM snapshot_removed_groups r WHERE r.snapshot_id = @${p}own AND r.id = m.group_id)`;
}

/** One user as a snapshot stores it: Graph's JSON and the derived provisioning source object. */
export interface SnapshotUserInput {
  raw: Record<string, unknown>;
  source: Record<string, unknown>;
  /** the user's place in the snapshot when users arrive out of order (a CSV row waiting for its manager); default: arrival order */
  ordinal?: number;
  /** `raw` as JSON text when the reader already holds it (a compact users file), stored instead of serialising raw */
  rawJson?: string;
}
/** One group as a snapshot stores it, with its direct members. */
export interface SnapshotGroupInput {
  raw: Record<string, unknown>;
  source: Record<string, unknown>;
  members: readonly { id: string; type: string }[];
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * A user's source JSON as a 53-bit digest (a safe JavaScript integer, stored as SQLite INTEGER): snapshot compare reads
 * it from an index and opens the JSON only where two digests differ. Two 32-bit FNV-1a-style lanes over the UTF-16
 * code units: node:crypto would first encode the (mostly two-byte) string as UTF-8, five times slower at a million
 * users. Compare is about the source object, the attributes Entra provisions from, so the raw JSON is left out.
 */
export function sourceDigest(sourceJson: string): number {
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x5bd1e995 | 0;
  for (let i = 0; i < sourceJson.length; i++) {
    const c = sourceJson.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
  }
  return (h1 & 0x1fffff) * 0x100000000 + (h2 >>> 0);
}

/** snapshot_users' columns after snapshot_id, in the order snapshotUserColumns gives their values. */
export const SNAPSHOT_USER_COLUMNS = [
  'ordinal', 'id', 'source_digest', 'user_principal_name', 'display_name', 'mail', 'department',
  'account_enabled', 'user_type', 'search_text', 'raw', 'source',
] as const;
/** snapshot_groups' columns after snapshot_id, in the order snapshotGroupColumns gives their values. */
export const SNAPSHOT_GROUP_COLUMNS = ['ordinal', 'id', 'display_name', 'raw', 'source'] as const;

/** A user's column values (SNAPSHOT_USER_COLUMNS), as snapshotUserColumns gives them. */
export type SnapshotUserRow = (string | number | null)[];

/** Each user's column values, in order (`arrival` counts from 0). */
export function* userColumns(users: Iterable<SnapshotUserInput>): Generator<SnapshotUserRow> {
  let arrival = 0;
  for (const user of users) yield snapshotUserColumns(user, arrival++);
}

/**
 * A snapshot user's column values (SNAPSHOT_USER_COLUMNS) from Graph's JSON: one derivation for every writer (a whole
 * snapshot, the staged fetch, a refresh). `arrival` is the ordinal when the input names none; a user without an id is
 * refused by its place.
 */
export function snapshotUserColumns({ raw, source, ordinal, rawJson }: SnapshotUserInput, arrival: number): SnapshotUserRow {
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
  const sourceJson = JSON.stringify(source);
  return [
    ordinal ?? arrival,
    userId,
    sourceDigest(sourceJson),
    upn,
    displayName,
    mail,
    text(raw.department),
    enabled,
    text(raw.userType),
    searchText,
    rawJson ?? JSON.stringify(raw),
    sourceJson,
  ];
}

/** A snapshot group's column values (SNAPSHOT_GROUP_COLUMNS). */
export function snapshotGroupColumns({ raw, source }: Omit<SnapshotGroupInput, 'members'>, ordinal: number): (string | number | null)[] {
  const groupId = text(raw.id);
  if (!groupId) throw new Error(`Group number ${ordinal + 1} of the snapshot has no id`);
  return [ordinal, groupId, text(raw.displayName), JSON.stringify(raw), JSON.stringify(source)];
}
