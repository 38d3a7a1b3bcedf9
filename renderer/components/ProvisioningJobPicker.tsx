import { useEffect } from 'react';
import type { DirectoryAccount, JobHealthDto } from '../../shared/api.ts';
import { jobKeyOf, useProvisioningJobStore } from '../state/provisioning-job.ts';
import { disabledBecause } from './disabled-reason.ts';

const accountName = (account: DirectoryAccount) =>
  account.username ?? account.displayName ?? (account.kind === 'access-token' ? 'Pasted access token' : 'Account');

/** A provisioning job's health as the portal's Provisioning page states it, with what a quarantine means and what to do. */
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

/**
 * Picks the enterprise app's provisioning job (with its health) through the account signed in on the Tenant screen.
 * The choice is the session's (state/provisioning-job.ts): every panel that shows this picker shares it.
 * `idPrefix` keeps the field ids unique per panel.
 */
export function ProvisioningJobPicker({ idPrefix }: { idPrefix: string }) {
  const { accounts, accountId, graphBaseUrl, apps, jobKey, health, busy, error } = useProvisioningJobStore();
  const store = useProvisioningJobStore.getState;
  useEffect(() => {
    void store().listAccounts();
  }, [store]);

  return (
    <div className="job-picker">
      <div className="form-grid">
        <label htmlFor={`${idPrefix}-account`}>Account</label>
        <select id={`${idPrefix}-account`} value={accountId} onChange={(e) => store().setAccountId(e.target.value)}>
          {accounts.length === 0 && <option value="">No account: sign in or paste a token on the Tenant screen</option>}
          {accounts.map((account) => (
            <option key={account.accountId} value={account.accountId}>
              {accountName(account)}
            </option>
          ))}
        </select>
        <label htmlFor={`${idPrefix}-graph`}>Microsoft Graph endpoint</label>
        <input
          id={`${idPrefix}-graph`}
          placeholder="the cloud’s own (https://graph.microsoft.com …)"
          value={graphBaseUrl}
          onChange={(e) => store().setGraphBaseUrl(e.target.value)}
        />
      </div>
      <button
        type="button"
        onClick={() => void store().findApps()}
        {...disabledBecause((!accountId && 'Sign in or paste a token on the Tenant screen first') || (busy !== null && busy))}
      >
        Find provisioning jobs
      </button>
      {apps && apps.length === 0 && <p className="muted">No enterprise app in this tenant has a provisioning job.</p>}
      {apps && apps.length > 0 && (
        <label className="field">
          <span>Provisioning job</span>
          <select aria-label="Provisioning job" value={jobKey} onChange={(e) => void store().pickJob(e.target.value)}>
            {apps.flatMap((app) =>
              app.jobs.map((j) => (
                <option key={jobKeyOf(app, j.jobId)} value={jobKeyOf(app, j.jobId)}>
                  {app.displayName} · {j.templateId ?? j.jobId} · {j.statusCode}
                </option>
              )),
            )}
          </select>
        </label>
      )}
      {health && <JobHealth health={health} />}
      {busy && <p className="muted">{busy}</p>}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
