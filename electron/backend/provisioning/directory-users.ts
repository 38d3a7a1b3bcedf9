/**
 * The users a provisioning cycle reads, in batches: a workspace snapshot is read in ordinal ranges (each batch
 * previewed, sent, audited and forgotten), so a million-user tenant never sits in memory as JavaScript objects; a
 * users file already in memory (the CLI, tests) reads through the same interface.
 */
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { layerParams, snapshotLayers, snapshotUsersSql, snapshotUserValueSql } from '../workspace/snapshot-rows.ts';
import type { WorkspaceStore } from '../workspace/store.ts';

/** Users read per batch: large enough to amortise the query, small enough to keep a batch's previews cheap. */
export const USER_BATCH = 1_000;

export interface DirectoryUsers {
  readonly count: number;
  /** every user, in the snapshot's order, a batch at a time */
  batches(): Iterable<readonly SourceObject[]>;
  /** a user by object id or, failing that, by userPrincipalName (case-insensitive, as Entra compares UPNs) */
  find(ref: string): SourceObject | undefined;
  /** a user by object id only */
  byId(id: string): SourceObject | undefined;
  /** whether a user with this object id is in the directory */
  has(id: string): boolean;
}

const idOf = (source: SourceObject) => String(source.objectId ?? '');

/** Users already in memory (a users file). */
function arrayUsers(users: readonly SourceObject[]): DirectoryUsers {
  let byId: Map<string, SourceObject> | null = null;
  const index = () => (byId ??= new Map(users.map((u) => [idOf(u), u])));
  return {
    count: users.length,
    *batches() {
      for (let start = 0; start < users.length; start += USER_BATCH) yield users.slice(start, start + USER_BATCH);
    },
    find(ref) {
      const wanted = ref.toLowerCase();
      return index().get(ref) ?? users.find((u) => String(u.userPrincipalName ?? '').toLowerCase() === wanted);
    },
    byId: (id) => index().get(id),
    has: (id) => index().has(id),
  };
}

/** Either form a caller holds, as the reader the cycle uses. */
export function directoryUsers(users: readonly SourceObject[] | DirectoryUsers): DirectoryUsers {
  return Array.isArray(users) ? arrayUsers(users as readonly SourceObject[]) : (users as DirectoryUsers);
}

/** Every user of a reader in one array: only for the paths that still compare two whole snapshots. */
export function allUsers(users: DirectoryUsers): SourceObject[] {
  const all: SourceObject[] = [];
  for (const batch of users.batches()) all.push(...batch);
  return all;
}

/** A workspace snapshot's users (its own rows and those it shares with its base), read by ordinal ranges. */
export function snapshotUsers(store: WorkspaceStore, snapshotId: number): DirectoryUsers {
  const db = store.db;
  const params = layerParams(snapshotLayers(db, snapshotId));
  const count = (db.prepare(`SELECT count(*) AS n FROM (${snapshotUsersSql('u.id')})`).get(params) as { n: number }).n;
  // Keyset paging on (ordinal, id): each batch is an index range, whatever the offset.
  const page = db.prepare(
    `SELECT * FROM (${snapshotUsersSql('u.ordinal AS ordinal, u.id AS id, u.source AS source', '(u.ordinal > @ordinal OR (u.ordinal = @ordinal AND u.id > @id))')})
      ORDER BY ordinal, id LIMIT @limit`,
  );
  // by object id only: the source column alone, not Graph's JSON
  const sourceById = db.prepare(`SELECT ${snapshotUserValueSql('source', '@id')} AS source`);
  const idById = db.prepare(`SELECT ${snapshotUserValueSql('id', '@id')} AS id`);
  return {
    count,
    *batches() {
      let after = { ordinal: -1, id: '' };
      for (;;) {
        const rows = page.all({ ...params, ...after, limit: USER_BATCH }) as { ordinal: number; id: string; source: string }[];
        if (rows.length === 0) return;
        const last = rows[rows.length - 1]!;
        after = { ordinal: last.ordinal, id: last.id };
        yield rows.map((row) => JSON.parse(row.source) as SourceObject);
        if (rows.length < USER_BATCH) return;
      }
    },
    find: (ref) => store.getUser(snapshotId, ref)?.source as SourceObject | undefined,
    byId: (id) => {
      const source = (sourceById.get({ ...params, id }) as { source: string | null }).source;
      return source === null ? undefined : (JSON.parse(source) as SourceObject);
    },
    has: (id) => (idById.get({ ...params, id }) as { id: string | null }).id !== null,
  };
}
