import { useEffect } from 'react';
import { api, onEvent } from '../api-client.ts';
import { formatCount, formatDuration, phaseLabel, useFetchJob } from './fetch-job.ts';

/**
 * The running fetch: a progress bar with fetched / total, rate and time left, Graph's throttling
 * pauses, and Cancel (which keeps nothing). Then the outcome, with "sign in again" when Graph refused.
 */
export function FetchProgressPanel({ onShowSnapshot }: { onShowSnapshot: (snapshotId: number) => void }) {
  const { jobId, progress, result, progressed, finished, dismiss } = useFetchJob();

  useEffect(() => {
    const off = [onEvent('directory.fetch.progress', progressed), onEvent('directory.fetch.finished', finished)];
    return () => off.forEach((f) => f());
  }, [progressed, finished]);

  // Events sent while this screen was not shown are not replayed: ask where the job stands.
  useEffect(() => {
    if (!jobId || result) return;
    let current = true;
    api['directory.fetch.status']({ jobId }).then(
      (status) => {
        if (!current) return;
        if (status.state !== 'running') finished(status);
        else if (status.progress) progressed(status.progress);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [jobId, result, finished, progressed]);

  if (!jobId) return null;

  if (result) {
    return (
      <div className={`fetch-panel ${result.state}`} role={result.state === 'failed' ? 'alert' : 'status'} aria-label="Fetch result">
        {result.state === 'done' && result.snapshot && (
          <p>
            Fetched {formatCount(result.snapshot.userCount)} users and {formatCount(result.snapshot.groupCount)} groups into “
            {result.snapshot.label}”.{' '}
            <button type="button" onClick={() => onShowSnapshot(result.snapshot!.id)}>
              Show users
            </button>
          </p>
        )}
        {result.state === 'cancelled' && <p>Fetch cancelled; nothing was kept.</p>}
        {result.state === 'failed' && (
          <p className="error-text">
            {result.error?.code === 'sign-in-required' ? 'Sign in again: ' : 'The fetch failed: '}
            {result.error?.message}
          </p>
        )}
        {result.notes.length > 0 && (
          <ul className="muted">
            {result.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        )}
        <button type="button" onClick={dismiss}>
          Dismiss
        </button>
      </div>
    );
  }

  const total = progress?.total ?? null;
  const fetched = progress?.fetched ?? 0;
  const parts: string[] = [];
  if (progress) {
    parts.push(`${phaseLabel(progress.phase)}: ${formatCount(fetched)}${total !== null ? ` of ${formatCount(total)}` : ''}`);
    if (progress.ratePerSecond > 0) parts.push(`${formatCount(Math.round(progress.ratePerSecond))}/s`);
    if (progress.etaSeconds !== null && progress.etaSeconds > 0) parts.push(`about ${formatDuration(progress.etaSeconds)} left`);
  }
  return (
    <div className="fetch-panel running" aria-label="Fetch progress">
      <progress
        aria-label="Fetched"
        max={total ?? undefined}
        value={total !== null ? Math.min(fetched, total) : undefined}
      />
      <span className="fetch-text">{progress ? parts.join(' · ') : 'Connecting to Microsoft Graph…'}</span>
      {progress?.notice && (
        <span className="badge warn" role="status">
          {progress.notice}
        </span>
      )}
      {progress?.retryInSeconds != null && (
        <span className="badge warn">Graph is throttling; retrying in {formatDuration(progress.retryInSeconds)}</span>
      )}
      <button type="button" onClick={() => void api['directory.cancel']({ jobId })}>
        Cancel
      </button>
    </div>
  );
}
