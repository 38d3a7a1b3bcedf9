import type { Migration } from './migration.ts';

/**
 * The workspace version of the go-live backups. Areas built in parallel take versions in merge order, so the number
 * lives here once and nothing else repeats it.
 */
const GO_LIVE_MIGRATION_VERSION = 6;

/**
 * Backups of a provisioning job's live synchronization schema, taken before every apply and rollback (issue 15): kept
 * with the time, the tenant, the app (service principal) and the job, so a rollback can put one back exactly.
 */
export const goLiveMigrations: Migration[] = [
  {
    version: GO_LIVE_MIGRATION_VERSION,
    name: 'go-live schema backups',
    up(db) {
      db.exec(`
        CREATE TABLE go_live_backups (
          id INTEGER PRIMARY KEY,
          taken_at TEXT NOT NULL,
          tenant TEXT NOT NULL,
          service_principal_id TEXT NOT NULL,
          app_name TEXT,
          job_id TEXT NOT NULL,
          -- why it was taken: before an apply or before a rollback
          reason TEXT NOT NULL CHECK (reason IN ('apply', 'rollback')),
          -- the schema exactly as Graph returned it
          schema_json TEXT NOT NULL
        ) STRICT;
        CREATE INDEX go_live_backups_by_job ON go_live_backups(service_principal_id, job_id, id);
      `);
    },
  },
];
