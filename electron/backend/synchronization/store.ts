/**
 * Expression checks in the workspace, per mapping revision (migration ./workspace/migrations/synchronization.ts).
 * SQL lives here as statements prepared once (docs/architecture.md, "Data").
 */
import type Database from 'better-sqlite3';
import { CHECK_VERDICTS, type MappingCheckDto, type PreviewCheckDto, type RevisionCheckDto, type RowCheckDto } from '../../../shared/api/synchronization.ts';
import type { CheckedRow, ExpressionCheckResult, SkippedRow, Verdict } from './expression-check.ts';
import { summarise } from './expression-check.ts';
import { entraValueText, ourValueText } from '../../../shared/reports/microsoft-check.ts';

interface StoredCheck {
  id: number;
  mappingRevisionId: number;
  servicePrincipalId: string;
  jobId: string;
  checkedAt: string;
  result: ExpressionCheckResult;
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
        `SELECT target_attribute AS targetAttribute, expression, verdict, count(*) AS n
           FROM expression_check_rows WHERE check_id = ? GROUP BY target_attribute, verdict`,
      ),
      // the first disagreement per row, shown beside its badge
      examples: db.prepare(
        `SELECT target_attribute AS targetAttribute, user_principal_name AS userPrincipalName, verdict, ours, entra, min(seq)
           FROM expression_check_rows WHERE check_id = ? AND verdict <> 'agree' GROUP BY target_attribute`,
      ),
      // the project's newest check of any revision: the Preview names it when the previewed revision has none
      newestChecked: db.prepare(
        `SELECT r.revision, c.checked_at AS checkedAt
           FROM expression_checks c JOIN mapping_revisions r ON r.id = c.mapping_revision_id
          WHERE r.project_id = ? ORDER BY c.id DESC LIMIT 1`,
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

  /**
   * What the Mappings screen shows per row for the newest check of the revision: how many users each verdict covers
   * ("checked with Microsoft: agrees on N users") and one disagreement with both values.
   */
  mappingCheck(mappingRevisionId: number, revision: number): MappingCheckDto | null {
    const check = this.stmt.latest.get(mappingRevisionId) as CheckRow | undefined;
    if (!check) return null;
    const byTarget = new Map<string, RowCheckDto>();
    const rowOf = (targetAttribute: string, expression = ''): RowCheckDto => {
      let row = byTarget.get(targetAttribute);
      if (!row) byTarget.set(targetAttribute, (row = { targetAttribute, expression, counts: Object.fromEntries(CHECK_VERDICTS.map((v) => [v, 0])) as RowCheckDto['counts'], example: null }));
      return row;
    };
    for (const { targetAttribute, expression, verdict, n } of this.stmt.verdicts.all(check.id) as { targetAttribute: string; expression: string; verdict: Verdict; n: number }[]) rowOf(targetAttribute, expression).counts[verdict] = n;
    for (const example of this.stmt.examples.all(check.id) as Pick<StoredRow, 'targetAttribute' | 'userPrincipalName' | 'verdict' | 'ours' | 'entra'>[]) {
      const ours = JSON.parse(example.ours) as CheckedRow['ours'];
      const entra = JSON.parse(example.entra) as CheckedRow['entra'];
      rowOf(example.targetAttribute).example = {
        userPrincipalName: example.userPrincipalName,
        verdict: example.verdict,
        ours: ourValueText(ours),
        entra: entraValueText(entra),
      };
    }
    return { revision, checkedAt: check.checkedAt, jobId: check.jobId, complete: check.complete === 1, rows: [...byTarget.values()] };
  }

  /** The newest check of a revision with every sampled user's evaluation, as the Preview and the report show it. */
  revisionCheck(mappingRevisionId: number, revision: number): RevisionCheckDto | null {
    const stored = this.latest(mappingRevisionId);
    if (!stored) return null;
    return {
      revision,
      checkedAt: stored.checkedAt,
      servicePrincipalId: stored.servicePrincipalId,
      jobId: stored.jobId,
      complete: !stored.result.cancelled,
      evaluations: stored.result.rows.map(({ sourceId, ...row }) => ({ ...row, userId: sourceId })),
      skipped: stored.result.skipped,
    };
  }

  /** The project's newest check of any revision, or null when nothing was ever checked. */
  newestChecked(projectId: number): PreviewCheckDto['newestChecked'] {
    return (this.stmt.newestChecked.get(projectId) as { revision: number; checkedAt: string } | undefined) ?? null;
  }
}
