import type { Migration } from './migration.ts';
import type Database from 'better-sqlite3';

/** The workspace version of refreshable snapshots (issue 18); the number lives here once. */
export const SNAPSHOT_DELTA_MIGRATION_VERSION = 9;

/**
 * Snapshots refreshed with Graph delta store only what changed (docs/architecture.md, "Data"): a refreshed snapshot
 * names its `base_id`, a whole snapshot whose rows it shares, and holds its own rows for the users and groups added or
 * changed since, plus the ids the base has that it no longer has (snapshot_removed_*). A whole snapshot has no base.
 * A base the admin deletes while refreshed snapshots still share its rows is kept out of sight (`retained`) until
 * the last of them goes. Existing snapshots are whole: nothing is rewritten.
 */
export const snapshotDeltaMigrations: Migration[] = [
  {
    version: SNAPSHOT_DELTA_MIGRATION_VERSION,
    name: 'refreshable snapshots: delta links, shared rows of a base snapshot',
    up(db) {
      db.exec(`
        ALTER TABLE snapshots ADD COLUMN parent_id INTEGER;
        ALTER TABLE snapshots ADD COLUMN base_id INTEGER;
        ALTER TABLE snapshots ADD COLUMN retained INTEGER NOT NULL DEFAULT 0;
        -- {"users": deltaLink, "groups": deltaLink, "directoryExtensions": [...]}: tenant data, never a token
        ALTER TABLE snapshots ADD COLUMN delta_state TEXT;
        CREATE INDEX snapshots_by_base ON snapshots(base_id) WHERE base_id IS NOT NULL;

        CREATE TABLE snapshot_removed_users (
          snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
          id TEXT NOT NULL,
          PRIMARY KEY (snapshot_id, id)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE snapshot_removed_groups (
          snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
          id TEXT NOT NULL,
          PRIMARY KEY (snapshot_id, id)
        ) STRICT, WITHOUT ROWID;
      `);
    },
  },
];

/**
 * A workspace from before this version, opened read-only (e.g. `report --workspace`), is never migrated: shadow its
 * snapshots (a row per snapshot, copied) with the layout above in the connection's temp schema (SQLite looks in temp
 * before main), so every reader keeps one SQL shape and sees each old snapshot as a whole one. Nothing is written to
 * the file.
 */
export function readOlderSnapshotsAsWhole(db: Database.Database): void {
  if (!lacksSnapshotsColumn(db, 'base_id')) return;
  inTempSchema(db, `
    CREATE TEMP TABLE snapshots AS
      SELECT *, NULL AS parent_id, NULL AS base_id, 0 AS retained, NULL AS delta_state FROM main.snapshots;
    CREATE TEMP TABLE snapshot_removed_users (snapshot_id INTEGER NOT NULL, id TEXT NOT NULL, PRIMARY KEY (snapshot_id, id)) WITHOUT ROWID;
    CREATE TEMP TABLE snapshot_removed_groups (snapshot_id INTEGER NOT NULL, id TEXT NOT NULL, PRIMARY KEY (snapshot_id, id)) WITHOUT ROWID;
  `);
}

/** True when `snapshots`, as readers see it (a temp shadow first), exists without `column`: an older workspace to shim. */
export function lacksSnapshotsColumn(db: Database.Database, column: string): boolean {
  const columns = new Set((db.pragma('table_info(snapshots)') as { name: string }[]).map((c) => c.name));
  return columns.size > 0 && !columns.has(column);
}

/** Runs a shim's statements in the connection's temp schema: a read-only open sets query_only, which forbids temp objects too; they live in memory, not in the file. */
export function inTempSchema(db: Database.Database, sql: string): void {
  const queryOnly = db.pragma('query_only', { simple: true }) === 1;
  if (queryOnly) db.pragma('query_only = OFF');
  try {
    db.exec(sql);
  } finally {
    if (queryOnly) db.pragma('query_only = ON');
  }
}
