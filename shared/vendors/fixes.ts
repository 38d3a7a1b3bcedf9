import {
  findObjectMapping,
  matchingPriorityOf,
  sourceExpressionOf,
  tenantUrlOf,
  withTenantUrl,
  type MappingSet,
} from '../mapping/model.ts';
import type { AttributeDefinition, AttributeMapping, ObjectMapping } from '../mapping/schema.ts';
import type { Finding } from '../preview/types.ts';
import { sameExpression } from './expressions.ts';
import type { VendorProfile } from './profile-schema.ts';
import { attributeRuleFor } from './rules.ts';

/**
 * Fix-its: pure functions from a mapping set and one finding to the corrected set (a new object; the input
 * is never changed). The app saves the result as a new revision. Only mechanical fixes live here: a fix that
 * needs the admin's judgement (which attribute holds the user type?) stays as the finding's `fix` text.
 */

export class FixNotApplicableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FixNotApplicableError';
  }
}

/** The date conversion the HiThrive and Thrive fixes wrap a row in: Graph's UTC date-time → YYYY-MM-DD. */
const DATE_ONLY_INPUT_FORMAT = 'yyyy-MM-ddTHH:mm:ssZ';

export function wrapInDateOnly(expression: string): string {
  // Microsoft Learn "Reference for writing expressions for attribute mappings", FormatDateTime: FormatDateTime(source,
  // dateTimeStyles, inputFormat, outputFormat), the 2nd argument left empty.
  return `FormatDateTime(${expression}, , "${DATE_ONLY_INPUT_FORMAT}", "yyyy-MM-dd")`;
}

type Fixer = (set: MappingSet, finding: Finding, profile: VendorProfile | undefined) => MappingSet;

function needProfile(profile: VendorProfile | undefined, finding: Finding): VendorProfile {
  if (!profile) throw new FixNotApplicableError(`The fix for ${finding.code} needs the vendor profile.`);
  return profile;
}

function needAttribute(finding: Finding): string {
  if (!finding.attribute) throw new FixNotApplicableError(`${finding.code} names no target attribute to fix.`);
  return finding.attribute;
}

/** Edits the user object mapping of a deep copy of the set. */
function editUserMapping(set: MappingSet, edit: (objectMapping: ObjectMapping, copy: MappingSet) => void): MappingSet {
  const copy = structuredClone(set);
  const located = findObjectMapping(copy, 'User');
  if (!located) throw new FixNotApplicableError('The mapping set has no user object mapping.');
  edit(located.objectMapping, copy);
  return copy;
}

function sameTarget(mapping: AttributeMapping, target: string): boolean {
  return mapping.targetAttributeName.toLowerCase() === target.toLowerCase();
}

/** A row as the portal's "Add New Mapping" writes it, in Graph's shape. */
function newAttributeMapping(target: string, expression: string, options: { matchingPrecedence?: number; defaultValue?: string; apply?: 'Always' | 'ObjectAddOnly' } = {}): AttributeMapping {
  const attribute = /^\[([^\]]+)\]$/.exec(expression.trim());
  return {
    targetAttributeName: target,
    source: attribute
      ? { type: 'Attribute', name: attribute[1]!, expression, parameters: [] }
      : { type: 'Function', name: null, expression, parameters: [] },
    defaultValue: options.defaultValue ?? null,
    matchingPriority: options.matchingPrecedence ?? 0,
    flowType: options.apply ?? 'Always',
    flowBehavior: 'FlowWhenChanged',
    exportMissingReferences: false,
  };
}

function setExpression(mapping: AttributeMapping, expression: string): void {
  const fresh = newAttributeMapping(mapping.targetAttributeName, expression);
  mapping.source = fresh.source ?? null;
}

/** Makes `target` the matching attribute at `precedence`; the others move behind it, keeping their order. */
function setMatching(objectMapping: ObjectMapping, target: string, precedence: number): void {
  const row = objectMapping.attributeMappings.find((m) => sameTarget(m, target));
  if (!row) throw new FixNotApplicableError(`No mapping targets ${target}.`);
  const others = objectMapping.attributeMappings
    .filter((m) => m !== row && matchingPriorityOf(m) > 0)
    .sort((a, b) => matchingPriorityOf(a) - matchingPriorityOf(b));
  row.matchingPriority = precedence;
  let next = 1;
  for (const other of others) {
    if (next === precedence) next++;
    other.matchingPriority = next++;
  }
}

const removeTarget: Fixer = (set, finding) => {
  const target = needAttribute(finding);
  return editUserMapping(set, (objectMapping) => {
    objectMapping.attributeMappings = objectMapping.attributeMappings.filter((m) => !sameTarget(m, target));
  });
};

const FIXERS: Partial<Record<string, Fixer>> = {
  VENDOR_TARGET_UNSUPPORTED: removeTarget,
  VENDOR_FILTERED_DEFAULT: removeTarget,

  // Removes only the condemned row (named by the finding's source span), never the vendor's row beside it.
  VENDOR_REMOVE_ROW: (set, finding) => {
    const target = needAttribute(finding);
    const expression = finding.source?.expression;
    return editUserMapping(set, (objectMapping) => {
      objectMapping.attributeMappings = objectMapping.attributeMappings.filter(
        (m) => !(sameTarget(m, target) && (expression === undefined || sameExpression(sourceExpressionOf(m), expression))),
      );
    });
  },

  VENDOR_ROW_MISSING: (set, finding, profile) => {
    const target = needAttribute(finding);
    const item = [...needProfile(profile, finding).recommendedMappings.keep, ...needProfile(profile, finding).recommendedMappings.add].find(
      (candidate) => candidate.target.toLowerCase() === target.toLowerCase(),
    );
    if (!item || item.expression === null) {
      throw new FixNotApplicableError(`The guide leaves the source of ${target} to you; add the mapping in the editor.`);
    }
    const precedence = 'matchingPrecedence' in item ? item.matchingPrecedence : undefined;
    const defaultValue = 'defaultValue' in item ? item.defaultValue : undefined;
    const apply = 'apply' in item ? item.apply : 'Always';
    const entry = 'attributeListEntry' in item ? item.attributeListEntry : undefined;
    return editUserMapping(set, (objectMapping, copy) => {
      objectMapping.attributeMappings.push(newAttributeMapping(item.target, item.expression!, { defaultValue, apply }));
      if (precedence !== undefined) setMatching(objectMapping, item.target, precedence);
      if (entry) addToAttributeList(copy, item.target, entry.type, entry.multivalued);
    });
  },

  VENDOR_ROW_SOURCE: (set, finding, profile) => {
    const target = needAttribute(finding);
    const p = needProfile(profile, finding);
    const item = [...p.recommendedMappings.keep, ...p.recommendedMappings.add].find((c) => c.target.toLowerCase() === target.toLowerCase());
    if (!item || item.expression === null) throw new FixNotApplicableError(`The profile names no source for ${target}.`);
    return editUserMapping(set, (objectMapping) => {
      const row = objectMapping.attributeMappings.find((m) => sameTarget(m, target));
      if (!row) throw new FixNotApplicableError(`No mapping targets ${target}.`);
      setExpression(row, item.expression!);
    });
  },

  VENDOR_MATCHING: (set, finding, profile) => {
    const expected = needProfile(profile, finding).recommendedMappings.matching;
    if (!expected) throw new FixNotApplicableError('The profile names no matching attribute.');
    return editUserMapping(set, (objectMapping) => setMatching(objectMapping, expected.target, expected.precedence));
  },

  VENDOR_MATCHING_NOT_FILTERABLE: (set, finding, profile) => {
    const target = needAttribute(finding);
    const filterable = needProfile(profile, finding).features.filterableAttributes.value;
    return editUserMapping(set, (objectMapping) => {
      const row = objectMapping.attributeMappings.find((m) => sameTarget(m, target));
      if (row) row.matchingPriority = 0;
      const still = objectMapping.attributeMappings.some((m) => matchingPriorityOf(m) > 0);
      const fallback = filterable?.find((name) => objectMapping.attributeMappings.some((m) => sameTarget(m, name)));
      if (fallback) setMatching(objectMapping, fallback, 1);
      else if (!still) throw new FixNotApplicableError(`No filterable attribute is mapped to match on instead of ${target}.`);
    });
  },

  // Wraps the row's current source; a row that is already a conversion is left alone by the rule engine.
  VENDOR_FORMAT: (set, finding) => {
    const target = needAttribute(finding);
    return editUserMapping(set, (objectMapping) => {
      const row = objectMapping.attributeMappings.find((m) => sameTarget(m, target));
      const expression = row ? sourceExpressionOf(row) : null;
      if (!row || expression === null) throw new FixNotApplicableError(`No mapping with a source targets ${target}.`);
      if (!isDateFormatFinding(finding)) {
        throw new FixNotApplicableError(`Only date formats have a mechanical fix; change the ${target} mapping by hand.`);
      }
      setExpression(row, wrapInDateOnly(expression));
    });
  },

  VENDOR_CUSTOM_TARGET_NOT_IN_LIST: (set, finding, profile) => {
    const target = needAttribute(finding);
    const rule = profile ? attributeRuleFor(profile, target) : undefined;
    const copy = structuredClone(set);
    addToAttributeList(copy, target, rule?.type ?? 'String', rule?.multivalued ?? false);
    return copy;
  },

  VENDOR_GROUPS_UNSUPPORTED: (set) => {
    const copy = structuredClone(set);
    const located = findObjectMapping(copy, 'Group');
    if (!located) throw new FixNotApplicableError('The mapping set has no group object mapping.');
    located.objectMapping.enabled = false;
    return copy;
  },

  VENDOR_PATCH_DIALECT: (set) => {
    const tenantUrl = tenantUrlOf(set);
    if (!tenantUrl) throw new FixNotApplicableError('The mapping set carries no Tenant URL; append ?aadOptscim062020 to it in the portal.');
    const flagged = `${tenantUrl}${tenantUrl.includes('?') ? '&' : '?'}aadOptscim062020`;
    return withTenantUrl(structuredClone(set), flagged);
  },
};

/** Adds a target to "Edit attribute list for customappsso" (the user object of the rule's target directory). */
function addToAttributeList(set: MappingSet, target: string, type: string, multivalued: boolean): void {
  const located = findObjectMapping(set, 'User');
  if (!located) throw new FixNotApplicableError('The mapping set has no user object mapping.');
  const directoryName = located.rule.targetDirectoryName;
  const directory = set.directories?.find((d) => d.name === directoryName);
  const object = directory?.objects?.find((o) => o.name.toLowerCase() === located.objectMapping.targetObjectName.toLowerCase());
  if (!object) throw new FixNotApplicableError(`The schema has no "${directoryName ?? 'target'}" attribute list to add ${target} to.`);
  const attributes = (object.attributes ??= []);
  if (attributes.some((a) => a.name.toLowerCase() === target.toLowerCase())) return;
  const definition: AttributeDefinition = {
    name: target,
    type,
    multivalued,
    required: false,
    anchor: false,
    caseExact: false,
    mutability: 'ReadWrite',
    flowNullValues: false,
    referencedObjects: [],
    metadata: [],
  };
  attributes.push(definition);
}

/** Whether `applyFix` can fix this finding mechanically (some fixes also need the profile). */
/**
 * Whether a finding has a mechanical fix. Pass the mapping set when you have it: some fixes depend on
 * it (appending the aadOptscim062020 flag needs a Tenant URL to append it to).
 */
export function isFixable(finding: Finding, profile?: VendorProfile, set?: MappingSet): boolean {
  if (!(finding.code in FIXERS)) return false;
  if (finding.code === 'VENDOR_PATCH_DIALECT') return set === undefined || tenantUrlOf(set) !== null;
  if (finding.code === 'VENDOR_ROW_MISSING') {
    const item = profile && [...profile.recommendedMappings.keep, ...profile.recommendedMappings.add].find((c) => c.target.toLowerCase() === finding.attribute?.toLowerCase());
    return item !== undefined && item.expression !== null;
  }
  if (finding.code === 'VENDOR_FORMAT') return isDateFormatFinding(finding);
  if (['VENDOR_ROW_SOURCE', 'VENDOR_MATCHING', 'VENDOR_MATCHING_NOT_FILTERABLE'].includes(finding.code)) return profile !== undefined;
  return true;
}

/** Applies the mechanical fix of one finding; throws FixNotApplicableError when there is none. */
export function applyFix(set: MappingSet, finding: Finding, profile?: VendorProfile): MappingSet {
  const fixer = FIXERS[finding.code];
  if (!fixer) throw new FixNotApplicableError(`${finding.code} has no mechanical fix: ${finding.fix ?? 'see the finding'}`);
  return fixer(set, finding, profile);
}

/**
 * "Apply the vendor's recommended rows": every fixable mapping-level finding, in order (removals before
 * additions, so a replaced row never collides with its replacement). Per-user findings are skipped: their
 * mapping-level aggregate carries the same fix.
 */
export function applyAllFixes(set: MappingSet, findings: readonly Finding[], profile?: VendorProfile): MappingSet {
  const order = ['VENDOR_REMOVE_ROW', 'VENDOR_FILTERED_DEFAULT', 'VENDOR_TARGET_UNSUPPORTED', 'VENDOR_ROW_MISSING', 'VENDOR_ROW_SOURCE'];
  const rank = (f: Finding) => (order.includes(f.code) ? order.indexOf(f.code) : order.length);
  const seen = new Set<string>();
  let result = set;
  for (const finding of [...findings].filter((f) => f.userId === undefined).sort((a, b) => rank(a) - rank(b))) {
    const key = `${finding.code}\u0000${finding.attribute ?? ''}\u0000${finding.source?.expression ?? ''}`;
    if (seen.has(key) || !isFixable(finding, profile, result)) continue;
    seen.add(key);
    result = applyFix(result, finding, profile);
  }
  return result;
}

/** Date findings carry the FormatDateTime conversion as their fix; other format findings need a person. */
function isDateFormatFinding(finding: Finding): boolean {
  return finding.code === 'VENDOR_FORMAT' && (finding.fix?.includes('FormatDateTime') ?? false);
}
