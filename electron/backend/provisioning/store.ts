/**
 * Provisioning runs, the audit log and the per-target state (links, escrow, quarantine) in the workspace (migration
 * v3). SQL lives here as statements prepared once (docs/architecture.md, "Data").
 */
import type Database from 'better-sqlite3';
import type { Page } from '../../../shared/api/define.ts';
import type { AuditRowDto, ProvisioningRun } from '../../../shared/api/provisioning.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { JsonObject } from '../../../shared/scim/requests/target-path.ts';
import type { AuditEntry, AuditStep, CycleKind, CycleSummary, EscrowEntry, ObjectStatus, ObjectType, ProvisioningState, Quarantine, TargetLink } from './types.ts';

/** A run as the API describes it, plus what only the backend keeps. */
type RunRecord = ProvisioningRun & { projectId: number; dryRun: boolean };

/** One row of the audit log, mapped from SQL to the API's type. */
type AuditRow = AuditRowDto;

interface AuditDetail extends AuditRow {
  steps: AuditStep[];
}

interface AuditQuery {
  runId: number;
  status?: ObjectStatus;
  search?: string;
  offset?: number;
  limit?: number;
}

/** The target a run talks to: its SCIM base, compared ignoring case. */
export function targetKeyOf(base: string): string {
  return base.replace(/\/+$/, '').toLowerCase();
}

const ROW_COLUMNS = `id, run_id AS runId, seq, object_type AS objectType, source_id AS sourceId, label, action, status, reason,
  error_code AS errorCode, target_id AS targetId, started_ms AS startedMs, duration_ms AS durationMs`;

interface RunRow {
  id: number;
  projectId: number;
  kind: CycleKind;
  targetUrl: string;
  dialect: string;
  dryRun: number;
  status: RunRecord['status'];
  startedAt: string;
  finishedAt: string | null;
  summary: string | null;
}

const toRun = (row: RunRow): RunRecord => ({ ...row, dryRun: row.dryRun === 1, summary: row.summary ? (JSON.parse(row.summary) as CycleSummary) : null });

export class ProvisioningStore {
  private readonly stmt;

  constructor(readonly db: Database.Database) {
    this.stmt = {
      insertRun: db.prepare(
        `INSERT INTO provisioning_runs (project_id, kind, target_key, target_url, dialect, dry_run, status, started_at)
         VALUES (?, ?, ?, ?, ?, ?, 'running', ?)`,
      ),
      finishRun: db.prepare('UPDATE provisioning_runs SET status = ?, finished_at = ?, summary = ? WHERE id = ?'),
      run: db.prepare(
        `SELECT id, project_id AS projectId, kind, target_url AS targetUrl, dialect, dry_run AS dryRun, status,
                started_at AS startedAt, finished_at AS finishedAt, summary FROM provisioning_runs WHERE id = ?`,
      ),
      runs: db.prepare(
        `SELECT id, project_id AS projectId, kind, target_url AS targetUrl, dialect, dry_run AS dryRun, status,
                started_at AS startedAt, finished_at AS finishedAt, summary
           FROM provisioning_runs WHERE project_id = ? ORDER BY id DESC LIMIT ?`,
      ),
      insertEntry: db.prepare(
        `INSERT INTO provisioning_audit (run_id, seq, object_type, source_id, label, action, status, reason, error_code,
                                         target_id, started_ms, duration_ms, search_text, steps)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      page: db.prepare(
        `SELECT ${ROW_COLUMNS} FROM provisioning_audit
          WHERE run_id = @runId AND (@status IS NULL OR status = @status)
            AND (@pattern IS NULL OR search_text LIKE @pattern ESCAPE '\\')
          ORDER BY seq LIMIT @limit OFFSET @offset`,
      ),
      count: db.prepare(
        `SELECT count(*) AS n FROM provisioning_audit
          WHERE run_id = @runId AND (@status IS NULL OR status = @status)
            AND (@pattern IS NULL OR search_text LIKE @pattern ESCAPE '\\')`,
      ),
      entry: db.prepare(`SELECT ${ROW_COLUMNS}, steps FROM provisioning_audit WHERE id = ?`),
      allEntries: db.prepare(`SELECT ${ROW_COLUMNS}, steps FROM provisioning_audit WHERE run_id = ? ORDER BY seq`),
      getLink: db.prepare(
        `SELECT target_id AS targetId, resource, source, members FROM provisioning_links
          WHERE project_id = ? AND target_key = ? AND object_type = ? AND source_id = ?`,
      ),
      allLinks: db.prepare(
        `SELECT source_id AS sourceId, target_id AS targetId, resource, source, members FROM provisioning_links
          WHERE project_id = ? AND target_key = ? AND object_type = ?`,
      ),
      linkTargets: db.prepare(
        `SELECT source_id AS sourceId, target_id AS targetId FROM provisioning_links
          WHERE project_id = ? AND target_key = ? AND object_type = ?`,
      ),
      putLink: db.prepare(
        `INSERT INTO provisioning_links (project_id, target_key, object_type, source_id, target_id, resource, source, members)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (project_id, target_key, object_type, source_id)
         DO UPDATE SET target_id = excluded.target_id, resource = excluded.resource, source = excluded.source, members = excluded.members`,
      ),
      deleteLink: db.prepare('DELETE FROM provisioning_links WHERE project_id = ? AND target_key = ? AND object_type = ? AND source_id = ?'),
      clearLinks: db.prepare('DELETE FROM provisioning_links WHERE project_id = ? AND target_key = ?'),
      escrowed: db.prepare(
        `SELECT object_type AS objectType, source_id AS sourceId, first_failed_at AS firstFailedAt, attempts, error_code AS errorCode, message
           FROM provisioning_escrow WHERE project_id = ? AND target_key = ?`,
      ),
      escrowOne: db.prepare(
        `SELECT object_type AS objectType, source_id AS sourceId, first_failed_at AS firstFailedAt, attempts, error_code AS errorCode, message
           FROM provisioning_escrow WHERE project_id = ? AND target_key = ? AND object_type = ? AND source_id = ?`,
      ),
      putEscrow: db.prepare(
        `INSERT INTO provisioning_escrow (project_id, target_key, object_type, source_id, first_failed_at, attempts, error_code, message)
         VALUES (?, ?, ?, ?, ?, 1, ?, ?)
         ON CONFLICT (project_id, target_key, object_type, source_id)
         DO UPDATE SET attempts = attempts + 1, error_code = excluded.error_code, message = excluded.message`,
      ),
      releaseEscrow: db.prepare('DELETE FROM provisioning_escrow WHERE project_id = ? AND target_key = ? AND object_type = ? AND source_id = ?'),
      clearEscrow: db.prepare('DELETE FROM provisioning_escrow WHERE project_id = ? AND target_key = ?'),
      quarantine: db.prepare('SELECT reason, since, detail FROM provisioning_quarantine WHERE project_id = ? AND target_key = ?'),
      putQuarantine: db.prepare(
        `INSERT INTO provisioning_quarantine (project_id, target_key, reason, since, detail) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (project_id, target_key) DO UPDATE SET reason = excluded.reason, detail = excluded.detail`,
      ),
      clearQuarantine: db.prepare('DELETE FROM provisioning_quarantine WHERE project_id = ? AND target_key = ?'),
    };
  }

  createRun(input: { projectId: number; kind: CycleKind; targetUrl: string; targetKey: string; dialect: string; dryRun: boolean; startedAt?: string }): RunRecord {
    const startedAt = input.startedAt ?? new Date().toISOString();
    const info = this.stmt.insertRun.run(input.projectId, input.kind, input.targetKey, input.targetUrl, input.dialect, input.dryRun ? 1 : 0, startedAt);
    return this.getRun(Number(info.lastInsertRowid))!;
  }

  finishRun(runId: number, summary: CycleSummary | null, status: RunRecord['status']): void {
    this.stmt.finishRun.run(status, new Date().toISOString(), summary ? JSON.stringify(summary) : null, runId);
  }

  getRun(runId: number): RunRecord | undefined {
    const row = this.stmt.run.get(runId) as RunRow | undefined;
    return row && toRun(row);
  }

  listRuns(projectId: number, limit = 50): RunRecord[] {
    return (this.stmt.runs.all(projectId, limit) as RunRow[]).map(toRun);
  }

  /** Appends audit entries in one transaction (a cycle flushes in batches, not one commit per user). */
  appendEntries(runId: number, firstSeq: number, entries: readonly AuditEntry[]): void {
    this.db.transaction(() => {
      entries.forEach((entry, index) => {
        const searchText = [entry.label, entry.sourceId, entry.targetId, entry.errorCode, entry.action].filter(Boolean).join('\n').toLowerCase();
        this.stmt.insertEntry.run(
          runId,
          firstSeq + index,
          entry.objectType,
          entry.sourceId,
          entry.label,
          entry.action,
          entry.status,
          entry.reason,
          entry.errorCode,
          entry.targetId,
          entry.startedMs,
          entry.durationMs,
          searchText,
          JSON.stringify(entry.steps),
        );
      });
    })();
  }

  auditLog(query: AuditQuery): Page<AuditRow> {
    const term = (query.search ?? '').trim().toLowerCase();
    const params = {
      runId: query.runId,
      status: query.status ?? null,
      pattern: term ? `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null,
    };
    const total = (this.stmt.count.get(params) as { n: number }).n;
    const offset = query.offset ?? 0;
    const items = this.stmt.page.all({ ...params, limit: query.limit ?? 200, offset }) as AuditRow[];
    return { total, offset, items };
  }

  auditEntry(id: number): AuditDetail | undefined {
    const row = this.stmt.entry.get(id) as (AuditRow & { steps: string }) | undefined;
    return row && { ...row, steps: JSON.parse(row.steps) as AuditStep[] };
  }

  allEntries(runId: number): AuditDetail[] {
    return (this.stmt.allEntries.all(runId) as (AuditRow & { steps: string })[]).map((row) => ({ ...row, steps: JSON.parse(row.steps) as AuditStep[] }));
  }

  /** The per-target state of one project, read and written through the workspace. */
  stateFor(projectId: number, targetKey: string): ProvisioningState {
    const s = this.stmt;
    type LinkRow = { sourceId?: string; targetId: string; resource: string; source: string; members: string | null };
    const toLink = (objectType: ObjectType, sourceId: string, row: LinkRow): TargetLink => ({
      objectType,
      sourceId,
      targetId: row.targetId,
      resource: JSON.parse(row.resource) as JsonObject,
      source: JSON.parse(row.source) as SourceObject,
      ...(row.members ? { members: JSON.parse(row.members) as string[] } : {}),
    });
    return {
      getLink: (objectType, sourceId) => {
        const row = s.getLink.get(projectId, targetKey, objectType, sourceId) as LinkRow | undefined;
        return row && toLink(objectType, sourceId, row);
      },
      allLinks: (objectType) => (s.allLinks.all(projectId, targetKey, objectType) as LinkRow[]).map((row) => toLink(objectType, row.sourceId!, row)),
      linkTargets: (objectType) => {
        const targets = new Map<string, string>();
        for (const row of s.linkTargets.iterate(projectId, targetKey, objectType) as Iterable<{ sourceId: string; targetId: string }>) targets.set(row.sourceId, row.targetId);
        return targets;
      },
      putLink: (link) => {
        s.putLink.run(projectId, targetKey, link.objectType, link.sourceId, link.targetId, JSON.stringify(link.resource), JSON.stringify(link.source), link.members ? JSON.stringify(link.members) : null);
      },
      deleteLink: (objectType, sourceId) => {
        s.deleteLink.run(projectId, targetKey, objectType, sourceId);
      },
      clearLinks: () => {
        s.clearLinks.run(projectId, targetKey);
      },
      escrowed: () => s.escrowed.all(projectId, targetKey) as EscrowEntry[],
      escrow: (objectType, sourceId, errorCode, message, at) => {
        s.putEscrow.run(projectId, targetKey, objectType, sourceId, at, errorCode, message);
        return s.escrowOne.get(projectId, targetKey, objectType, sourceId) as EscrowEntry;
      },
      releaseEscrow: (objectType, sourceId) => {
        s.releaseEscrow.run(projectId, targetKey, objectType, sourceId);
      },
      clearEscrow: () => {
        s.clearEscrow.run(projectId, targetKey);
      },
      quarantine: () => (s.quarantine.get(projectId, targetKey) as Quarantine | undefined) ?? null,
      setQuarantine: (quarantine) => {
        if (quarantine) s.putQuarantine.run(projectId, targetKey, quarantine.reason, quarantine.since, quarantine.detail);
        else s.clearQuarantine.run(projectId, targetKey);
      },
    };
  }
}
