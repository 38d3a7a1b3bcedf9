import { type FormEvent, useState } from 'react';
import type { CloudName, DirectoryAccount } from '../../shared/api.ts';
import { api } from '../api-client.ts';
import { cloudOptions } from './clouds.ts';
import { disabledBecause } from '../components/disabled-reason.ts';

/**
 * A Graph token the admin already has (az account get-access-token --resource-type ms-graph). It goes to
 * the backend, which keeps it in memory only; the renderer forgets it as soon as it is sent.
 */
export function PasteTokenPanel({ onAdded }: { onAdded: (account: DirectoryAccount) => void }) {
  const [token, setToken] = useState('');
  const [cloud, setCloud] = useState<CloudName>('global');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const account = await api['directory.useAccessToken']({ token, cloud });
      setToken('');
      onAdded(account);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="connect-panel" aria-label="Paste an access token" onSubmit={submit}>
      <h2>Paste an access token</h2>
      <p className="muted">
        For example from <code>az account get-access-token --resource-type ms-graph --query accessToken -o tsv</code>. It is
        kept in memory only and expires after about an hour.
      </p>
      <div className="form-grid">
        <label htmlFor="token-value">Access token</label>
        <input
          id="token-value"
          type="password"
          autoComplete="off"
          spellCheck={false}
          required
          minLength={16}
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
        <label htmlFor="token-cloud">Cloud</label>
        <select id="token-cloud" value={cloud} onChange={(e) => setCloud(e.target.value as CloudName)}>
          {cloudOptions.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <div className="connect-actions">
        <button type="submit" className="primary" {...disabledBecause(busy ? 'Checking the token…' : token.trim().length < 16 && 'Paste the access token first')}>
          Use token
        </button>
      </div>
    </form>
  );
}
