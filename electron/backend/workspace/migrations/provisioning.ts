import type { Migration } from './migration.ts';

/**
 * Provisioning runs and their audit log (version 3, ./README.md), plus the state Entra keeps per target between cycles:
 * links (source object → target id), escrowed failures and quarantine (Microsoft Learn "How Application Provisioning
 * works"; Microsoft Learn "Application provisioning in quarantine status"). A target is identified by its SCIM base URL
 * (the Tenant URL without flags), folded to lower case.
 */
export const provisioningMigrations: Migration[] = [
  {
    version: 3,
    name: 'provisioning runs, audit log, links, escrow and quarantine',
    up(db) {
      db.exec(`
        CREATE TABLE provisioning_runs (
          id INTEGER PRIMARY KEY,
          project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
          kind TEXT NOT NULL CHECK (kind IN ('initial', 'incremental', 'on-demand')),
          target_key TEXT NOT NULL,
          target_url TEXT NOT NULL,
          dialect TEXT NOT NULL,
          dry_run INTEGER NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'cancelled', 'failed', 'quarantined')),
          started_at TEXT NOT NULL,
          finished_at TEXT,
          -- CycleSummary as JSON (created, updated, disabled, failed, duration …), null while running
          summary TEXT
        ) STRICT;
        CREATE INDEX provisioning_runs_by_project ON provisioning_runs(project_id, id);

        -- one row per object per cycle, like a row of Entra's provisioning logs; steps holds the
        -- Entra-like steps with every request and response (tokens redacted)
        CREATE TABLE provisioning_audit (
          id INTEGER PRIMARY KEY,
          run_id INTEGER NOT NULL REFERENCES provisioning_runs(id) ON DELETE CASCADE,
          seq INTEGER NOT NULL,
          object_type TEXT NOT NULL CHECK (object_type IN ('User', 'Group')),
          source_id TEXT NOT NULL,
          label TEXT NOT NULL,
          action TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('success', 'failure', 'skipped')),
          reason TEXT,
          error_code TEXT,
          target_id TEXT,
          started_ms INTEGER NOT NULL,
          duration_ms REAL NOT NULL,
          search_text TEXT NOT NULL,
          steps TEXT NOT NULL,
          UNIQUE (run_id, seq)
        ) STRICT;
        CREATE INDEX provisioning_audit_by_status ON provisioning_audit(run_id, status, seq);

        CREATE TABLE provisioning_links (
          project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
          target_key TEXT NOT NULL,
          object_type TEXT NOT NULL CHECK (object_type IN ('User', 'Group')),
          source_id TEXT NOT NULL,
          target_id TEXT NOT NULL,
          resource TEXT NOT NULL,
          source TEXT NOT NULL,
          members TEXT,
          PRIMARY KEY (project_id, target_key, object_type, source_id)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE provisioning_escrow (
          project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
          target_key TEXT NOT NULL,
          object_type TEXT NOT NULL CHECK (object_type IN ('User', 'Group')),
          source_id TEXT NOT NULL,
          first_failed_at TEXT NOT NULL,
          attempts INTEGER NOT NULL,
          error_code TEXT NOT NULL,
          message TEXT NOT NULL,
          PRIMARY KEY (project_id, target_key, object_type, source_id)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE provisioning_quarantine (
          project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
          target_key TEXT NOT NULL,
          reason TEXT NOT NULL,
          since TEXT NOT NULL,
          detail TEXT NOT NULL,
          PRIMARY KEY (project_id, target_key)
        ) STRICT, WITHOUT ROWID;
      `);
    },
  },
];
