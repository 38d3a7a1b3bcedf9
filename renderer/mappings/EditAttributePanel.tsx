import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { MappingType } from '../../shared/mapping/model.ts';
import type { AttributeDefinition, AttributeMapping } from '../../shared/mapping/schema.ts';
import type { SchemaAttribute } from '../editor/language/completion.ts';
import { analyse } from '../editor/language/diagnostics.ts';
import { formatExpression } from '../editor/language/format.ts';
import { userLabelOf, type LiveUser } from '../editor/language/live.ts';
import { useExpressionInput } from '../editor/expression-input.tsx';
import { disabledBecause } from '../components/disabled-reason.ts';
import { LiveResults } from './LiveResults.tsx';
import { emptyForm, formExpression, formOf, formProblems, rowFromForm, type ObjectType, type RowForm } from './mapping-edits.ts';

interface EditAttributePanelProps {
  objectType: ObjectType;
  /** the row being edited, or null for "Add New Mapping" */
  row: AttributeMapping | null;
  targetAttributes: readonly AttributeDefinition[];
  sourceAttributes: readonly SchemaAttribute[];
  selectedUser: LiveUser | null;
  sampleUsers: readonly LiveUser[];
  onSelectUser(id: string): void;
  onSave(row: AttributeMapping): void;
  onCancel(): void;
}

const MAPPING_TYPES: MappingType[] = ['Direct', 'Constant', 'Expression', 'None'];

/** The portal's "Edit attribute" side panel, with the expression editor and live results. */
export function EditAttributePanel(props: EditAttributePanelProps) {
  const { row, objectType } = props;
  const ExpressionInput = useExpressionInput();
  const [form, setForm] = useState<RowForm>(() => (row ? formOf(row) : emptyForm()));
  const [formatProblem, setFormatProblem] = useState<string | null>(null);
  const [attempted, setAttempted] = useState(false);
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), []);

  const update = (patch: Partial<RowForm>) => setForm((f) => ({ ...f, ...patch }));
  const expression = formExpression(form);
  const schemaNames = useMemo(() => (props.sourceAttributes.length > 0 ? new Set(props.sourceAttributes.map((a) => a.name)) : null), [props.sourceAttributes]);
  const matchingPriority = form.matchObjects ? form.matchingPrecedence : 0;
  const flowType = form.apply;
  const mappingRules = { matchingPriority, flowType };
  // The live results and the expression's errors come from one compile per edit.
  const analysis = useMemo(
    () => (expression === null ? null : analyse(expression, schemaNames, { matchingPriority, flowType })),
    [expression, schemaNames, matchingPriority, flowType],
  );
  const firstError = analysis?.diagnostics.find((d) => d.severity === 'error')?.message ?? null;
  // Everything that keeps Ok from adding the row, said in words: the form's gaps and an expression that does not compile.
  const problems = [...formProblems(form), ...(analysis !== null && analysis.program === null ? [`Fix the expression: ${firstError ?? 'it cannot be read.'}`] : [])];
  const canSave = problems.length === 0;
  const problemsId = useId();

  const save = () => {
    setAttempted(true);
    if (canSave) props.onSave(rowFromForm(form, row ?? undefined));
  };
  const format = () => {
    const result = formatExpression(form.expression);
    if (result.ok) {
      setFormatProblem(null);
      update({ expression: result.text });
    } else setFormatProblem(result.message);
  };

  return (
    <section className="edit-attribute" aria-label="Edit attribute" onKeyDown={(e) => e.key === 'Escape' && !(e.target as HTMLElement).closest('.monaco-editor') && props.onCancel()}>
      <h2>{row ? 'Edit attribute' : 'Add New Mapping'}</h2>
      <label className="form-field">
        <span>Mapping type</span>
        <select ref={first} value={form.mappingType} onChange={(e) => update({ mappingType: e.target.value as MappingType })}>
          {MAPPING_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>

      {form.mappingType === 'Direct' && (
        <label className="form-field">
          <span>Source attribute</span>
          <select value={form.sourceAttribute} onChange={(e) => update({ sourceAttribute: e.target.value })}>
            <option value="">Choose a source attribute</option>
            {form.sourceAttribute && !props.sourceAttributes.some((a) => a.name === form.sourceAttribute) && <option value={form.sourceAttribute}>{form.sourceAttribute}</option>}
            {props.sourceAttributes.map((a) => (
              <option key={a.name} value={a.name}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {form.mappingType === 'Constant' && (
        <label className="form-field">
          <span>Constant value</span>
          <input value={form.constantValue} onChange={(e) => update({ constantValue: e.target.value })} />
        </label>
      )}
      {form.mappingType === 'Expression' && (
        <div className="form-field expression-field">
          <span id="expression-label">Expression</span>
          <ExpressionInput
            value={form.expression}
            onChange={(text) => update({ expression: text })}
            schema={props.sourceAttributes}
            hoverSource={props.selectedUser?.source ?? null}
            userLabel={props.selectedUser ? userLabelOf(props.selectedUser) : null}
            mapping={mappingRules}
            ariaLabel="Expression"
          />
          <div className="expression-tools">
            <button type="button" onClick={format}>
              Format expression
            </button>
            <span className="muted">Ctrl+Space completes, Ctrl+. offers fixes, Shift+Alt+F formats.</span>
          </div>
          {formatProblem && <p className="error-text">{formatProblem}</p>}
        </div>
      )}

      {/* The live results sit right under the source so the admin sees them while typing. */}
      {objectType === 'User' ? (
        <LiveResults
          program={analysis?.program ?? null}
          problem={expression === null ? (form.defaultValue ? `Sends "${form.defaultValue}" only when the target has no value` : null) : firstError}
          selected={props.selectedUser}
          samples={props.sampleUsers}
          defaultValue={form.defaultValue || null}
          onSelectUser={props.onSelectUser}
        />
      ) : (
        <p className="muted">Live results are shown for user mappings.</p>
      )}

      <label className="form-field">
        <span>Default value if null (optional)</span>
        <input value={form.defaultValue} onChange={(e) => update({ defaultValue: e.target.value })} />
      </label>
      <label className="form-field">
        <span>Target attribute</span>
        <input list="target-attribute-options" value={form.targetAttribute} onChange={(e) => update({ targetAttribute: e.target.value })} />
        <datalist id="target-attribute-options">
          {props.targetAttributes.map((a) => (
            <option key={a.name} value={a.name} />
          ))}
        </datalist>
      </label>
      <label className="form-field">
        <span>Match objects using this attribute</span>
        <select value={form.matchObjects ? 'Yes' : 'No'} onChange={(e) => update({ matchObjects: e.target.value === 'Yes' })}>
          <option>No</option>
          <option>Yes</option>
        </select>
      </label>
      {form.matchObjects && (
        <label className="form-field">
          <span>Matching precedence</span>
          <input type="number" min={1} value={form.matchingPrecedence} onChange={(e) => update({ matchingPrecedence: Number(e.target.value) })} />
        </label>
      )}
      <label className="form-field">
        <span>Apply this mapping</span>
        <select value={form.apply} onChange={(e) => update({ apply: e.target.value as RowForm['apply'] })}>
          <option value="Always">Always</option>
          <option value="ObjectAddOnly">Only during object creation</option>
        </select>
      </label>

      {attempted && problems.length > 0 && (
        <ul className="form-problems" role="alert" id={problemsId}>
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="panel-actions">
        <button
          type="button"
          className="primary"
          onClick={save}
          {...disabledBecause(attempted && !canSave && `Ok adds the row once this is fixed: ${problems.join(' ')}`)}
          aria-describedby={attempted && !canSave ? problemsId : undefined}
        >
          Ok
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
