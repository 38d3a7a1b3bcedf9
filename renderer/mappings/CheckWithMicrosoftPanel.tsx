import { useEffect, useState } from 'react';
import type { CheckRunStatus, DirectoryAccount, JobHealthDto, ProvisioningAppDto } from '../../shared/api.ts';
import { api, onEvent } from '../api-client.ts';
import { disabledBecause } from '../components/disabled-reason.ts';

/** What the check does to the tenant and what it needs, said before it runs (Microsoft Graph "synchronizationSchema: parseExpression"). */
const WHAT_IT_DOES =
  'Entra evaluates each expression row for a few users of the snapshot (Graph parseExpression) and the preview does the same. ' +
  'parseExpression changes nothing in the tenant. It needs the delegated permission Synchronization.ReadWrite.All and the ' +
  'Application Administrator or Cloud Application Administrator role.';

const accountName = (account: DirectoryAccount) =>
  account.username ?? account.displayName ?? (account.kind === 'access-token' ? 'Pasted access token' : 'Account');
const jobKey = (app: ProvisioningAppDto, jobId: string) => `${app.servicePrincipalId}|${jobId}`;

function JobHealth({ health }: { health: JobHealthDto }) {
  const last = health.lastExecution;
  return (
    <div className={`job-health ${health.healthy ? 'ok' : 'warn'}`} data-testid="job-health">
      <p>
        <strong>{health.code}</strong>: {health.meaning}
      </p>
      {health.quarantine && (
        <p role="alert">
          Quarantine ({health.quarantine.reason}) since {health.quarantine.since ?? 'an unknown time'}, next attempt{' '}
          {health.quarantine.nextAttempt ?? 'unknown'}: {health.quarantine.meaning} What to do: {health.quarantine.fix}
          {health.quarantine.error && ` (${health.quarantine.error.code}: ${health.quarantine.error.message})`}
        </p>
      )}
      {last && (
        <p className="muted">
          Last cycle {last.state ?? ''} {last.timeEnded ?? last.timeBegan ?? ''}
          {last.error ? `: ${last.error.code}: ${last.error.message}` : ''}
        </p>
      )}
    </div>
  );
}

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
  const [accounts, setAccounts] = useState<DirectoryAccount[]>([]);
  const [accountId, setAccountId] = useState('');
  const [graphBaseUrl, setGraphBaseUrl] = useState('');
  const [apps, setApps] = useState<ProvisioningAppDto[] | null>(null);
  const [job, setJob] = useState('');
  const [health, setHealth] = useState<JobHealthDto | null>(null);
  const [run, setRun] = useState<CheckRunStatus | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    api['directory.accounts']({}).then(
      (list) => {
        setAccounts(list);
        setAccountId((current) => current || list[0]?.accountId || '');
      },
      (e: Error) => setError(e.message),
    );
  }, [open]);
  useEffect(() => {
    const follow = (status: CheckRunStatus) =>
      setRun((current) => (current?.checkId === status.checkId ? status : current));
    const stops = [
      onEvent('synchronization.check.progress', follow),
      onEvent('synchronization.check.finished', follow),
    ];
    return () => stops.forEach((stop) => stop());
  }, []);

  const access = () => ({ accountId, ...(graphBaseUrl.trim() ? { graphBaseUrl: graphBaseUrl.trim() } : {}) });
  const [servicePrincipalId, jobId] = job.split('|') as [string, string | undefined];
  const attempt = async (what: string, work: () => Promise<void>) => {
    setBusy(what);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  const findApps = () =>
    attempt('Finding the enterprise apps…', async () => {
      const list = await api['synchronization.provisioningApps'](access());
      setApps(list);
      const first = list[0];
      if (first?.jobs[0]) await pickJob(jobKey(first, first.jobs[0].jobId));
    });
  const pickJob = async (key: string) => {
    setJob(key);
    setHealth(null);
    const [sp, id] = key.split('|') as [string, string];
    if (!id) return;
    try {
      setHealth(await api['synchronization.jobHealth']({ ...access(), servicePrincipalId: sp, jobId: id }));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const check = () =>
    attempt('Starting the check…', async () => {
      setRun(
        await api['synchronization.check.start']({
          ...access(),
          servicePrincipalId,
          jobId: jobId!,
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
    (!jobId && 'Pick the provisioning job first') ||
    (running && 'A check is running') ||
    (busy !== null && busy);

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
          <div className="form-grid">
            <label htmlFor="check-account">Account</label>
            <select id="check-account" value={accountId} onChange={(e) => setAccountId(e.target.value)}>
              {accounts.length === 0 && (
                <option value="">No account: sign in or paste a token on the Tenant screen</option>
              )}
              {accounts.map((account) => (
                <option key={account.accountId} value={account.accountId}>
                  {accountName(account)}
                </option>
              ))}
            </select>
            <label htmlFor="check-graph">Microsoft Graph endpoint</label>
            <input
              id="check-graph"
              placeholder="the cloud’s own (https://graph.microsoft.com …)"
              value={graphBaseUrl}
              onChange={(e) => setGraphBaseUrl(e.target.value)}
            />
          </div>
          <button
            type="button"
            onClick={() => void findApps()}
            {...disabledBecause(
              (!accountId && 'Sign in or paste a token on the Tenant screen first') || (busy !== null && busy),
            )}
          >
            Find provisioning jobs
          </button>
          {apps && apps.length === 0 && (
            <p className="muted">No enterprise app in this tenant has a provisioning job.</p>
          )}
          {apps && apps.length > 0 && (
            <label className="field">
              <span>Provisioning job</span>
              <select aria-label="Provisioning job" value={job} onChange={(e) => void pickJob(e.target.value)}>
                {apps.flatMap((app) =>
                  app.jobs.map((j) => (
                    <option key={jobKey(app, j.jobId)} value={jobKey(app, j.jobId)}>
                      {app.displayName} · {j.templateId ?? j.jobId} · {j.statusCode}
                    </option>
                  )),
                )}
              </select>
            </label>
          )}
          {health && <JobHealth health={health} />}
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
