import { useCallback, useEffect, useMemo, useState, type ComponentType } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { MappingTemplate, RevisionSummary, SourceAttributeDto } from '../../shared/api.ts';
import { tenantUrlOf, withTenantUrl, type MappingSet } from '../../shared/mapping/model.ts';
import type { AttributeMapping } from '../../shared/mapping/schema.ts';
import { api, onEvent } from '../api-client.ts';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { ExpressionEditor } from '../editor/ExpressionEditor.tsx';
import { ExpressionInputContext, type ExpressionInputProps } from '../editor/expression-input.tsx';
import type { LiveUser } from '../editor/language/live.ts';
import { AttributeListEditor } from '../mappings/AttributeListEditor.tsx';
import { CheckWithMicrosoftPanel } from '../mappings/CheckWithMicrosoftPanel.tsx';
import { PlannedVsActualPanel } from '../mappings/PlannedVsActualPanel.tsx';
import { EditAttributePanel } from '../mappings/EditAttributePanel.tsx';
import { MappingTable } from '../mappings/MappingTable.tsx';
import {
  addRow,
  attributeListOf,
  deleteRow,
  moveRow,
  objectMappingOf,
  replaceRow,
  rowsOf,
  scopeGroupsOf,
  setAttributeList,
  setObjectEnabled,
  setOptDialect,
  setScopeGroups,
  setTenantUrl,
  usesOptDialect,
  type ObjectType,
} from '../mappings/mapping-edits.ts';
import { RevisionsPanel } from '../mappings/RevisionsPanel.tsx';
import { ScopingFilterEditor } from '../mappings/ScopingFilterEditor.tsx';
import { useMappingCheck } from '../mappings/use-mapping-check.ts';
import { isDirty, useMappingsStore, workingCopyTitle, type MappingsTab } from '../state/mappings.ts';
import { useProject } from '../state/project.ts';
import '../styles/mappings.css';
import { disabledBecause } from '../components/disabled-reason.ts';

const TABS: { id: MappingsTab; label: string }[] = [
  { id: 'mappings', label: 'Attribute mappings' },
  { id: 'attributes', label: 'Target attribute list' },
  { id: 'scoping', label: 'Scoping filters' },
  { id: 'revisions', label: 'Revisions' },
];
const OBJECT_LABELS: Record<ObjectType, string> = { User: 'Provision Microsoft Entra ID Users', Group: 'Provision Microsoft Entra ID Groups' };

/** Text fields and Monaco keep their own Ctrl+Z; the screen's undo acts on mapping edits only. */
function isTextTarget(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element?.closest?.('input, textarea, select, [contenteditable="true"], .monaco-editor');
}

/**
 * The Mappings screen: Entra's attribute-mapping page for the project's mapping set, edited as an
 * undoable working copy and saved as revisions (issue 8).
 */
export function MappingsScreen({ expressionInput = ExpressionEditor }: { expressionInput?: ComponentType<ExpressionInputProps> }) {
  const snapshotId = useProject((s) => s.snapshotId);
  const state = useMappingsStore(
    useShallow((s) => ({
      history: s.history,
      saved: s.saved,
      baseRevision: s.baseRevision,
      baseLabel: s.baseLabel,
      newer: s.newer,
      objectType: s.objectType,
      tab: s.tab,
      editing: s.editing,
      selectedUserId: s.selectedUserId,
    })),
  );
  const actions = useMappingsStore.getState();
  const [error, setError] = useState<string | null>(null);
  const [schema, setSchema] = useState<SourceAttributeDto[]>([]);
  const [samples, setSamples] = useState<LiveUser[]>([]);
  const [templates, setTemplates] = useState<MappingTemplate[]>([]);
  const [revisions, setRevisions] = useState<RevisionSummary[]>([]);
  const [label, setLabel] = useState('');
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  /** the vendor of the template started from, when it is not the project's: offered as the project's vendor */
  const [templateVendor, setTemplateVendor] = useState<{ id: string; name: string } | null>(null);
  const projectVendor = useProject((s) => s.vendor);

  const fail = useCallback((e: Error) => setError(e.message), []);
  const checks = useMappingCheck(state.baseRevision, fail);
  const loadRevisions = useCallback(() => api['mappings.listRevisions']({}).then(setRevisions, fail), []);

  useEffect(() => {
    useMappingsStore.getState().ensureLoaded().catch(fail);
  }, []);
  useEffect(() => {
    loadRevisions();
    api['mappings.templates']({}).then(setTemplates, fail);
  }, [loadRevisions]);
  useEffect(() => onEvent('workspace.changed', () => void loadRevisions()), [loadRevisions]);
  useEffect(() => {
    const input = snapshotId !== null ? { snapshotId } : {};
    api['mappings.sourceSchema'](input).then((r) => setSchema(r.attributes), fail);
    api['mappings.sampleSources']({ ...input, limit: 6 }).then((r) => setSamples(r.users as LiveUser[]), fail);
  }, [snapshotId]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || isTextTarget(event.target)) return;
      const key = event.key.toLowerCase();
      if (key === 'z' && !event.shiftKey) useMappingsStore.getState().undo();
      else if (key === 'y' || (key === 'z' && event.shiftKey)) useMappingsStore.getState().redo();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const set = state.history?.present.set ?? null;
  const objectType = state.objectType;
  const rows = useMemo(() => (set ? rowsOf(set, objectType) : []), [set, objectType]);
  const sourceAttributes = useMemo(() => schema.filter((a) => a.objectType === objectType), [schema, objectType]);
  const selectedUser = samples.find((u) => u.id === state.selectedUserId) ?? samples[0] ?? null;

  if (!set) {
    return (
      <section className="mappings-screen">
        <h1>Mappings</h1>
        {error ? <ErrorBanner message={error} /> : <p className="muted">Loading the mapping set…</p>}
      </section>
    );
  }

  const apply = (edit: (s: MappingSet) => MappingSet) => {
    try {
      actions.apply(edit(set));
      setStatus(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const dirty = isDirty(state);
  // A saved revision with no edits would be saved again as an identical one; Entra's defaults may be saved as the first.
  const unchanged = !dirty && state.baseRevision !== null;
  const editingRow = state.editing?.kind === 'existing' ? (rows[state.editing.index] ?? null) : null;
  const objectMapping = objectMappingOf(set, objectType);
  const tenantUrl = tenantUrlOf(set) ?? '';

  const saveRow = (row: AttributeMapping) => {
    const editing = state.editing;
    if (editing?.kind === 'existing') apply((s) => replaceRow(s, objectType, editing.index, row));
    else apply((s) => addRow(s, objectType, row));
    actions.edit(null);
  };
  const startFrom = (id: string) => {
    const template = templates.find((t) => t.id === id);
    if (!template) return;
    // The tenant URL belongs to the connection, not the template: keep it.
    actions.startFrom(withTenantUrl(structuredClone(template.mappingSet), tenantUrlOf(set)), template.name);
    setStatus(`Started from ${template.name}. Undo (Ctrl+Z) brings the previous mappings back.`);
    setTemplateVendor(template.vendorId !== null && template.vendorId !== projectVendor?.vendorId ? { id: template.vendorId, name: template.vendorName ?? template.vendorId } : null);
  };
  const planForTemplateVendor = async () => {
    if (!templateVendor) return;
    try {
      await useProject.getState().chooseVendor(templateVendor.id);
      setTemplateVendor(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const save = async () => {
    const newer = state.newer;
    if (newer && !window.confirm(`Revision ${newer.revision} (${newer.label}) was saved after you started editing revision ${state.baseRevision ?? 'the defaults'}. Saving your edits replaces what revision ${newer.revision} changed. Save anyway?`)) return;
    setSaving(true);
    try {
      const finalLabel = label.trim() || `Revision ${(revisions.at(-1)?.revision ?? 0) + 1}`;
      const saved = await api['mappings.save']({ label: finalLabel, mappingSet: set });
      actions.markSaved(saved.revision, saved.label);
      await useProject.getState().revisionSaved(saved.revision, saved.label);
      setLabel('');
      setStatus(`Saved as revision ${saved.revision}: ${saved.label}`);
      await loadRevisions();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <ExpressionInputContext.Provider value={expressionInput}>
      <section className="mappings-screen" aria-labelledby="mappings-title">
        <div className="screen-toolbar">
          <h1 id="mappings-title">Mappings</h1>
          <span className="revision-badge" data-testid="revision-badge">
            {workingCopyTitle(state)}
            {dirty && <span className="badge warn">unsaved changes</span>}
          </span>
          <label className="field">
            <span>Start from</span>
            <select aria-label="Start from" value="" onChange={(e) => startFrom(e.target.value)}>
              <option value="">Choose a template…</option>
              {templates.map((t) => (
                <option key={t.id} value={t.id} title={t.description}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={actions.undo} {...disabledBecause(!state.history?.past.length && 'Nothing to undo', 'Undo (Ctrl+Z)')}>
            Undo
          </button>
          <button type="button" onClick={actions.redo} {...disabledBecause(!state.history?.future.length && 'Nothing to redo', 'Redo (Ctrl+Y)')}>
            Redo
          </button>
          <span className="save-group">
            <input aria-label="Revision label" placeholder="Describe this revision" value={label} onChange={(e) => setLabel(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && !unchanged && void save()} />
            <button type="button" className="primary" onClick={() => void save()} {...disabledBecause(saving ? 'Saving…' : unchanged && `Nothing changed since revision ${state.baseRevision}`)}>
              Save
            </button>
          </span>
        </div>
        {error && <ErrorBanner message={error} />}
        {state.newer && (
          <div className="newer-revision" role="alert">
            Revision {state.newer.revision} ({state.newer.label}) was saved elsewhere after you started editing. Your unsaved edits are still on{' '}
            {state.baseRevision === null ? 'the defaults' : `revision ${state.baseRevision}`}: saving them would replace what revision {state.newer.revision} changed.{' '}
            <button type="button" onClick={actions.takeNewer}>
              Discard my edits and open revision {state.newer.revision}
            </button>
          </div>
        )}
        {status && (
          <p className="status-line" role="status">
            {status}
            {templateVendor && templateVendor.id !== projectVendor?.vendorId && (
              <>
                {' '}
                The project is planned for {projectVendor?.name ?? 'another vendor'}.{' '}
                <button type="button" onClick={() => void planForTemplateVendor()}>
                  Plan for {templateVendor.name}
                </button>
              </>
            )}
          </p>
        )}

        <div className="connection-bar">
          <label className="field tenant-url">
            <span>Tenant URL</span>
            <input aria-label="Tenant URL" placeholder="https://scim.example.com/scim/v2" value={tenantUrl} onChange={(e) => apply((s) => setTenantUrl(s, e.target.value))} />
          </label>
          <label className="switch">
            <input type="checkbox" role="switch" checked={usesOptDialect(set)} onChange={(e) => apply((s) => setOptDialect(s, e.target.checked))} />
            <span>aadOptscim062020</span>
          </label>
          <span className="muted switch-note">Adds ?aadOptscim062020 to the Tenant URL so Entra sends its RFC 7644-compliant PATCH requests (JSON booleans, standard paths) instead of the default shapes.</span>
        </div>

        <CheckWithMicrosoftPanel revision={state.baseRevision} unsaved={dirty} snapshotId={snapshotId} />
        <PlannedVsActualPanel revision={state.baseRevision} unsaved={dirty} snapshotId={snapshotId} />

        <div className="object-bar">
          {/* A tablist may hold only tabs, so the Enabled switch sits beside it, not in it. */}
          <div className="object-tabs" role="tablist" aria-label="Object type">
            {(['User', 'Group'] as const).map((t) => (
              <button key={t} type="button" role="tab" aria-selected={objectType === t} className={objectType === t ? 'active' : ''} onClick={() => actions.setObjectType(t)}>
                {OBJECT_LABELS[t]}
              </button>
            ))}
          </div>
          {objectMapping && (
            <label className="field">
              <input type="checkbox" checked={objectMapping.enabled !== false} onChange={(e) => apply((s) => setObjectEnabled(s, objectType, e.target.checked))} />
              <span>Enabled</span>
            </label>
          )}
        </div>

        <div className="tab-bar" role="tablist" aria-label="Mapping sections">
          {TABS.map((t) => (
            <button key={t.id} type="button" role="tab" aria-selected={state.tab === t.id} className={state.tab === t.id ? 'active' : ''} onClick={() => actions.setTab(t.id)}>
              {t.label}
            </button>
          ))}
        </div>

        <div className={`mappings-body${state.editing && state.tab === 'mappings' ? ' with-panel' : ''}`}>
          {state.tab === 'mappings' && (
            <>
              <div className="mappings-main">
                <MappingTable
                  rows={rows}
                  selectedIndex={state.editing?.kind === 'existing' ? state.editing.index : null}
                  onEdit={(index) => actions.edit({ kind: 'existing', index })}
                  onDelete={(index) => {
                    apply((s) => deleteRow(s, objectType, index));
                    actions.edit(null);
                  }}
                  onMove={(from, to) => apply((s) => moveRow(s, objectType, from, to))}
                  checks={checks}
                />
                <button type="button" className="add-mapping" onClick={() => actions.edit({ kind: 'new' })}>
                  Add New Mapping
                </button>
              </div>
              {state.editing && (
                <EditAttributePanel
                  key={state.editing.kind === 'existing' ? `e${state.editing.index}:${editingRow?.targetAttributeName}` : 'new'}
                  objectType={objectType}
                  row={editingRow}
                  targetAttributes={attributeListOf(set, objectType)}
                  sourceAttributes={sourceAttributes}
                  selectedUser={selectedUser}
                  sampleUsers={samples}
                  onSelectUser={actions.selectUser}
                  onSave={saveRow}
                  onCancel={() => actions.edit(null)}
                />
              )}
            </>
          )}
          {state.tab === 'attributes' && (
            <AttributeListEditor
              attributes={attributeListOf(set, objectType)}
              mappedTargets={new Set(rows.map((r) => r.targetAttributeName.toLowerCase()))}
              onChange={(list) => apply((s) => setAttributeList(s, objectType, list))}
            />
          )}
          {state.tab === 'scoping' && (
            <ScopingFilterEditor groups={scopeGroupsOf(set, objectType)} sourceAttributes={sourceAttributes.map((a) => a.name)} onChange={(groups) => apply((s) => setScopeGroups(s, objectType, groups))} />
          )}
          {state.tab === 'revisions' && <RevisionsPanel revisions={revisions} working={set} template={templates.find((t) => t.id === 'entra-default')} />}
        </div>
      </section>
    </ExpressionInputContext.Provider>
  );
}
