import { useState } from 'react';
import type { LogComparisonDto, LogDifferenceDto, LogFailureGroupDto } from '../../shared/api.ts';
import { api } from '../api-client.ts';
import { disabledBecause } from '../components/disabled-reason.ts';
import { downloadReport } from '../reports/download.ts';
import { replayOnMockServer, type ReplayResult } from './replay-on-mock.ts';

/** Each cause in the admin's words; the row's own explanation follows it. */
const CAUSES: Record<LogDifferenceDto['cause'], string> = {
  'mapping-changed': 'The mapping changed since Entra sent this',
  'source-changed': 'The source value changed since Entra sent this',
  'preview-disagrees': 'The preview disagrees with Entra',
};

const shown = (value: string | string[] | null) => (value === null ? '(nothing)' : Array.isArray(value) ? value.join(', ') : value);

function sourceOf(comparison: LogComparisonDto): string {
  if (comparison.source.kind === 'file') return `the portal's download ${comparison.source.fileNames.join(' + ')}`;
  const since = comparison.source.since ? ` since ${new Date(comparison.source.since).toLocaleString()}` : '';
  return `job ${comparison.source.jobId}${since}`;
}

function Differences({ comparison }: { comparison: LogComparisonDto }) {
  const [includeValues, setIncludeValues] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const disagreements = comparison.differences.filter((d) => d.cause === 'preview-disagrees').length;
  const exportVectors = async () => {
    setError(null);
    try {
      const file = await api['synchronization.logs.vectors']({ comparisonId: comparison.id, includeValues });
      downloadReport({ fileName: file.fileName, mediaType: 'application/x-ndjson', encoding: 'utf8', content: file.jsonl });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  if (comparison.differences.length === 0) return <p className="muted">Every attribute Entra sent to a matched user is what the plan sends.</p>;
  return (
    <>
      <table className="data-table log-differences" aria-label="Differences between what Entra sent and the plan">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Attribute</th>
            <th scope="col">Entra sent</th>
            <th scope="col">Planned</th>
            <th scope="col">Likely cause</th>
          </tr>
        </thead>
        <tbody>
          {comparison.differences.map((d) => (
            <tr key={`${d.changeId}|${d.attribute}`}>
              <td>{d.userPrincipalName ?? d.sourceId}</td>
              <td>
                <code>{d.attribute}</code>
              </td>
              <td>{shown(d.entraSent)}</td>
              <td>{shown(d.planned)}</td>
              <td>
                <strong>{CAUSES[d.cause]}.</strong> <span className="muted">{d.why}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {disagreements > 0 && (
        <p className="vector-export">
          {disagreements} difference{disagreements === 1 ? '' : 's'} point at the preview itself: export them as expression vectors to attach to a bug report.{' '}
          <label>
            <input type="checkbox" checked={includeValues} onChange={(e) => setIncludeValues(e.target.checked)} /> Include real values
          </label>{' '}
          <button type="button" onClick={() => void exportVectors()}>
            Export vectors
          </button>
          {!includeValues && <span className="muted"> Without real values the vectors name the attributes involved only.</span>}
        </p>
      )}
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
    </>
  );
}

function ReplayOutcome({ result }: { result: ReplayResult }) {
  return (
    <div role="status" className="replay-result">
      <p>
        Replayed against the mock server emulating {result.vendorName} (run {result.runId}, {result.status}); the Provisioning screen's audit log has every step:
      </p>
      <ul>
        {result.rows.map((row) => (
          <li key={row.id}>
            {row.label}: {row.action} — <strong>{row.status}</strong>
            {row.errorCode && ` (${row.errorCode})`}
            {row.reason && `: ${row.reason}`}
          </li>
        ))}
      </ul>
    </div>
  );
}

function FailureGroup({ group, snapshotId }: { group: LogFailureGroupDto; snapshotId: number }) {
  // only a user the snapshot holds can be provisioned on demand
  const replayable = group.users.map((user, i) => ({ user, i })).filter(({ i }) => group.inSnapshot[i]);
  const [chosen, setChosen] = useState(replayable[0]?.i ?? 0);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ReplayResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const replay = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await replayOnMockServer(group.sourceIds[chosen]!, snapshotId));
    } catch (e) {
      setError(`${group.users[chosen]}: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="failure-group" aria-label={`${group.errorCode}: ${group.count} failed`}>
      <h4>
        <code>{group.errorCode}</code> × {group.count}
      </h4>
      <p>{group.explanation}</p>
      <p>
        <strong>Fix:</strong> {group.fix}
      </p>
      {group.reason && <p className="muted">Entra's reason: {group.reason}</p>}
      <p>Affected users: {group.users.join(', ')}</p>
      {replayable.length === 0 ? (
        <p className="muted">None of these users is in the snapshot, so there is no one to replay against the mock server.</p>
      ) : (
        <p>
          {replayable.length > 1 && (
            <label>
              User to replay{' '}
              <select value={chosen} onChange={(e) => setChosen(Number(e.target.value))}>
                {replayable.map(({ user, i }) => (
                  <option key={`${group.sourceIds[i]}-${i}`} value={i}>
                    {user}
                  </option>
                ))}
              </select>{' '}
            </label>
          )}
          <button type="button" onClick={() => void replay()} {...disabledBecause(busy && 'Replaying…')}>
            Replay against the mock server
          </button>
        </p>
      )}
      {busy && <p className="muted">Replaying {group.users[chosen]} against the mock server…</p>}
      {result && <ReplayOutcome result={result} />}
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
    </section>
  );
}

/** A kept comparison: the summary, the differences with their cause, and the failures grouped by error code. */
export function LogComparisonView({ comparison }: { comparison: LogComparisonDto }) {
  return (
    <div className="log-comparison">
      <p role="status" className="log-summary">
        {comparison.complete ? '' : 'Cancelled: this covers the entries read before. '}
        {comparison.entries} entries, {comparison.matched} matched to the snapshot's users, {comparison.agreed} agreed with the plan
        {comparison.unmatched > 0 && `, ${comparison.unmatched} not in the snapshot`}
        {comparison.skipped > 0 && `, ${comparison.skipped} skipped`}.
      </p>
      <p className="muted">
        Compared {new Date(comparison.comparedAt).toLocaleString()} from {sourceOf(comparison)}, with revision {comparison.revision} and snapshot “{comparison.snapshotLabel}”.
      </p>
      <h3>Differences</h3>
      <Differences comparison={comparison} />
      <h3>Failures by error code</h3>
      {comparison.failures.length === 0 ? (
        <p className="muted">No entry failed.</p>
      ) : (
        comparison.failures.map((group) => <FailureGroup key={group.errorCode} group={group} snapshotId={comparison.snapshotId} />)
      )}
    </div>
  );
}
