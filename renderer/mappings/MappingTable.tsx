import type { KeyboardEvent } from 'react';
import { isCreateOnly, mappingTypeOf, matchingPriorityOf, sourceExpressionOf } from '../../shared/mapping/model.ts';
import type { AttributeMapping } from '../../shared/mapping/schema.ts';
import type { RowCheckDto } from '../../shared/api.ts';
import { MicrosoftCheckBadge } from './MicrosoftCheckBadge.tsx';

interface MappingTableProps {
  rows: readonly AttributeMapping[];
  selectedIndex: number | null;
  onEdit(index: number): void;
  onDelete(index: number): void;
  onMove(from: number, to: number): void;
  /** the newest check against Microsoft of the saved revision, by lower-cased target attribute */
  checks?: ReadonlyMap<string, RowCheckDto>;
}

/**
 * The attribute mappings of one object type, with the Entra portal's columns. Keyboard: Enter edits the
 * focused row, Delete removes it, Alt+↑/↓ moves it.
 */
export function MappingTable({ rows, selectedIndex, onEdit, onDelete, onMove, checks }: MappingTableProps) {
  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, index: number) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter') onEdit(index);
    else if (event.key === 'Delete') onDelete(index);
    else if (event.altKey && event.key === 'ArrowUp' && index > 0) onMove(index, index - 1);
    else if (event.altKey && event.key === 'ArrowDown' && index < rows.length - 1) onMove(index, index + 1);
    else return;
    event.preventDefault();
  };
  return (
    <div className="mapping-table-wrap">
      <table className="mapping-table" aria-label="Attribute mappings">
        <thead>
          <tr>
            <th scope="col">Target attribute</th>
            <th scope="col">Mapping type</th>
            <th scope="col">Source attribute / Expression</th>
            <th scope="col">Default value if null</th>
            <th scope="col">Match objects using this attribute</th>
            <th scope="col">Matching precedence</th>
            <th scope="col">Apply this mapping</th>
            <th scope="col">
              <span className="mappings-hidden-label">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            const precedence = matchingPriorityOf(row);
            return (
              <tr
                key={`${index}:${row.targetAttributeName}`}
                className={`mapping-row${selectedIndex === index ? ' selected' : ''}`}
                tabIndex={0}
                aria-selected={selectedIndex === index}
                onKeyDown={(e) => onKeyDown(e, index)}
                onDoubleClick={() => onEdit(index)}
              >
                <td className="target">{row.targetAttributeName}</td>
                <td>{mappingTypeOf(row)}</td>
                <td className="source">
                  <code>{sourceExpressionOf(row) ?? ''}</code>
                  <MicrosoftCheckBadge check={checkOf(checks, row)} />
                </td>
                <td>{row.defaultValue ?? ''}</td>
                <td>{precedence > 0 ? 'Yes' : 'No'}</td>
                <td>{precedence > 0 ? precedence : ''}</td>
                <td>{isCreateOnly(row) ? 'Only during object creation' : 'Always'}</td>
                <td className="row-actions">
                  <button type="button" onClick={() => onEdit(index)} aria-label={`Edit ${row.targetAttributeName}`}>
                    Edit
                  </button>
                  <button type="button" onClick={() => onMove(index, index - 1)} disabled={index === 0} aria-label={`Move ${row.targetAttributeName} up`}>
                    ↑
                  </button>
                  <button type="button" onClick={() => onMove(index, index + 1)} disabled={index === rows.length - 1} aria-label={`Move ${row.targetAttributeName} down`}>
                    ↓
                  </button>
                  <button type="button" className="danger" onClick={() => onDelete(index)} aria-label={`Delete ${row.targetAttributeName}`}>
                    Delete
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {rows.length === 0 && <p className="empty-state">No attribute mappings. Add one with “Add New Mapping”.</p>}
    </div>
  );
}

/** The row's check, only while the row still has the expression that was checked. */
function checkOf(checks: ReadonlyMap<string, RowCheckDto> | undefined, row: AttributeMapping): RowCheckDto | undefined {
  const check = checks?.get(row.targetAttributeName.toLowerCase());
  return check && check.expression === sourceExpressionOf(row) ? check : undefined;
}
