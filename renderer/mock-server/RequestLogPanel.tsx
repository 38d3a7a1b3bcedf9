import { useCallback, useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { MockRequestDetail } from '../../shared/api.ts';
import { api } from '../api-client.ts';
import { VirtualGrid } from '../components/VirtualGrid.tsx';
import { useMockServerUi } from '../state/mock-server.ts';
import { useRequestLog } from './use-request-log.ts';

const COLUMNS = ['Time', 'Method', 'Path', 'Status', 'Duration', 'Rule'];
const CLASS_NAMES = { grid: 'mock-table', head: 'mock-log-row mock-table-head', body: 'mock-table-body', row: 'mock-log-row mock-row' };
const STATUSES = [200, 201, 204, 400, 401, 404, 409, 412, 413, 429, 500];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

const statusClass = (status: number) => (status >= 500 ? 'status-5xx' : status >= 400 ? 'status-4xx' : 'status-2xx');
const time = (at: string) => new Date(at).toLocaleTimeString(undefined, { hour12: false });

function prettyBody(body: string | null): string {
  if (body === null) return '(no body)';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** The rule that decided the answer, in the admin's words (the log keeps the rule's id). */
function describeRule(rule: string): string {
  const [family, detail] = [rule.split(/[.:]/)[0], rule.includes(':') ? rule.slice(rule.indexOf(':') + 1) : ''];
  switch (family) {
    case 'vendor':
      // A lenient acceptance carries the preview's rule and message itself (shared/scim/vendor-behaviour.ts leniencyNote).
      if (rule.startsWith('vendor.lenient:')) return "Accepted: the vendor's rule the preview applies was not enforced";
      return `The emulated vendor's rule${detail ? ` for ${detail}` : ''}`;
    case 'strict':
      return 'Strict RFC 7644 mode refuses this Entra quirk';
    case 'auth':
      return 'The bearer token was missing or wrong';
    case 'inject':
      return 'A failure injected by the rehearsal failure rate';
    default:
      return 'SCIM protocol rule';
  }
}

function RequestDetail({ seq }: { seq: number }) {
  const [detail, setDetail] = useState<MockRequestDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    setDetail(null);
    setError(null);
    api['mockServer.requestDetail']({ seq }).then(
      (d) => current && setDetail(d),
      (e: Error) => current && setError(e.message),
    );
    return () => {
      current = false;
    };
  }, [seq]);

  if (error) return <div className="mock-detail error-text" role="alert">{error}</div>;
  if (!detail) return <div className="mock-detail">Loading…</div>;
  return (
    <section className="mock-detail" aria-label="Request detail">
      <h2>
        <span className="mock-method">{detail.method}</span> {detail.path}
      </h2>
      <p>
        <span className={`mock-status ${statusClass(detail.status)}`}>{detail.status}</span> in {detail.durationMs} ms · {new Date(detail.at).toLocaleString()}
      </p>
      {detail.rule && (
        <p className="mock-rule" aria-label="Deciding rule">
          Decided by <code>{detail.rule}</code> — {describeRule(detail.rule)}
        </p>
      )}
      <h3>Request body</h3>
      <pre className="json" aria-label="Request body">
        {prettyBody(detail.requestBody)}
      </pre>
      <h3>Response body</h3>
      <pre className="json" aria-label="Response body">
        {prettyBody(detail.responseBody)}
      </pre>
    </section>
  );
}

/** Every request the server answered, newest first and live; select one for its bodies and deciding rule. */
export function RequestLogPanel() {
  const { search, status, method, selectedSeq, setLogFilter, selectRequest } = useMockServerUi(
    useShallow((s) => ({ search: s.logSearch, status: s.logStatus, method: s.logMethod, selectedSeq: s.selectedSeq, setLogFilter: s.setLogFilter, selectRequest: s.selectRequest })),
  );
  const [searchText, setSearchText] = useState(search);
  useEffect(() => {
    // Only a changed search is a new filter: applying the same one again would clear the selected request.
    if (searchText.trim() === search) return;
    const timer = setTimeout(() => setLogFilter({ logSearch: searchText.trim() }), 250);
    return () => clearTimeout(timer);
  }, [searchText, search, setLogFilter]);

  const { entries, total, loaded, error, loadMore } = useRequestLog({ search, status, method });
  // The log holds the newest pages only: as the last rows held come into view, it fetches the next older page.
  const loadNearEnd = useCallback(
    (lastIndex: number) => {
      if (lastIndex >= entries.length - 20) loadMore();
    },
    [entries.length, loadMore],
  );

  return (
    <div className="mock-split">
      <div className="mock-log">
        <div className="mock-filters">
          <input
            type="search"
            className="search"
            placeholder="Search path, bodies and rules"
            aria-label="Search requests"
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
          />
          <select aria-label="Method" value={method ?? ''} onChange={(e) => setLogFilter({ logMethod: e.target.value || null })}>
            <option value="">Any method</option>
            {METHODS.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
          <select aria-label="Status" value={status ?? ''} onChange={(e) => setLogFilter({ logStatus: e.target.value ? Number(e.target.value) : null })}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        {/* Arrows select here as they always have: an admin reads the log request by request, each detail one local lookup.
            Rows are found by seq, because live requests arrive at the top and shift every index under the keyboard. */}
        <VirtualGrid
          label="Request log"
          total={total}
          count={entries.length}
          rowAt={(index) => entries[index]}
          keyOf={(entry) => entry.seq}
          idPrefix="mock-request"
          onOpen={(entry) => selectRequest(entry.seq)}
          openKey={selectedSeq}
          indexOfKey={(seq) => entries.findIndex((e) => e.seq === seq)}
          selectionFollowsFocus
          listKey={JSON.stringify([search, status, method])}
          columns={COLUMNS}
          classNames={CLASS_NAMES}
          rowHeight={30}
          overscan={12}
          rowsShift
          onLastRowRendered={loadNearEnd}
          renderCells={(entry) => (
            <>
              <span role="gridcell">{time(entry.at)}</span>
              <span role="gridcell" className="mock-method">
                {entry.method}
              </span>
              <span role="gridcell" title={entry.path}>
                {entry.path}
              </span>
              <span role="gridcell" className={`mock-status ${statusClass(entry.status)}`}>
                {entry.status}
              </span>
              <span role="gridcell">{entry.durationMs} ms</span>
              <span role="gridcell" title={entry.rule ?? ''}>
                {entry.rule ?? ''}
              </span>
            </>
          )}
          footer={
            <div className="mock-table-foot">
              {error ? <span className="error-text">{error}</span> : !loaded ? 'Loading the request log…' : `${total} ${total === 1 ? 'request' : 'requests'}${search || status || method ? ' matching' : ''}`}
            </div>
          }
        />
      </div>
      {selectedSeq !== null ? <RequestDetail seq={selectedSeq} /> : <div className="mock-detail empty">Select a request to see its bodies and the rule that decided it.</div>}
    </div>
  );
}
