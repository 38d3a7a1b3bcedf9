import { useEffect, useState } from 'react';
import type { MockServerStatus } from '../../shared/api.ts';
import { failurePercentText, parseFailurePercent } from '../../shared/api/failure-rate.ts';
import { api } from '../api-client.ts';
import { VendorPicker } from '../components/VendorPicker.tsx';
import { useProject } from '../state/project.ts';
import { disabledBecause } from '../components/disabled-reason.ts';

interface Form {
  strict: boolean;
  port: string;
  host: string;
  latencyMs: string;
  failurePercent: string;
}

const formFrom = (status: MockServerStatus): Form => ({
  strict: status.mode === 'strict',
  port: String(status.port),
  host: status.host,
  latencyMs: String(status.latencyMs),
  failurePercent: failurePercentText(status.failureRate),
});

function wholeNumber(text: string, label: string, max: number): number {
  const value = Number(text.trim() === '' ? '0' : text);
  if (!Number.isInteger(value) || value < 0 || value > max) throw new Error(`${label} must be a whole number from 0 to ${max}.`);
  return value;
}

/**
 * The choice the two modes stand for, said where the admin picks one: RFC 7644 §3.5.2 lists the op values in lower
 * case and JSON strings compare exactly, so strict mode refuses "Replace" as a strict vendor does; Entra-compatible
 * accepts what Entra sends without the aadOptscim062020 flag (electron/backend/mock-server/modes.ts).
 */
const STRICT_MODE_REFUSES =
  'Strict refuses what a strict vendor refuses: booleans as strings ("False"), capitalised PATCH op names ("Replace"), ' +
  'path-less dotted keys, member removal by a value array and a plain-string manager. Entra-compatible accepts them.';

/**
 * Start / stop, and how the server behaves: it emulates the project's vendor (chosen here or on any screen
 * with a vendor), Entra-compatible or strict RFC, the port, and rehearsal settings (latency, injected
 * failures). Changing settings while it runs restarts it.
 */
export function ServerControls({ status, onStatus, onError }: { status: MockServerStatus; onStatus(s: MockServerStatus): void; onError(message: string | null): void }) {
  const [form, setForm] = useState<Form>(() => formFrom(status));
  const vendorId = useProject((s) => s.vendor?.vendorId ?? null);
  const vendorPending = useProject((s) => s.vendorPending);
  const [busy, setBusy] = useState(false);
  // a status read from the backend (first load, another window) resets the form, but not while the admin edits a running server
  useEffect(() => setForm(formFrom(status)), [status.running, status.mode, status.port, status.host, status.latencyMs, status.failureRate]);

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
      const failure = parseFailurePercent(form.failurePercent, 'Failure rate');
      if (!failure.ok) throw new Error(failure.message);
      return api['mockServer.start']({
        // omitted while the project is loading: the backend then emulates the project's vendor too
        ...(vendorId !== null ? { vendorId } : {}),
        strict: form.strict,
        port: wholeNumber(form.port, 'Port', 65535),
        host: form.host,
        latencyMs: wholeNumber(form.latencyMs, 'Latency', 60_000),
        failureRate: failure.rate,
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
        <VendorPicker label="Vendor" showSummary={false} />
        <fieldset className="mock-mode">
          <legend>Protocol mode</legend>
          <label>
            <input type="radio" name="mock-mode" checked={!form.strict} onChange={() => update('strict', false)} /> Entra-compatible
          </label>
          <label>
            <input type="radio" name="mock-mode" checked={form.strict} onChange={() => update('strict', true)} /> Strict RFC 7644
          </label>
          <p className="muted mock-hint">{STRICT_MODE_REFUSES}</p>
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
      {status.running && vendorId !== null && status.vendorId !== vendorId && (
        <p className="muted">
          The server still emulates {status.vendorName}; Restart with these settings to emulate the project’s vendor.
        </p>
      )}
      <div className="mock-actions">
        <button type="button" className="primary" onClick={start} {...disabledBecause((busy && 'Waiting for the mock server…') || (vendorPending && 'Waiting for the project’s vendor…'))}>
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
