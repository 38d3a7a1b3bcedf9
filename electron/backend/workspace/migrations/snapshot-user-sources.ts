import type Database from 'better-sqlite3';
import type { Migration } from './migration.ts';
import { inTempSchema } from './snapshot-delta.ts';

/** The workspace version of the users' sources in a table of their own (issue 18); the number lives here once. */
export const SNAPSHOT_USER_SOURCES_MIGRATION_VERSION = 13;

/**
 * A user's source JSON leaves snapshot_users for snapshot_user_sources, keyed like the user's row by (snapshot_id,
 * ordinal) and appended in that order: the preview reads only the sources, about two users a 4 KB page instead of one
 * ~3.3 KB row each with the Graph JSON beside it. A rowid table with an index rather than WITHOUT ROWID: an index
 * B-tree keeps at most about 1 KB of a row on its page, so most sources would spill to an overflow page each.
 * snapshot_users is copied without the column (as migration 10 did), so its rows get narrower too; the text, and so
 * source_digest, is unchanged.
 */
export const snapshotUserSourcesMigrations: Migration[] = [
  {
    version: SNAPSHOT_USER_SOURCES_MIGRATION_VERSION,
    name: "snapshot users' sources in a table of their own",
    up(db) {
      db.exec(`
        CREATE TABLE snapshot_user_sources (
          snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
          ordinal INTEGER NOT NULL,
          source TEXT NOT NULL
        ) STRICT;
        INSERT INTO snapshot_user_sources (snapshot_id, ordinal, source)
        SELECT snapshot_id, ordinal, source FROM snapshot_users ORDER BY snapshot_id, ordinal;
        CREATE UNIQUE INDEX snapshot_user_sources_order ON snapshot_user_sources(snapshot_id, ordinal);

        CREATE TABLE snapshot_users_v13 (
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
          raw TEXT NOT NULL
        ) STRICT;
        INSERT INTO snapshot_users_v13
               (snapshot_id, ordinal, id, source_digest, account_enabled, user_principal_name, display_name, mail,
                department, user_type, search_text, raw)
        SELECT snapshot_id, ordinal, id, source_digest, account_enabled, user_principal_name, display_name, mail,
               department, user_type, search_text, raw
          FROM snapshot_users ORDER BY snapshot_id, ordinal;
        DROP TABLE snapshot_users;
        ALTER TABLE snapshot_users_v13 RENAME TO snapshot_users;
        CREATE UNIQUE INDEX snapshot_users_order ON snapshot_users(snapshot_id, ordinal);
        CREATE INDEX snapshot_users_by_id ON snapshot_users(snapshot_id, id, source_digest, ordinal);
        CREATE INDEX snapshot_users_by_upn ON snapshot_users(user_principal_name COLLATE NOCASE);
      `);
    },
  },
];

/**
 * A workspace from before this version opened read-only is never migrated: its sources are still snapshot_users'
 * column, so the connection's temp schema shows them as snapshot_user_sources (a view, nothing copied or written).
 */
export function readOlderSourcesAsOwnTable(db: Database.Database): void {
  const names = (schema: string) => db.prepare(`SELECT 1 FROM ${schema}.sqlite_master WHERE name = 'snapshot_user_sources'`).get() !== undefined;
  if (names('main') || names('temp')) return;
  const hasSourceColumn = (db.pragma('table_info(snapshot_users)') as { name: string }[]).some((c) => c.name === 'source');
  if (!hasSourceColumn) return;
  inTempSchema(db, 'CREATE TEMP VIEW snapshot_user_sources AS SELECT snapshot_id, ordinal, source FROM main.snapshot_users');
}
