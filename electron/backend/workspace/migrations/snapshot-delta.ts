import type { Migration } from './migration.ts';

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
