import { type FormEvent, useEffect, useState } from 'react';
import type { CloudName, DeviceCodePrompt, DirectoryAccount, SignInStatus } from '../../shared/api.ts';
import { api, onEvent } from '../api-client.ts';
import { cloudOptions } from './clouds.ts';
import { disabledBecause } from '../components/disabled-reason.ts';

const REMEMBER_KEY = 'scim-planner.sign-in';

interface Remembered {
  cloud: CloudName;
  tenant: string;
  clientId: string;
}

/** The last tenant and client ID typed here: not secret, and retyping a GUID is error-prone. */
function remembered(): Remembered {
  try {
    const value = JSON.parse(localStorage.getItem(REMEMBER_KEY) ?? 'null') as Partial<Remembered> | null;
    return { cloud: value?.cloud ?? 'global', tenant: value?.tenant ?? '', clientId: value?.clientId ?? '' };
  } catch {
    return { cloud: 'global', tenant: '', clientId: '' };
  }
}

/** Electron hands https pages to the system browser; in browser mode this is a new tab. */
function openSignInPage(url: string): void {
  window.open(url, '_blank', 'noopener');
}

type Waiting = { signInId: string; deviceCode: DeviceCodePrompt | null; authorizationUrl: string | null };

/**
 * Sign in with the admin's own app registration (docs/tenant-setup.md): the system browser with PKCE,
 * or a device code to enter on another device when no browser can open here.
 */
export function SignInPanel({ onSignedIn }: { onSignedIn: (account: DirectoryAccount) => void }) {
  const [form, setForm] = useState<Remembered & { method: 'browser' | 'device-code' }>(() => ({
    ...remembered(),
    method: 'browser',
  }));
  const [waiting, setWaiting] = useState<Waiting | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!waiting) return;
    let done = false;
    const finish = (status: SignInStatus) => {
      if (done || status.signInId !== waiting.signInId || status.state === 'waiting') return;
      done = true;
      setWaiting(null);
      if (status.state === 'signed-in' && status.account) onSignedIn(status.account);
      else if (status.state === 'failed') setError(status.error ?? 'The sign-in failed.');
    };
    const unsubscribe = onEvent('directory.signIn.finished', finish);
    // A fast browser (or an already signed-in one) can finish before this subscription exists.
    api['directory.signIn.status']({ signInId: waiting.signInId }).then(finish, () => undefined);
    return () => {
      done = true;
      unsubscribe();
    };
  }, [waiting, onSignedIn]);

  const start = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      localStorage.setItem(REMEMBER_KEY, JSON.stringify({ cloud: form.cloud, tenant: form.tenant, clientId: form.clientId }));
      const started = await api['directory.signIn.start'](form);
      if (started.authorizationUrl) openSignInPage(started.authorizationUrl);
      setWaiting(started);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const cancel = async () => {
    if (waiting) await api['directory.signIn.cancel']({ signInId: waiting.signInId }).catch(() => undefined);
    setWaiting(null);
  };

  if (waiting?.deviceCode) {
    const prompt = waiting.deviceCode;
    return (
      <div className="connect-panel device-code" aria-label="Device code sign-in">
        <h2>Sign in with a device code</h2>
        <p>
          On any device, open{' '}
          <a href={prompt.verificationUri} target="_blank" rel="noreferrer">
            {prompt.verificationUri}
          </a>{' '}
          and enter this code:
        </p>
        <p className="device-code-value" aria-label="Device code">
          {prompt.userCode}
        </p>
        <div className="connect-actions">
          <button type="button" onClick={() => void navigator.clipboard?.writeText(prompt.userCode)}>
            Copy code
          </button>
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        </div>
        <p className="muted">
          Waiting for you to finish signing in · the code expires at {new Date(prompt.expiresAt).toLocaleTimeString()}
        </p>
      </div>
    );
  }

  if (waiting?.authorizationUrl) {
    return (
      <div className="connect-panel" role="region" aria-label="Browser sign-in">
        <h2>Finish signing in with your browser</h2>
        <p>
          The Microsoft sign-in page opens in a new browser tab or window (if it did not, use{' '}
          <b>Open the sign-in page</b>). Sign in there and accept the permissions; Microsoft then sends the browser back
          to this app, and the account appears here.
        </p>
        <p role="status">Waiting for you to finish signing in…</p>
        <div className="connect-actions">
          {/* Opened from a click, the page gets past a pop-up blocker; a tab closed too early opens again. */}
          <button type="button" className="primary" onClick={() => openSignInPage(waiting.authorizationUrl!)}>
            Open the sign-in page
          </button>
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        </div>
      </div>
    );
  }

  return (
    <form className="connect-panel" aria-label="Sign in to a tenant" onSubmit={start}>
      <h2>Sign in to a tenant</h2>
      <div className="form-grid">
        <label htmlFor="sign-in-cloud">Cloud</label>
        <select id="sign-in-cloud" value={form.cloud} onChange={(e) => setForm({ ...form, cloud: e.target.value as CloudName })}>
          {cloudOptions.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
        <label htmlFor="sign-in-tenant">Directory (tenant) ID</label>
        <input
          id="sign-in-tenant"
          required
          placeholder="contoso.onmicrosoft.com or the tenant ID"
          value={form.tenant}
          onChange={(e) => setForm({ ...form, tenant: e.target.value })}
        />
        <label htmlFor="sign-in-client">Application (client) ID</label>
        <input
          id="sign-in-client"
          required
          pattern="[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
          title="The Application (client) ID of your app registration, a GUID"
          placeholder="00000000-0000-0000-0000-000000000000"
          value={form.clientId}
          onChange={(e) => setForm({ ...form, clientId: e.target.value })}
        />
        <span>Sign in with</span>
        <div role="radiogroup" aria-label="Sign in with" className="radio-row">
          <label>
            <input
              type="radio"
              name="sign-in-method"
              checked={form.method === 'browser'}
              onChange={() => setForm({ ...form, method: 'browser' })}
            />
            My browser
          </label>
          <label>
            <input
              type="radio"
              name="sign-in-method"
              checked={form.method === 'device-code'}
              onChange={() => setForm({ ...form, method: 'device-code' })}
            />
            A device code (another device)
          </label>
        </div>
      </div>
      <details className="setup-help">
        <summary>Where do I get a client ID? (docs/tenant-setup.md)</summary>
        <ol>
          <li>
            Entra admin center › <b>App registrations › New registration</b>: single tenant, redirect URI platform{' '}
            <b>Public client/native</b> with <code>http://localhost</code>.
          </li>
          <li>
            <b>Authentication</b>: set <b>Allow public client flows</b> to Yes (for device codes).
          </li>
          <li>
            <b>API permissions › Microsoft Graph › Delegated</b>: <code>User.Read.All</code>, <code>Group.Read.All</code>,{' '}
            <code>Application.Read.All</code> (optionally <code>Synchronization.Read.All</code>), then <b>Grant admin consent</b>.
          </li>
          <li>
            Copy the <b>Application (client) ID</b> and <b>Directory (tenant) ID</b> from the app’s Overview page.
          </li>
        </ol>
        <p className="muted">The full steps, with national clouds and the command line, are in docs/tenant-setup.md.</p>
      </details>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <div className="connect-actions">
        <button type="submit" className="primary" {...disabledBecause(busy && 'Starting the sign-in…')}>
          {busy ? 'Starting…' : 'Sign in'}
        </button>
      </div>
    </form>
  );
}
