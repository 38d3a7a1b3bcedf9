import entraDefaultTemplate from '../../resources/templates/entra-scim-default.schema.json' with { type: 'json' };
import {
  findObjectMapping,
  importMappingSet,
  indexAttributeDefinitions,
  isCreateOnly,
  matchingPriorityOf,
  sourceExpressionOf,
  targetAttributeList,
  type MappingSet,
} from '../mapping/model.ts';
import type { AttributeMapping, ObjectMapping } from '../mapping/schema.ts';
import { attributeRuleFor, sameExpression, type VendorProfile } from '../vendors/index.ts';
import { singleSourceAttribute } from '../vendors/expressions.ts';
import type { CustomAttributeReport, DefaultDifference, VendorDifference } from './model.ts';

/**
 * What a set changes: against Entra's default mappings for a non-gallery SCIM app (the template the
 * portal starts from), and against what the vendor's guide recommends (its profile's recommendedMappings).
 */

let template: MappingSet | undefined;
/** Entra's default set, bundled as a JSON module so shared/ stays free of file access. */
export function entraDefaultSet(): MappingSet {
  if (!template) {
    const imported = importMappingSet(entraDefaultTemplate);
    if (!imported.ok) throw new Error(`resources/templates/entra-scim-default.schema.json is not a synchronization schema: ${imported.issues.join('; ')}`);
    template = imported.set;
  }
  return template;
}

/** A row in one line, for difference tables: "[jobTitle] (default "x", only on create, matching 1)". */
function describeRow(mapping: AttributeMapping): string {
  const parts = [sourceExpressionOf(mapping) ?? '(mapping type None)'];
  if (mapping.defaultValue != null && mapping.defaultValue !== '') parts.push(`default "${mapping.defaultValue}"`);
  if (isCreateOnly(mapping)) parts.push('only during object creation');
  if (matchingPriorityOf(mapping) > 0) parts.push(`matching precedence ${matchingPriorityOf(mapping)}`);
  return parts.length === 1 ? parts[0]! : `${parts[0]} (${parts.slice(1).join(', ')})`;
}

function sameRow(a: AttributeMapping, b: AttributeMapping): boolean {
  const ea = sourceExpressionOf(a);
  const eb = sourceExpressionOf(b);
  const sameSource = ea === null || eb === null ? ea === eb : sameExpression(ea, eb);
  return (
    sameSource &&
    (a.defaultValue ?? '') === (b.defaultValue ?? '') &&
    matchingPriorityOf(a) === matchingPriorityOf(b) &&
    isCreateOnly(a) === isCreateOnly(b)
  );
}

function objectMappings(set: MappingSet): ObjectMapping[] {
  return set.synchronizationRules.flatMap((rule) => rule.objectMappings);
}

/** Each row as the default set has it: 'same', 'changed' or 'added', by target name (case-insensitive, RFC 7643 §2.1). */
export function rowStatusAgainstDefault(objectMapping: ObjectMapping, mapping: AttributeMapping): 'same' | 'changed' | 'added' {
  const defaults = findObjectMapping(entraDefaultSet(), objectMapping.sourceObjectName)?.objectMapping;
  const match = defaults?.attributeMappings.find((m) => m.targetAttributeName.toLowerCase() === mapping.targetAttributeName.toLowerCase());
  if (!match) return 'added';
  return sameRow(match, mapping) ? 'same' : 'changed';
}

export function differencesFromDefaults(set: MappingSet): DefaultDifference[] {
  const differences: DefaultDifference[] = [];
  for (const objectMapping of objectMappings(set)) {
    const defaults = findObjectMapping(entraDefaultSet(), objectMapping.sourceObjectName)?.objectMapping;
    const name = objectMapping.name ?? `${objectMapping.sourceObjectName} → ${objectMapping.targetObjectName}`;
    const defaultRows = defaults?.attributeMappings ?? [];
    for (const mapping of objectMapping.attributeMappings) {
      const match = defaultRows.find((m) => m.targetAttributeName.toLowerCase() === mapping.targetAttributeName.toLowerCase());
      if (!match) differences.push({ objectMapping: name, target: mapping.targetAttributeName, change: 'added', before: null, after: describeRow(mapping) });
      else if (!sameRow(match, mapping)) {
        differences.push({ objectMapping: name, target: mapping.targetAttributeName, change: 'changed', before: describeRow(match), after: describeRow(mapping) });
      }
    }
    for (const mapping of defaultRows) {
      const kept = objectMapping.attributeMappings.some((m) => m.targetAttributeName.toLowerCase() === mapping.targetAttributeName.toLowerCase());
      if (!kept) differences.push({ objectMapping: name, target: mapping.targetAttributeName, change: 'removed', before: describeRow(mapping), after: null });
    }
  }
  return differences;
}

function userRows(set: MappingSet): AttributeMapping[] {
  return findObjectMapping(set, 'User')?.objectMapping.attributeMappings ?? [];
}

function rowsOn(rows: readonly AttributeMapping[], target: string): AttributeMapping[] {
  return rows.filter((row) => row.targetAttributeName.toLowerCase() === target.toLowerCase());
}

/** The set against the vendor's recommended rows: what to remove, add, keep, and how to match. */
export function differencesFromVendor(set: MappingSet, profile: VendorProfile): VendorDifference[] {
  const rows = userRows(set);
  const recommended = profile.recommendedMappings;
  const out: VendorDifference[] = [];
  for (const remove of recommended.remove) {
    const offending = rowsOn(rows, remove.target).filter((row) => remove.source === undefined || singleSourceAttribute(row) === remove.source);
    out.push({
      target: remove.target,
      recommendation: `Delete the row${remove.source ? ` mapping [${remove.source}]` : ''}`,
      status: offending.length > 0 ? 'to-remove' : 'ok',
      current: offending[0] ? describeRow(offending[0]) : null,
      reason: remove.reason,
    });
  }
  for (const wanted of [...recommended.add, ...recommended.keep.map((keep) => ({ ...keep, enforceSource: true }))]) {
    const present = rowsOn(rows, wanted.target).filter((row) => {
      const condemned = recommended.remove.some(
        (r) => r.target.toLowerCase() === row.targetAttributeName.toLowerCase() && r.source !== undefined && singleSourceAttribute(row) === r.source,
      );
      return !condemned;
    });
    const expression = wanted.expression;
    const row = present[0];
    let status: VendorDifference['status'] = 'ok';
    if (!row) status = 'missing';
    else if (expression !== null && !sameExpression(sourceExpressionOf(row), expression)) status = 'different';
    out.push({
      target: wanted.target,
      recommendation: expression === null ? 'Map it (the guide leaves the source to you)' : `Map ${expression}`,
      status,
      current: row ? describeRow(row) : null,
      reason: wanted.reason,
    });
  }
  const matching = recommended.matching;
  if (matching) {
    const row = rowsOn(rows, matching.target)[0];
    const ok = row !== undefined && matchingPriorityOf(row) === matching.precedence;
    out.push({
      target: matching.target,
      recommendation: `Match objects using this attribute, matching precedence ${matching.precedence}`,
      status: row === undefined ? 'missing' : ok ? 'ok' : 'different',
      current: row ? describeRow(row) : null,
      reason: `${profile.name} looks users up by ${matching.target}.`,
    });
  }
  return out;
}

/**
 * Targets that must be added under "Edit attribute list for customappsso" before they can be mapped: every
 * mapped user target Entra's default list lacks, and every custom target the vendor's guide asks for.
 * Names keep their exact casing: the portal stores what is typed, and vendors (Thrive) match it exactly.
 */
export function customAttributesToAdd(set: MappingSet, profile: VendorProfile): CustomAttributeReport[] {
  const defaults = entraDefaultSet();
  const defaultUser = findObjectMapping(defaults, 'User');
  const defaultList = defaultUser ? indexAttributeDefinitions(targetAttributeList(defaults, defaultUser)) : new Map();
  const located = findObjectMapping(set, 'User');
  const setList = located ? indexAttributeDefinitions(targetAttributeList(set, located)) : new Map();
  const rows = userRows(set);
  const found = new Map<string, CustomAttributeReport>();
  const consider = (name: string, fallbackType: string, multivalued: boolean, note: string | null) => {
    const key = name.toLowerCase();
    if (defaultList.has(key) || found.has(key)) return;
    const definition = setList.get(key);
    const row = rowsOn(rows, name)[0];
    found.set(key, {
      name: definition?.name ?? name,
      type: definition?.type ?? fallbackType,
      multivalued: definition?.multivalued ?? multivalued,
      inAttributeList: definition !== undefined,
      mappedFrom: row ? sourceExpressionOf(row) : null,
      note,
    });
  };
  for (const row of rows) {
    const rule = attributeRuleFor(profile, row.targetAttributeName);
    consider(row.targetAttributeName, rule?.type ?? 'String', rule?.multivalued ?? false, rule?.note ?? null);
  }
  for (const add of profile.recommendedMappings.add) {
    if (add.attributeListEntry) consider(add.target, add.attributeListEntry.type, add.attributeListEntry.multivalued, add.reason);
  }
  for (const rule of profile.attributes) {
    if (rule.custom && !/\{[^}]+\}/.test(rule.target)) consider(rule.target, rule.type, rule.multivalued, rule.note ?? null);
  }
  return [...found.values()];
}
