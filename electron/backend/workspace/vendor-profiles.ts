import type Database from 'better-sqlite3';

/** A custom vendor profile as the workspace keeps it: the admin's JSON, validated again whenever it is read. */
interface StoredVendorProfile {
  id: string;
  name: string;
  profileJson: string;
  importedAt: string;
}

/**
 * The project's custom vendor profiles (migration v4). SQL lives here as statements prepared once. A workspace
 * opened read-only from before v4 has no table: it simply has no custom profile.
 */
export class VendorProfileStore {
  private readonly stmt;

  constructor(db: Database.Database) {
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'vendor_profiles'").get() !== undefined;
    this.stmt = hasTable
      ? {
          list: db.prepare(
            'SELECT id, name, profile_json AS profileJson, imported_at AS importedAt FROM vendor_profiles WHERE project_id = ? ORDER BY name, id',
          ),
          get: db.prepare('SELECT id, name, profile_json AS profileJson, imported_at AS importedAt FROM vendor_profiles WHERE project_id = ? AND id = ?'),
          upsert: db.prepare(
            `INSERT INTO vendor_profiles (project_id, id, name, profile_json, imported_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (project_id, id) DO UPDATE SET name = excluded.name, profile_json = excluded.profile_json, imported_at = excluded.imported_at`,
          ),
        }
      : null;
  }

  list(projectId: number): StoredVendorProfile[] {
    return (this.stmt?.list.all(projectId) as StoredVendorProfile[] | undefined) ?? [];
  }

  get(projectId: number, id: string): StoredVendorProfile | undefined {
    return this.stmt?.get.get(projectId, id) as StoredVendorProfile | undefined;
  }

  /** Adds the profile, or replaces the project's profile with the same id (a re-import of the admin's edited file). */
  save(projectId: number, profile: Omit<StoredVendorProfile, 'importedAt'>): StoredVendorProfile {
    if (!this.stmt) throw new Error('This workspace was opened read-only and predates custom vendor profiles');
    const importedAt = new Date().toISOString();
    this.stmt.upsert.run(projectId, profile.id, profile.name, profile.profileJson, importedAt);
    return { ...profile, importedAt };
  }
}
