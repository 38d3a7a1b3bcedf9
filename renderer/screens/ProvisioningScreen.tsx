import { useCallback, useEffect, useRef, useState } from 'react';
import type { SnapshotSummary } from '../../shared/api.ts';
import { api, onEvent } from '../api-client.ts';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { VendorPicker } from '../components/VendorPicker.tsx';
import { AuditLog } from '../provisioning/AuditLog.tsx';
import { CanaryPanel } from '../provisioning/CanaryPanel.tsx';
import { CycleControls } from '../provisioning/CycleControls.tsx';
import { GoLivePanel } from '../provisioning/GoLivePanel.tsx';
import { ConfirmProvisionDialog, PlanView } from '../provisioning/PlanView.tsx';
import { RunProgressView, type RunProgressState } from '../provisioning/RunView.tsx';
import { useTarget, TargetPanel } from '../provisioning/TargetPanel.tsx';
import { VendorEndpointPanel } from '../provisioning/VendorEndpointPanel.tsx';
import type { AuditRow, Plan, RunInfo } from '../provisioning/types.ts';
import { useProject } from '../state/project.ts';
import { useProvisioningUi } from '../state/provisioning.ts';
import '../styles/provisioning.css';

interface RunEvents {
  rows: AuditRow[];
  progress: RunProgressState | null;
}

/**
 * The Provisioning screen: Entra's provisioning cycle against this app's mock server or a vendor's test
 * endpoint. Every cycle opens as a dry run (the plan), then Provision; a target off this machine needs the
 * admin to confirm the counts. The run is followed through events, and its provisioning logs page from
 * the backend.
 */
export function ProvisioningScreen() {
  const target = useTarget();
  const ui = useProvisioningUi();
  const [error, setError] = useState<string | null>(null);
  const [snapshots, setSnapshots] = useState<SnapshotSummary[]>([]);
  const [runs, setRuns] = useState<RunInfo[]>([]);
  const [plan, setPlan] = useState<Plan | null>(null);
  const [planning, setPlanning] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [starting, setStarting] = useState(false);
  const [runId, setRunId] = useState<number | null>(null);
  const [run, setRun] = useState<RunEvents>({ rows: [], progress: null });
  /** events can arrive before provisioning.run answers with the run id, so they are kept per run */
  const byRun = useRef(new Map<number, RunEvents>());
  const runIdRef = useRef<number | null>(null);

  const refreshRuns = useCallback(() => {
    api['provisioning.runs']({}).then(setRuns, (e: Error) => setError(e.message));
  }, []);

  useEffect(() => {
    api['tenant.listSnapshots']({}).then(setSnapshots, (e: Error) => setError(e.message));
    refreshRuns();
  }, [refreshRuns]);

  useEffect(() => {
    const entryFor = (id: number) => {
      let entry = byRun.current.get(id);
      if (!entry) byRun.current.set(id, (entry = { rows: [], progress: null }));
      return entry;
    };
    const publish = (id: number) => {
      if (id === runIdRef.current) {
        const entry = entryFor(id);
        setRun({ rows: [...entry.rows], progress: entry.progress });
      }
    };
    const offStep = onEvent('provisioning.step', ({ runId: id, row }) => {
      entryFor(id).rows.push(row);
      publish(id);
    });
    const offProgress = onEvent('provisioning.progress', (p) => {
      entryFor(p.runId).progress = { runId: p.runId, done: p.done, total: p.total, status: p.status, summary: p.summary };
      publish(p.runId);
      if (p.status !== 'running') {
        refreshRuns();
        if (p.runId === runIdRef.current) useProvisioningUi.getState().showAuditRun(p.runId);
      }
    });
    return () => {
      offStep();
      offProgress();
    };
  }, [refreshRuns]);

  // until the admin picks one, the log shows the newest run
  useEffect(() => {
    if (ui.auditRunId === null && runs.length > 0) ui.showAuditRun(runs[0]!.id);
  }, [runs, ui]);

  const snapshotId = useProject((s) => s.snapshotId);
  const cycleInput = () => ({
    cycle: ui.cycle,
    target: target!,
    // the project's current snapshot (chosen on the Tenant screen)
    ...(snapshotId !== null ? { snapshotId } : {}),
    ...(ui.cycle === 'incremental' && ui.previousSnapshotId !== null ? { previousSnapshotId: ui.previousSnapshotId } : {}),
    ...(ui.cycle === 'on-demand' ? { user: ui.onDemandUser.trim() } : {}),
    edits: ui.cycle === 'incremental' ? ui.edits.map((e) => e.edit) : [],
    concurrency: 4,
  });

  const dryRun = async () => {
    if (!target) return;
    setPlanning(true);
    setError(null);
    setPlan(null);
    try {
      setPlan(await api['provisioning.plan'](cycleInput()));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setPlanning(false);
    }
  };

  const provision = async (confirm: boolean) => {
    if (!target || !plan) return;
    setConfirming(false);
    setStarting(true);
    setError(null);
    try {
      const started = await api['provisioning.run']({ ...cycleInput(), confirm });
      runIdRef.current = started.runId;
      setRunId(started.runId);
      let entry = byRun.current.get(started.runId);
      if (!entry) byRun.current.set(started.runId, (entry = { rows: [], progress: null }));
      // until the first progress event, the plan's object count is the best total there is
      entry.progress ??= { runId: started.runId, done: 0, total: plan.totalObjects, status: 'running', summary: null };
      setRun({ rows: [...entry.rows], progress: entry.progress });
      setPlan(null);
      if (entry.progress.status !== 'running') {
        refreshRuns();
        ui.showAuditRun(started.runId);
      }
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setStarting(false);
    }
  };

  const onProvision = () => {
    if (!plan) return;
    if (plan.loopback) void provision(false);
    else setConfirming(true);
  };

  const cancel = () => {
    if (runId === null) return;
    api['provisioning.cancel']({ runId }).catch((e: Error) => setError(e.message));
  };

  const running = run.progress?.status === 'running' && runId !== null;
  return (
    <section className="prov-screen" aria-labelledby="prov-title">
      <div className="screen-toolbar">
        <h1 id="prov-title">Provisioning</h1>
        <span className="muted">Rehearse Entra’s provisioning cycle before you turn it on</span>
        <VendorPicker showSummary={false} />
      </div>
      {error && <ErrorBanner message={error} />}
      <div className="prov-scroll">
        <div className="prov-top">
          <TargetPanel onError={setError} />
          <CycleControls snapshots={snapshots} disabled={!target || planning || running || starting} onPlan={dryRun} />
        </div>
        {planning && (
          <p role="status" className="muted">
            Computing the dry run…
          </p>
        )}
        {plan && <PlanView plan={plan} busy={starting || running} onProvision={onProvision} onDiscard={() => setPlan(null)} />}
        {confirming && plan && <ConfirmProvisionDialog plan={plan} onConfirm={() => void provision(true)} onCancel={() => setConfirming(false)} />}
        {run.progress && <RunProgressView progress={run.progress} rows={run.rows} onCancel={cancel} />}
        <AuditLog runs={runs} />
        <VendorEndpointPanel />
        <GoLivePanel />
        <CanaryPanel />
      </div>
    </section>
  );
}
