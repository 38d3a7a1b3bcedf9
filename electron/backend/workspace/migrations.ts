import type { Migration } from './migrations/migration.ts';
import { endpointCheckMigrations } from './migrations/endpoint-check.ts';
import { goLiveMigrations } from './migrations/go-live.ts';
import { logComparisonMigrations } from './migrations/log-comparisons.ts';
import { mockServerMigrations } from './migrations/mock-server.ts';
import { provisioningMigrations } from './migrations/provisioning.ts';
import { snapshotDeltaMigrations } from './migrations/snapshot-delta.ts';
import { snapshotLayoutMigrations } from './migrations/snapshot-layout.ts';
import { tenantSearchMigrations } from './migrations/tenant-search.ts';
import { tenantSortPositionsMigrations } from './migrations/tenant-sort-positions.ts';
import { synchronizationMigrations } from './migrations/synchronization.ts';
import { vendorMigrations } from './migrations/vendors.ts';

export type { Migration } from './migrations/migration.ts';

/** The workspace schema as an ordered list of migrations (./migrations/migration.ts); version 1 is the core. */
const coreMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'projects, directory snapshots, mapping revisions',
    up(db) {
      db.exec(`
        CREATE TABLE projects (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          vendor_id TEXT,
          created_at TEXT NOT NULL,
          settings TEXT NOT NULL DEFAULT '{}'
        ) STRICT;

        CREATE TABLE snapshots (
          id INTEGER PRIMARY KEY,
          project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
          label TEXT NOT NULL,
          origin TEXT NOT NULL CHECK (origin IN ('demo', 'graph', 'csv', 'json')),
          tenant_name TEXT,
          fetched_at TEXT NOT NULL,
          user_count INTEGER NOT NULL,
          group_count INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX snapshots_by_project ON snapshots(project_id);

        -- raw: the user exactly as Graph returned it; source: the derived provisioning object.
        -- Keeping both means a fix in the Graph -> source conversion never needs a refetch.
        CREATE TABLE snapshot_users (
          snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
          ordinal INTEGER NOT NULL,
          id TEXT NOT NULL,
          user_principal_name TEXT,
          display_name TEXT,
          mail TEXT,
          department TEXT,
          account_enabled INTEGER,
          user_type TEXT,
          search_text TEXT NOT NULL,
          raw TEXT NOT NULL,
          source TEXT NOT NULL,
          PRIMARY KEY (snapshot_id, id)
        ) STRICT, WITHOUT ROWID;
        CREATE UNIQUE INDEX snapshot_users_order ON snapshot_users(snapshot_id, ordinal);
        CREATE INDEX snapshot_users_by_upn ON snapshot_users(user_principal_name COLLATE NOCASE);

        CREATE TABLE snapshot_groups (
          snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
          ordinal INTEGER NOT NULL,
          id TEXT NOT NULL,
          display_name TEXT,
          raw TEXT NOT NULL,
          source TEXT NOT NULL,
          PRIMARY KEY (snapshot_id, id)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE snapshot_memberships (
          snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
          group_id TEXT NOT NULL,
          member_id TEXT NOT NULL,
          member_type TEXT NOT NULL,
          PRIMARY KEY (snapshot_id, group_id, member_id)
        ) STRICT, WITHOUT ROWID;

        -- The mapping set is stored as Graph's synchronization schema JSON (issue: preview engine).
        CREATE TABLE mapping_revisions (
          id INTEGER PRIMARY KEY,
          project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
          revision INTEGER NOT NULL,
          label TEXT NOT NULL,
          created_at TEXT NOT NULL,
          schema_json TEXT NOT NULL,
          UNIQUE (project_id, revision)
        ) STRICT;
      `);
    },
  },
];

/**
 * Area migrations live in ./migrations/<area>.ts (versions assigned in ./migrations/README.md); add
 * the area's array here when it first has one.
 */
export const migrations: readonly Migration[] = [...coreMigrations, ...mockServerMigrations, ...provisioningMigrations, ...synchronizationMigrations, ...vendorMigrations, ...goLiveMigrations, ...endpointCheckMigrations, ...logComparisonMigrations, ...snapshotDeltaMigrations, ...snapshotLayoutMigrations, ...tenantSearchMigrations, ...tenantSortPositionsMigrations].sort((a, b) => a.version - b.version);

export const LATEST_VERSION = migrations.reduce((latest, m) => Math.max(latest, m.version), 0);

export function assertMigrationOrder(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (i === 0 && m.version !== 1) throw new Error(`The first migration must be version 1, got ${m.version}`);
    if (i > 0 && m.version !== list[i - 1]!.version + 1) {
      throw new Error(`Migration ${m.name} (version ${m.version}) does not follow version ${list[i - 1]!.version} (versions are consecutive)`);
    }
  });
}
