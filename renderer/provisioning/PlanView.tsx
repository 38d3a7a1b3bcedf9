import { useEffect, useRef } from 'react';
import { CycleForecast } from './CycleForecast.tsx';
import { actionLabel, formatCount } from './timeline.ts';
import type { Plan } from './types.ts';
import { disabledBecause } from '../components/disabled-reason.ts';

const COUNT_KEYS = [
  ['create', 'Create'],
  ['update', 'Update'],
  ['deactivate', 'Disable'],
  ['delete', 'Delete'],
  ['none', 'No change'],
  ['skip', 'Skip'],
  ['error', 'Error'],
] as const;

/** The dry run: what the cycle would send, counted by action, with the first objects and their requests. */
export function PlanView({ plan, busy, onProvision, onDiscard }: { plan: Plan; busy: boolean; onProvision(): void; onDiscard(): void }) {
  return (
    <section className="prov-panel prov-plan" aria-labelledby="prov-plan-title">
      <div className="prov-row">
        <h2 id="prov-plan-title">Dry run · {cycleName(plan.kind)} cycle</h2>
        <span className="muted">
          {plan.targetUrl} · {plan.dialect} · {plan.loopback ? 'this machine' : 'off this machine'}
        </span>
      </div>
      {plan.quarantine && (
        <p className="error-banner" role="alert">
          In quarantine since {plan.quarantine.since}: {plan.quarantine.reason}. {plan.quarantine.detail}
        </p>
      )}
      <ul className="prov-counts" aria-label="Plan counts">
        {COUNT_KEYS.map(([key, label]) => (
          <li key={key} className={`prov-count prov-count-${key}`}>
            <span className="prov-count-value">{formatCount(plan.counts[key])}</span> {label}
          </li>
        ))}
      </ul>
      {plan.forecast && <CycleForecast forecast={plan.forecast} />}
      <details className="prov-plan-objects">
        <summary>
          Objects and requests ({plan.objects.length < plan.totalObjects ? `first ${formatCount(plan.objects.length)} of ` : ''}
          {formatCount(plan.totalObjects)})
        </summary>
        <ul>
          {plan.objects.map((o) => (
            <li key={`${o.objectType}-${o.sourceId}`}>
              <strong>{o.label}</strong> <span className="badge">{o.objectType}</span> {actionLabel(o.action)}
              {o.reason && <span className="muted"> · {o.reason}</span>}
              {o.requests.length > 0 && (
                <ul className="prov-requests">
                  {o.requests.map((r, i) => (
                    <li key={i}>
                      <code>
                        {r.method} {r.path}
                      </code>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      </details>
      <div className="prov-row">
        <button type="button" className="primary" onClick={onProvision} {...disabledBecause(busy && 'A cycle is running')}>
          Provision
        </button>
        <button type="button" onClick={onDiscard} {...disabledBecause(busy && 'A cycle is running')}>
          Discard dry run
        </button>
      </div>
    </section>
  );
}

function cycleName(kind: Plan['kind']): string {
  return kind === 'initial' ? 'Initial' : kind === 'incremental' ? 'Incremental' : 'On demand';
}

/**
 * A target off this machine gets nothing without the admin confirming the counts (docs/provisioning.md
 * "Safety"). Escape or Cancel closes; focus starts on Cancel so Enter never provisions by accident.
 */
export function ConfirmProvisionDialog({ plan, onConfirm, onCancel }: { plan: Plan; onConfirm(): void; onCancel(): void }) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  const c = plan.counts;
  return (
    <div className="prov-dialog-backdrop">
      <div
        className="prov-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="prov-confirm-title"
        aria-describedby="prov-confirm-text"
        onKeyDown={(e) => {
          if (e.key === 'Escape') onCancel();
        }}
      >
        <h2 id="prov-confirm-title">Provision to {plan.targetUrl}?</h2>
        <p id="prov-confirm-text">
          This target is not on this machine. The cycle will create {formatCount(c.create)}, update {formatCount(c.update)}, disable{' '}
          {formatCount(c.deactivate)} and delete {formatCount(c.delete)} objects in the vendor’s application.
        </p>
        <div className="prov-row">
          <button type="button" className="primary" onClick={onConfirm}>
            Provision
          </button>
          <button type="button" ref={cancelRef} onClick={onCancel}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
