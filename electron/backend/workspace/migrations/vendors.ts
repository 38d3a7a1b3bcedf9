import type { Migration } from './migration.ts';

/**
 * The project's vendor profiles (version 5, ./README.md): custom profiles an admin imported or drafted, kept per
 * project beside the built-in ones so the project's vendor (projects.vendor_id, since version 1) can name either.
 * The profile is stored as the admin's JSON in the vendor profile format; it is validated again when read.
 */
export const vendorMigrations: Migration[] = [
  {
    version: 5,
    name: 'custom vendor profiles of a project',
    up(db) {
      db.exec(`
        CREATE TABLE vendor_profiles (
          project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
          id TEXT NOT NULL,
          name TEXT NOT NULL,
          profile_json TEXT NOT NULL,
          imported_at TEXT NOT NULL,
          PRIMARY KEY (project_id, id)
        ) STRICT, WITHOUT ROWID;
      `);
    },
  },
];
