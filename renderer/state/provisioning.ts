import { create } from 'zustand';
import type { DirectoryEdit } from '../../shared/api/provisioning.ts';

type TargetMode = 'mock' | 'url';
export type CycleChoice = 'initial' | 'incremental' | 'on-demand';
export type AuditStatusFilter = 'success' | 'failure' | 'skipped' | null;

/** A what-if edit as the Rehearse changes panel lists it: the edit sent to the backend plus its line in Entra's words. */
interface RehearsedEdit {
  key: string;
  edit: DirectoryEdit;
  /** e.g. "Leaver: alex@contoso.com — disable" */
  summary: string;
}

interface ProvisioningUiState {
  targetMode: TargetMode;
  /** the Tenant URL and Secret Token typed for a vendor's endpoint (kept in memory only, never persisted) */
  url: string;
  token: string;
  cycle: CycleChoice;
  /** incremental: the snapshot to compare with; null = what was provisioned last */
  previousSnapshotId: number | null;
  /** on demand: the user's userPrincipalName or object id */
  onDemandUser: string;
  /** the run whose audit log is shown */
  auditRunId: number | null;
  auditStatus: AuditStatusFilter;
  auditSearch: string;
  selectedEntryId: number | null;
  /** incremental: joiners, movers and leavers rehearsed in the cycle (never saved to the snapshot) */
  edits: RehearsedEdit[];
  setTarget(patch: Partial<Pick<ProvisioningUiState, 'targetMode' | 'url' | 'token'>>): void;
  setCycle(patch: Partial<Pick<ProvisioningUiState, 'cycle' | 'previousSnapshotId' | 'onDemandUser'>>): void;
  showAuditRun(runId: number | null): void;
  setAuditFilter(patch: Partial<Pick<ProvisioningUiState, 'auditStatus' | 'auditSearch'>>): void;
  selectEntry(id: number | null): void;
  addEdit(edit: DirectoryEdit, summary: string): void;
  removeEdit(key: string): void;
}

let editSeq = 0;

/** The Provisioning screen's UI state; runs, plans and the audit log stay in the backend. */
export const useProvisioningUi = create<ProvisioningUiState>()((set) => ({
  targetMode: 'mock',
  url: '',
  token: '',
  cycle: 'initial',
  previousSnapshotId: null,
  onDemandUser: '',
  auditRunId: null,
  auditStatus: null,
  auditSearch: '',
  selectedEntryId: null,
  edits: [],
  setTarget: (patch) => set(patch),
  setCycle: (patch) => set(patch),
  showAuditRun: (auditRunId) => set({ auditRunId, selectedEntryId: null }),
  setAuditFilter: (patch) => set({ ...patch, selectedEntryId: null }),
  selectEntry: (selectedEntryId) => set({ selectedEntryId }),
  addEdit: (edit, summary) => set((s) => ({ edits: [...s.edits, { key: `edit-${++editSeq}`, edit, summary }] })),
  removeEdit: (key) => set((s) => ({ edits: s.edits.filter((e) => e.key !== key) })),
}));
