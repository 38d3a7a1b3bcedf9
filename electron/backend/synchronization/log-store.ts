/**
 * Logs comparisons in the workspace, per project (migration ../workspace/migrations/log-comparisons.ts): the newest
 * KEEP_PER_PROJECT are kept, older ones are deleted when a new one is saved. SQL lives here as statements prepared once.
 */
import type Database from 'better-sqlite3';
import type { LogComparisonDto, LogSourceDto } from '../../../shared/api/log-comparison.ts';

/** Enough to look back over a week of daily comparisons without the workspace growing with every run. */
export const KEEP_PER_PROJECT = 10;

type NewLogComparison = Omit<LogComparisonDto, 'id'>;

interface Row {
  id: number;
  comparedAt: string;
  source: string;
  revision: number;
  snapshotId: number;
  snapshotLabel: string;
  complete: number;
  summary: string;
  differences: string;
  failures: string;
}

const COLUMNS = `id, compared_at AS comparedAt, source, revision, snapshot_id AS snapshotId, snapshot_label AS snapshotLabel,
                 complete, summary, differences, failures`;

export class LogComparisonStore {
  private readonly stmt;

  constructor(readonly db: Database.Database) {
    this.stmt = {
      insert: db.prepare(
        `INSERT INTO log_comparisons (project_id, compared_at, source, revision, snapshot_id, snapshot_label, complete, summary, differences, failures)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      prune: db.prepare(
        `DELETE FROM log_comparisons WHERE project_id = ? AND id NOT IN
           (SELECT id FROM log_comparisons WHERE project_id = ? ORDER BY id DESC LIMIT ?)`,
      ),
      latest: db.prepare(`SELECT ${COLUMNS} FROM log_comparisons WHERE project_id = ? ORDER BY id DESC LIMIT 1`),
      get: db.prepare(`SELECT ${COLUMNS} FROM log_comparisons WHERE project_id = ? AND id = ?`),
      count: db.prepare(`SELECT count(*) AS n FROM log_comparisons WHERE project_id = ?`),
    };
  }

  /** Keeps one comparison and drops the project's oldest beyond KEEP_PER_PROJECT, in one transaction. */
  save(projectId: number, comparison: NewLogComparison): LogComparisonDto {
    const { comparedAt, source, revision, snapshotId, snapshotLabel, complete, differences, failures, ...summary } = comparison;
    const id = this.db.transaction(() => {
      const info = this.stmt.insert.run(
        projectId,
        comparedAt,
        JSON.stringify(source),
        revision,
        snapshotId,
        snapshotLabel,
        complete ? 1 : 0,
        JSON.stringify(summary),
        JSON.stringify(differences),
        JSON.stringify(failures),
      );
      this.stmt.prune.run(projectId, projectId, KEEP_PER_PROJECT);
      return Number(info.lastInsertRowid);
    })();
    return { id, ...comparison };
  }

  latest(projectId: number): LogComparisonDto | null {
    const row = this.stmt.latest.get(projectId) as Row | undefined;
    return row ? comparisonOf(row) : null;
  }

  get(projectId: number, id: number): LogComparisonDto | null {
    const row = this.stmt.get.get(projectId, id) as Row | undefined;
    return row ? comparisonOf(row) : null;
  }

  count(projectId: number): number {
    return (this.stmt.count.get(projectId) as { n: number }).n;
  }
}

function comparisonOf(row: Row): LogComparisonDto {
  const summary = JSON.parse(row.summary) as Pick<LogComparisonDto, 'entries' | 'matched' | 'agreed' | 'unmatched' | 'skipped'>;
  return {
    id: row.id,
    comparedAt: row.comparedAt,
    source: JSON.parse(row.source) as LogSourceDto,
    revision: row.revision,
    snapshotId: row.snapshotId,
    snapshotLabel: row.snapshotLabel,
    complete: row.complete === 1,
    ...summary,
    differences: JSON.parse(row.differences) as LogComparisonDto['differences'],
    failures: JSON.parse(row.failures) as LogComparisonDto['failures'],
  };
}
