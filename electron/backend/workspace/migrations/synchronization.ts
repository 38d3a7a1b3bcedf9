import type { Migration } from './migration.ts';

/**
 * Checks against Microsoft (issue 14): each expression check kept per mapping revision, with every row and user's
 * verdict, so the Mappings screen can say "checked with Microsoft: agrees on N users" for the revision it shows.
 * The version is one constant: areas built in parallel are renumbered at merge (./README.md).
 */
export const SYNCHRONIZATION_CHECKS_VERSION = 4;

export const synchronizationMigrations: Migration[] = [
  {
    version: SYNCHRONIZATION_CHECKS_VERSION,
    name: 'expression checks against Microsoft Graph parseExpression, per mapping revision',
    up(db) {
      db.exec(`
        CREATE TABLE expression_checks (
          id INTEGER PRIMARY KEY,
          mapping_revision_id INTEGER NOT NULL REFERENCES mapping_revisions(id) ON DELETE CASCADE,
          service_principal_id TEXT NOT NULL,
          job_id TEXT NOT NULL,
          checked_at TEXT NOT NULL,
          -- 0 when the admin cancelled: the rows are what was checked before
          complete INTEGER NOT NULL CHECK (complete IN (0, 1)),
          -- rows the check did not send, and why (JSON array of {targetAttribute, reason})
          skipped TEXT NOT NULL DEFAULT '[]'
        ) STRICT;
        CREATE INDEX expression_checks_by_revision ON expression_checks(mapping_revision_id, id);

        CREATE TABLE expression_check_rows (
          check_id INTEGER NOT NULL REFERENCES expression_checks(id) ON DELETE CASCADE,
          seq INTEGER NOT NULL,
          target_attribute TEXT NOT NULL,
          expression TEXT NOT NULL,
          user_id TEXT NOT NULL,
          user_principal_name TEXT,
          verdict TEXT NOT NULL CHECK (verdict IN ('agree', 'differ', 'entra-refused', 'ours-refused', 'both-refused')),
          -- {ok, value, error} and {parsingSucceeded, evaluationSucceeded, value, error} as JSON
          ours TEXT NOT NULL,
          entra TEXT NOT NULL,
          attributes TEXT NOT NULL,
          PRIMARY KEY (check_id, seq)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX expression_check_rows_by_attribute ON expression_check_rows(check_id, target_attribute, verdict);
      `);
    },
  },
];
