import { findObjectMapping, sourceExpressionOf, type MappingSet } from '../mapping/model.ts';
import type { AttributeMapping } from '../mapping/schema.ts';
import type { JsonValue } from '../scim/requests/target-path.ts';
import { isEmailAddress, matchesValuePattern } from '../scim/value-formats.ts';
import { singleSourceAttribute } from './expressions.ts';
import { describeCitations, placesOf, type AttributeRule, type Citation, type ValueFormat, type VendorProfile } from './profile-schema.ts';

/**
 * What the mapping-level rules (rules.ts) and the per-user rules (user-rules.ts) share: the user rows as the
 * rules see them, the wording helpers, and the value checks. The per-user half runs where the users are
 * (preview workers), so it cannot reach into the mapping-level half's state: both derive it from here.
 */

// The public documents the cross-vendor rules rest on (they are Entra behaviour, not any one vendor's).
const LEARN = {
  customize: 'Microsoft Learn "Customize user provisioning attribute-mappings for SaaS applications in Microsoft Entra ID"',
  expressions: 'Microsoft Learn "Reference for writing expressions for attribute mappings in Microsoft Entra Application Provisioning"',
  howItWorks: 'Microsoft Learn "How Application Provisioning works in Microsoft Entra ID"',
  knownIssues: 'Microsoft Learn "Known issues for provisioning in Microsoft Entra ID"',
  quarantine: 'Microsoft Learn "Application provisioning in quarantine status"',
  scimCompliance: 'Microsoft Learn "Known issues and resolutions with SCIM 2.0 protocol compliance of the Microsoft Entra user provisioning service"',
} as const;

export const SPEC = {
  manager: placesOf(LEARN.knownIssues, ["Manager isn't provisioned"]),
  guest: placesOf(LEARN.howItWorks, ['B2B (guest) users']),
  nested: placesOf(LEARN.howItWorks, ['Assignment-based scoping']),
  dialect: placesOf(LEARN.scimCompliance, ['Flags to alter the SCIM behavior']),
  defaultOnCreate: placesOf(LEARN.customize, ['Understanding attribute-mapping properties']),
  matching: placesOf(LEARN.customize, ['Matching users in the source and target systems']),
  customList: placesOf(LEARN.customize, ['Editing the list of supported attributes']),
  deprovision: placesOf(LEARN.howItWorks, ['Deprovisioning']),
  tokenExpiry: placesOf(LEARN.quarantine, ['Why is my application in quarantine?']),
  split: placesOf(LEARN.expressions, ['Split']),
} as const;

const PROFILE_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const DATE_TIME_LIKE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

export interface Row {
  mapping: AttributeMapping;
  target: string;
  expression: string | null;
}

/** The User object mapping's rows as the rules read them. */
export interface RowPlan {
  /** the set has a User object mapping (without one, only the lifecycle and group rules apply) */
  located: boolean;
  /** the User object mapping is not switched off */
  enabled: boolean;
  rows: Row[];
  /** rows a `remove` rule condemns: they do not count as the vendor's row on the same target */
  condemned: ReadonlySet<Row>;
}

export function planRows(profile: VendorProfile, set: MappingSet): RowPlan {
  const located = findObjectMapping(set, 'User');
  const rows: Row[] = (located?.objectMapping.attributeMappings ?? []).map((mapping) => ({
    mapping,
    target: mapping.targetAttributeName,
    expression: sourceExpressionOf(mapping),
  }));
  const enabled = located !== undefined && located.objectMapping.enabled !== false;
  // A switched-off mapping is not checked row by row, so nothing is condemned in it.
  const condemned = new Set<Row>();
  if (enabled) for (const { row } of rowsToRemoveOf(profile, rows)) condemned.add(row);
  return { located: located !== undefined, enabled, rows, condemned };
}

/** The rows each `remove` rule of the profile condemns, in rule order. */
export function rowsToRemoveOf(profile: VendorProfile, rows: readonly Row[]): Array<{ rule: VendorProfile['recommendedMappings']['remove'][number]; row: Row }> {
  const out: Array<{ rule: VendorProfile['recommendedMappings']['remove'][number]; row: Row }> = [];
  for (const rule of profile.recommendedMappings.remove) {
    for (const row of rowsOn(rows, rule.target)) {
      if (rule.source !== undefined && singleSourceAttribute(row.mapping) !== rule.source) continue;
      out.push({ rule, row });
    }
  }
  return out;
}

export function cite(profile: VendorProfile, cites: readonly Citation[], extra?: string): string {
  const parts = [describeCitations(profile, cites)];
  if (extra) parts.push(extra);
  return `Source: ${mergeSpecPlaces(parts.join('; ').split('; ')).join('; ')}.`;
}

/**
 * One mention per document: the vendor's citations and the rule's own references (`extra`) often name the same
 * document ('Microsoft Learn "…", "Deprovisioning"; …; Microsoft Learn "…", "Incremental cycles"'), which reads as a
 * repeat in a ticket. Places of one document are gathered under its first mention, in order, without repeats.
 */
export function mergeSpecPlaces(parts: readonly string[]): string[] {
  const order: string[] = [];
  const places = new Map<string, { separator: string; places: string[] }>();
  for (const part of parts) {
    const place = documentPlace(part);
    const key = place ? place.document : part;
    if (!places.has(key)) {
      places.set(key, { separator: place?.separator ?? ' ', places: [] });
      order.push(key);
    }
    const here = places.get(key)!;
    if (place && !here.places.includes(place.place)) here.places.push(place.place);
  }
  return order.map((key) => {
    const { separator, places: list } = places.get(key)!;
    return list.length > 0 ? `${key}${separator}${list.join(', ')}` : key;
  });
}

/** A citation part split into its document and its places: `RFC 7644 §3.12`, `Publisher "Title", "Heading"`, `notes.md §2`. */
function documentPlace(part: string): { document: string; separator: string; place: string } | null {
  const quoted = /^([^"]*"[^"]*"), (.+)$/.exec(part);
  if (quoted) return { document: quoted[1]!, separator: ', ', place: quoted[2]! };
  const numbered = /^(RFC \d+(?: \([^)]*\))?|\S+\.md) (.+)$/.exec(part);
  return numbered ? { document: numbered[1]!, separator: ' ', place: numbered[2]! } : null;
}

export function say(entra: string, vendor: string, source: string): string {
  return `${entra} ${vendor} ${source}`;
}

export function rowsOn(rows: readonly Row[], target: string): Row[] {
  const lower = target.toLowerCase();
  return rows.filter((row) => row.target.toLowerCase() === lower);
}

export function describeRow(row: Row): string {
  return row.expression ? `${row.expression} → ${row.target}` : `${row.target} (mapping type None)`;
}

export function placeholderRegex(target: string): RegExp | null {
  if (!/\{[^}]+\}/.test(target)) return null;
  const pattern = target
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^:]+');
  return new RegExp(`^${pattern}$`, 'i');
}

/** The profile's rule for a target: exact (ignoring case, RFC 7643 §2.1) or through a `{placeholder}`. */
export function attributeRuleFor(profile: VendorProfile, target: string): AttributeRule | undefined {
  const lower = target.toLowerCase();
  const exact = profile.attributes.find((rule) => rule.target.toLowerCase() === lower);
  if (exact) return exact;
  return profile.attributes.find((rule) => placeholderRegex(rule.target)?.test(target) ?? false);
}

export function formatName(format: ValueFormat): string {
  if (format === 'email') return 'an email address';
  if (format === 'date') return 'a date as YYYY-MM-DD';
  if (format === 'dateTime') return 'a date-time (YYYY-MM-DDThh:mm:ss)';
  return format.description;
}

export function matchesFormat(value: string, format: ValueFormat): boolean {
  if (format === 'email') return isEmailAddress(value);
  if (format === 'date') return PROFILE_DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
  if (format === 'dateTime') return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) && !Number.isNaN(Date.parse(value));
  return matchesValuePattern(value, format.pattern);
}

export function valuesOf(value: JsonValue | undefined): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((item) => valuesOf(item));
  if (typeof value === 'object') return [];
  // Booleans count as present; no profile puts a format or an allowed set on one.
  if (typeof value === 'boolean') return [value ? 'True' : 'False'];
  return [String(value)];
}
