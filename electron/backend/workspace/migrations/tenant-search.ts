import type { Migration } from './migration.ts';
import { SPAN, indexTenantUsers } from '../tenant-users.ts';

/** The workspace version of the Tenant table's search, sort and filter indexes (issue 18); the number lives here once. */
export const TENANT_SEARCH_MIGRATION_VERSION = 11;

/**
 * Migration 11's tables as it shipped (migration 12 re-keys tenant_user_order). tenant_user_order holds, per sortable
 * column, each own user's key (an empty key for none: a primary key cannot be NULL), ordinal and filtered columns in
 * sort order: written sorted, by one INSERT … SELECT per snapshot, it costs a write far less than indexes on
 * snapshot_users kept up row by row.
 */
const TENANT_SEARCH_SCHEMA = `
  CREATE VIRTUAL TABLE tenant_user_words USING fts5(
    words, facets, content='', contentless_delete=1, detail=column, tokenize='unicode61 remove_diacritics 2'
  );
  -- a snapshot's words go with it (a contentless index has no foreign key to cascade)
  CREATE TRIGGER tenant_user_words_of_deleted_snapshot AFTER DELETE ON snapshots BEGIN
    DELETE FROM tenant_user_words WHERE rowid >= old.id * ${SPAN} AND rowid < (old.id + 1) * ${SPAN};
  END;
  CREATE TABLE tenant_user_order (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
    sort_column INTEGER NOT NULL,
    sort_key TEXT NOT NULL COLLATE NOCASE,
    ordinal INTEGER NOT NULL,
    -- the row's place in this order, 0..n-1: a whole snapshot's sorted page is a range of positions
    position INTEGER NOT NULL,
    account_enabled INTEGER,
    user_type TEXT,
    PRIMARY KEY (snapshot_id, sort_column, sort_key, ordinal)
  ) STRICT, WITHOUT ROWID;
  CREATE UNIQUE INDEX tenant_user_order_by_position ON tenant_user_order(snapshot_id, sort_column, position);
`;

/**
 * The Tenant table at a million users: a word index of every snapshot's own user rows (tenant-users.ts) and indexes
 * for the sortable columns. Snapshots already in the workspace are indexed here, one INSERT … SELECT each.
 */
export const tenantSearchMigrations: Migration[] = [
  {
    version: TENANT_SEARCH_MIGRATION_VERSION,
    name: 'Tenant table: word search, sortable columns and filters',
    up(db) {
      db.exec(TENANT_SEARCH_SCHEMA);
      const snapshots = db.prepare('SELECT id FROM snapshots ORDER BY id').pluck().all() as number[];
      for (const id of snapshots) indexTenantUsers(db, id);
    },
  },
];
