import { useEffect, useRef, useState } from 'react';
import type { CheckResult, CheckStep, EndpointTarget, MethodInput, MethodOutput } from '../../shared/api.ts';
import { api, onEvent } from '../api-client.ts';
import { disabledBecause } from '../components/disabled-reason.ts';
import { HighlightedJson } from '../preview/HighlightedJson.tsx';
import { downloadReport } from '../reports/download.ts';
import { EndpointCheckExports } from './EndpointCheckExports.tsx';
import '../styles/endpoint-check.css';

type Dialect = NonNullable<MethodInput<'endpointCheck.run'>['dialect']>;
type Discovered = MethodOutput<'endpointCheck.discover'>;

interface Credentials {
  url: string;
  kind: 'bearer' | 'client-credentials';
  token: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string;
}

const EMPTY: Credentials = { url: '', kind: 'bearer', token: '', tokenUrl: '', clientId: '', clientSecret: '', scope: '' };

/** The fields still empty, said as what to do ("Enter the Tenant URL and the Secret Token"), or null when none is. */
function missingFields(c: Credentials): string | null {
  const needed = c.kind === 'bearer' ? [[c.token.trim(), 'the Secret Token']] : [[c.tokenUrl.trim(), 'the Token URL'], [c.clientId.trim(), 'the Client ID'], [c.clientSecret, 'the Client secret']];
  const missing = [[c.url.trim(), 'the Tenant URL'], ...needed].filter(([value]) => !value).map(([, name]) => name);
  return missing.length === 0 ? null : `Enter ${missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}`}`;
}

/** The target as the API takes it, or null while a field is missing. */
function targetOf(c: Credentials): EndpointTarget | null {
  if (missingFields(c) !== null) return null;
  if (c.kind === 'bearer') return { url: c.url.trim(), credentials: { kind: 'bearer', token: c.token.trim() } };
  return {
    url: c.url.trim(),
    credentials: { kind: 'client-credentials', tokenUrl: c.tokenUrl.trim(), clientId: c.clientId.trim(), clientSecret: c.clientSecret, ...(c.scope.trim() ? { scope: c.scope.trim() } : {}) },
  };
}

const OUTCOME_LABEL: Record<CheckStep['outcome'], string> = { pass: 'Passed', fail: 'Failed', skip: 'Skipped' };

function StepRow({ step }: { step: CheckStep }) {
  return (
    <li className={`vep-step vep-${step.outcome}`}>
      <details open={step.outcome === 'fail'}>
        <summary>
          <span className="vep-outcome">{OUTCOME_LABEL[step.outcome]}</span> {step.title}
          {step.response && <span className="muted"> · {step.response.status ?? 'no answer'}</span>}
        </summary>
        <p>{step.explanation}</p>
        {step.request && (
          <>
            <p className="muted">
              {step.request.method} <code>{step.request.url}</code>
            </p>
            {step.request.body && <HighlightedJson value={step.request.body} label={`Request body of ${step.title}`} />}
          </>
        )}
        {step.response && step.response.body !== null && <HighlightedJson value={step.response.body} label={`Response of ${step.title}`} />}
      </details>
    </li>
  );
}

/** The drafted profile offered as a file: the admin reviews it and imports it as a custom profile. */
function downloadProfile(profile: Record<string, unknown>): void {
  downloadReport({ fileName: `${String(profile.id ?? 'vendor')}.profile.json`, mediaType: 'application/json', encoding: 'utf8', content: `${JSON.stringify(profile, null, 2)}\n` });
}

function DiscoveryView({ result }: { result: Discovered }) {
  const attributes = Array.isArray(result.profile.attributes) ? result.profile.attributes.length : 0;
  return (
    <div className="vep-discovery" aria-label="Discovered profile">
      {result.discovered ? (
        <p>
          Drafted profile <code>{String(result.profile.id)}</code> from {result.target}: {attributes} attributes, each citing the discovery endpoint and date.{' '}
          <button type="button" onClick={() => downloadProfile(result.profile)}>
            Save profile…
          </button>
        </p>
      ) : (
        <p role="status">{result.message}</p>
      )}
      {result.diff.length === 0 ? (
        <p className="muted">The plan matches what the service declares.</p>
      ) : (
        <table className="vep-diff">
          <caption>Differences with the plan</caption>
          <thead>
            <tr>
              <th>Severity</th>
              <th>Difference</th>
              <th>Target attribute</th>
              <th>What it means</th>
            </tr>
          </thead>
          <tbody>
            {result.diff.map((d, index) => (
              <tr key={index}>
                <td>{d.severity}</td>
                <td>{d.kind}</td>
                <td>
                  <code>{d.target ?? '—'}</code>
                  {d.users ? <span className="muted"> ({d.users} users)</span> : null}
                </td>
                <td>{d.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * "Vendor endpoint": the project's plan checked against a vendor's SCIM endpoint the way Entra will use it
 * (docs/vendor-endpoint-check.md), and a vendor profile drafted from its discovery endpoints. The full check writes
 * test data to the vendor, so it runs only after the admin ticks the box that says so.
 */
export function VendorEndpointPanel() {
  const [credentials, setCredentials] = useState<Credentials>(EMPTY);
  const [readOnly, setReadOnly] = useState(true);
  const [dialect, setDialect] = useState<Dialect | 'tenant-url'>('tenant-url');
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState<'check' | 'discover' | null>(null);
  const [steps, setSteps] = useState<CheckStep[]>([]);
  const [result, setResult] = useState<CheckResult | null>(null);
  const [discovered, setDiscovered] = useState<Discovered | null>(null);
  const [error, setError] = useState<string | null>(null);
  const target = targetOf(credentials);
  const edit = (patch: Partial<Credentials>) => {
    setCredentials((c) => ({ ...c, ...patch }));
    setConfirmed(false);
  };

  useEffect(() => onEvent('endpointCheck.step', (step) => setSteps((list) => [...list, step])), []);

  // The project's last run, kept in the workspace, so its exports are there after a restart; a run started since wins.
  // Another workspace opened (File > Open) brings its own last run.
  const started = useRef(false);
  const [workspaceOpened, setWorkspaceOpened] = useState(0);
  useEffect(
    () =>
      onEvent('workspace.changed', (change) => {
        if (change.change !== 'opened') return;
        started.current = false;
        setSteps([]);
        setResult(null);
        setDiscovered(null);
        setWorkspaceOpened((n) => n + 1);
      }),
    [],
  );
  useEffect(() => {
    let current = true;
    api['endpointCheck.last']({}).then(
      (last) => {
        if (current && !started.current && last) setResult(last);
      },
      (e: Error) => current && setError(`The last endpoint check could not be read: ${e.message}`),
    );
    return () => {
      current = false;
    };
  }, [workspaceOpened]);

  /** One call at a time: its errors go to the banner, whichever button started it. */
  const busyWith = async (kind: 'check' | 'discover', work: (target: EndpointTarget) => Promise<void>) => {
    if (!target) return;
    setBusy(kind);
    setError(null);
    try {
      await work(target);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  const runCheck = () =>
    busyWith('check', async (t) => {
      started.current = true;
      setSteps([]);
      setResult(null);
      setResult(await api['endpointCheck.run']({ target: t, readOnly, confirmWrites: !readOnly && confirmed, ...(dialect === 'tenant-url' ? {} : { dialect }) }));
    });
  const discover = () =>
    busyWith('discover', async (t) => {
      setDiscovered(null);
      setDiscovered(await api['endpointCheck.discover']({ target: t }));
    });

  const shown = result?.steps ?? steps;
  const waiting = busy === 'check' ? 'The check is running: wait for it or cancel it' : busy === 'discover' ? 'Reading the discovery endpoints…' : null;
  const cannotReach = waiting ?? missingFields(credentials);
  return (
    <section className="prov-panel vep" aria-labelledby="vep-title">
      <h2 id="vep-title">Vendor endpoint</h2>
      <p className="muted">Check a vendor’s SCIM endpoint the way Entra will use it for this plan, and draft a vendor profile from its discovery endpoints.</p>
      <div className="prov-row">
        <label>
          Tenant URL
          <input type="url" value={credentials.url} placeholder="https://vendor.example/scim/v2" onChange={(e) => edit({ url: e.target.value })} />
        </label>
        <fieldset className="vep-auth">
          <legend>Authentication</legend>
          <label>
            <input type="radio" name="vep-auth" checked={credentials.kind === 'bearer'} onChange={() => edit({ kind: 'bearer' })} />
            Secret Token
          </label>
          <label>
            <input type="radio" name="vep-auth" checked={credentials.kind === 'client-credentials'} onChange={() => edit({ kind: 'client-credentials' })} />
            OAuth 2 client credentials
          </label>
        </fieldset>
      </div>
      {credentials.kind === 'bearer' ? (
        <div className="prov-row">
          <label>
            Secret Token
            <input type="password" autoComplete="off" value={credentials.token} onChange={(e) => edit({ token: e.target.value })} />
          </label>
        </div>
      ) : (
        <div className="prov-row">
          <label>
            Token URL
            <input type="url" value={credentials.tokenUrl} onChange={(e) => edit({ tokenUrl: e.target.value })} />
          </label>
          <label>
            Client ID
            <input type="text" value={credentials.clientId} onChange={(e) => edit({ clientId: e.target.value })} />
          </label>
          <label>
            Client secret
            <input type="password" autoComplete="off" value={credentials.clientSecret} onChange={(e) => edit({ clientSecret: e.target.value })} />
          </label>
          <label>
            Scope
            <input type="text" value={credentials.scope} onChange={(e) => edit({ scope: e.target.value })} />
          </label>
        </div>
      )}
      <div className="prov-row">
        <fieldset>
          <legend>Check</legend>
          <label>
            <input type="radio" name="vep-mode" checked={readOnly} onChange={() => setReadOnly(true)} />
            Read-only: discovery and Test Connection
          </label>
          <label>
            <input type="radio" name="vep-mode" checked={!readOnly} onChange={() => setReadOnly(false)} />
            Full check: writes test data
          </label>
        </fieldset>
        <label>
          PATCH dialect
          <select value={dialect} onChange={(e) => setDialect(e.target.value as Dialect | 'tenant-url')}>
            <option value="tenant-url">As the Tenant URL selects</option>
            <option value="default">Default</option>
            <option value="aadOptscim062020">aadOptscim062020</option>
            <option value="both">Both</option>
          </select>
        </label>
      </div>
      {!readOnly && (
        <label className="vep-confirm">
          <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
          I understand the full check writes to {target ? target.url : 'this Tenant URL'}: it creates test users and a test group marked with a run id, changes, disables and deletes them, and deletes only what it created.
        </label>
      )}
      <div className="prov-row">
        <button type="button" className="primary" {...disabledBecause(cannotReach ?? (!readOnly && !confirmed && 'Tick the box above: the full check writes test data'))} onClick={() => void runCheck()}>
          {busy === 'check' ? 'Checking…' : readOnly ? 'Run read-only check' : 'Run full check'}
        </button>
        {busy === 'check' && (
          <button type="button" onClick={() => void api['endpointCheck.cancel']({}).catch((e: Error) => setError(e.message))}>
            Cancel
          </button>
        )}
        <button type="button" {...disabledBecause(cannotReach)} onClick={() => void discover()}>
          {busy === 'discover' ? 'Reading discovery…' : 'Discover profile'}
        </button>
      </div>
      {error && (
        <p role="alert" className="vep-error">
          {error}
        </p>
      )}
      {busy === 'check' && (
        <p role="status" className="muted">
          {steps.length} step{steps.length === 1 ? '' : 's'} done…
        </p>
      )}
      {result && (
        <p role="status">
          {result.passed} passed, {result.failed} failed, {result.skipped} skipped{result.cancelled ? ' (cancelled)' : ''} · run <code>{result.runId}</code> · cleanup:{' '}
          {result.cleanup.deleted.length} deleted, {result.cleanup.leftOver.length} left over
        </p>
      )}
      {result && <EndpointCheckExports unavailable={busy !== null ? 'Wait for the running call to finish' : null} onError={setError} />}
      {shown.length > 0 && (
        <ol className="vep-steps" aria-label="Endpoint check steps">
          {shown.map((step, index) => (
            <StepRow key={`${step.id}-${index}`} step={step} />
          ))}
        </ol>
      )}
      {discovered && <DiscoveryView result={discovered} />}
    </section>
  );
}
