import { useEffect, useState } from 'react';
import type { CheckRunStatus } from '../../shared/api.ts';
import { api, onEvent } from '../api-client.ts';
import { disabledBecause } from '../components/disabled-reason.ts';
import { useAttempt } from '../components/use-attempt.ts';
import { ProvisioningJobPicker } from '../components/ProvisioningJobPicker.tsx';
import { chosenJob, graphAccess, useProvisioningJobStore } from '../state/provisioning-job.ts';

/** What the check does to the tenant and what it needs, said before it runs (Microsoft Graph "synchronizationSchema: parseExpression"). */
const WHAT_IT_DOES =
  'Entra evaluates each expression row for a few users of the snapshot (Graph parseExpression) and the preview does the same. ' +
  'parseExpression changes nothing in the tenant. It needs the delegated permission Synchronization.ReadWrite.All and the ' +
  'Application Administrator or Cloud Application Administrator role.';

function Progress({ run, onCancel }: { run: CheckRunStatus; onCancel: () => void }) {
  if (run.state === 'running') {
    return (
      <p role="status" className="check-progress">
        <progress max={run.total || 1} value={run.done} /> Checked {run.done} of {run.total}
        {run.waitSeconds !== null && ` · Microsoft Graph asked to wait ${run.waitSeconds} s (throttling)`}{' '}
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </p>
    );
  }
  if (run.error) {
    return (
      <p role="alert" className="error-text">
        {run.error.message}
      </p>
    );
  }
  const summary = run.summary;
  return (
    <p role="status" className="check-progress">
      {run.state === 'cancelled' ? 'Cancelled: kept what was checked before. ' : 'Checked with Microsoft: '}
      {summary
        ? `${summary.checked} evaluations, ${summary.agreed} agree, ${summary.differed} differ, ${summary.refused} refused.`
        : ''}
      {summary &&
        summary.skipped.length > 0 &&
        ` Not sent: ${summary.skipped.map((s) => `${s.targetAttribute} (${s.reason})`).join('; ')}.`}
      {summary && ' The rows show the result.'}
    </p>
  );
}

/**
 * "Check with Microsoft" (issue 14): pick the enterprise app's provisioning job (its health shown), then have Entra
 * evaluate the saved revision's expressions for a sample of the snapshot's users; the rows' badges show the result.
 * It reads nothing until opened, so the screen costs no Graph call.
 */
export function CheckWithMicrosoftPanel({
  revision,
  unsaved,
  snapshotId,
}: {
  revision: number | null;
  unsaved: boolean;
  snapshotId: number | null;
}) {
  const [open, setOpen] = useState(false);
  const [run, setRun] = useState<CheckRunStatus | null>(null);
  const { busy, error, setError, attempt } = useAttempt();
  const picked = useProvisioningJobStore();
  const job = chosenJob(picked);

  useEffect(() => {
    const follow = (status: CheckRunStatus) =>
      setRun((current) => (current?.checkId === status.checkId ? status : current));
    const stops = [
      onEvent('synchronization.check.progress', follow),
      onEvent('synchronization.check.finished', follow),
    ];
    return () => stops.forEach((stop) => stop());
  }, []);

  const check = () =>
    attempt('Starting the check…', async () => {
      setRun(
        await api['synchronization.check.start']({
          ...graphAccess(picked),
          servicePrincipalId: job!.servicePrincipalId,
          jobId: job!.jobId,
          revision: revision!,
          snapshotId: snapshotId!,
        }),
      );
    });
  const cancel = () =>
    void api['synchronization.check.cancel']({ checkId: run!.checkId }).catch((e: Error) => setError(e.message));

  const running = run?.state === 'running';
  const cannotCheck =
    (revision === null && 'Save the mappings as a revision first: checks are kept per revision') ||
    (unsaved && 'Save your edits first: the check runs on the saved revision') ||
    (snapshotId === null && 'Choose a snapshot on the Tenant screen: its users are the sample') ||
    (!job && 'Pick the provisioning job first') ||
    (running && 'A check is running') ||
    (busy !== null && busy) ||
    (picked.busy !== null && picked.busy);

  return (
    <details
      className="check-with-microsoft"
      open={open}
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>Check with Microsoft</summary>
      {/* rendered only when open: a closed <details> still lays out its content in Chromium */}
      {open && (
        <>
          <p className="muted">{WHAT_IT_DOES}</p>
          <ProvisioningJobPicker idPrefix="check" />
          <button type="button" className="primary" onClick={() => void check()} {...disabledBecause(cannotCheck)}>
            Check with Microsoft
          </button>
          {busy && <p className="muted">{busy}</p>}
          {run && <Progress run={run} onCancel={cancel} />}
          {error && (
            <p className="error-text" role="alert">
              {error}
            </p>
          )}
        </>
      )}
    </details>
  );
}
