import type { SnapshotSummary } from '../../shared/api.ts';
import { useProvisioningUi, type CycleChoice } from '../state/provisioning.ts';
import { WhatIfEdits } from './WhatIfEdits.tsx';
import { disabledBecause } from '../components/disabled-reason.ts';

const CHOICES: { id: CycleChoice; label: string; hint: string }[] = [
  { id: 'initial', label: 'Initial cycle', hint: 'Every user and group in scope (Restart provisioning)' },
  { id: 'incremental', label: 'Incremental cycle', hint: 'Only what changed since a previous snapshot or the last cycle' },
  { id: 'on-demand', label: 'Provision on demand', hint: 'One user, with every step shown' },
];

/** Which cycle to rehearse; every choice opens as a dry run first. */
export function CycleControls({ snapshots, disabled, onPlan }: { snapshots: readonly SnapshotSummary[]; disabled: boolean; onPlan(): void }) {
  const { cycle, previousSnapshotId, onDemandUser, setCycle } = useProvisioningUi();
  const missingUser = cycle === 'on-demand' && onDemandUser.trim() === '';
  return (
    <section className="prov-panel prov-cycle" aria-labelledby="prov-cycle-title">
      <h2 id="prov-cycle-title">Cycle</h2>
      <div role="radiogroup" aria-label="Cycle" className="prov-cycle-choices">
        {CHOICES.map((c) => (
          <label key={c.id} title={c.hint}>
            <input type="radio" name="prov-cycle" checked={cycle === c.id} onChange={() => setCycle({ cycle: c.id })} />
            {c.label}
          </label>
        ))}
      </div>
      {cycle === 'incremental' && (
        <label>
          Previous snapshot
          <select aria-label="Previous snapshot" value={previousSnapshotId ?? ''} onChange={(e) => setCycle({ previousSnapshotId: e.target.value ? Number(e.target.value) : null })}>
            <option value="">What was provisioned last</option>
            {snapshots.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label} · {new Date(s.fetchedAt).toLocaleString()} · {s.userCount} users
              </option>
            ))}
          </select>
        </label>
      )}
      {cycle === 'incremental' && <WhatIfEdits snapshots={snapshots} disabled={disabled} />}
      {cycle === 'on-demand' && (
        <label>
          User (userPrincipalName or object id)
          <input type="text" value={onDemandUser} placeholder="adele.vance@contoso.com" onChange={(e) => setCycle({ onDemandUser: e.target.value })} />
        </label>
      )}
      <div className="prov-row">
        <button type="button" className="primary" onClick={onPlan} {...disabledBecause(disabled ? 'Choose a target above, and wait for the dry run or cycle in progress' : missingUser && 'Enter the user to provision on demand')}>
          Dry run
        </button>
        <span className="muted">Nothing is sent until you choose Provision.</span>
      </div>
    </section>
  );
}
