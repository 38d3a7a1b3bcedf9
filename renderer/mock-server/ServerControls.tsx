import { useEffect, useState } from 'react';
import type { MockServerStatus } from '../../shared/api.ts';
import { api } from '../api-client.ts';
import { disabledBecause } from '../components/disabled-reason.ts';

interface Form {
  vendorId: string;
  strict: boolean;
  port: string;
  host: string;
  latencyMs: string;
  failurePercent: string;
}

const formFrom = (status: MockServerStatus): Form => ({
  vendorId: status.vendorId,
  strict: status.mode === 'strict',
  port: String(status.port),
  host: status.host,
  latencyMs: String(status.latencyMs),
  failurePercent: String(Math.round(status.failureRate * 1000) / 10),
});

function wholeNumber(text: string, label: string, max: number): number {
  const value = Number(text.trim() === '' ? '0' : text);
  if (!Number.isInteger(value) || value < 0 || value > max) throw new Error(`${label} must be a whole number from 0 to ${max}.`);
  return value;
}

/**
 * Start / stop, and how the server behaves: which vendor it emulates, Entra-compatible or strict RFC,
 * the port, and rehearsal settings (latency, injected failures). Changing settings while it runs restarts it.
 */
export function ServerControls({ status, onStatus, onError }: { status: MockServerStatus; onStatus(s: MockServerStatus): void; onError(message: string | null): void }) {
  const [form, setForm] = useState<Form>(() => formFrom(status));
  const [busy, setBusy] = useState(false);
  // a status read from the backend (first load, another window) resets the form, but not while the admin edits a running server
  useEffect(() => setForm(formFrom(status)), [status.running, status.vendorId, status.mode, status.port, status.host, status.latencyMs, status.failureRate]);

  const update = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));

  const run = async (work: () => Promise<MockServerStatus | null>) => {
    setBusy(true);
    onError(null);
    try {
      const next = await work();
      if (next) onStatus(next);
    } catch (e) {
      onError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const start = () =>
    run(async () => {
      const failurePercent = Number(form.failurePercent.trim() === '' ? '0' : form.failurePercent);
      if (!Number.isFinite(failurePercent) || failurePercent < 0 || failurePercent > 100) throw new Error('Failure rate must be a percentage from 0 to 100.');
      return api['mockServer.start']({
        vendorId: form.vendorId,
        strict: form.strict,
        port: wholeNumber(form.port, 'Port', 65535),
        host: form.host,
        latencyMs: wholeNumber(form.latencyMs, 'Latency', 60_000),
        failureRate: failurePercent / 100,
      });
    });
  const stop = () => run(() => api['mockServer.stop']({}));
  const reset = () =>
    run(async () => {
      const sure = window.confirm(`Delete the ${status.users} users and ${status.groups} groups the mock server holds? The request log stays.`);
      if (!sure) return null;
      await api['mockServer.reset']({});
      return api['mockServer.status']({});
    });

  return (
    <section className="mock-panel mock-controls" aria-labelledby="mock-controls-title">
      <h2 id="mock-controls-title">Server</h2>
      <div className="mock-form">
        <label className="field">
          <span>Vendor</span>
          <select value={form.vendorId} onChange={(e) => update('vendorId', e.target.value)} aria-label="Vendor">
            {status.vendors.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="mock-mode">
          <legend>Protocol mode</legend>
          <label>
            <input type="radio" name="mock-mode" checked={!form.strict} onChange={() => update('strict', false)} /> Entra-compatible
          </label>
          <label>
            <input type="radio" name="mock-mode" checked={form.strict} onChange={() => update('strict', true)} /> Strict RFC 7644
          </label>
        </fieldset>
        <label className="field">
          <span>Port</span>
          <input className="mock-number" inputMode="numeric" value={form.port} onChange={(e) => update('port', e.target.value)} aria-describedby="mock-port-hint" />
          <span id="mock-port-hint" className="muted mock-hint">
            0 = any free port
          </span>
        </label>
        <label className="field">
          <span>Listen on</span>
          <select value={form.host} onChange={(e) => update('host', e.target.value)}>
            <option value="127.0.0.1">This computer only (127.0.0.1)</option>
            <option value="0.0.0.0">Every network interface (0.0.0.0)</option>
          </select>
        </label>
        <label className="field">
          <span>Latency (ms)</span>
          <input className="mock-number" inputMode="numeric" value={form.latencyMs} onChange={(e) => update('latencyMs', e.target.value)} />
        </label>
        <label className="field">
          <span>Failure rate (%)</span>
          <input className="mock-number" inputMode="decimal" value={form.failurePercent} onChange={(e) => update('failurePercent', e.target.value)} />
        </label>
      </div>
      <div className="mock-actions">
        <button type="button" className="primary" onClick={start} {...disabledBecause(busy && 'Waiting for the mock server…')}>
          {status.running ? 'Restart with these settings' : 'Start'}
        </button>
        <button type="button" onClick={stop} {...disabledBecause(busy ? 'Waiting for the mock server…' : !status.running && 'The mock server is not running')}>
          Stop
        </button>
        <button type="button" className="danger" onClick={reset} {...disabledBecause(busy ? 'Waiting for the mock server…' : status.users === 0 && status.groups === 0 && 'The mock server holds no users or groups')}>
          Delete all users and groups
        </button>
      </div>
    </section>
  );
}
