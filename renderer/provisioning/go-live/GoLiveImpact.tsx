import type { GoLiveImpactDto } from '../../../shared/api.ts';

const SHOWN_OUT_OF_SCOPE = 200;

/** The cycle after the PUT: counts, who falls out of scope (named, with the rule), Entra's circuit breakers. */
export function GoLiveImpact({ impact }: { impact: GoLiveImpactDto }) {
  const leaving = impact.outOfScope;
  return (
    <div className="go-live-impact" data-testid="go-live-impact">
      <ul className="prov-counts">
        {(
          [
            ['Creates', impact.creates],
            ['Updates', impact.updates],
            ['Disables', impact.disables],
            ['Deletes', impact.deletes],
            ['Unchanged', impact.unchanged],
          ] as const
        ).map(([label, value]) => (
          <li key={label} className="prov-count">
            <div className="prov-count-value">{value}</div>
            <div className="muted">{label}</div>
          </li>
        ))}
      </ul>
      <p>
        The next cycle touches {impact.users} users and {impact.groups} groups
        {impact.errors > 0 ? `; ${impact.errors} would fail` : ''}.
      </p>
      {leaving.length > 0 && (
        <details open={leaving.length <= 20}>
          <summary>
            {leaving.length} users fall out of scope and are disabled or deleted in the vendor
          </summary>
          <ul className="go-live-out-of-scope">
            {leaving.slice(0, SHOWN_OUT_OF_SCOPE).map((user) => (
              <li key={user.id}>
                {user.userPrincipalName}: {user.action === 'delete' ? 'deleted' : 'disabled'} ({user.rule})
              </li>
            ))}
            {leaving.length > SHOWN_OUT_OF_SCOPE && <li className="muted">… and {leaving.length - SHOWN_OUT_OF_SCOPE} more</li>}
          </ul>
        </details>
      )}
      {impact.accidentalDeletions.exceeded && (
        <p role="alert" className="error-text">
          {impact.accidentalDeletions.count} disables and deletes exceed Entra’s accidental-deletion threshold ({impact.accidentalDeletions.threshold}): Entra
          stops the cycle and quarantines the job until you allow the deletes.
        </p>
      )}
      {impact.quarantine.reached && (
        <p role="alert" className="error-text">
          {impact.quarantine.failures} objects would fail: enough to put the job in quarantine.
        </p>
      )}
    </div>
  );
}

const NAMED_IN_CONFIRMATION = 10;

/** The impact as the confirmation states it: short enough that the tenant and the app stay in view above it. */
export function ImpactSummary({ impact }: { impact: GoLiveImpactDto }) {
  const leaving = impact.outOfScope;
  return (
    <ul className="go-live-impact-summary">
      <li>{impact.lines[0]}</li>
      {leaving.length > 0 && (
        <li>
          {leaving.length} users fall out of scope and are disabled or deleted in the vendor:{' '}
          {leaving
            .slice(0, NAMED_IN_CONFIRMATION)
            .map((user) => user.userPrincipalName)
            .join(', ')}
          {leaving.length > NAMED_IN_CONFIRMATION ? ` and ${leaving.length - NAMED_IN_CONFIRMATION} more (listed in the panel)` : ''}.
        </li>
      )}
      {impact.accidentalDeletions.exceeded && (
        <li className="error-text">
          {impact.accidentalDeletions.count} disables and deletes exceed the accidental-deletion threshold ({impact.accidentalDeletions.threshold}): Entra stops the cycle
          and quarantines the job until you allow them.
        </li>
      )}
      {impact.quarantine.reached && <li className="error-text">{impact.quarantine.failures} objects would fail: enough to put the job in quarantine.</li>}
    </ul>
  );
}
