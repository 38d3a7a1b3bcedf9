import { findObjectMapping, mappingTypeOf, sourceExpressionOf, tenantUrlOf, type MappingSet } from '../../shared/mapping/model.ts';
import type { AttributeMapping } from '../../shared/mapping/schema.ts';
import { attributeListOf, scopeGroupsOf, type ObjectType } from './mapping-edits.ts';

/** The fields of a row as the portal names them; a diff reports which of these changed. */
const ROW_FIELDS = ['Mapping type', 'Source attribute / Expression', 'Default value if null', 'Matching precedence', 'Apply this mapping'] as const;
type RowField = (typeof ROW_FIELDS)[number];

function rowFields(row: AttributeMapping): Record<RowField, string> {
  return {
    'Mapping type': mappingTypeOf(row),
    'Source attribute / Expression': sourceExpressionOf(row) ?? '',
    'Default value if null': row.defaultValue ?? '',
    'Matching precedence': (row.matchingPriority ?? 0) > 0 ? String(row.matchingPriority) : '',
    'Apply this mapping': row.flowType === 'ObjectAddOnly' ? 'Only during object creation' : 'Always',
  };
}

type RowChange =
  | { kind: 'added'; target: string; to: Record<RowField, string> }
  | { kind: 'removed'; target: string; from: Record<RowField, string> }
  | { kind: 'changed'; target: string; fields: { field: RowField; from: string; to: string }[] };

interface ObjectDiff {
  objectType: ObjectType;
  rows: RowChange[];
  /** other differences of the object, one line each (enabled, scoping filters, attribute list) */
  notes: string[];
}

export interface SetDiff {
  objects: ObjectDiff[];
  notes: string[];
  unchanged: boolean;
}

/**
 * Rows are paired by target attribute (case-insensitive, RFC 7643 §2.1); a target mapped twice is paired
 * by occurrence. Row order alone is not a change: Entra does not depend on it.
 */
function keyedRows(rows: readonly AttributeMapping[]): Map<string, AttributeMapping> {
  const keyed = new Map<string, AttributeMapping>();
  const seen = new Map<string, number>();
  for (const row of rows) {
    const target = row.targetAttributeName.toLowerCase();
    const n = seen.get(target) ?? 0;
    seen.set(target, n + 1);
    keyed.set(n === 0 ? target : `${target}#${n + 1}`, row);
  }
  return keyed;
}

function diffObject(from: MappingSet, to: MappingSet, objectType: ObjectType): ObjectDiff {
  const a = findObjectMapping(from, objectType)?.objectMapping;
  const b = findObjectMapping(to, objectType)?.objectMapping;
  const notes: string[] = [];
  if (!a && !b) return { objectType, rows: [], notes };
  if (!a || !b) return { objectType, rows: [], notes: [`The ${objectType} object mapping was ${a ? 'removed' : 'added'}.`] };

  const before = keyedRows(a.attributeMappings);
  const after = keyedRows(b.attributeMappings);
  const rows: RowChange[] = [];
  for (const [key, row] of before) {
    const other = after.get(key);
    if (!other) {
      rows.push({ kind: 'removed', target: row.targetAttributeName, from: rowFields(row) });
      continue;
    }
    const x = rowFields(row);
    const y = rowFields(other);
    const fields = ROW_FIELDS.filter((f) => x[f] !== y[f]).map((field) => ({ field, from: x[field], to: y[field] }));
    if (fields.length > 0) rows.push({ kind: 'changed', target: other.targetAttributeName, fields });
  }
  for (const [key, row] of after) if (!before.has(key)) rows.push({ kind: 'added', target: row.targetAttributeName, to: rowFields(row) });

  if ((a.enabled ?? true) !== (b.enabled ?? true)) notes.push(`${objectType} provisioning was ${b.enabled === false ? 'disabled' : 'enabled'}.`);
  if (JSON.stringify(scopeGroupsOf(from, objectType)) !== JSON.stringify(scopeGroupsOf(to, objectType))) notes.push('Scoping filters changed.');
  const listA = new Map(attributeListOf(from, objectType).map((d) => [d.name.toLowerCase(), d]));
  const listB = new Map(attributeListOf(to, objectType).map((d) => [d.name.toLowerCase(), d]));
  for (const [name, d] of listB) if (!listA.has(name)) notes.push(`Attribute list: ${d.name} added (${d.type ?? 'String'}${d.multivalued ? ', multi-valued' : ''}).`);
  for (const [name, d] of listA) if (!listB.has(name)) notes.push(`Attribute list: ${d.name} removed.`);
  for (const [name, d] of listB) {
    const old = listA.get(name);
    if (old && ((old.type ?? '') !== (d.type ?? '') || Boolean(old.multivalued) !== Boolean(d.multivalued))) notes.push(`Attribute list: ${d.name} changed type.`);
  }
  return { objectType, rows, notes };
}

export function diffMappingSets(from: MappingSet, to: MappingSet): SetDiff {
  const objects = (['User', 'Group'] as const).map((t) => diffObject(from, to, t));
  const notes: string[] = [];
  const urlA = tenantUrlOf(from);
  const urlB = tenantUrlOf(to);
  if (urlA !== urlB) notes.push(`Tenant URL: ${urlA ?? '(none)'} → ${urlB ?? '(none)'}`);
  const unchanged = notes.length === 0 && objects.every((o) => o.rows.length === 0 && o.notes.length === 0);
  return { objects, notes, unchanged };
}
