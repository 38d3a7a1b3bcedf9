import {
  dialectOfTenantUrl,
  findObjectMapping,
  mappingTypeOf,
  quoteConstant,
  sourceExpressionOf,
  targetAttributeList,
  tenantUrlOf,
  withTenantUrl,
  type MappingSet,
  type MappingType,
} from '../../shared/mapping/model.ts';
import type { AttributeDefinition, AttributeMapping, FilterGroup, ObjectMapping } from '../../shared/mapping/schema.ts';

/**
 * The edits the Mappings screen makes, as pure functions from a mapping set to a new one (the input is
 * never changed), so undo/redo is a list of sets and every edit is testable without a DOM.
 */

export type ObjectType = 'User' | 'Group';

/** The row form of the portal's "Edit attribute" panel, in its own words. */
export interface RowForm {
  mappingType: MappingType;
  /** Direct: the source attribute name */
  sourceAttribute: string;
  /** Constant: the value */
  constantValue: string;
  /** Expression: the expression text */
  expression: string;
  defaultValue: string;
  targetAttribute: string;
  matchObjects: boolean;
  matchingPrecedence: number;
  apply: 'Always' | 'ObjectAddOnly';
}

export function objectMappingOf(set: MappingSet, objectType: ObjectType): ObjectMapping | undefined {
  return findObjectMapping(set, objectType)?.objectMapping;
}

export function rowsOf(set: MappingSet, objectType: ObjectType): readonly AttributeMapping[] {
  return objectMappingOf(set, objectType)?.attributeMappings ?? [];
}

/** Edits the object mapping of a deep copy. */
function editObject(set: MappingSet, objectType: ObjectType, edit: (objectMapping: ObjectMapping, copy: MappingSet) => void): MappingSet {
  const copy = structuredClone(set);
  const located = findObjectMapping(copy, objectType);
  if (!located) throw new Error(`The mapping set has no ${objectType} object mapping`);
  edit(located.objectMapping, copy);
  return copy;
}

export function formOf(row: AttributeMapping): RowForm {
  const type = mappingTypeOf(row);
  const expression = sourceExpressionOf(row) ?? '';
  return {
    mappingType: type,
    sourceAttribute: type === 'Direct' ? (row.source?.name ?? expression.replace(/^\[|\]$/g, '')) : '',
    constantValue: type === 'Constant' ? (row.source?.name ?? '') : '',
    expression: type === 'Expression' ? expression : '',
    defaultValue: row.defaultValue ?? '',
    targetAttribute: row.targetAttributeName,
    matchObjects: (row.matchingPriority ?? 0) > 0,
    matchingPrecedence: Math.max(1, row.matchingPriority ?? 1),
    apply: row.flowType === 'ObjectAddOnly' ? 'ObjectAddOnly' : 'Always',
  };
}

export function emptyForm(): RowForm {
  return { mappingType: 'Direct', sourceAttribute: '', constantValue: '', expression: '', defaultValue: '', targetAttribute: '', matchObjects: false, matchingPrecedence: 1, apply: 'Always' };
}

/** The expression a form evaluates (for live results and validation), or null for mapping type None. */
export function formExpression(form: RowForm): string | null {
  switch (form.mappingType) {
    case 'Direct':
      return form.sourceAttribute ? `[${form.sourceAttribute}]` : null;
    case 'Constant':
      return quoteConstant(form.constantValue);
    case 'Expression':
      return form.expression;
    case 'None':
      return null;
  }
}

/** What is wrong with the form before it can become a row, in the portal's words; empty when fine. */
export function formProblems(form: RowForm): string[] {
  const problems: string[] = [];
  if (!form.targetAttribute.trim()) problems.push('Choose a target attribute.');
  if (form.mappingType === 'Direct' && !form.sourceAttribute.trim()) problems.push('Choose a source attribute.');
  if (form.mappingType === 'Expression' && !form.expression.trim()) problems.push('Write the expression.');
  if (form.mappingType === 'None' && !form.defaultValue) problems.push('Mapping type None sends only the default value: enter one.');
  if (form.matchObjects && !(form.matchingPrecedence >= 1)) problems.push('Matching precedence starts at 1.');
  return problems;
}

/**
 * A form as Graph stores the row: Direct → source type Attribute, Constant → Constant, Expression →
 * Function with the expression text (Graph fills the parameter tree itself on PUT), None → no source.
 * Properties the form does not show (flowBehavior, exportMissingReferences …) are kept from `base`.
 */
export function rowFromForm(form: RowForm, base?: AttributeMapping): AttributeMapping {
  const row: AttributeMapping = {
    flowBehavior: 'FlowWhenChanged',
    exportMissingReferences: false,
    ...base,
    targetAttributeName: form.targetAttribute.trim(),
    defaultValue: form.defaultValue === '' ? null : form.defaultValue,
    matchingPriority: form.matchObjects ? Math.max(1, Math.floor(form.matchingPrecedence)) : 0,
    flowType: form.apply,
  };
  switch (form.mappingType) {
    case 'Direct':
      row.source = { type: 'Attribute', name: form.sourceAttribute.trim(), expression: `[${form.sourceAttribute.trim()}]`, parameters: [] };
      break;
    case 'Constant':
      row.source = { type: 'Constant', name: form.constantValue, expression: quoteConstant(form.constantValue), parameters: [] };
      break;
    case 'Expression':
      row.source = { type: 'Function', name: null, expression: form.expression, parameters: [] };
      break;
    case 'None':
      row.source = null;
      break;
  }
  return row;
}

export function addRow(set: MappingSet, objectType: ObjectType, row: AttributeMapping): MappingSet {
  return editObject(set, objectType, (om) => {
    om.attributeMappings.push(row);
  });
}

export function replaceRow(set: MappingSet, objectType: ObjectType, index: number, row: AttributeMapping): MappingSet {
  return editObject(set, objectType, (om) => {
    if (!om.attributeMappings[index]) throw new Error(`There is no row ${index + 1}`);
    om.attributeMappings[index] = row;
  });
}

export function deleteRow(set: MappingSet, objectType: ObjectType, index: number): MappingSet {
  return editObject(set, objectType, (om) => {
    om.attributeMappings.splice(index, 1);
  });
}

/** Moves a row; the order is the order rows are shown and exported (matching uses precedence, not order). */
export function moveRow(set: MappingSet, objectType: ObjectType, from: number, to: number): MappingSet {
  return editObject(set, objectType, (om) => {
    const rows = om.attributeMappings;
    if (from < 0 || from >= rows.length || to < 0 || to >= rows.length || from === to) return;
    const [row] = rows.splice(from, 1);
    rows.splice(to, 0, row!);
  });
}

export function setObjectEnabled(set: MappingSet, objectType: ObjectType, enabled: boolean): MappingSet {
  return editObject(set, objectType, (om) => {
    om.enabled = enabled;
  });
}

export function scopeGroupsOf(set: MappingSet, objectType: ObjectType): FilterGroup[] {
  return objectMappingOf(set, objectType)?.scope?.groups ?? [];
}

/**
 * Scoping filter groups: ORed, their clauses ANDed (Microsoft Learn "Scoping users or groups to be provisioned with
 * scoping filters"). Empty groups are dropped.
 */
export function setScopeGroups(set: MappingSet, objectType: ObjectType, groups: FilterGroup[]): MappingSet {
  return editObject(set, objectType, (om) => {
    const kept = groups.filter((g) => (g.clauses ?? []).length > 0);
    om.scope = kept.length > 0 ? { ...om.scope, groups: kept } : null;
  });
}

export function attributeListOf(set: MappingSet, objectType: ObjectType): AttributeDefinition[] {
  const located = findObjectMapping(set, objectType);
  return located ? targetAttributeList(set, located) : [];
}

/** Replaces "Edit attribute list for customappsso" of the object (the target directory's object). */
export function setAttributeList(set: MappingSet, objectType: ObjectType, attributes: AttributeDefinition[]): MappingSet {
  const copy = structuredClone(set);
  const located = findObjectMapping(copy, objectType);
  if (!located) throw new Error(`The mapping set has no ${objectType} object mapping`);
  const directoryName = located.rule.targetDirectoryName;
  const directory = copy.directories?.find((d) => d.name === directoryName);
  const object = directory?.objects?.find((o) => o.name.toLowerCase() === located.objectMapping.targetObjectName.toLowerCase());
  if (!object) throw new Error(`The schema has no "${directoryName ?? 'target'}" attribute list for ${objectType}`);
  object.attributes = attributes;
  return copy;
}

/** A new custom attribute as the portal's "Edit attribute list" adds it. */
export function newAttributeDefinition(name: string, type: string, multivalued: boolean): AttributeDefinition {
  return { name, type, multivalued, required: false, anchor: false, caseExact: false, mutability: 'ReadWrite', flowNullValues: false, referencedObjects: [], metadata: [] };
}

const FLAG = 'aadOptscim062020';

export function usesOptDialect(set: MappingSet): boolean {
  return dialectOfTenantUrl(tenantUrlOf(set)) === 'aadOptscim062020';
}

/**
 * The tenant URL with the aadOptscim062020 feature flag added or removed (Microsoft Learn "Known issues and resolutions
 * with SCIM 2.0 protocol compliance").
 */
export function withOptFlag(tenantUrl: string | null, on: boolean): string | null {
  const url = tenantUrl ?? '';
  const [base, query = ''] = url.split(/\?(.*)/s, 2) as [string, string?];
  const params = query.split('&').filter((p) => p !== '' && p.split('=')[0]!.toLowerCase() !== FLAG.toLowerCase());
  if (on) params.push(FLAG);
  const result = params.length > 0 ? `${base}?${params.join('&')}` : base;
  return result === '' ? null : result;
}

export function setOptDialect(set: MappingSet, on: boolean): MappingSet {
  return withTenantUrl(structuredClone(set), withOptFlag(tenantUrlOf(set), on));
}

export function setTenantUrl(set: MappingSet, tenantUrl: string): MappingSet {
  return withTenantUrl(structuredClone(set), tenantUrl.trim() === '' ? null : tenantUrl.trim());
}
