import { useShallow } from 'zustand/react/shallow';
import { useMappingsStore, isDirty, workingCopyTitle } from '../state/mappings.ts';
import { useProject } from '../state/project.ts';

/** What every screen is working on, in the header: the snapshot, the mappings and the vendor, from the one project store. */
export function ProjectContext() {
  const { snapshots, snapshotId, vendor } = useProject(useShallow((s) => ({ snapshots: s.snapshots, snapshotId: s.snapshotId, vendor: s.vendor })));
  const mappings = useMappingsStore(useShallow((s) => ({ history: s.history, saved: s.saved, baseRevision: s.baseRevision, baseLabel: s.baseLabel })));
  const snapshot = snapshots?.find((s) => s.id === snapshotId);
  const title = workingCopyTitle(mappings);
  return (
    <span className="project-context" aria-label="Current project">
      <span data-testid="context-snapshot" title="The snapshot every screen works on (Tenant)">
        Snapshot: {snapshot ? `${snapshot.label} (${snapshot.userCount} users)` : snapshots ? 'none' : '…'}
      </span>
      ·
      <span data-testid="context-mappings" title="The mapping set (Mappings)">
        {title ?? '…'}
        {isDirty(mappings) ? ' · unsaved changes' : ''}
      </span>
      ·
      <span data-testid="context-vendor" title="The project’s vendor">
        Vendor: {vendor?.name ?? '…'}
      </span>
    </span>
  );
}
