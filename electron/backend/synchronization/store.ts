/**
 * Expression checks in the workspace, per mapping revision (migration ./workspace/migrations/synchronization.ts).
 * SQL lives here as statements prepared once (docs/architecture.md, "Data").
 */
import type Database from 'better-sqlite3';
import type { CheckedRow, ExpressionCheckResult, SkippedRow, Verdict } from './expression-check.ts';
import { summarise, VERDICTS } from './expression-check.ts';

interface StoredCheck {
  id: number;
  mappingRevisionId: number;
  servicePrincipalId: string;
  jobId: string;
  checkedAt: string;
  result: ExpressionCheckResult;
}

/** What the Mappings screen shows per row: "checked with Microsoft: agrees on N users", or how many differ. */
interface RowVerdicts {
  targetAttribute: string;
  counts: Record<Verdict, number>;
}

interface CheckRow {
  id: number;
  mappingRevisionId: number;
  servicePrincipalId: string;
  jobId: string;
  checkedAt: string;
  complete: number;
  skipped: string;
}

interface StoredRow {
  targetAttribute: string;
  expression: string;
  userId: string;
  userPrincipalName: string | null;
  verdict: Verdict;
  ours: string;
  entra: string;
  attributes: string;
}

export class SynchronizationCheckStore {
  private readonly stmt;

  constructor(readonly db: Database.Database) {
    this.stmt = {
      insertCheck: db.prepare(
        `INSERT INTO expression_checks (mapping_revision_id, service_principal_id, job_id, checked_at, complete, skipped)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      insertRow: db.prepare(
        `INSERT INTO expression_check_rows (check_id, seq, target_attribute, expression, user_id, user_principal_name, verdict, ours, entra, attributes)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      latest: db.prepare(
        `SELECT id, mapping_revision_id AS mappingRevisionId, service_principal_id AS servicePrincipalId, job_id AS jobId,
                checked_at AS checkedAt, complete, skipped
           FROM expression_checks WHERE mapping_revision_id = ? ORDER BY id DESC LIMIT 1`,
      ),
      rows: db.prepare(
        `SELECT target_attribute AS targetAttribute, expression, user_id AS userId, user_principal_name AS userPrincipalName,
                verdict, ours, entra, attributes
           FROM expression_check_rows WHERE check_id = ? ORDER BY seq`,
      ),
      verdicts: db.prepare(
        `SELECT target_attribute AS targetAttribute, verdict, count(*) AS n
           FROM expression_check_rows WHERE check_id = ? GROUP BY target_attribute, verdict`,
      ),
    };
  }

  /** Keeps one check (complete or cancelled) for a mapping revision, in one transaction. */
  save(mappingRevisionId: number, job: { servicePrincipalId: string; jobId: string }, result: ExpressionCheckResult, checkedAt = new Date().toISOString()): number {
    return this.db.transaction(() => {
      const info = this.stmt.insertCheck.run(mappingRevisionId, job.servicePrincipalId, job.jobId, checkedAt, result.cancelled ? 0 : 1, JSON.stringify(result.skipped));
      const checkId = Number(info.lastInsertRowid);
      result.rows.forEach((row, seq) => {
        this.stmt.insertRow.run(
          checkId,
          seq,
          row.targetAttribute,
          row.expression,
          row.sourceId,
          row.userPrincipalName,
          row.verdict,
          JSON.stringify(row.ours),
          JSON.stringify(row.entra),
          JSON.stringify(row.attributes),
        );
      });
      return checkId;
    })();
  }

  /** The newest check of a mapping revision, or null when it was never checked. */
  latest(mappingRevisionId: number): StoredCheck | null {
    const check = this.stmt.latest.get(mappingRevisionId) as CheckRow | undefined;
    if (!check) return null;
    const rows = (this.stmt.rows.all(check.id) as StoredRow[]).map(
      (row): CheckedRow => ({
        targetAttribute: row.targetAttribute,
        expression: row.expression,
        userPrincipalName: row.userPrincipalName,
        sourceId: row.userId,
        ours: JSON.parse(row.ours) as CheckedRow['ours'],
        entra: JSON.parse(row.entra) as CheckedRow['entra'],
        verdict: row.verdict,
        attributes: JSON.parse(row.attributes) as string[],
      }),
    );
    return {
      id: check.id,
      mappingRevisionId: check.mappingRevisionId,
      servicePrincipalId: check.servicePrincipalId,
      jobId: check.jobId,
      checkedAt: check.checkedAt,
      result: summarise(rows, JSON.parse(check.skipped) as SkippedRow[], check.complete === 0),
    };
  }

  /** Per target attribute, how many users each verdict covers in the newest check of the revision. */
  rowVerdicts(mappingRevisionId: number): RowVerdicts[] {
    const check = this.stmt.latest.get(mappingRevisionId) as CheckRow | undefined;
    if (!check) return [];
    const byTarget = new Map<string, RowVerdicts>();
    for (const { targetAttribute, verdict, n } of this.stmt.verdicts.all(check.id) as { targetAttribute: string; verdict: Verdict; n: number }[]) {
      let entry = byTarget.get(targetAttribute);
      if (!entry) byTarget.set(targetAttribute, (entry = { targetAttribute, counts: Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number> }));
      entry.counts[verdict] = n;
    }
    return [...byTarget.values()];
  }
}
