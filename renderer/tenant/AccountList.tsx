import { useState } from 'react';
import type { DirectoryAccount } from '../../shared/api.ts';
import { api } from '../api-client.ts';
import { cloudLabel } from './clouds.ts';
import { useFetchJob } from './fetch-job.ts';
import { disabledBecause } from '../components/disabled-reason.ts';

/** The signed-in accounts and pasted tokens, each with "Fetch users" and "Sign out". */
export function AccountList({ accounts, onChanged }: { accounts: DirectoryAccount[]; onChanged: () => void }) {
  const [assignedToAppId, setAssignedToAppId] = useState('');
  const [graphBaseUrl, setGraphBaseUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  const running = useFetchJob((s) => s.jobId !== null && s.result === null);
  const started = useFetchJob((s) => s.started);

  const fetchUsers = async (account: DirectoryAccount) => {
    setError(null);
    try {
      const { jobId } = await api['directory.fetch']({
        accountId: account.accountId,
        ...(assignedToAppId.trim() ? { assignedToAppId: assignedToAppId.trim() } : {}),
        ...(graphBaseUrl.trim() ? { graphBaseUrl: graphBaseUrl.trim() } : {}),
      });
      started(jobId);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const signOut = async (account: DirectoryAccount) => {
    setError(null);
    try {
      await api['directory.signOut']({ accountId: account.accountId });
      onChanged();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section className="account-list" aria-label="Accounts">
      <h2>Accounts</h2>
      <ul>
        {accounts.map((account) => (
          <li key={account.accountId}>
            <span className="account-name">
              {account.username ?? account.displayName ?? (account.kind === 'access-token' ? 'Pasted access token' : 'Account')}
            </span>
            <span className="muted">
              {account.kind === 'access-token' ? 'access token' : 'signed in'}
              {account.tenantId ? ` · tenant ${account.tenantId}` : ''} · {cloudLabel(account.cloud)}
              {account.expiresAt ? ` · expires ${new Date(account.expiresAt).toLocaleTimeString()}` : ''} · kept {account.storage}
            </span>
            <span className="account-actions">
              <button type="button" className="primary" {...disabledBecause(running && 'A fetch is running: wait for it or cancel it')} onClick={() => void fetchUsers(account)}>
                Fetch users
              </button>
              <button type="button" onClick={() => void signOut(account)}>
                {account.kind === 'access-token' ? 'Forget token' : 'Sign out'}
              </button>
            </span>
          </li>
        ))}
      </ul>
      <details className="fetch-options">
        <summary>Fetch options</summary>
        <div className="form-grid">
          <label htmlFor="fetch-assigned">Only users and groups assigned to the enterprise app (application ID)</label>
          <input
            id="fetch-assigned"
            placeholder="leave empty to read every user"
            value={assignedToAppId}
            onChange={(e) => setAssignedToAppId(e.target.value)}
          />
          <label htmlFor="fetch-graph">Microsoft Graph endpoint</label>
          <input
            id="fetch-graph"
            placeholder="the cloud’s own (https://graph.microsoft.com …)"
            value={graphBaseUrl}
            onChange={(e) => setGraphBaseUrl(e.target.value)}
          />
        </div>
      </details>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
