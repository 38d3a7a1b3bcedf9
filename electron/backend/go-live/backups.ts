/**
 * Schema backups in the workspace (migration ../workspace/migrations/go-live.ts): the live schema exactly as Graph
 * returned it, taken before every apply and rollback, listed per app and job. SQL lives here, prepared once.
 */
import type Database from 'better-sqlite3';

export interface BackupRecord {
  id: number;
  takenAt: string;
  tenant: string;
  servicePrincipalId: string;
  appName: string | null;
  jobId: string;
  reason: 'apply' | 'rollback';
}

interface NewBackup extends Omit<BackupRecord, 'id' | 'takenAt'> {
  schema: unknown;
  takenAt?: string;
}

const COLUMNS = `id, taken_at AS takenAt, tenant, service_principal_id AS servicePrincipalId, app_name AS appName, job_id AS jobId, reason`;

export class BackupStore {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      insert: db.prepare(
        `INSERT INTO go_live_backups (taken_at, tenant, service_principal_id, app_name, job_id, reason, schema_json) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      list: db.prepare(`SELECT ${COLUMNS} FROM go_live_backups WHERE service_principal_id = ? AND job_id = ? ORDER BY id DESC`),
      get: db.prepare(`SELECT ${COLUMNS}, schema_json AS schemaJson FROM go_live_backups WHERE id = ?`),
    };
  }

  add(backup: NewBackup): BackupRecord {
    const takenAt = backup.takenAt ?? new Date().toISOString();
    const result = this.stmt.insert.run(takenAt, backup.tenant, backup.servicePrincipalId, backup.appName, backup.jobId, backup.reason, JSON.stringify(backup.schema));
    return { id: Number(result.lastInsertRowid), takenAt, tenant: backup.tenant, servicePrincipalId: backup.servicePrincipalId, appName: backup.appName, jobId: backup.jobId, reason: backup.reason };
  }

  /** Newest first. */
  list(servicePrincipalId: string, jobId: string): BackupRecord[] {
    return this.stmt.list.all(servicePrincipalId, jobId) as BackupRecord[];
  }

  /** The backup and its schema as it was stored, or undefined. */
  get(id: number): (BackupRecord & { schema: unknown }) | undefined {
    const row = this.stmt.get.get(id) as (BackupRecord & { schemaJson: string }) | undefined;
    if (!row) return undefined;
    const { schemaJson, ...record } = row;
    return { ...record, schema: JSON.parse(schemaJson) as unknown };
  }
}
