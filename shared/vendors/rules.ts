import type { SourceObject } from '../directory/source-object.ts';
import {
  findObjectMapping,
  matchingPriorityOf,
  sourceExpressionOf,
  targetAttributeList,
  indexAttributeDefinitions,
  type MappingSet,
} from '../mapping/model.ts';
import type { AttributeMapping } from '../mapping/schema.ts';
import type { Finding, PreviewResult, Severity, UserPreview } from '../preview/types.ts';
import { parseTargetPath, readValue, type JsonObject, type JsonValue } from '../scim/requests/target-path.ts';
import { readsAttribute, sameExpression, singleSourceAttribute } from './expressions.ts';
import { describeCitations, type AttributeRule, type Citation, type ValueFormat, type VendorProfile } from './profile-schema.ts';

/**
 * The rule engine: a vendor profile + the mapping set + a preview → findings in the preview's shape.
 * Each message says what Entra will do, then what the vendor will do, and ends with its citation; `fix`
 * says what to change in the portal. Codes are stable: fix-its (fixes.ts) and the UI key on them.
 */
export const VENDOR_FINDING_CODES = {
  VENDOR_TARGET_UNSUPPORTED: 'a mapped target the vendor does not support',
  VENDOR_FILTERED_DEFAULT: 'a filtered default target ([type eq …]) the vendor asks to remove',
  VENDOR_TARGET_NEEDS_VENDOR_SETUP: 'a mapped target the vendor only accepts after setting it up on its side',
  VENDOR_REMOVE_ROW: 'a row the vendor asks to delete (e.g. mailNickname → externalId)',
  VENDOR_ROW_MISSING: 'a row the vendor asks for is not mapped',
  VENDOR_ROW_SOURCE: 'a row the vendor asks for is mapped from another source',
  VENDOR_MATCHING: 'users are not matched on the attribute or precedence the vendor expects',
  VENDOR_MATCHING_NOT_FILTERABLE: 'a matching attribute the vendor cannot filter on',
  VENDOR_REQUIRED_NOT_MAPPED: 'a required attribute has no mapping',
  VENDOR_REQUIRED_MISSING: 'a required attribute is empty for a user',
  VENDOR_FORMAT: 'a value in the wrong format (e.g. a date-time where YYYY-MM-DD is needed)',
  VENDOR_VALUE_NOT_ALLOWED: 'a value outside the allowed set',
  VENDOR_DUPLICATE_VALUE: 'two users send the same value of a unique attribute',
  VENDOR_VALUE_SPACES: 'a value with leading or trailing spaces',
  VENDOR_DEFAULT_RECOMMENDED: 'the vendor recommends a default value on this row',
  VENDOR_CUSTOM_TARGET_NOT_IN_LIST: 'a custom target not added to the attribute list',
  VENDOR_GROUPS_UNSUPPORTED: 'group provisioning is on for a vendor without groups',
  VENDOR_GROUPS_UNCONFIRMED: 'group provisioning is on and the guide does not mention groups',
  VENDOR_GROUPS_RECOMMENDED: 'the vendor recommends provisioning groups',
  VENDOR_DEPROVISION_DELETES: 'the vendor deletes users Entra only deactivates',
  VENDOR_PATCH_DIALECT: 'Entra sends string booleans / its default PATCH dialect to a vendor that needs JSON booleans',
  VENDOR_MANAGER_OUT_OF_SCOPE: 'managers outside the provisioning scope',
  VENDOR_GUEST_USERNAME: 'guest (#EXT#) user names',
  VENDOR_GROUP_NAME_CHARACTER: 'a group name with a character the vendor uses as a separator',
  VENDOR_NESTED_GROUP: 'a nested group whose members Entra does not provision',
  VENDOR_TOKEN_EXPIRES: "the vendor's secret token expires",
} as const;
export type VendorFindingCode = keyof typeof VENDOR_FINDING_CODES;

/** What the preview does not carry: the source objects (guests) and groups (names, nesting). */
export interface VendorSources {
  users?: readonly SourceObject[];
  groups?: readonly SourceObject[];
}

// Spec sections the cross-vendor rules rest on (they are Entra behaviour, not any one vendor's).
const SPEC = {
  manager: 'entra-scim.md §1.7; vendors-and-sources.md §6 item 11',
  guest: 'entra-scim.md §1.6 step 9 and §6 item 26; vendors-and-sources.md §6 item 5',
  nested: 'entra-scim.md §6 item 16; vendors-and-sources.md §6 item 12',
  dialect: 'entra-scim.md §1.2 and §6 item 1',
  defaultOnCreate: 'vendors-and-sources.md §4.4 and §6 item 8',
  matching: 'entra-scim.md §1.5 and §6 item 10',
  customList: 'vendors-and-sources.md §4.3 and §6 item 9',
  deprovision: 'entra-scim.md §1.9; vendors-and-sources.md §6 item 10',
} as const;

const PROFILE_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_LIKE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface Row {
  mapping: AttributeMapping;
  target: string;
  expression: string | null;
}

interface Context {
  profile: VendorProfile;
  set: MappingSet;
  rows: Row[];
  /** rows a `remove` rule condemns: they do not count as the vendor's row on the same target */
  condemned: Set<Row>;
  findings: Finding[];
}

function cite(profile: VendorProfile, cites: readonly Citation[], extra?: string): string {
  const parts = [describeCitations(profile, cites)];
  if (extra) parts.push(extra);
  return `Source: ${parts.join('; ')}.`;
}

function say(entra: string, vendor: string, source: string): string {
  return `${entra} ${vendor} ${source}`;
}

function rowsOn(rows: readonly Row[], target: string): Row[] {
  const lower = target.toLowerCase();
  return rows.filter((row) => row.target.toLowerCase() === lower);
}

function describeRow(row: Row): string {
  return row.expression ? `${row.expression} → ${row.target}` : `${row.target} (mapping type None)`;
}

function placeholderRegex(target: string): RegExp | null {
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

function formatName(format: ValueFormat): string {
  if (format === 'email') return 'an email address';
  if (format === 'date') return 'a date as YYYY-MM-DD';
  if (format === 'dateTime') return 'a date-time (YYYY-MM-DDThh:mm:ss)';
  return format.description;
}

export function matchesFormat(value: string, format: ValueFormat): boolean {
  if (format === 'email') return EMAIL.test(value);
  if (format === 'date') return PROFILE_DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
  if (format === 'dateTime') return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) && !Number.isNaN(Date.parse(value));
  return new RegExp(format.pattern).test(value);
}

function valuesOf(value: JsonValue | undefined): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((item) => valuesOf(item));
  if (typeof value === 'object') return [];
  // Booleans count as present; no profile puts a format or an allowed set on one.
  if (typeof value === 'boolean') return [value ? 'True' : 'False'];
  return [String(value)];
}

// ---------------------------------------------------------------------------------------------------------
// Mapping-level rules

function unlistedTargets(ctx: Context): void {
  const { profile } = ctx;
  const recommended = new Set(
    [...profile.recommendedMappings.add, ...profile.recommendedMappings.keep].map((item) => item.target.toLowerCase()),
  );
  const codes = {
    'filtered-default': 'VENDOR_FILTERED_DEFAULT',
    unsupported: 'VENDOR_TARGET_UNSUPPORTED',
    'needs-vendor-setup': 'VENDOR_TARGET_NEEDS_VENDOR_SETUP',
  } as const;
  for (const row of ctx.rows) {
    if (attributeRuleFor(profile, row.target) || recommended.has(row.target.toLowerCase())) continue;
    const rule = profile.unlistedTargets.find((candidate) => new RegExp(candidate.match, 'i').test(row.target));
    if (!rule || rule.kind === 'allowed') continue;
    const removable = rule.kind !== 'needs-vendor-setup';
    ctx.findings.push({
      severity: rule.severity,
      code: codes[rule.kind],
      attribute: row.target,
      message: say(`Entra will send ${row.target}${row.expression ? ` (from ${row.expression})` : ''} to ${profile.name}.`, rule.reason, cite(profile, rule.cite)),
      fix: removable
        ? `Delete the ${row.target} mapping.`
        : `Ask ${profile.name} to map ${row.target} to one of its fields, or delete the mapping.`,
    });
  }
}

function rowsToRemove(ctx: Context): void {
  const { profile } = ctx;
  for (const rule of profile.recommendedMappings.remove) {
    for (const row of rowsOn(ctx.rows, rule.target)) {
      if (rule.source !== undefined && singleSourceAttribute(row.mapping) !== rule.source) continue;
      ctx.condemned.add(row);
      const finding: Finding = {
        severity: rule.severity,
        code: 'VENDOR_REMOVE_ROW',
        attribute: row.target,
        message: say(`Entra will keep sending ${describeRow(row)}.`, rule.reason, cite(profile, rule.cite)),
        fix: `Delete the ${describeRow(row)} mapping.`,
      };
      // The span names the exact row, so the fix removes this row and not the vendor's row on the same target.
      if (row.expression) finding.source = { expression: row.expression, start: 0, end: row.expression.length };
      ctx.findings.push(finding);
    }
  }
}

function rowsToAddOrKeep(ctx: Context): void {
  const { profile } = ctx;
  const items = [
    ...profile.recommendedMappings.keep.map((item) => ({
      ...item,
      keep: true,
      enforceSource: true,
      matchingPrecedence: undefined as number | undefined,
      defaultValue: undefined as string | undefined,
    })),
    ...profile.recommendedMappings.add.map((item) => ({ ...item, keep: false })),
  ];
  for (const item of items) {
    const rows = rowsOn(ctx.rows, item.target).filter((row) => !ctx.condemned.has(row));
    if (rows.length === 0) {
      const how = item.expression
        ? `Add New Mapping: ${item.expression} → ${item.target}${item.matchingPrecedence ? `, matching precedence ${item.matchingPrecedence}` : ''}${item.defaultValue ? `, default value "${item.defaultValue}"` : ''}.`
        : `Add New Mapping to ${item.target} from the attribute that holds the value${item.defaultValue ? ` (with a default value such as "${item.defaultValue}")` : ''}.`;
      ctx.findings.push({
        severity: item.severity,
        code: 'VENDOR_ROW_MISSING',
        attribute: item.target,
        message: say(
          `No mapping sends ${item.target}, so Entra will never send it${item.keep ? ' (the row was deleted)' : ''}.`,
          item.reason,
          cite(profile, item.cite),
        ),
        fix: item.keep ? `Restore the mapping: ${item.expression} → ${item.target}.` : how,
      });
      continue;
    }
    if (!item.enforceSource || item.expression === null) continue;
    if (rows.some((row) => sameExpression(row.expression, item.expression))) continue;
    const actual = rows[0]!;
    ctx.findings.push({
      severity: item.severity,
      code: 'VENDOR_ROW_SOURCE',
      attribute: item.target,
      message: say(`Entra will send ${item.target} from ${actual.expression ?? 'no source (mapping type None)'}.`, item.reason, cite(profile, item.cite)),
      fix: `Change the source of ${item.target} to ${item.expression}.`,
    });
  }
}

function matching(ctx: Context): void {
  const { profile } = ctx;
  const expected = profile.recommendedMappings.matching;
  const matchingRows = ctx.rows
    .filter((row) => !ctx.condemned.has(row) && matchingPriorityOf(row.mapping) > 0)
    .sort((a, b) => matchingPriorityOf(a.mapping) - matchingPriorityOf(b.mapping));
  if (expected) {
    const row = rowsOn(ctx.rows, expected.target).find((candidate) => !ctx.condemned.has(candidate));
    if (row) {
      const precedence = matchingPriorityOf(row.mapping);
      const ahead = matchingRows.filter((other) => other !== row && matchingPriorityOf(other.mapping) <= expected.precedence);
      if (precedence !== expected.precedence || ahead.length > 0) {
        const order = matchingRows.map((r) => `${r.target} (${matchingPriorityOf(r.mapping)})`).join(', ') || 'nothing';
        ctx.findings.push({
          severity: 'error',
          code: 'VENDOR_MATCHING',
          attribute: expected.target,
          message: say(
            `Entra matches users on ${order}.`,
            `${profile.name} expects users to be matched on ${expected.target} at matching precedence ${expected.precedence}; otherwise the lookup misses existing accounts and Entra creates duplicates.`,
            cite(profile, expected.cite, SPEC.matching),
          ),
          fix: `Set "Match objects using this attribute" on ${expected.target} with matching precedence ${expected.precedence}, and give the other matching attributes higher numbers.`,
        });
      }
    }
  }
  const filterable = profile.features.filterableAttributes.value;
  for (const row of matchingRows) {
    const rule = attributeRuleFor(profile, row.target);
    const listed = filterable === null || filterable.some((name) => name.toLowerCase() === row.target.toLowerCase());
    if (listed && rule?.filterable !== false) continue;
    const cites = filterable !== null ? profile.features.filterableAttributes.cite : rule!.cite;
    ctx.findings.push({
      severity: 'error',
      code: 'VENDOR_MATCHING_NOT_FILTERABLE',
      attribute: row.target,
      message: say(
        `Entra looks users up with GET /Users?filter=${row.target} eq "…" (matching precedence ${matchingPriorityOf(row.mapping)}).`,
        `${profile.name} ${filterable ? `supports filtering only on ${filterable.join(', ')}` : `cannot filter on ${row.target}`}, so the lookup fails or finds nobody and Entra creates duplicates.`,
        cite(profile, cites, SPEC.matching),
      ),
      fix: filterable
        ? `Turn off "Match objects using this attribute" on ${row.target} and match on ${filterable[0]} (matching precedence 1).`
        : `Turn off "Match objects using this attribute" on ${row.target}.`,
    });
  }
}

function attributeRules(ctx: Context): void {
  const { profile, set } = ctx;
  const located = findObjectMapping(set, 'User');
  const definitions = located ? targetAttributeList(set, located) : [];
  const index = indexAttributeDefinitions(definitions);
  const alreadyMissing = new Set(
    ctx.findings.filter((f) => f.code === 'VENDOR_ROW_MISSING').map((f) => f.attribute?.toLowerCase()),
  );
  for (const rule of profile.attributes) {
    if (!rule.required || placeholderRegex(rule.target)) continue;
    if (rowsOn(ctx.rows, rule.target).length > 0 || alreadyMissing.has(rule.target.toLowerCase())) continue;
    ctx.findings.push({
      severity: 'error',
      code: 'VENDOR_REQUIRED_NOT_MAPPED',
      attribute: rule.target,
      message: say(`No mapping sends ${rule.target}, so Entra will create users without it.`, `${profile.name} requires ${rule.target}, so creates fail.`, cite(profile, rule.cite)),
      fix: `Add New Mapping to ${rule.target}.`,
    });
  }
  for (const row of ctx.rows) {
    const rule = attributeRuleFor(profile, row.target);
    if (!rule) continue;
    // Without an attribute list (a hand-written set) the tool cannot tell what the portal offers.
    if (rule.custom && definitions.length > 0 && !index.has(row.target.toLowerCase())) {
      ctx.findings.push({
        severity: 'error',
        code: 'VENDOR_CUSTOM_TARGET_NOT_IN_LIST',
        attribute: row.target,
        message: say(
          `${row.target} is not in the customappsso attribute list, so Entra cannot save or send this mapping.`,
          `${profile.name}'s custom attribute must first be added under "Edit attribute list for customappsso"${rule.multivalued ? ' with Multi-Value checked' : ''}.`,
          cite(profile, rule.cite, SPEC.customList),
        ),
        fix: `Show advanced options > Edit attribute list for customappsso: add ${row.target} (type ${rule.type}${rule.multivalued ? ', Multi-Value' : ''}), then save.`,
      });
    }
    if (rule.defaultRecommended && (row.mapping.defaultValue == null || row.mapping.defaultValue === '')) {
      ctx.findings.push({
        severity: 'warning',
        code: 'VENDOR_DEFAULT_RECOMMENDED',
        attribute: row.target,
        message: say(
          `Entra sends nothing for ${row.target} when ${row.expression ?? 'the source'} is empty.`,
          `${profile.name} recommends a default value so such users still provision; Entra applies it only when the user is created.`,
          cite(profile, rule.cite, SPEC.defaultOnCreate),
        ),
        fix: `Set "Default value if null" on ${row.target}${rule.allowedValues ? ` to one of ${rule.allowedValues.join(', ')}` : ''}.`,
      });
    }
  }
}

function groupRules(ctx: Context, sources: VendorSources): void {
  const { profile, set } = ctx;
  const located = findObjectMapping(set, 'Group');
  const enabled = located !== undefined && located.objectMapping.enabled !== false;
  const groups = profile.features.groups;
  if (enabled && groups.value === 'unsupported') {
    ctx.findings.push({
      severity: 'error',
      code: 'VENDOR_GROUPS_UNSUPPORTED',
      message: say(
        'Entra will create every assigned group with POST /Groups and then PATCH its members.',
        `${profile.name} does not support SCIM groups, so those requests fail and the provisioning log fills with errors.`,
        cite(profile, [...groups.cite, ...profile.recommendedMappings.groups.cite]),
      ),
      fix: 'Mappings > Provision Microsoft Entra ID Groups: set Enabled to No and save.',
    });
  } else if (enabled && groups.value === 'unknown') {
    ctx.findings.push({
      severity: 'info',
      code: 'VENDOR_GROUPS_UNCONFIRMED',
      message: say('Entra will provision assigned groups and their members.', `${profile.name}'s guide does not say whether it accepts groups.`, cite(profile, groups.cite)),
      fix: `Confirm group support with ${profile.name}, or disable the group mapping.`,
    });
  } else if (!enabled && profile.recommendedMappings.groups.mapping === 'enabled') {
    ctx.findings.push({
      severity: 'info',
      code: 'VENDOR_GROUPS_RECOMMENDED',
      message: say('Entra will not provision groups.', `${profile.name} recommends synchronizing groups${profile.recommendedMappings.groups.note ? `: ${profile.recommendedMappings.groups.note}` : '.'}`, cite(profile, profile.recommendedMappings.groups.cite)),
      fix: 'Mappings > Provision Microsoft Entra ID Groups: set Enabled to Yes.',
    });
  }
  if (!enabled || groups.value === 'unsupported') return;
  const list = sources.groups ?? [];
  const groupIds = new Set(list.map((group) => String(group.objectId ?? '')));
  for (const group of list) {
    const name = typeof group.displayName === 'string' ? group.displayName : '';
    const forbidden = profile.groupNames?.forbiddenCharacters.filter((character) => name.includes(character)) ?? [];
    if (profile.groupNames && forbidden.length > 0) {
      ctx.findings.push({
        severity: 'warning',
        code: 'VENDOR_GROUP_NAME_CHARACTER',
        attribute: 'displayName',
        message: say(
          `Entra will provision the group "${name}" under that name.`,
          profile.groupNames.reason,
          cite(profile, profile.groupNames.cite),
        ),
        fix: `Rename the group in Entra so its name has no ${forbidden.map((c) => `"${c}"`).join(' or ')}.`,
      });
    }
    const members = Array.isArray(group.members) ? (group.members as readonly string[]) : [];
    const nested = members.filter((id) => groupIds.has(id));
    if (nested.length > 0) {
      ctx.findings.push({
        severity: 'warning',
        code: 'VENDOR_NESTED_GROUP',
        attribute: 'members',
        message: say(
          `The group "${name}" contains ${nested.length} nested group(s); Entra provisions direct members only and ignores the members of nested groups.`,
          `${profile.name} will not see those users as members of "${name}".`,
          `Source: ${SPEC.nested}.`,
        ),
        fix: `Assign the users directly to "${name}", or assign the nested group to the app as well.`,
      });
    }
  }
}

function lifecycleRules(ctx: Context, preview: PreviewResult): void {
  const { profile } = ctx;
  const deprovision = profile.features.deprovision;
  if (deprovision.value === 'delete') {
    ctx.findings.push({
      severity: 'warning',
      code: 'VENDOR_DEPROVISION_DELETES',
      attribute: 'active',
      message: say(
        'When a user is disabled, unassigned or leaves the scoping filter, Entra sends PATCH active=false to deactivate the account.',
        `${profile.name} cannot deactivate users: it deletes the account and its data instead.`,
        cite(profile, deprovision.cite, SPEC.deprovision),
      ),
      fix: `Plan leavers with this in mind: disabling a user in Entra removes them from ${profile.name}. Keep users assigned and enabled until their ${profile.name} data may go.`,
    });
    for (const user of preview.users) {
      if (user.action !== 'deactivate') continue;
      ctx.findings.push({
        severity: 'warning',
        code: 'VENDOR_DEPROVISION_DELETES',
        attribute: 'active',
        userId: user.id,
        message: say(`Entra will deactivate ${user.userPrincipalName ?? user.id} (${user.reason ?? 'deprovisioned'}).`, `${profile.name} will delete the account.`, cite(profile, deprovision.cite)),
      });
    }
  }
  const wantsRfcPatch = profile.features.booleans.value === 'json' || profile.features.patchDialect.value === 'aadOptscim062020';
  const hasBoolean = ctx.rows.some((row) => row.target.toLowerCase() === 'active');
  if (wantsRfcPatch && preview.dialect === 'default' && hasBoolean) {
    ctx.findings.push({
      severity: 'warning',
      code: 'VENDOR_PATCH_DIALECT',
      attribute: 'active',
      message: say(
        'Without the aadOptscim062020 flag Entra sends PATCH with capitalised ops and booleans as the strings "True"/"False" (for example active when a user is disabled).',
        `${profile.name} expects JSON booleans, so such updates and deactivations are rejected (400).`,
        cite(profile, [...profile.features.booleans.cite, ...profile.features.patchDialect.cite], SPEC.dialect),
      ),
      fix: 'Append ?aadOptscim062020 to the Tenant URL.',
    });
  }
  if (profile.connection.secretToken.expires === true) {
    ctx.findings.push({
      severity: 'info',
      code: 'VENDOR_TOKEN_EXPIRES',
      message: say(
        'Entra keeps using the Secret Token it was given; when it expires every request fails with 401 and the job goes into quarantine.',
        `${profile.name}'s ${profile.connection.secretToken.label} has an expiration date.`,
        cite(profile, profile.connection.secretToken.cite, 'entra-scim.md §6 item 9'),
      ),
      fix: `Note the token's expiration date and renew it in ${profile.name} before then.`,
    });
  }
  const managerRow = ctx.rows.find((row) => row.target.toLowerCase().endsWith(':user:manager') || row.target.toLowerCase() === 'manager');
  const outOfScope = preview.users.filter((user) => user.findings.some((f) => f.code === 'MANAGER_NOT_PROVISIONED'));
  if (managerRow && outOfScope.length > 0) {
    const rule = attributeRuleFor(profile, managerRow.target);
    ctx.findings.push({
      severity: 'warning',
      code: 'VENDOR_MANAGER_OUT_OF_SCOPE',
      attribute: managerRow.target,
      message: say(
        `${outOfScope.length} user(s) have a manager who is not provisioned (outside the scope or disabled); Entra creates them without a manager and does not set it later without a restart.`,
        `${profile.name} will show them with no manager.`,
        rule ? cite(profile, rule.cite, SPEC.manager) : `Source: ${SPEC.manager}.`,
      ),
      fix: 'Bring the managers into scope (assign them to the app) before the first cycle, or restart provisioning after assigning them.',
    });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Per-user rules, on the resource as the vendor would hold it after this cycle

function isProvisioned(user: UserPreview): user is UserPreview & { target: JsonObject } {
  return user.target !== null && user.inScope && (user.action === 'create' || user.action === 'update' || user.action === 'none');
}

function perUserRules(ctx: Context, preview: PreviewResult, sources: VendorSources): void {
  const { profile } = ctx;
  const checked = ctx.rows
    .filter((row) => !ctx.condemned.has(row))
    .map((row) => ({ row, rule: attributeRuleFor(profile, row.target), path: parseTargetPath(row.target) }));
  const unique = new Map<string, Map<string, UserPreview[]>>();
  const aggregates = new Map<string, { severity: Severity; code: string; attribute: string; users: number; example: string; message: (n: number, example: string) => string; fix?: string }>();
  const count = (key: { severity: Severity; code: string; attribute: string; example: string; message: (n: number, example: string) => string; fix?: string }) => {
    const id = `${key.code}\u0000${key.attribute}`;
    const entry = aggregates.get(id);
    if (entry) entry.users++;
    else aggregates.set(id, { ...key, users: 1 });
  };
  const label = (user: UserPreview) => user.userPrincipalName ?? user.id;

  for (const user of preview.users) {
    if (!isProvisioned(user)) continue;
    for (const { row, rule, path } of checked) {
      const values = valuesOf(readValue(user.target, path));
      if (rule?.required && values.length === 0 && row.target.toLowerCase() !== 'username') {
        // userName is already reported by the preview (USERNAME_MISSING) for every vendor.
        const message = say(
          `Entra will send no ${row.target} for ${label(user)} (${row.expression ?? 'the source'} is empty).`,
          `${profile.name} requires it, so this user is not provisioned.`,
          cite(profile, rule.cite),
        );
        const fix = `Fill the source attribute for this user in Entra, or give the ${row.target} mapping a fallback (Coalesce).`;
        ctx.findings.push({ severity: 'error', code: 'VENDOR_REQUIRED_MISSING', attribute: row.target, userId: user.id, message, fix });
        count({
          severity: 'error', code: 'VENDOR_REQUIRED_MISSING', attribute: row.target, example: label(user), fix,
          message: (n, example) => say(`Entra will send no ${row.target} for ${n} user(s), e.g. ${example}.`, `${profile.name} requires it, so they are not provisioned.`, cite(profile, rule.cite)),
        });
      }
      for (const value of values) {
        const format = rule?.format ?? null;
        const dateRule = profile.dateValues;
        if (format && !matchesFormat(value, format)) {
          const message = say(`Entra will send ${row.target} = "${value}" for ${label(user)}.`, `${profile.name} needs ${formatName(format)}, so it rejects or misreads the value.`, cite(profile, rule!.cite));
          const fix = format === 'date' ? `Wrap the source in FormatDateTime(…, , "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd").` : `Change the ${row.target} mapping so it produces ${formatName(format)}.`;
          ctx.findings.push({ severity: 'error', code: 'VENDOR_FORMAT', attribute: row.target, userId: user.id, message, fix });
          count({
            severity: 'error', code: 'VENDOR_FORMAT', attribute: row.target, example: `"${value}" (${label(user)})`, fix,
            message: (n, example) => say(`Entra will send ${row.target} values that are not ${formatName(format)} for ${n} user(s), e.g. ${example}.`, `${profile.name} needs ${formatName(format)}.`, cite(profile, rule!.cite)),
          });
        } else if (!format && dateRule && DATE_TIME_LIKE.test(value)) {
          const message = say(`Entra will send ${row.target} = "${value}" (a date-time) for ${label(user)}.`, dateRule.reason, cite(profile, dateRule.cite));
          const fix = 'Wrap the source in FormatDateTime(…, , "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd").';
          ctx.findings.push({ severity: dateRule.severity, code: 'VENDOR_FORMAT', attribute: row.target, userId: user.id, message, fix });
          count({
            severity: dateRule.severity, code: 'VENDOR_FORMAT', attribute: row.target, example: `"${value}" (${label(user)})`, fix,
            message: (n, example) => say(`Entra will send date-times in ${row.target} for ${n} user(s), e.g. ${example}.`, dateRule.reason, cite(profile, dateRule.cite)),
          });
        }
        if (rule?.allowedValues) {
          const allowed = rule.allowedValues;
          const ok = rule.caseSensitive ? allowed.includes(value) : allowed.some((a) => a.toLowerCase() === value.toLowerCase());
          if (!ok) {
            const message = say(`Entra will send ${row.target} = "${value}" for ${label(user)}.`, `${profile.name} accepts only ${allowed.join(', ')}${rule.caseSensitive ? ' (exact case)' : ''}, so this user may not be provisioned.`, cite(profile, rule.cite));
            const fix = `Map ${row.target} through Switch(…) so every value becomes one of ${allowed.join(', ')}.`;
            ctx.findings.push({ severity: 'error', code: 'VENDOR_VALUE_NOT_ALLOWED', attribute: row.target, userId: user.id, message, fix });
            count({
              severity: 'error', code: 'VENDOR_VALUE_NOT_ALLOWED', attribute: row.target, example: `"${value}" (${label(user)})`, fix,
              message: (n, example) => say(`Entra will send ${row.target} values outside ${allowed.join(', ')} for ${n} user(s), e.g. ${example}.`, `${profile.name} accepts only those values.`, cite(profile, rule.cite)),
            });
          }
        }
        if (rule?.noSurroundingSpaces && value !== value.trim()) {
          ctx.findings.push({
            severity: 'warning', code: 'VENDOR_VALUE_SPACES', attribute: row.target, userId: user.id,
            message: say(`Entra will send ${row.target} value "${value}" for ${label(user)}, spaces included (Split does not trim).`, `${profile.name} will not recognise it.`, cite(profile, rule.cite, 'vendors-and-sources.md §6 item 9')),
            fix: 'Store the list without spaces after the commas, or split on ", " when the source always has them.',
          });
        }
        if (rule?.unique) {
          // Uniqueness is compared ignoring case, as SCIM does for userName and email values (RFC 7643 §4.1.1).
          const byValue = unique.get(row.target) ?? new Map<string, UserPreview[]>();
          unique.set(row.target, byValue);
          const key = value.toLowerCase();
          byValue.set(key, [...(byValue.get(key) ?? []), user]);
        }
      }
    }
  }

  for (const [target, byValue] of unique) {
    const rule = attributeRuleFor(profile, target)!;
    for (const [value, users] of byValue) {
      if (users.length < 2) continue;
      const names = users.map(label).join(', ');
      for (const user of users) {
        ctx.findings.push({
          severity: 'error',
          code: 'VENDOR_DUPLICATE_VALUE',
          attribute: target,
          userId: user.id,
          message: say(`Entra will send ${target} = "${value}" for ${users.length} users (${names}).`, `${profile.name} needs ${target} to be unique: the second account is rejected or merged into the first.`, cite(profile, rule.cite)),
          fix: `Give each of these users their own value in Entra, or map ${target} from a unique attribute.`,
        });
      }
      count({
        severity: 'error', code: 'VENDOR_DUPLICATE_VALUE', attribute: target, example: `"${value}" (${names})`,
        message: (_n, example) => say(`Entra will send the same ${target} for several users: ${example}.`, `${profile.name} needs it to be unique.`, cite(profile, rule.cite)),
        fix: `Give each user their own value, or map ${target} from a unique attribute.`,
      });
    }
  }

  for (const entry of aggregates.values()) {
    const finding: Finding = { severity: entry.severity, code: entry.code, attribute: entry.attribute, message: entry.message(entry.users, entry.example) };
    if (entry.fix) finding.fix = entry.fix;
    ctx.findings.push(finding);
  }

  guestUserNames(ctx, preview, sources);
}

function guestUserNames(ctx: Context, preview: PreviewResult, sources: VendorSources): void {
  const { profile } = ctx;
  if (!sources.users) return;
  const byId = new Map(sources.users.map((source) => [String(source.objectId ?? ''), source]));
  const userNameRows = rowsOn(ctx.rows, 'userName');
  const fromUpn = userNameRows.some((row) => readsAttribute(row.mapping, 'userPrincipalName'));
  const rule = attributeRuleFor(profile, 'userName');
  const vendorCite = rule ? cite(profile, rule.cite, SPEC.guest) : `Source: ${SPEC.guest}.`;
  const path = parseTargetPath('userName');
  for (const user of preview.users) {
    if (!isProvisioned(user)) continue;
    const source = byId.get(user.id);
    const original = source?.originalUserPrincipalName;
    if (typeof original !== 'string' || !original.toUpperCase().includes('#EXT#')) continue;
    const sent = valuesOf(readValue(user.target, path))[0];
    if (sent === undefined) continue;
    if (sent.toUpperCase().includes('#EXT#')) {
      ctx.findings.push({
        severity: 'error',
        code: 'VENDOR_GUEST_USERNAME',
        attribute: 'userName',
        userId: user.id,
        message: say(`Entra will send the guest's raw user name "${sent}", #EXT# included.`, `${profile.name} will create an account under a name nobody can sign in or mail with.`, vendorCite),
        fix: 'Map userPrincipalName (Entra strips #EXT#) or mail to userName instead of originalUserPrincipalName.',
      });
    } else if (fromUpn) {
      ctx.findings.push({
        severity: 'warning',
        code: 'VENDOR_GUEST_USERNAME',
        attribute: 'userName',
        userId: user.id,
        message: say(
          `${original} is a guest: Entra strips #EXT# and sends userName "${sent}", the guest's home address.`,
          `${profile.name} will create the account under that outside address${rule?.unique ? ', which must stay unique across your users' : ''}.`,
          vendorCite,
        ),
        fix: `Check that guests should have ${profile.name} accounts under their home address; if not, remove their assignment to the app.`,
      });
    }
  }
}

/**
 * The vendor's findings for a previewed mapping set: mapping-level ones (no userId) first, then per-user
 * ones with aggregates. `sources` adds the checks that need the directory itself (guests, groups).
 */
export function vendorFindings(profile: VendorProfile, set: MappingSet, preview: PreviewResult, sources: VendorSources = {}): Finding[] {
  const located = findObjectMapping(set, 'User');
  const rows: Row[] = (located?.objectMapping.attributeMappings ?? []).map((mapping) => ({
    mapping,
    target: mapping.targetAttributeName,
    expression: sourceExpressionOf(mapping),
  }));
  const ctx: Context = { profile, set, rows, condemned: new Set(), findings: [] };
  if (located && located.objectMapping.enabled !== false) {
    rowsToRemove(ctx);
    unlistedTargets(ctx);
    rowsToAddOrKeep(ctx);
    matching(ctx);
    attributeRules(ctx);
  }
  groupRules(ctx, sources);
  lifecycleRules(ctx, preview);
  if (located) perUserRules(ctx, preview, sources);
  return ctx.findings;
}
