/**
 * The project's last endpoint check in the workspace (migration ../workspace/migrations/endpoint-check.ts), for the
 * report's "Vendor endpoint check" section and the panel's exports. SQL lives here, prepared once.
 */
import type Database from 'better-sqlite3';
import { CheckResult } from '../../../shared/api/endpoint-check.ts';

export class EndpointCheckStore {
  private readonly stmt;

  constructor(db: Database.Database) {
    // a workspace opened read-only from before the table simply has no kept run
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'endpoint_check_runs'").get() !== undefined;
    this.stmt = hasTable
      ? {
          last: db.prepare('SELECT result_json FROM endpoint_check_runs WHERE project_id = ?').pluck(),
          keep: db.prepare(
            `INSERT INTO endpoint_check_runs (project_id, run_id, target, started_at, result_json) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (project_id) DO UPDATE SET run_id = excluded.run_id, target = excluded.target, started_at = excluded.started_at, result_json = excluded.result_json`,
          ),
        }
      : null;
  }

  /** Replaces the project's kept run; the caller has already redacted its credentials. */
  keep(projectId: number, result: CheckResult): void {
    if (!this.stmt) throw new Error('This workspace was opened read-only and predates kept endpoint checks');
    this.stmt.keep.run(projectId, result.runId, result.target, result.startedAt, JSON.stringify(result));
  }

  /** The project's last run, or null; a row this version cannot read counts as none rather than breaking the report. */
  last(projectId: number): CheckResult | null {
    const json = this.stmt?.last.get(projectId) as string | undefined;
    if (json === undefined) return null;
    const parsed = CheckResult.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  }
}
