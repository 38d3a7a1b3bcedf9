import { TimelineChart } from './TimelineChart.tsx';
import { actionLabel, formatCount, formatDuration, statusLabels } from './timeline.ts';
import type { RunStatus } from '../../shared/api/provisioning.ts';
import type { AuditRow, CycleSummary } from './types.ts';

export interface RunProgressState {
  runId: number;
  done: number;
  total: number;
  status: RunStatus;
  summary: CycleSummary | null;
}

const LIVE_ROWS = 200;

/** The running cycle: progress with Cancel, and each object's status as it finishes (newest first). */
export function RunProgressView({ progress, rows, onCancel }: { progress: RunProgressState; rows: readonly AuditRow[]; onCancel(): void }) {
  const running = progress.status === 'running';
  const shown = rows.slice(-LIVE_ROWS).reverse();
  return (
    <section className="prov-panel prov-run" aria-labelledby="prov-run-title">
      <div className="prov-row">
        <h2 id="prov-run-title">Run #{progress.runId}</h2>
        <progress aria-label="Provisioning progress" max={progress.total || undefined} value={progress.total ? progress.done : undefined} />
        <span role="status" className="prov-progress-text">
          {running ? `Provisioning ${formatCount(progress.done)} of ${formatCount(progress.total)} objects…` : `Cycle ${progress.status}`}
        </span>
        {running && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      {progress.summary && <CycleSummaryView summary={progress.summary} rows={rows} />}
      <h3>
        Live status ({formatCount(rows.length)} objects{rows.length > LIVE_ROWS ? `, latest ${LIVE_ROWS} shown` : ''})
      </h3>
      <ul className="prov-live" aria-label="Live status" aria-live="off">
        {shown.map((r) => (
          <li key={r.id}>
            <span className={`prov-status prov-status-${r.status}`}>{statusLabels[r.status]}</span> <span>{r.label}</span>
            <span className="muted">
              {' '}
              · {actionLabel(r.action)}
              {r.errorCode ? ` · ${r.errorCode}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Entra's cycle summary: what the cycle did and how long it took, with the timeline. */
function CycleSummaryView({ summary, rows }: { summary: CycleSummary; rows: readonly AuditRow[] }) {
  const facts: [string, number | string][] = [
    ['Created', summary.created],
    ['Updated', summary.updated],
    ['Disabled', summary.disabled],
    ['Deleted', summary.deleted],
    ['Skipped', summary.skipped],
    ['Failed', summary.failed],
    ['Unchanged', summary.unchanged],
    ['Requests', summary.requests],
    ['Duration', formatDuration(summary.durationMs)],
  ];
  return (
    <div className="prov-summary" aria-label="Cycle summary">
      <dl>
        {facts.map(([k, v]) => (
          // Only failures that happened are alarming: "0" failed in red reads as a problem that is not there.
          <div key={k} className={`prov-fact prov-fact-${k.toLowerCase()}${k === 'Failed' && v !== 0 ? ' prov-fact-alarm' : ''}`}>
            <dt>{k}</dt>
            <dd>{typeof v === 'number' ? formatCount(v) : v}</dd>
          </div>
        ))}
      </dl>
      {summary.quarantine && (
        <p className="error-banner" role="alert">
          Quarantined: {summary.quarantine.reason}. {summary.quarantine.detail}
        </p>
      )}
      <TimelineChart rows={rows} />
    </div>
  );
}
