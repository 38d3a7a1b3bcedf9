import {
  findObjectMapping,
  matchingPriorityOf,
  sourceExpressionOf,
  tenantUrlOf,
  withTenantUrl,
  type MappingSet,
} from '../mapping/model.ts';
import type { AttributeDefinition, AttributeMapping, ObjectMapping } from '../mapping/schema.ts';
import { compileExpression } from '../expressions/index.ts';
import { parse } from '../expressions/parser.ts';
import type { Finding } from '../preview/types.ts';
import { sameExpression } from './expressions.ts';
import { DATE_ONLY_FORMAT, GRAPH_DATE_TIME_FORMAT, rewriteToDateOnly, wrapInFormatDateTime } from './expression-rewrite.ts';
import type { VendorProfile } from './profile-schema.ts';
import { attributeRuleFor } from './rules.ts';

/**
 * Fix-its: pure functions from a mapping set and one finding to the corrected set (a new object; the input
 * is never changed) and a sentence saying what changed. The app previews the result and saves it as a new
 * revision only when the admin applies it. Only mechanical fixes live here: a fix that needs the admin's
 * judgement (which attribute holds the user type?) stays as the finding's `fix` text. Every expression a fix
 * writes is compiled first; one that does not compile makes the fix not applicable.
 */

export class FixNotApplicableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FixNotApplicableError';
  }
}

/** The date conversion the HiThrive and Thrive fixes wrap a raw row in: Graph's UTC date-time → YYYY-MM-DD. */
export function wrapInDateOnly(expression: string): string {
  return wrapInFormatDateTime(expression, GRAPH_DATE_TIME_FORMAT, DATE_ONLY_FORMAT);
}

/** A fix ready to preview: the corrected set and what the fix does to it. */
interface PlannedFix {
  set: MappingSet;
  description: string;
}

type Fixer = (set: MappingSet, finding: Finding, profile: VendorProfile | undefined) => PlannedFix;

function needProfile(profile: VendorProfile | undefined, finding: Finding): VendorProfile {
  if (!profile) throw new FixNotApplicableError(`The fix for ${finding.code} needs the vendor profile.`);
  return profile;
}

function needAttribute(finding: Finding): string {
  if (!finding.attribute) throw new FixNotApplicableError(`${finding.code} names no target attribute to fix.`);
  return finding.attribute;
}

/** Edits the user object mapping of a deep copy of the set; `edit` returns what it did. */
function editUserMapping(set: MappingSet, edit: (objectMapping: ObjectMapping, copy: MappingSet) => string): PlannedFix {
  const copy = structuredClone(set);
  const located = findObjectMapping(copy, 'User');
  if (!located) throw new FixNotApplicableError('The mapping set has no user object mapping.');
  const description = edit(located.objectMapping, copy);
  return { set: copy, description };
}

/** The expression a fix is about to write, refused unless the engine compiles it. */
function compilable(expression: string, what: string): string {
  const compiled = compileExpression(expression);
  if (!compiled.ok) {
    const first = compiled.diagnostics.find((d) => d.severity === 'error');
    throw new FixNotApplicableError(`${what} ${expression} does not compile (${first?.message ?? 'unknown error'}); change the mapping by hand.`);
  }
  return expression;
}

function sameTarget(mapping: AttributeMapping, target: string): boolean {
  return mapping.targetAttributeName.toLowerCase() === target.toLowerCase();
}

/** A row as the portal's "Add New Mapping" writes it, in Graph's shape. */
function newAttributeMapping(target: string, expression: string, options: { matchingPrecedence?: number; defaultValue?: string; apply?: 'Always' | 'ObjectAddOnly' } = {}): AttributeMapping {
  // A lone [attribute] is the portal's Mapping type "Direct"; anything else is an Expression.
  const root = parse(compilable(expression, 'The expression')).root;
  return {
    targetAttributeName: target,
    source:
      root.type === 'attribute'
        ? { type: 'Attribute', name: root.name, expression, parameters: [] }
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
    return `Delete the ${target} mapping`;
  });
};

/** The profile's recommended row for a target (kept or added), if the guide names one. */
function recommendedItem(profile: VendorProfile, target: string) {
  return [...profile.recommendedMappings.keep, ...profile.recommendedMappings.add].find((candidate) => candidate.target.toLowerCase() === target.toLowerCase());
}

/** The vendor's date rule applies to this finding: a YYYY-MM-DD attribute, or "every date-like value" (Thrive). */
function isDateFinding(finding: Finding, profile: VendorProfile): boolean {
  if (finding.code !== 'VENDOR_FORMAT' || !finding.attribute) return false;
  const format = attributeRuleFor(profile, finding.attribute)?.format ?? null;
  return format === 'date' || (format === null && profile.dateValues !== null);
}

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
      return expression === undefined ? `Delete the ${target} mapping` : `Delete the mapping ${expression} → ${target}`;
    });
  },

  VENDOR_ROW_MISSING: (set, finding, profile) => {
    const target = needAttribute(finding);
    const item = recommendedItem(needProfile(profile, finding), target);
    if (!item || item.expression === null) {
      throw new FixNotApplicableError(`The guide leaves the source of ${target} to you; add the mapping in the editor.`);
    }
    const expression = item.expression;
    const precedence = 'matchingPrecedence' in item ? item.matchingPrecedence : undefined;
    const defaultValue = 'defaultValue' in item ? item.defaultValue : undefined;
    const apply = 'apply' in item ? item.apply : 'Always';
    const entry = 'attributeListEntry' in item ? item.attributeListEntry : undefined;
    return editUserMapping(set, (objectMapping, copy) => {
      const row = newAttributeMapping(item.target, expression, { defaultValue, apply });
      // A row the vendor condemns may still hold the target (mailNickname → externalId): Entra maps a target once,
      // so the vendor's row takes its place rather than joining it.
      const held = objectMapping.attributeMappings.findIndex((m) => sameTarget(m, item.target));
      const was = held < 0 ? null : sourceExpressionOf(objectMapping.attributeMappings[held]!);
      if (held < 0) objectMapping.attributeMappings.push(row);
      else objectMapping.attributeMappings[held] = row;
      const parts = [held < 0 ? `Add the mapping ${expression} → ${item.target}` : `Replace the mapping ${was ?? '(no source)'} → ${item.target} with ${expression} → ${item.target}`];
      if (defaultValue) parts.push(`with the default value "${defaultValue}"`);
      if (precedence !== undefined) {
        setMatching(objectMapping, item.target, precedence);
        parts.push(`matched at matching precedence ${precedence}`);
      }
      if (entry && addToAttributeList(copy, item.target, entry.type, entry.multivalued)) parts.push(`and add ${item.target} to the attribute list`);
      return parts.join(', ');
    });
  },

  VENDOR_ROW_SOURCE: (set, finding, profile) => {
    const target = needAttribute(finding);
    const item = recommendedItem(needProfile(profile, finding), target);
    if (!item || item.expression === null) throw new FixNotApplicableError(`The profile names no source for ${target}.`);
    const expression = item.expression;
    return editUserMapping(set, (objectMapping) => {
      const row = objectMapping.attributeMappings.find((m) => sameTarget(m, target));
      if (!row) throw new FixNotApplicableError(`No mapping targets ${target}.`);
      const was = sourceExpressionOf(row);
      setExpression(row, expression);
      return `Change the source of ${target} from ${was ?? '(none)'} to ${expression}`;
    });
  },

  VENDOR_MATCHING: (set, finding, profile) => {
    const expected = needProfile(profile, finding).recommendedMappings.matching;
    if (!expected) throw new FixNotApplicableError('The profile names no matching attribute.');
    return editUserMapping(set, (objectMapping) => {
      setMatching(objectMapping, expected.target, expected.precedence);
      return `Match objects using ${expected.target} at matching precedence ${expected.precedence}; the other matching attributes move behind it`;
    });
  },

  VENDOR_MATCHING_NOT_FILTERABLE: (set, finding, profile) => {
    const target = needAttribute(finding);
    const filterable = needProfile(profile, finding).features.filterableAttributes.value;
    return editUserMapping(set, (objectMapping) => {
      const row = objectMapping.attributeMappings.find((m) => sameTarget(m, target));
      if (row) row.matchingPriority = 0;
      const still = objectMapping.attributeMappings.some((m) => matchingPriorityOf(m) > 0);
      const fallback = filterable?.find((name) => objectMapping.attributeMappings.some((m) => sameTarget(m, name)));
      if (fallback) {
        setMatching(objectMapping, fallback, 1);
        return `Stop matching on ${target}; match objects using ${fallback} at matching precedence 1`;
      }
      if (!still) throw new FixNotApplicableError(`No filterable attribute is mapped to match on instead of ${target}.`);
      return `Stop matching on ${target}`;
    });
  },

  // Understands the row's expression: an existing FormatDateTime gets a new output format, a raw value is wrapped.
  VENDOR_FORMAT: (set, finding, profile) => {
    const target = needAttribute(finding);
    if (!isDateFinding(finding, needProfile(profile, finding))) {
      throw new FixNotApplicableError(`Only date formats have a mechanical fix; change the ${target} mapping by hand.`);
    }
    return editUserMapping(set, (objectMapping) => {
      const row = objectMapping.attributeMappings.find((m) => sameTarget(m, target));
      const expression = row ? sourceExpressionOf(row) : null;
      if (!row || expression === null) throw new FixNotApplicableError(`No mapping with a source targets ${target}.`);
      const rewrite = rewriteToDateOnly(expression);
      if (!rewrite.ok) throw new FixNotApplicableError(`The ${target} mapping cannot be converted mechanically: ${rewrite.reason}.`);
      setExpression(row, rewrite.expression);
      return rewrite.description;
    });
  },

  VENDOR_CUSTOM_TARGET_NOT_IN_LIST: (set, finding, profile) => {
    const target = needAttribute(finding);
    const rule = profile ? attributeRuleFor(profile, target) : undefined;
    const copy = structuredClone(set);
    const type = rule?.type ?? 'String';
    const multivalued = rule?.multivalued ?? false;
    addToAttributeList(copy, target, type, multivalued);
    return { set: copy, description: `Add ${target} (${type}${multivalued ? ', Multi-Value' : ''}) to the attribute list` };
  },

  VENDOR_GROUPS_UNSUPPORTED: (set) => {
    const copy = structuredClone(set);
    const located = findObjectMapping(copy, 'Group');
    if (!located) throw new FixNotApplicableError('The mapping set has no group object mapping.');
    located.objectMapping.enabled = false;
    return { set: copy, description: 'Turn off Provision Microsoft Entra ID Groups (Enabled: No)' };
  },

  VENDOR_PATCH_DIALECT: (set) => {
    const tenantUrl = tenantUrlOf(set);
    if (!tenantUrl) throw new FixNotApplicableError('The mapping set carries no Tenant URL; append ?aadOptscim062020 to it in the portal.');
    const flagged = `${tenantUrl}${tenantUrl.includes('?') ? '&' : '?'}aadOptscim062020`;
    return { set: withTenantUrl(structuredClone(set), flagged), description: `Change the Tenant URL to ${flagged}` };
  },
};

/**
 * Adds a target to "Edit attribute list for customappsso" (the user object of the rule's target directory);
 * false when it is listed already.
 */
function addToAttributeList(set: MappingSet, target: string, type: string, multivalued: boolean): boolean {
  const located = findObjectMapping(set, 'User');
  if (!located) throw new FixNotApplicableError('The mapping set has no user object mapping.');
  const directoryName = located.rule.targetDirectoryName;
  const directory = set.directories?.find((d) => d.name === directoryName);
  const object = directory?.objects?.find((o) => o.name.toLowerCase() === located.objectMapping.targetObjectName.toLowerCase());
  if (!object) throw new FixNotApplicableError(`The schema has no "${directoryName ?? 'target'}" attribute list to add ${target} to.`);
  const attributes = (object.attributes ??= []);
  if (attributes.some((a) => a.name.toLowerCase() === target.toLowerCase())) return false;
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
  return true;
}

/**
 * Whether a finding has a mechanical fix. Pass the mapping set when you have it: most fixes depend on it (the
 * row's expression must convert, appending the aadOptscim062020 flag needs a Tenant URL to append it to).
 */
export function isFixable(finding: Finding, profile?: VendorProfile, set?: MappingSet): boolean {
  if (set !== undefined) return whyNotFixable(finding, profile, set) === null;
  if (!(finding.code in FIXERS)) return false;
  if (finding.code === 'VENDOR_ROW_MISSING' || finding.code === 'VENDOR_ROW_SOURCE') {
    const item = profile && finding.attribute ? recommendedItem(profile, finding.attribute) : undefined;
    return item !== undefined && item.expression !== null && compileExpression(item.expression).ok;
  }
  if (finding.code === 'VENDOR_FORMAT') return profile !== undefined && isDateFinding(finding, profile);
  if (finding.code === 'VENDOR_MATCHING' || finding.code === 'VENDOR_MATCHING_NOT_FILTERABLE') return profile !== undefined;
  return true;
}

/** Why a finding has no mechanical fix on this set (the sentence the finding shows), or null when it has one. */
export function whyNotFixable(finding: Finding, profile: VendorProfile | undefined, set: MappingSet): string | null {
  try {
    planFix(set, finding, profile);
    return null;
  } catch (error) {
    if (error instanceof FixNotApplicableError) return error.message;
    throw error;
  }
}

/** The mechanical fix of one finding and what it does; throws FixNotApplicableError when there is none. */
export function planFix(set: MappingSet, finding: Finding, profile?: VendorProfile): PlannedFix {
  const fixer = FIXERS[finding.code];
  if (!fixer) throw new FixNotApplicableError(`${finding.code} has no mechanical fix: ${finding.fix ?? 'see the finding'}`);
  return fixer(set, finding, profile);
}

/** Applies the mechanical fix of one finding; throws FixNotApplicableError when there is none. */
export function applyFix(set: MappingSet, finding: Finding, profile?: VendorProfile): MappingSet {
  return planFix(set, finding, profile).set;
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
