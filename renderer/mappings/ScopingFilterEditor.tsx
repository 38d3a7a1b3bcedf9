import { SCOPE_OPERATORS } from '../../shared/mapping/scope.ts';
import type { FilterClause, FilterGroup } from '../../shared/mapping/schema.ts';

interface ScopingFilterEditorProps {
  groups: readonly FilterGroup[];
  sourceAttributes: readonly string[];
  onChange(groups: FilterGroup[]): void;
}

/** Operators without a value to compare with. */
const UNARY = new Set(['IS TRUE', 'IS FALSE', 'IS NULL', 'IS NOT NULL']);

const newClause = (attribute: string): FilterClause => ({ sourceOperandName: attribute, operatorName: 'EQUALS', targetOperand: { values: [''] } });

/**
 * Source object scope, as the portal's "Scoping filters": every clause of a group must hold (AND), and an object is in
 * scope when any group holds (OR) (Microsoft Learn "Scoping users or groups to be provisioned with scoping filters").
 * Values compare case-sensitively.
 */
export function ScopingFilterEditor({ groups, sourceAttributes, onChange }: ScopingFilterEditorProps) {
  const first = sourceAttributes[0] ?? 'department';
  const setClause = (g: number, c: number, patch: Partial<FilterClause>) =>
    onChange(groups.map((group, gi) => (gi !== g ? group : { ...group, clauses: (group.clauses ?? []).map((clause, ci) => (ci === c ? { ...clause, ...patch } : clause)) })));
  const removeClause = (g: number, c: number) => onChange(groups.map((group, gi) => (gi !== g ? group : { ...group, clauses: (group.clauses ?? []).filter((_, ci) => ci !== c) })));
  const addClause = (g: number) => onChange(groups.map((group, gi) => (gi !== g ? group : { ...group, clauses: [...(group.clauses ?? []), newClause(first)] })));

  return (
    <section className="scoping-filters" aria-label="Scoping filters">
      <p className="muted">
        All clauses of a filter must be true (AND); a user is in scope when any filter is true (OR). Without filters, every assigned user is in scope.
      </p>
      {groups.map((group, g) => (
        <fieldset key={g} className="filter-group">
          <legend>{group.name || `Scoping filter ${g + 1}`}</legend>
          {(group.clauses ?? []).map((clause, c) => {
            const unary = UNARY.has(clause.operatorName.toUpperCase().replace(/_/g, ' '));
            return (
              <div key={c} className="filter-clause">
                <select aria-label="Attribute name" value={clause.sourceOperandName} onChange={(e) => setClause(g, c, { sourceOperandName: e.target.value })}>
                  {!sourceAttributes.includes(clause.sourceOperandName) && <option>{clause.sourceOperandName}</option>}
                  {sourceAttributes.map((a) => (
                    <option key={a}>{a}</option>
                  ))}
                </select>
                <select aria-label="Operator" value={clause.operatorName} onChange={(e) => setClause(g, c, { operatorName: e.target.value })}>
                  {!(SCOPE_OPERATORS as readonly string[]).includes(clause.operatorName) && <option>{clause.operatorName}</option>}
                  {SCOPE_OPERATORS.map((op) => (
                    <option key={op}>{op}</option>
                  ))}
                </select>
                {!unary && (
                  <input aria-label="Value" value={clause.targetOperand?.values?.[0] ?? ''} onChange={(e) => setClause(g, c, { targetOperand: { ...clause.targetOperand, values: [e.target.value] } })} />
                )}
                <button type="button" className="danger" onClick={() => removeClause(g, c)} aria-label="Remove clause">
                  Remove
                </button>
              </div>
            );
          })}
          <div className="filter-actions">
            <button type="button" onClick={() => addClause(g)}>
              Add clause
            </button>
            <button type="button" className="danger" onClick={() => onChange(groups.filter((_, gi) => gi !== g))}>
              Delete scoping filter
            </button>
          </div>
        </fieldset>
      ))}
      <button type="button" onClick={() => onChange([...groups, { name: `Scoping filter ${groups.length + 1}`, clauses: [newClause(first)] }])}>
        Add scoping filter
      </button>
    </section>
  );
}
