import { useEffect, useRef, useState } from 'react';
import type { LogComparisonDto, LogRunStatus, LogUploadDto } from '../../shared/api.ts';
import { api, onEvent } from '../api-client.ts';
import { disabledBecause } from '../components/disabled-reason.ts';
import { useAttempt } from '../components/use-attempt.ts';
import { ProvisioningJobPicker } from '../components/ProvisioningJobPicker.tsx';
import { chosenJob, graphAccess, useProvisioningJobStore } from '../state/provisioning-job.ts';
import { LogComparisonView } from './LogComparisonView.tsx';
import { chooseLogFiles, uploadLogFiles } from './log-files.ts';

/** What reading the logs does to the tenant and what it needs, in docs/tenant-setup.md's words (Microsoft Graph "List provisioningObjectSummary"). */
const WHAT_IT_DOES =
  'Compares what Entra actually sent to the app (its provisioning logs) with what the saved revision sends for the snapshot’s users, ' +
  'attribute by attribute, and groups failed entries by error code. Reading the provisioning logs changes nothing in the tenant. ' +
  'It needs the delegated permission AuditLog.Read.All, and the signed-in user needs the Reports Reader, Security Reader, ' +
  'Application Administrator or Cloud Application Administrator role. Without it, download the logs in the portal ' +
  '(Monitoring & health > Provisioning logs > Download, JSON or CSV) and import the download here.';

type Source = 'graph' | 'file';

function Progress({ run, onCancel }: { run: LogRunStatus; onCancel: () => void }) {
  if (run.state === 'running') {
    return (
      <p role="status" className="check-progress">
        Read {run.read} log entries ({run.pages} pages)
        {run.waitSeconds !== null && ` · waiting ${Math.ceil(run.waitSeconds)} s for the reporting API's limit`}{' '}
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
  return null;
}

/**
 * "Planned vs actual" (issue 14): the picked job's provisioning logs (or the portal's download) compared with the
 * saved revision's plan for the current snapshot. The last comparison is kept in the workspace and shown on opening.
 */
export function PlannedVsActualPanel({ revision, unsaved, snapshotId }: { revision: number | null; unsaved: boolean; snapshotId: number | null }) {
  const [open, setOpen] = useState(false);
  const [source, setSource] = useState<Source>('graph');
  const [since, setSince] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [run, setRun] = useState<LogRunStatus | null>(null);
  const [comparison, setComparison] = useState<LogComparisonDto | null>(null);
  const { busy, error, setError, attempt } = useAttempt();
  const runId = useRef<string | null>(null);
  const picked = useProvisioningJobStore();
  const job = chosenJob(picked);
  const electron = window.logFiles;

  useEffect(() => {
    if (!open) return;
    let current = true;
    api['synchronization.logs.latest']({})
      .then((kept) => current && setComparison((shown) => shown ?? kept))
      .catch((e: Error) => current && setError(e.message));
    return () => {
      current = false;
    };
  }, [open]);

  useEffect(() => {
    const follow = (status: LogRunStatus) => {
      if (status.runId !== runId.current) return;
      setRun(status);
      if (status.comparison) setComparison(status.comparison);
    };
    const stops = [onEvent('synchronization.logs.progress', follow), onEvent('synchronization.logs.finished', follow)];
    return () => stops.forEach((stop) => stop());
  }, []);

  const fromGraph = () =>
    attempt('Starting to read the logs…', async () => {
      const sinceIso = since ? new Date(since).toISOString() : undefined;
      const started = await api['synchronization.logs.start']({
        ...graphAccess(picked),
        servicePrincipalId: job!.servicePrincipalId,
        jobId: job!.jobId,
        ...(sinceIso ? { since: sinceIso } : {}),
        revision: revision!,
        snapshotId: snapshotId!,
      });
      runId.current = started.runId;
      // the read may have ended before this answer: then its status is the one to show
      const status = await api['synchronization.logs.status']({ runId: started.runId });
      setRun(status);
      if (status.comparison) setComparison(status.comparison);
    });
  const compare = async (held: LogUploadDto[]) => {
    runId.current = null;
    setRun(null);
    setComparison(await api['synchronization.logs.compareFiles']({ uploadIds: held.map((h) => h.uploadId), revision: revision!, snapshotId: snapshotId! }));
  };
  const fromFiles = () =>
    attempt('Comparing the download…', async () => {
      await compare(await uploadLogFiles(files));
    });
  const fromDialog = () =>
    attempt('Comparing the download…', async () => {
      const held = await chooseLogFiles(electron!);
      if (held) await compare(held);
    });
  const cancel = () => void api['synchronization.logs.cancel']({ runId: run!.runId }).catch((e: Error) => setError(e.message));

  const running = run?.state === 'running';
  const cannotCompare =
    (revision === null && 'Save the mappings as a revision first: the logs are compared with a saved revision') ||
    (unsaved && 'Save your edits first: the logs are compared with the saved revision') ||
    (snapshotId === null && 'Choose a snapshot on the Tenant screen: its users are matched to the log entries') ||
    (running && 'The logs are being read') ||
    (busy !== null && busy);

  return (
    <details className="planned-vs-actual" open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>Planned vs actual (provisioning logs)</summary>
      {open && (
        <>
          <p className="muted">{WHAT_IT_DOES}</p>
          <fieldset className="log-source">
            <legend>Logs from</legend>
            <label>
              <input type="radio" name="log-source" checked={source === 'graph'} onChange={() => setSource('graph')} /> The provisioning job (Microsoft Graph)
            </label>
            <label>
              <input type="radio" name="log-source" checked={source === 'file'} onChange={() => setSource('file')} /> The portal’s download (JSON, or both CSV files)
            </label>
          </fieldset>
          {source === 'graph' ? (
            <>
              <ProvisioningJobPicker idPrefix="logs" />
              <label className="field">
                <span>Since (optional; Entra keeps up to 30 days)</span>
                <input type="datetime-local" aria-label="Since" value={since} onChange={(e) => setSince(e.target.value)} />
              </label>
              <button
                type="button"
                className="primary"
                onClick={() => void fromGraph()}
                {...disabledBecause(cannotCompare || (!job && 'Pick the provisioning job first') || (picked.busy !== null && picked.busy))}
              >
                Compare with the job’s logs
              </button>
            </>
          ) : electron ? (
            <button type="button" className="primary" onClick={() => void fromDialog()} {...disabledBecause(cannotCompare)}>
              Choose the download…
            </button>
          ) : (
            <>
              <label className="field">
                <span>Downloaded files</span>
                <input type="file" multiple accept=".json,.csv" aria-label="Provisioning-log files" onChange={(e) => setFiles([...(e.target.files ?? [])])} />
              </label>
              <button
                type="button"
                className="primary"
                onClick={() => void fromFiles()}
                {...disabledBecause(cannotCompare || (files.length === 0 && 'Choose the JSON download, or both files of the CSV download'))}
              >
                Compare with the download
              </button>
            </>
          )}
          {busy && <p className="muted">{busy}</p>}
          {run && <Progress run={run} onCancel={cancel} />}
          {error && (
            <p className="error-text" role="alert">
              {error}
            </p>
          )}
          {comparison && <LogComparisonView comparison={comparison} />}
        </>
      )}
    </details>
  );
}
