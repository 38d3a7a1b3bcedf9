import { create } from 'zustand';
import type { MappingSet } from '../../shared/mapping/model.ts';
import { record, redo, startHistory, undo, type History } from '../mappings/history.ts';
import type { ObjectType } from '../mappings/mapping-edits.ts';

export type MappingsTab = 'mappings' | 'attributes' | 'scoping' | 'revisions';

/** Which row the "Edit attribute" panel shows: an existing row by index, or a new one. */
type EditingRow = { kind: 'existing'; index: number } | { kind: 'new' } | null;

interface MappingsState {
  /** the set being edited, with undo/redo; null until loaded */
  history: History<MappingSet> | null;
  /** the revision the edits started from (null = Entra's default template) */
  baseRevision: number | null;
  baseLabel: string;
  /** the set as last loaded or saved, to tell whether there are unsaved changes */
  saved: MappingSet | null;
  objectType: ObjectType;
  tab: MappingsTab;
  editing: EditingRow;
  /** the user whose live result the editor shows */
  selectedUserId: string | null;

  load(set: MappingSet, revision: number | null, label: string): void;
  /** records an edit (undoable) */
  apply(next: MappingSet): void;
  undo(): void;
  redo(): void;
  markSaved(revision: number, label: string): void;
  setObjectType(objectType: ObjectType): void;
  setTab(tab: MappingsTab): void;
  edit(row: EditingRow): void;
  selectUser(id: string | null): void;
}

/**
 * The Mappings screen's UI state (zustand holds UI state only). The saved revisions stay in the workspace; this holds
 * the unsaved working copy and its undo history.
 */
export const useMappingsStore = create<MappingsState>()((set) => ({
  history: null,
  baseRevision: null,
  baseLabel: '',
  saved: null,
  objectType: 'User',
  tab: 'mappings',
  editing: null,
  selectedUserId: null,

  load: (mappingSet, revision, label) => set({ history: startHistory(mappingSet), saved: mappingSet, baseRevision: revision, baseLabel: label, editing: null }),
  apply: (next) => set((s) => (s.history ? { history: record(s.history, next) } : {})),
  undo: () => set((s) => (s.history ? { history: undo(s.history), editing: null } : {})),
  redo: () => set((s) => (s.history ? { history: redo(s.history), editing: null } : {})),
  markSaved: (revision, label) => set((s) => ({ saved: s.history?.present ?? null, baseRevision: revision, baseLabel: label })),
  setObjectType: (objectType) => set({ objectType, editing: null }),
  setTab: (tab) => set({ tab }),
  edit: (editing) => set({ editing }),
  selectUser: (selectedUserId) => set({ selectedUserId }),
}));
