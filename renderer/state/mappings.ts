import { create } from 'zustand';
import type { MappingSet } from '../../shared/mapping/model.ts';
import { api } from '../api-client.ts';
import { record, redo, startHistory, undo, type History } from '../mappings/history.ts';
import type { ObjectType } from '../mappings/mapping-edits.ts';

export type MappingsTab = 'mappings' | 'attributes' | 'scoping' | 'revisions';

/** Which row the "Edit attribute" panel shows: an existing row by index, or a new one. */
type EditingRow = { kind: 'existing'; index: number } | { kind: 'new' } | null;

/** One state of the working copy: the set, and the template it was started from (null: from the base revision). */
interface Draft {
  set: MappingSet;
  startedFrom: string | null;
}

/** A revision saved elsewhere (a fix in Preview) while the admin had unsaved edits on an older one. */
interface NewerRevision {
  revision: number;
  label: string;
  set: MappingSet;
}

interface MappingsState {
  /** the set being edited, with undo/redo; null until loaded */
  history: History<Draft> | null;
  /** the revision the edits started from (null = Entra's default template) */
  baseRevision: number | null;
  baseLabel: string;
  /** the set as last loaded or saved, to tell whether there are unsaved changes */
  saved: MappingSet | null;
  newer: NewerRevision | null;
  objectType: ObjectType;
  tab: MappingsTab;
  editing: EditingRow;
  /** the user whose live result the editor shows */
  selectedUserId: string | null;

  load(set: MappingSet, revision: number | null, label: string): void;
  /** loads the project's current mapping set unless a working copy is already here */
  ensureLoaded(): Promise<void>;
  /** records an edit (undoable) */
  apply(next: MappingSet): void;
  /** replaces the working copy with a template's set (undoable); the working copy is then named after the template */
  startFrom(set: MappingSet, templateName: string): void;
  undo(): void;
  redo(): void;
  markSaved(revision: number, label: string): void;
  /**
   * A revision was saved (here or elsewhere). A working copy without edits becomes that revision; real edits on an
   * older revision are kept and `newer` says which revision they would overwrite.
   */
  followSaved(set: MappingSet, revision: number, label: string): void;
  /** drops the edits and continues from the newer revision */
  takeNewer(): void;
  setObjectType(objectType: ObjectType): void;
  setTab(tab: MappingsTab): void;
  edit(row: EditingRow): void;
  selectUser(id: string | null): void;
}

export const isDirty = (s: Pick<MappingsState, 'history' | 'saved'>): boolean => s.history !== null && s.history.present.set !== s.saved;

/** How the working copy is named wherever it is shown (the Mappings toolbar, the app header). */
export function workingCopyTitle(s: Pick<MappingsState, 'history' | 'saved' | 'baseRevision' | 'baseLabel'>): string | null {
  if (!s.history) return null;
  const startedFrom = isDirty(s) ? s.history.present.startedFrom : null;
  if (startedFrom !== null) return `${startedFrom} (not saved)`;
  return s.baseRevision === null ? `${s.baseLabel} (not saved)` : `Revision ${s.baseRevision}: ${s.baseLabel}`;
}

/**
 * The Mappings screen's UI state (zustand holds UI state only). The saved revisions stay in the workspace; this holds
 * the unsaved working copy and its undo history, and follows revisions saved anywhere (renderer/state/project.ts).
 */
export const useMappingsStore = create<MappingsState>()((set, get) => ({
  history: null,
  baseRevision: null,
  baseLabel: '',
  saved: null,
  newer: null,
  objectType: 'User',
  tab: 'mappings',
  editing: null,
  selectedUserId: null,

  load: (mappingSet, revision, label) =>
    set({ history: startHistory({ set: mappingSet, startedFrom: null }), saved: mappingSet, baseRevision: revision, baseLabel: label, newer: null, editing: null }),
  ensureLoaded: async () => {
    if (get().history) return;
    const current = await api['mappings.get']({});
    // a revision followed meanwhile (an event) is newer than this answer
    if (!get().history) get().load(current.mappingSet, current.revision, current.label);
  },
  apply: (next) => set((s) => (s.history ? { history: record(s.history, { set: next, startedFrom: s.history.present.startedFrom }) } : {})),
  startFrom: (next, templateName) => set((s) => (s.history ? { history: record(s.history, { set: next, startedFrom: templateName }) } : {})),
  undo: () => set((s) => (s.history ? { history: undo(s.history), editing: null } : {})),
  redo: () => set((s) => (s.history ? { history: redo(s.history), editing: null } : {})),
  markSaved: (revision, label) =>
    set((s) => ({
      // once saved, the working copy is that revision, whatever template it started from
      history: s.history ? { ...s.history, present: { set: s.history.present.set, startedFrom: null } } : null,
      saved: s.history?.present.set ?? null,
      baseRevision: revision,
      baseLabel: label,
      newer: s.newer && s.newer.revision > revision ? s.newer : null,
    })),
  followSaved: (mappingSet, revision, label) => {
    const s = get();
    if (s.baseRevision !== null && s.baseRevision >= revision) return;
    if (!isDirty(s)) set({ history: startHistory({ set: mappingSet, startedFrom: null }), saved: mappingSet, baseRevision: revision, baseLabel: label, newer: null, editing: null });
    else set({ newer: { revision, label, set: mappingSet } });
  },
  takeNewer: () => {
    const newer = get().newer;
    if (newer) get().load(newer.set, newer.revision, newer.label);
  },
  setObjectType: (objectType) => set({ objectType, editing: null }),
  setTab: (tab) => set({ tab }),
  edit: (editing) => set({ editing }),
  selectUser: (selectedUserId) => set({ selectedUserId }),
}));
