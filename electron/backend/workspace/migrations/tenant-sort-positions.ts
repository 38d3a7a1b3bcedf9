import type { Migration } from './migration.ts';

/** The workspace version of the Tenant table's sort orders keyed by position alone (issue 18); the number lives here once. */
export const TENANT_SORT_POSITIONS_MIGRATION_VERSION = 12;

/**
 * tenant_user_order keyed by (snapshot, column, position) alone, in one B-tree: migration 11 keyed it by the sort key
 * and kept a unique index on the position beside it, a second B-tree to write for every user of every snapshot (three
 * entries each) that no query seeks. The rows are copied in key order; no snapshot is read again.
 */
export const tenantSortPositionsMigrations: Migration[] = [
  {
    version: TENANT_SORT_POSITIONS_MIGRATION_VERSION,
    name: 'Tenant table: sort orders keyed by position',
    up(db) {
      db.exec(`
        CREATE TABLE tenant_user_order_v12 (
          snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
          sort_column INTEGER NOT NULL,
          position INTEGER NOT NULL,
          sort_key TEXT NOT NULL COLLATE NOCASE,
          ordinal INTEGER NOT NULL,
          account_enabled INTEGER,
          user_type TEXT,
          PRIMARY KEY (snapshot_id, sort_column, position)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO tenant_user_order_v12 (snapshot_id, sort_column, position, sort_key, ordinal, account_enabled, user_type)
        SELECT snapshot_id, sort_column, position, sort_key, ordinal, account_enabled, user_type
          FROM tenant_user_order ORDER BY snapshot_id, sort_column, position;
        DROP TABLE tenant_user_order;
        ALTER TABLE tenant_user_order_v12 RENAME TO tenant_user_order;
      `);
    },
  },
];
