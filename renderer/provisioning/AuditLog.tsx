import { useEffect, useRef, useState } from 'react';
import { api } from '../api-client.ts';
import { VirtualGrid } from '../components/VirtualGrid.tsx';
import { useProvisioningUi, type AuditStatusFilter } from '../state/provisioning.ts';
import { actionLabel, formatCount, formatDuration, stepLabels, statusLabels } from './timeline.ts';
import type { AuditEntry, AuditRow, RunInfo } from './types.ts';
import { disabledBecause } from '../components/disabled-reason.ts';

const PAGE = 200;
const COLUMNS = ['Identity', 'Action', 'Status', 'Target id', 'Duration'];
const CLASS_NAMES = { grid: 'prov-audit-grid', head: 'prov-audit-head', body: 'prov-audit-scroll', row: 'prov-audit-row' };

/** The audit log's rows, fetched a page at a time as the virtualised list scrolls to them. */
function useAuditRows(runId: number | null, status: AuditStatusFilter, search: string) {
  const [total, setTotal] = useState(0);
  const [pages, setPages] = useState<Map<number, AuditRow[]>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const requested = useRef(new Set<number>());
  const generation = useRef(0);

  const load = (page: number) => {
    if (runId === null || requested.current.has(page)) return;
    requested.current.add(page);
    const gen = generation.current;
    api['provisioning.auditLog']({ runId, ...(status ? { status } : {}), search, offset: page * PAGE, limit: PAGE }).then(
      (res) => {
        if (gen !== generation.current) return;
        setTotal(res.total);
        setPages((prev) => new Map(prev).set(page, res.items));
      },
      (e: Error) => gen === generation.current && setError(e.message),
    );
  };

  useEffect(() => {
    generation.current += 1;
    requested.current = new Set();
    setPages(new Map());
    setTotal(0);
    setError(null);
    load(0);
    // load is recreated each render; the effect must run only when the run or the filters change
  }, [runId, status, search]);

  const rowAt = (index: number): AuditRow | undefined => {
    const page = Math.floor(index / PAGE);
    const rows = pages.get(page);
    if (!rows) {
      queueMicrotask(() => load(page));
      return undefined;
    }
    return rows[index % PAGE];
  };
  return { total, rowAt, error, loaded: pages.has(0) };
}

/** Entra's provisioning logs for one run: filter by status, search, select an entry for its steps. */
export function AuditLog({ runs }: { runs: readonly RunInfo[] }) {
  const { auditRunId, auditStatus, auditSearch, selectedEntryId, showAuditRun, setAuditFilter, selectEntry } = useProvisioningUi();
  const { total, rowAt, error, loaded } = useAuditRows(auditRunId, auditStatus, auditSearch);
  const [exportError, setExportError] = useState<string | null>(null);

  const download = async (format: 'csv' | 'json') => {
    if (auditRunId === null) return;
    setExportError(null);
    try {
      const file = await api['provisioning.exportAuditLog']({ runId: auditRunId, format });
      const href = URL.createObjectURL(new Blob([file.content], { type: file.mediaType }));
      const link = document.createElement('a');
      link.href = href;
      link.download = file.fileName;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(href), 1000);
    } catch (e) {
      setExportError((e as Error).message);
    }
  };

  return (
    <section className="prov-panel prov-audit" aria-labelledby="prov-audit-title">
      <div className="prov-row">
        <h2 id="prov-audit-title">Provisioning logs</h2>
        <label>
          Run
          <select aria-label="Run" value={auditRunId ?? ''} onChange={(e) => showAuditRun(e.target.value ? Number(e.target.value) : null)}>
            {auditRunId === null && <option value="">Choose a run</option>}
            {runs.map((r) => (
              <option key={r.id} value={r.id}>
                #{r.id} · {r.kind} · {r.status} · {new Date(r.startedAt).toLocaleString()}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select aria-label="Status" value={auditStatus ?? ''} onChange={(e) => setAuditFilter({ auditStatus: (e.target.value || null) as AuditStatusFilter })}>
            <option value="">All</option>
            <option value="success">Success</option>
            <option value="failure">Failure</option>
            <option value="skipped">Skipped</option>
          </select>
        </label>
        <label>
          Search
          <input type="search" aria-label="Search" value={auditSearch} placeholder="Name, id or error code" onChange={(e) => setAuditFilter({ auditSearch: e.target.value })} />
        </label>
        <button type="button" onClick={() => download('csv')} {...disabledBecause(auditRunId === null && 'No run yet: provision a cycle first')}>
          Export CSV
        </button>
        <button type="button" onClick={() => download('json')} {...disabledBecause(auditRunId === null && 'No run yet: provision a cycle first')}>
          Export JSON
        </button>
      </div>
      {exportError && <p className="error-text">{exportError}</p>}
      <div className="prov-audit-body">
        <div className="prov-audit-table">
          {/* Opening an entry fetches its steps, requests and responses, so moving only marks the row; Enter opens it. */}
          <VirtualGrid
            label="Provisioning log entries"
            total={total}
            rowAt={rowAt}
            keyOf={(row) => row.id}
            idPrefix="prov-audit"
            onOpen={(row) => selectEntry(row.id)}
            openKey={selectedEntryId}
            listKey={JSON.stringify([auditRunId, auditStatus, auditSearch])}
            columns={COLUMNS}
            classNames={CLASS_NAMES}
            rowHeight={30}
            overscan={10}
            renderCells={(row) => (
              <>
                <span role="gridcell" className="prov-audit-label">
                  {row.label} <span className="muted">{row.objectType}</span>
                </span>
                <span role="gridcell">{actionLabel(row.action)}</span>
                <span role="gridcell" className={`prov-status prov-status-${row.status}`}>
                  {statusLabels[row.status]}
                </span>
                <span role="gridcell" className="muted">
                  {row.targetId ?? '—'}
                </span>
                <span role="gridcell">{formatDuration(row.durationMs)}</span>
              </>
            )}
          />
          <div className="prov-audit-foot" role="status">
            {error ? <span className="error-text">{error}</span> : auditRunId === null ? 'No run yet' : loaded ? `${formatCount(total)} entries` : 'Loading the log…'}
          </div>
        </div>
        {selectedEntryId !== null && <AuditEntryDetail id={selectedEntryId} />}
      </div>
    </section>
  );
}

/** One entry as Entra's "Provisioning log details" shows it: the steps, their details, requests and responses. */
function AuditEntryDetail({ id }: { id: number }) {
  const [entry, setEntry] = useState<AuditEntry | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setEntry(null);
    setError(null);
    api['provisioning.auditEntry']({ id }).then(
      (e) => live && setEntry(e),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [id]);
  if (error) return <div className="prov-entry error-text" role="alert">{error}</div>;
  if (!entry) return <div className="prov-entry muted">Loading the entry…</div>;
  return (
    <section className="prov-entry" aria-label="Provisioning log details">
      <h3>
        {entry.label} · {actionLabel(entry.action)} · <span className={`prov-status prov-status-${entry.status}`}>{statusLabels[entry.status]}</span>
      </h3>
      {entry.reason && <p>{entry.reason}</p>}
      {entry.errorCode && (
        <p className="error-text">
          Error code: <code>{entry.errorCode}</code>
        </p>
      )}
      <ol className="prov-steps">
        {entry.steps.map((step, i) => (
          <li key={i} className={`prov-step prov-step-${step.status}`}>
            <details open={step.status === 'failure' || i === entry.steps.length - 1}>
              <summary>
                <span className={`prov-status prov-status-${step.status}`}>{statusLabels[step.status]}</span> {i + 1}. {stepLabels[step.name] ?? step.name}
                {step.summary && <span className="muted"> · {step.summary}</span>}
              </summary>
              {Object.keys(step.details).length > 0 && (
                <dl className="prov-step-details">
                  {Object.entries(step.details).map(([k, v]) => (
                    <div key={k}>
                      <dt>{k}</dt>
                      <dd>{v}</dd>
                    </div>
                  ))}
                </dl>
              )}
              {step.requests.map((r, j) => (
                <div key={j} className="prov-exchange">
                  <div>
                    <code>
                      {r.method} {r.url}
                    </code>{' '}
                    → <strong>{r.status ?? r.errorCode ?? 'no answer'}</strong>
                    <span className="muted">
                      {' '}
                      · {formatDuration(r.durationMs)}
                      {r.attempts > 1 ? ` · ${r.attempts} attempts` : ''}
                    </span>
                  </div>
                  {r.errorMessage && <p className="error-text">{r.errorMessage}</p>}
                  {r.requestBody != null && <pre aria-label="Request body">{JSON.stringify(r.requestBody, null, 2)}</pre>}
                  {r.responseBody != null && <pre aria-label="Response body">{typeof r.responseBody === 'string' ? r.responseBody : JSON.stringify(r.responseBody, null, 2)}</pre>}
                </div>
              ))}
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}
