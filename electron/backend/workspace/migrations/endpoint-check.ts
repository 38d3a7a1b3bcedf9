import type { Migration } from './migration.ts';

/**
 * The workspace version of the kept endpoint check. Areas built in parallel take versions in merge order, so the number
 * lives here once and nothing else repeats it.
 */
export const ENDPOINT_CHECK_MIGRATION_VERSION = 7;

/**
 * The project's last endpoint check run (issue 16), so the mapping report and the panel's exports can show it after
 * the app restarts and `scim-planner report --workspace` can include it. One row per project: a new run replaces it.
 */
export const endpointCheckMigrations: Migration[] = [
  {
    version: ENDPOINT_CHECK_MIGRATION_VERSION,
    name: 'the last endpoint check run of a project',
    up(db) {
      db.exec(`
        CREATE TABLE endpoint_check_runs (
          project_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
          run_id TEXT NOT NULL,
          target TEXT NOT NULL,
          started_at TEXT NOT NULL,
          -- the run as the API answers it (shared/api/endpoint-check.ts CheckResult), credentials already redacted
          result_json TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
];
