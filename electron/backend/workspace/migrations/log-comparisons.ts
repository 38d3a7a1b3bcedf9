import type { Migration } from './migration.ts';

/**
 * The workspace version of the kept logs comparisons. Areas built in parallel take versions in merge order, so the
 * number lives here once and nothing else repeats it (./README.md).
 */
export const LOG_COMPARISONS_VERSION = 8;

/**
 * Planned vs actual (issue 14): each comparison of Entra's provisioning logs with the plan, with where the logs came
 * from, the revision and snapshot compared, and its differences and failure groups, so reopening the workspace shows
 * the last one. Bounded per project by the store (synchronization/log-store.ts).
 */
export const logComparisonMigrations: Migration[] = [
  {
    version: LOG_COMPARISONS_VERSION,
    name: 'provisioning-log comparisons (planned vs actual) per project',
    up(db) {
      db.exec(`
        CREATE TABLE log_comparisons (
          id INTEGER PRIMARY KEY,
          project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
          compared_at TEXT NOT NULL,
          -- {kind: 'graph', servicePrincipalId, jobId, since} or {kind: 'file', fileNames}
          source TEXT NOT NULL,
          revision INTEGER NOT NULL,
          -- the snapshot may be deleted later: its id and label stay as they were
          snapshot_id INTEGER NOT NULL,
          snapshot_label TEXT NOT NULL,
          -- 0 when the Graph read was cancelled: the comparison covers the entries read before
          complete INTEGER NOT NULL CHECK (complete IN (0, 1)),
          -- {entries, matched, agreed, unmatched, skipped}
          summary TEXT NOT NULL,
          differences TEXT NOT NULL,
          failures TEXT NOT NULL
        ) STRICT;
        CREATE INDEX log_comparisons_by_project ON log_comparisons(project_id, id);
      `);
    },
  },
];
