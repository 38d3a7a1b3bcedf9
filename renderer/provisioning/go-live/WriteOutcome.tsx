import type { GoLiveWriteDto } from '../../../shared/api.ts';

/** The verified read-back after an apply or a rollback: equal to what was planned, or exactly what differs. */
export function WriteOutcome({ kind, write, restored }: { kind: 'apply' | 'rollback'; write: GoLiveWriteDto; restored?: number }) {
  const planned = kind === 'apply' ? 'the plan' : `backup ${restored ?? ''}`.trim();
  const app = write.target.appName ?? write.target.servicePrincipalId;
  return (
    <section className={`go-live-outcome ${write.verified ? 'ok' : 'warn'}`} aria-label="Read-back" data-testid="go-live-outcome">
      {write.verified ? (
        <p role="status">
          Verified: the live schema of {app} (job {write.target.jobId}) now equals {planned}.
        </p>
      ) : (
        <div role="alert">
          <p>The schema read back from {app} differs from {planned}:</p>
          <ul>
            {write.differences.map((difference) => (
              <li key={difference}>{difference}</li>
            ))}
          </ul>
          <p>The job was not started. Roll back to backup {write.backup.id} below to put back what was live.</p>
        </div>
      )}
      <p className="muted">
        Backup {write.backup.id} of what was live before is kept in this workspace.
        {write.job.started && ' The job was started.'}
        {write.job.restarted && ` The job was restarted, clearing ${write.job.restarted.join(', ')}.`}
      </p>
    </section>
  );
}
