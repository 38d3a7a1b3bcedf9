import { useState } from 'react';
import type { SnapshotSummary } from '../../shared/api.ts';
import { api } from '../api-client.ts';
import { ActionStatus, useActionStatus } from '../components/ActionStatus.tsx';
import { disabledBecause } from '../components/disabled-reason.ts';

interface DemoTenantButtonProps {
  /** the project's snapshots as the screen last listed them (null while loading) */
  snapshots: readonly SnapshotSummary[] | null;
  selectedId: number | null;
  onLoaded(snapshot: SnapshotSummary): void;
  onError(message: string): void;
}

/** What "Use demo tenant" did: the backend returns the existing demo snapshot when there is one. */
function demoTenantOutcome(demo: SnapshotSummary, snapshots: readonly SnapshotSummary[] | null, selectedId: number | null): string {
  const facts = `${demo.label}, ${demo.userCount.toLocaleString('en-US')} users and ${demo.groupCount.toLocaleString('en-US')} groups`;
  if (!snapshots?.some((s) => s.id === demo.id)) return `Loaded the demo tenant: ${facts}.`;
  if (selectedId === demo.id) return `The demo tenant is already loaded and shown (${facts}).`;
  return `The demo tenant was already loaded: now showing it (${facts}).`;
}

/** "Use demo tenant", saying what it did even when there was nothing to load. */
export function DemoTenantButton({ snapshots, selectedId, onLoaded, onError }: DemoTenantButtonProps) {
  const [busy, setBusy] = useState(false);
  const { status, say, clear } = useActionStatus();

  const useDemo = async () => {
    setBusy(true);
    clear();
    try {
      const demo = await api['directory.useDemoTenant']({});
      say(demoTenantOutcome(demo, snapshots, selectedId), snapshots?.some((s) => s.id === demo.id) ? 'note' : 'done');
      onLoaded(demo);
    } catch (e) {
      onError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" onClick={() => void useDemo()} {...disabledBecause(busy && 'Loading the demo tenant…')}>
        Use demo tenant
      </button>
      <ActionStatus status={status} className="demo-tenant-status" />
    </>
  );
}
