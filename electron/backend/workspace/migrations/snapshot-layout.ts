import type Database from 'better-sqlite3';
import type { Migration } from './migration.ts';
import { inTempSchema, lacksSnapshotsColumn, readOlderSnapshotsAsWhole } from './snapshot-delta.ts';
import { sourceDigest } from '../snapshot-rows.ts';

/** The workspace version of the append-ordered snapshot_users with a source digest (issue 18); the number lives here once. */
export const SNAPSHOT_LAYOUT_MIGRATION_VERSION = 10;

/**
 * snapshot_users becomes a rowid table whose rows a writer appends in snapshot and ordinal order (a million-user write
 * no longer inserts 3-4 KB rows at random places of a B-tree keyed on GUIDs), narrow columns first and the raw and
 * source JSON last, so a read of the narrow columns stops before the overflow pages. `source_digest` (snapshot-rows.ts)
 * and the ordinal sit in the index on (snapshot_id, id), so snapshot compare finds the added, removed and changed users
 * from that index alone.
 * Existing rows are copied in that order with their digests. `snapshots.writer_pid` names the process still writing
 * a snapshot in steps (snapshot-writer.ts); NULL once complete, and only complete snapshots are read.
 */
export const snapshotLayoutMigrations: Migration[] = [
  {
    version: SNAPSHOT_LAYOUT_MIGRATION_VERSION,
    name: 'snapshot users appended in order, with a digest of their source',
    up(db) {
      db.function('scim_planner_source_digest', { deterministic: true }, (source) => sourceDigest(String(source)));
      db.exec(`
        ALTER TABLE snapshots ADD COLUMN writer_pid INTEGER;

        CREATE TABLE snapshot_users_v10 (
          snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
          ordinal INTEGER NOT NULL,
          id TEXT NOT NULL,
          -- NULL only for a row written without one: compare then reads its source text
          source_digest INTEGER,
          account_enabled INTEGER,
          user_principal_name TEXT,
          display_name TEXT,
          mail TEXT,
          department TEXT,
          user_type TEXT,
          search_text TEXT NOT NULL,
          raw TEXT NOT NULL,
          source TEXT NOT NULL
        ) STRICT;
        INSERT INTO snapshot_users_v10
               (snapshot_id, ordinal, id, source_digest, account_enabled, user_principal_name, display_name, mail,
                department, user_type, search_text, raw, source)
        SELECT snapshot_id, ordinal, id, scim_planner_source_digest(source), account_enabled, user_principal_name,
               display_name, mail, department, user_type, search_text, raw, source
          FROM snapshot_users ORDER BY snapshot_id, ordinal;
        DROP TABLE snapshot_users;
        ALTER TABLE snapshot_users_v10 RENAME TO snapshot_users;
        CREATE UNIQUE INDEX snapshot_users_order ON snapshot_users(snapshot_id, ordinal);
        -- an id appears once per snapshot: the writers check it once a snapshot is written (a unique index of its own
        -- would be one more B-tree to insert into at random)
        CREATE INDEX snapshot_users_by_id ON snapshot_users(snapshot_id, id, source_digest, ordinal);
        CREATE INDEX snapshot_users_by_upn ON snapshot_users(user_principal_name COLLATE NOCASE);
      `);
    },
  },
];

/**
 * A workspace from before this version opened read-only is never migrated: its snapshots are all complete, so the
 * connection's temp schema shadows `snapshots` with writer_pid NULL (as readOlderSnapshotsAsWhole does for version 9),
 * and every reader keeps one SQL shape. Nothing is written to the file.
 */
function readOlderSnapshotsAsComplete(db: Database.Database): void {
  if (!lacksSnapshotsColumn(db, 'writer_pid')) return;
  const shadowed = db.prepare("SELECT 1 FROM temp.sqlite_master WHERE name = 'snapshots'").get() !== undefined;
  inTempSchema(db, shadowed ? 'ALTER TABLE temp.snapshots ADD COLUMN writer_pid INTEGER' : 'CREATE TEMP TABLE snapshots AS SELECT *, NULL AS writer_pid FROM main.snapshots');
}

/** Every shim a read-only connection to an older workspace needs, in version order: one call for every reader. */
export function readOlderSnapshotsAsCurrent(db: Database.Database): void {
  readOlderSnapshotsAsWhole(db);
  readOlderSnapshotsAsComplete(db);
}
