import { create } from 'zustand';
import type { MethodOutput, ProjectVendor, SnapshotSummary, WorkspaceChange } from '../../shared/api.ts';
import { api, onEvent } from '../api-client.ts';
import { useMappingsStore } from './mappings.ts';
import { useUiStore } from './store.ts';

/** The latest saved mapping revision of the project; `revision` null = nothing saved, Entra's default mappings. */
interface SavedRevision {
  revision: number | null;
  label: string;
}

interface ProjectState {
  /** false until the first load answered (screens that depend on the project wait for it) */
  loaded: boolean;
  error: string | null;
  /** the app and its open workspace: path, project, version, door */
  info: MethodOutput<'app.info'> | null;
  /** the project's snapshots, newest first; null until listed */
  snapshots: SnapshotSummary[] | null;
  /** the snapshot every screen works on */
  snapshotId: number | null;
  vendor: ProjectVendor | null;
  /** a vendor change is on its way to the workspace: actions that use the vendor wait for it */
  vendorPending: boolean;
  latest: SavedRevision | null;

  /** reads the workspace's project, snapshots, vendor and current mapping set (first start, File > Open) */
  load(): Promise<void>;
  selectSnapshot(id: number | null): void;
  /** a fresh list of snapshots: the current one stays if it still exists, else the newest becomes current */
  snapshotsListed(list: SnapshotSummary[]): void;
  /** chooses the project's vendor in the workspace; every screen with a vendor follows */
  chooseVendor(vendorId: string): Promise<void>;
  /**
   * The one way to say "revision N was saved" (Mappings' Save, a fix applied in Preview, the backend's event): the
   * project's latest revision moves on, Preview re-runs on it and the Mappings working copy follows it. Never rejects:
   * a failure to read the revision back is shown as the project's error.
   */
  revisionSaved(revision: number, label?: string): Promise<void>;
}

const initialProjectState = {
  loaded: false,
  error: null,
  info: null,
  snapshots: null,
  snapshotId: null,
  vendor: null,
  vendorPending: false,
  latest: null,
} satisfies Partial<ProjectState>;

/**
 * One source of truth for what the admin is working on: the workspace and its project, the current snapshot, the
 * latest saved mapping revision and the project's vendor. The data stays in the workspace behind the API; this is the
 * renderer's cache of which one is current, kept in step by `followWorkspace` with changes made anywhere.
 */
export const useProject = create<ProjectState>()((set, get) => ({
  ...initialProjectState,

  load: async () => {
    try {
      const [info, snapshots, vendor, current] = await Promise.all([
        api['app.info']({}),
        api['tenant.listSnapshots']({}),
        api['project.vendor']({}),
        api['mappings.get']({}),
      ]);
      set({ loaded: true, error: null, info, vendor, latest: { revision: current.revision, label: current.label } });
      get().snapshotsListed(snapshots);
      const mappings = useMappingsStore.getState();
      if (!mappings.history) mappings.load(current.mappingSet, current.revision, current.label);
      else if (current.revision !== null) mappings.followSaved(current.mappingSet, current.revision, current.label);
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },

  selectSnapshot: (snapshotId) => {
    if (snapshotId === get().snapshotId) return;
    set({ snapshotId });
    // the selected user belonged to the other snapshot
    useUiStore.getState().selectUser(null);
  },

  snapshotsListed: (list) => {
    set({ snapshots: list });
    const current = get().snapshotId;
    if (!list.some((s) => s.id === current)) get().selectSnapshot(list[0]?.id ?? null);
  },

  chooseVendor: async (vendorId) => {
    set({ vendorPending: true });
    try {
      set({ vendor: await api['project.setVendor']({ vendorId }) });
    } finally {
      set({ vendorPending: false });
    }
  },

  revisionSaved: async (revision, label) => {
    const known = get().latest?.revision ?? 0;
    if (revision > known) set({ latest: { revision, label: label ?? '' } });
    const mappings = useMappingsStore.getState();
    // no working copy yet (Mappings loads the latest when opened), or it is already this revision or a newer one
    if (!mappings.history || (mappings.baseRevision !== null && mappings.baseRevision >= revision)) return;
    try {
      const saved = await api['mappings.getRevision']({ revision });
      if (saved.revision >= (get().latest?.revision ?? 0)) set({ latest: { revision: saved.revision, label: saved.label } });
      useMappingsStore.getState().followSaved(saved.mappingSet, saved.revision, saved.label);
    } catch (error) {
      set({ error: `Revision ${revision} was saved, but could not be read back: ${(error as Error).message}` });
    }
  },
}));

/** Back to nothing known: another workspace file was opened (tests start each case from it too). */
export function resetProjectStore(): void {
  useProject.setState(initialProjectState);
  useMappingsStore.setState({ history: null, saved: null, baseRevision: null, baseLabel: '', newer: null, editing: null });
}

async function onWorkspaceChanged(change: WorkspaceChange): Promise<void> {
  const project = useProject.getState();
  if (change.change === 'opened') {
    resetProjectStore();
    await useProject.getState().load();
    return;
  }
  // an event about a workspace this window no longer shows
  if (project.info !== null && change.workspacePath !== project.info.workspacePath) return;
  switch (change.change) {
    case 'mapping-revision-saved':
      if (change.revision !== undefined) await project.revisionSaved(change.revision);
      break;
    case 'vendor-changed':
      useProject.setState({ vendor: await api['project.vendor']({}) });
      break;
    case 'snapshot-added':
    case 'snapshot-deleted':
      project.snapshotsListed(await api['tenant.listSnapshots']({}));
      break;
  }
}

/**
 * Keeps the project store in step with the backend's workspace.changed events (a fix saved in Preview, another window,
 * File > Open). Returns the unsubscribe function; the app mounts it once.
 */
export function followWorkspace(): () => void {
  return onEvent('workspace.changed', (change) => {
    onWorkspaceChanged(change).catch((error: Error) => useProject.setState({ error: error.message }));
  });
}
