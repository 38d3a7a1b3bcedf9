import { useEffect, useState } from 'react';
import type { MethodInput, MockServerStatus } from '../../shared/api.ts';

type ProvisioningTarget = MethodInput<'provisioning.testConnection'>['target'];
import { api } from '../api-client.ts';
import { useProject } from '../state/project.ts';
import { useProvisioningUi } from '../state/provisioning.ts';
import { formatDuration } from './timeline.ts';
import type { ConnectionResult } from './types.ts';
import { disabledBecause } from '../components/disabled-reason.ts';

/** The target in the form the API takes, or null while a typed URL or token is missing. */
export function useTarget(): ProvisioningTarget | null {
  const { targetMode, url, token } = useProvisioningUi();
  if (targetMode === 'mock') return 'mock';
  return url.trim() && token.trim() ? { url: url.trim(), token: token.trim() } : null;
}

/**
 * Where the cycle goes, in Entra's Admin Credentials words: this app's mock server (started from here when
 * it is stopped) or a vendor's Tenant URL and Secret Token, with Test connection.
 */
export function TargetPanel({ onError, onMockStatus }: { onError(message: string | null): void; onMockStatus?(status: MockServerStatus): void }) {
  const { targetMode, url, token, setTarget } = useProvisioningUi();
  const target = useTarget();
  const [mock, setMock] = useState<MockServerStatus | null>(null);
  const projectVendor = useProject((s) => s.vendor);
  const [starting, setStarting] = useState(false);
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<ConnectionResult | null>(null);

  useEffect(() => {
    api['mockServer.status']({}).then(setMock, (e: Error) => onError(e.message));
  }, [onError]);
  useEffect(() => {
    if (mock) onMockStatus?.(mock);
  }, [mock, onMockStatus]);
  // a result belongs to the target it was tested against
  useEffect(() => setResult(null), [targetMode, url, token]);

  const startMock = async () => {
    setStarting(true);
    onError(null);
    try {
      // the mock server emulates the project's vendor (the backend's default when it is not loaded yet)
      const vendorId = projectVendor?.vendorId;
      setMock(await api['mockServer.start']({ port: 0, ...(vendorId ? { vendorId } : {}), strict: false, latencyMs: 0 }));
    } catch (e) {
      onError((e as Error).message);
    } finally {
      setStarting(false);
    }
  };

  const test = async () => {
    if (!target) return;
    setTesting(true);
    onError(null);
    try {
      setResult(await api['provisioning.testConnection']({ target }));
    } catch (e) {
      onError((e as Error).message);
    } finally {
      setTesting(false);
    }
  };

  const mockStopped = targetMode === 'mock' && mock !== null && !mock.running;
  return (
    <section className="prov-panel prov-target" aria-labelledby="prov-target-title">
      <h2 id="prov-target-title">Admin Credentials</h2>
      <fieldset className="prov-target-mode">
        <legend>Target</legend>
        <label>
          <input type="radio" name="prov-target" checked={targetMode === 'mock'} onChange={() => setTarget({ targetMode: 'mock' })} />
          This app’s mock server
        </label>
        <label>
          <input type="radio" name="prov-target" checked={targetMode === 'url'} onChange={() => setTarget({ targetMode: 'url' })} />
          Tenant URL and Secret Token
        </label>
      </fieldset>
      {targetMode === 'mock' ? (
        <div className="prov-mock-state">
          {mock === null ? (
            <span className="muted">Reading the mock server…</span>
          ) : mock.running ? (
            <span>
              Running · {mock.vendorName} · <code>{mock.url}</code>
            </span>
          ) : (
            <>
              <span className="muted">The mock server is stopped; it starts as {projectVendor?.name ?? mock.vendorName}, the project’s vendor.</span>
              <button type="button" onClick={startMock} {...disabledBecause(starting && 'Starting the mock server…')}>
                {starting ? 'Starting…' : 'Start mock server'}
              </button>
            </>
          )}
        </div>
      ) : (
        <div className="prov-credentials">
          <label>
            Tenant URL
            <input type="url" value={url} placeholder="https://vendor.example/scim/v2" onChange={(e) => setTarget({ url: e.target.value })} />
          </label>
          <label>
            Secret Token
            <input type="password" value={token} autoComplete="off" onChange={(e) => setTarget({ token: e.target.value })} />
          </label>
        </div>
      )}
      <div className="prov-row">
        <button type="button" onClick={test} {...disabledBecause(testing ? 'Testing the connection…' : mockStopped ? 'Start the mock server first' : !target && (targetMode === 'mock' ? 'Reading the mock server…' : 'Enter the Tenant URL and the Secret Token'))}>
          {testing ? 'Testing…' : 'Test Connection'}
        </button>
        {result && (
          <span role="status" className={result.ok ? 'prov-test ok' : 'prov-test failed'}>
            {result.ok ? 'The supplied credentials are authorized to enable provisioning.' : `Test connection failed${result.status ? ` (HTTP ${result.status})` : ''}: ${result.message}`}
            <span className="muted"> · {formatDuration(result.durationMs)}</span>
          </span>
        )}
      </div>
    </section>
  );
}
