import type { Migration } from './migration.ts';
import { TENANT_SEARCH_SCHEMA, indexTenantUsers } from '../tenant-users.ts';

/** The workspace version of the Tenant table's search, sort and filter indexes (issue 18); the number lives here once. */
export const TENANT_SEARCH_MIGRATION_VERSION = 11;

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
