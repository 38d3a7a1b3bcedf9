import type { Migration } from './migration.ts';

/**
 * The mock SCIM server's state (version 2, ./README.md): users and groups as the emulated vendor holds
 * them, group memberships as rows, the capped request log, and settings (the Secret Token). Every
 * statement is IF NOT EXISTS because it is also version 1 of the CLI's own database, which adopts files
 * made before it had versions (electron/backend/mock-server/database.ts).
 */
export const mockServerMigrations: Migration[] = [
  {
    version: 2,
    name: 'mock SCIM server state and request log',
    up(db) {
      db.exec(`
        -- resource: the JSON the vendor holds; the *_key columns are what Entra matches on (Microsoft Learn
        -- "Customize user provisioning attribute-mappings", "Matching users in the source and target systems"),
        -- folded to lower case where SCIM compares case-insensitively, so a match is one index lookup.
        CREATE TABLE IF NOT EXISTS mock_users (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          user_name_key TEXT NOT NULL UNIQUE,
          external_id TEXT,
          work_email_key TEXT,
          resource TEXT NOT NULL
        ) STRICT;
        CREATE INDEX IF NOT EXISTS mock_users_external_id ON mock_users(external_id);
        CREATE INDEX IF NOT EXISTS mock_users_work_email ON mock_users(work_email_key);

        CREATE TABLE IF NOT EXISTS mock_groups (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          display_name_key TEXT NOT NULL,
          external_id TEXT,
          resource TEXT NOT NULL
        ) STRICT;
        CREATE INDEX IF NOT EXISTS mock_groups_display_name ON mock_groups(display_name_key);
        CREATE INDEX IF NOT EXISTS mock_groups_external_id ON mock_groups(external_id);

        -- one row per membership, so a membership PATCH on a large group writes only what changed
        CREATE TABLE IF NOT EXISTS mock_group_members (
          group_id TEXT NOT NULL,
          value TEXT NOT NULL,
          position INTEGER NOT NULL,
          member TEXT NOT NULL,
          PRIMARY KEY (group_id, value)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS mock_group_members_value ON mock_group_members(value);

        CREATE TABLE IF NOT EXISTS mock_request_log (
          seq INTEGER PRIMARY KEY,
          at TEXT NOT NULL,
          method TEXT NOT NULL,
          path TEXT NOT NULL,
          status INTEGER NOT NULL,
          duration_ms REAL NOT NULL,
          request_body TEXT,
          response_body TEXT,
          rule TEXT
        ) STRICT;

        CREATE TABLE IF NOT EXISTS mock_settings (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
];
