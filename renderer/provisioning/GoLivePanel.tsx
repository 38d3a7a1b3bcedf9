import { useCallback, useEffect, useState } from 'react';
import type { GoLivePreviewDto, GoLiveWriteDto, MethodInput, RollbackPreviewDto, SchemaBackupDto } from '../../shared/api.ts';
import { RESET_SCOPES, type ResetScope } from '../../shared/go-live/reset-scope.ts';
import { api } from '../api-client.ts';
import { useAttempt } from '../components/use-attempt.ts';
import { ConfirmWriteDialog, type WriteTarget } from '../components/ConfirmWriteDialog.tsx';
import { disabledBecause } from '../components/disabled-reason.ts';
import { ProvisioningJobPicker } from '../components/ProvisioningJobPicker.tsx';
import { useProject } from '../state/project.ts';
import { chosenJob, graphAccess, useProvisioningJobStore } from '../state/provisioning-job.ts';
import { CycleForecast } from './CycleForecast.tsx';
import { GoLiveBackups } from './go-live/GoLiveBackups.tsx';
import { GoLiveImpact, ImpactSummary } from './go-live/GoLiveImpact.tsx';
import { SchemaDiffView } from './go-live/SchemaDiffView.tsx';
import { WriteOutcome } from './go-live/WriteOutcome.tsx';
import '../styles/go-live.css';

/** What saving a schema does, said before every write (Microsoft Learn "How Application Provisioning works"). */
const WHAT_A_SAVE_DOES =
  'Saving the schema makes Entra start a new initial cycle over every assigned user and group; users the new scoping ' +
  'leaves out are disabled or deleted in the vendor. The live schema is backed up into this workspace first.';

type After = NonNullable<MethodInput<'goLive.apply'>['then']>;

interface Outcome {
  kind: 'apply' | 'rollback';
  write: GoLiveWriteDto;
  /** the backup a rollback restored */
  restored?: number;
}

const targetOf = (preview: { target: GoLivePreviewDto['target'] }): WriteTarget => ({
  kind: 'Microsoft Entra tenant (the provisioning job’s schema)',
  tenant: preview.target.tenant,
  app: `${preview.target.appName ?? preview.target.servicePrincipalId} · job ${preview.target.jobId}`,
});

function afterText(after: After): string {
  if (after.action === 'start') return 'After a verified apply the job is started.';
  if (after.action === 'restart') return `After a verified apply the job is restarted, clearing ${after.resetScope.join(', ')}.`;
  return 'The job is neither started nor restarted: it picks the new schema up on its next cycle.';
}

/** Start or restart after a verified apply, with the reset scope the admin picks (Microsoft Graph "synchronizationJobRestartCriteria"). */
function AfterApply({ value, onChange }: { value: After; onChange(value: After): void }) {
  const scopes = value.action === 'restart' ? value.resetScope : [];
  const toggle = (scope: ResetScope) => {
    const next = scopes.includes(scope) ? scopes.filter((s) => s !== scope) : [...scopes, scope];
    onChange(next.length ? { action: 'restart', resetScope: next } : { action: 'nothing' });
  };
  return (
    <fieldset className="go-live-after">
      <legend>After a verified apply</legend>
      <label>
        <input type="radio" name="go-live-after" checked={value.action === 'nothing'} onChange={() => onChange({ action: 'nothing' })} /> Leave the job as it is
      </label>
      <label>
        <input type="radio" name="go-live-after" checked={value.action === 'start'} onChange={() => onChange({ action: 'start' })} /> Start the job
      </label>
      <span className="go-live-restart">Restart the job, clearing:</span>
      {RESET_SCOPES.map((scope) => (
        <label key={scope}>
          <input type="checkbox" checked={scopes.includes(scope)} onChange={() => toggle(scope)} /> {scope}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * "Go live" (issue 15): compare the saved mappings with the job's live schema (the diff in the portal's words, the impact
 * on the current snapshot, the first cycle's forecast), apply them after a confirmation that names tenant, app and
 * impact, and roll back to a backup the same way. Every write carries the token of the comparison the admin confirmed.
 */
export function GoLivePanel() {
  const [open, setOpen] = useState(false);
  const picked = useProvisioningJobStore();
  const job = chosenJob(picked);
  const snapshotId = useProject((s) => s.snapshotId);
  const [preview, setPreview] = useState<GoLivePreviewDto | null>(null);
  const [rollbackPreview, setRollbackPreview] = useState<RollbackPreviewDto | null>(null);
  const [confirming, setConfirming] = useState<'apply' | 'rollback' | null>(null);
  const [after, setAfter] = useState<After>({ action: 'nothing' });
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [backups, setBackups] = useState<SchemaBackupDto[]>([]);
  const { busy, error, setError, attempt } = useAttempt();
  const servicePrincipalId = job?.servicePrincipalId;
  const jobId = job?.jobId;

  const loadBackups = useCallback(() => {
    if (!servicePrincipalId || !jobId) return setBackups([]);
    api['goLive.backups']({ servicePrincipalId, jobId }).then(setBackups, (e: Error) => setError(e.message));
  }, [servicePrincipalId, jobId]);

  // a comparison belongs to its job: picking another one starts over
  useEffect(() => {
    setPreview(null);
    setRollbackPreview(null);
    setOutcome(null);
    if (open) loadBackups();
  }, [open, loadBackups]);

  const compare = () =>
    attempt('Reading the live schema…', async () => {
      setOutcome(null);
      setRollbackPreview(null);
      setPreview(await api['goLive.preview']({ ...graphAccess(picked), servicePrincipalId: job!.servicePrincipalId, jobId: job!.jobId, ...(snapshotId !== null ? { snapshotId } : {}) }));
    });

  const chooseBackup = (backupId: number) =>
    attempt(`Comparing backup ${backupId} with the live schema…`, async () => {
      setOutcome(null);
      setPreview(null);
      setRollbackPreview(await api['goLive.rollbackPreview']({ ...graphAccess(picked), servicePrincipalId: job!.servicePrincipalId, jobId: job!.jobId, backupId, ...(snapshotId !== null ? { snapshotId } : {}) }));
    });

  // A token is good for one write: whatever the answer, the admin compares again before another.
  const write = (kind: 'apply' | 'rollback', typed: string) => {
    const token = kind === 'apply' ? preview!.token : rollbackPreview!.token;
    const restored = rollbackPreview?.backup.id;
    setConfirming(null);
    setPreview(null);
    setRollbackPreview(null);
    return attempt(
      kind === 'apply' ? 'Backing up the live schema, saving the plan, reading it back…' : 'Backing up the live schema, restoring the backup, reading it back…',
      async () => {
        try {
          const written =
            kind === 'apply' ? await api['goLive.apply']({ token, confirmation: typed, then: after }) : await api['goLive.rollback']({ token, confirmation: typed });
          setOutcome({ kind, write: written, ...(kind === 'rollback' && restored !== undefined ? { restored } : {}) });
        } finally {
          loadBackups();
        }
      },
    );
  };

  const cannotCompare = (!job && 'Pick the provisioning job first') || (busy !== null && busy) || (picked.busy !== null && picked.busy);
  const impact = preview?.impact;
  return (
    <details className="prov-panel go-live" open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>
        <h2>Go live</h2>
      </summary>
      {/* rendered only when open: the screen costs no Graph call until the admin asks */}
      {open && (
        <>
          <p className="muted">
            Apply the saved mappings to the enterprise app’s provisioning job in Entra: compare first (nothing is written), then confirm. Needs the
            delegated permission Synchronization.ReadWrite.All.
          </p>
          <ProvisioningJobPicker idPrefix="go-live" />
          <button type="button" className="primary" onClick={() => void compare()} {...disabledBecause(cannotCompare)}>
            Compare with the live configuration
          </button>
          {busy && (
            <p role="status" className="muted">
              {busy}
            </p>
          )}
          {error && (
            <p role="alert" className="error-text">
              {error}
            </p>
          )}
          {outcome && <WriteOutcome {...outcome} />}
          {preview && (
            <section className="go-live-preview" aria-label="Planned changes">
              <h3>
                {preview.revision.label} against the live schema of {preview.target.appName ?? preview.target.servicePrincipalId} (tenant {preview.target.tenant})
              </h3>
              <SchemaDiffView changes={preview.changes} emptyText="The live schema already has every planned row: nothing to apply." />
              <h3>Impact</h3>
              {impact ? <GoLiveImpact impact={impact} /> : <p className="muted">{preview.impactNote}</p>}
              {preview.forecast && <CycleForecast forecast={preview.forecast} />}
              <AfterApply value={after} onChange={setAfter} />
              <button type="button" className="danger" onClick={() => setConfirming('apply')} {...disabledBecause((preview.changes.length === 0 && 'Nothing to apply') || (busy !== null && busy))}>
                Apply to tenant…
              </button>
            </section>
          )}
          {rollbackPreview && (
            <section className="go-live-preview" aria-label="Roll back">
              <h3>
                Restoring backup {rollbackPreview.backup.id} (taken {rollbackPreview.backup.takenAt} before {rollbackPreview.backup.reason}) changes
              </h3>
              <SchemaDiffView changes={rollbackPreview.changes} emptyText="The live schema already equals this backup in every row the app compares." />
              <h3>Impact</h3>
              {rollbackPreview.impact ? <GoLiveImpact impact={rollbackPreview.impact} /> : <p className="muted">{rollbackPreview.impactNote}</p>}
              {rollbackPreview.forecast && <CycleForecast forecast={rollbackPreview.forecast} />}
              <button type="button" className="danger" onClick={() => setConfirming('rollback')} {...disabledBecause(busy !== null && busy)}>
                Roll back on tenant…
              </button>
            </section>
          )}
          {job && <GoLiveBackups backups={backups} busy={busy !== null} onRollBack={(id) => void chooseBackup(id)} />}
          {confirming === 'apply' && preview && (
            <ConfirmWriteDialog
              title="Apply the planned mappings to the provisioning job"
              target={targetOf(preview)}
              confirmLabel="Apply to tenant"
              typeToConfirm={preview.typeToConfirm}
              onConfirm={(typed) => void write('apply', typed)}
              onCancel={() => setConfirming(null)}
            >
              <p>
                {preview.changes.length} change(s) from {preview.revision.label}. {WHAT_A_SAVE_DOES}
              </p>
              {impact ? <ImpactSummary impact={impact} /> : <p>{preview.impactNote}</p>}
              <p>{afterText(after)}</p>
            </ConfirmWriteDialog>
          )}
          {confirming === 'rollback' && rollbackPreview && (
            <ConfirmWriteDialog
              title={`Roll back to backup ${rollbackPreview.backup.id}`}
              target={targetOf(rollbackPreview)}
              confirmLabel="Roll back on tenant"
              typeToConfirm={rollbackPreview.typeToConfirm}
              onConfirm={(typed) => void write('rollback', typed)}
              onCancel={() => setConfirming(null)}
            >
              <p>
                Puts backup {rollbackPreview.backup.id} (taken {rollbackPreview.backup.takenAt}) back on the job: {rollbackPreview.changes.length} change(s).{' '}
                {WHAT_A_SAVE_DOES}
              </p>
              {rollbackPreview.impact ? <ImpactSummary impact={rollbackPreview.impact} /> : <p>{rollbackPreview.impactNote}</p>}
            </ConfirmWriteDialog>
          )}
        </>
      )}
    </details>
  );
}
