import type { SourceObject } from '../directory/source-object.ts';
import {
  findObjectMapping,
  matchingPriorityOf,
  targetAttributeList,
  indexAttributeDefinitions,
  type MappingSet,
} from '../mapping/model.ts';
import type { Finding, PreviewResult } from '../preview/types.ts';
import type { ScimDialect } from '../scim/requests/wire.ts';
import { matchesValuePattern } from '../scim/value-formats.ts';
import { sameExpression } from './expressions.ts';
import type { VendorProfile } from './profile-schema.ts';
import { attributeRuleFor, cite, describeRow, placeholderRegex, planRows, rowsOn, rowsToRemoveOf, say, SPEC, type Row, type RowPlan } from './rule-support.ts';
import { VendorUserChecks, VendorUserMerge, type MergedVendorUsers } from './user-rules.ts';

export { attributeRuleFor, matchesFormat } from './rule-support.ts';

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
  VENDOR_GUEST_USERNAME: 'guest (#EXT#) user names',
  VENDOR_GROUP_NAME_CHARACTER: 'a group name with a character the vendor uses as a separator',
  VENDOR_NESTED_GROUP: 'a nested group whose members Entra does not provision',
  VENDOR_TOKEN_EXPIRES: "the vendor's secret token expires",
} as const;

/** What the preview does not carry: the source objects (guests) and groups (names, nesting). */
interface VendorSources {
  users?: readonly SourceObject[];
  groups?: readonly SourceObject[];
}

interface Context {
  profile: VendorProfile;
  set: MappingSet;
  rows: Row[];
  condemned: ReadonlySet<Row>;
  findings: Finding[];
}

// ---------------------------------------------------------------------------------------------------------
// Mapping-level rules

const UNLISTED_CODES = {
  'filtered-default': 'VENDOR_FILTERED_DEFAULT',
  unsupported: 'VENDOR_TARGET_UNSUPPORTED',
  'needs-vendor-setup': 'VENDOR_TARGET_NEEDS_VENDOR_SETUP',
} as const;

/**
 * The profile's rule for a mapped target it does not list, with its finding code: null when the target is listed,
 * recommended or allowed. The preview's findings and the mock server's request log both ask here.
 */
export function unlistedTargetRule(profile: VendorProfile, target: string): { code: (typeof UNLISTED_CODES)[keyof typeof UNLISTED_CODES]; rule: VendorProfile['unlistedTargets'][number] } | null {
  const lower = target.toLowerCase();
  if (attributeRuleFor(profile, target)) return null;
  if ([...profile.recommendedMappings.add, ...profile.recommendedMappings.keep].some((item) => item.target.toLowerCase() === lower)) return null;
  const rule = profile.unlistedTargets.find((candidate) => matchesValuePattern(target, candidate.match, { ignoreCase: true }));
  if (!rule || rule.kind === 'allowed') return null;
  return { code: UNLISTED_CODES[rule.kind], rule };
}

function unlistedTargets(ctx: Context): void {
  const { profile } = ctx;
  for (const row of ctx.rows) {
    const unlisted = unlistedTargetRule(profile, row.target);
    if (!unlisted) continue;
    const { code, rule } = unlisted;
    const removable = rule.kind !== 'needs-vendor-setup';
    ctx.findings.push({
      severity: rule.severity,
      code,
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
  for (const { rule, row } of rowsToRemoveOf(profile, ctx.rows)) {
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

/** Mapping-level lifecycle findings; `managerOutOfScope` counts the users whose manager is not provisioned. */
function lifecycleRules(ctx: Context, dialect: ScimDialect, managerOutOfScope: number): void {
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
  }
  const wantsRfcPatch = profile.features.booleans.value === 'json' || profile.features.patchDialect.value === 'aadOptscim062020';
  const hasBoolean = ctx.rows.some((row) => row.target.toLowerCase() === 'active');
  if (wantsRfcPatch && dialect === 'default' && hasBoolean) {
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
        cite(profile, profile.connection.secretToken.cite, SPEC.tokenExpiry),
      ),
      fix: `Note the token's expiration date and renew it in ${profile.name} before then.`,
    });
  }
  const managerRow = ctx.rows.find((row) => row.target.toLowerCase().endsWith(':user:manager') || row.target.toLowerCase() === 'manager');
  if (managerRow && managerOutOfScope > 0) {
    const rule = attributeRuleFor(profile, managerRow.target);
    ctx.findings.push({
      severity: 'warning',
      // The preview's own code and attribute: this line becomes the summary of the per-user findings' group, so the
      // same managers are not reported twice.
      code: 'MANAGER_NOT_PROVISIONED',
      attribute: managerRow.target,
      message: say(
        `${managerOutOfScope} user(s) have a manager who is not provisioned (outside the scope or disabled); Entra creates them without a manager and does not set it later without a restart.`,
        `${profile.name} will show them with no manager.`,
        rule ? cite(profile, rule.cite, SPEC.manager) : `Source: ${SPEC.manager}.`,
      ),
      fix: 'Bring the managers into scope (assign them to the app) before the first cycle, or restart provisioning after assigning them.',
    });
  }
}

// ---------------------------------------------------------------------------------------------------------
// The whole: mapping-level findings here, per-user ones from user-rules.ts

interface VendorMappingContext {
  /** the PATCH dialect the preview ran with */
  dialect: ScimDialect;
  /** the snapshot's groups (names, nesting) */
  groups?: readonly SourceObject[] | undefined;
  /** users whose manager is not provisioned (MergedVendorUsers.managerOutOfScope) */
  managerOutOfScope: number;
}

/**
 * The findings about the mapping set itself (no userId), in the order `vendorFindings` gives them. Cheap and
 * independent of the users but for one count, so it runs on the backend thread while the per-user rules run in
 * the preview's workers.
 */
export function vendorMappingFindings(profile: VendorProfile, set: MappingSet, context: VendorMappingContext, plan: RowPlan = planRows(profile, set)): Finding[] {
  const ctx: Context = { profile, set, rows: plan.rows, condemned: plan.condemned, findings: [] };
  if (plan.enabled) {
    rowsToRemove(ctx);
    unlistedTargets(ctx);
    rowsToAddOrKeep(ctx);
    matching(ctx);
    attributeRules(ctx);
  }
  groupRules(ctx, { groups: context.groups ?? [] });
  lifecycleRules(ctx, context.dialect, context.managerOutOfScope);
  return ctx.findings;
}

/**
 * The vendor's findings in one list, from the split parts: mapping-level ones, every user's own findings in
 * snapshot order (VendorUserChecks.add), and the merged per-user results. Deactivations follow the
 * deprovisioning line they detail; then the attribute checks, the duplicates, the summary lines and the guests.
 */
export function orderVendorFindings(mapping: readonly Finding[], perUser: readonly Finding[], merged: MergedVendorUsers): Finding[] {
  const deprovision = perUser.filter((f) => f.code === 'VENDOR_DEPROVISION_DELETES');
  const guests = perUser.filter((f) => f.code === 'VENDOR_GUEST_USERNAME');
  const attributes = perUser.filter((f) => f.code !== 'VENDOR_DEPROVISION_DELETES' && f.code !== 'VENDOR_GUEST_USERNAME');
  const out: Finding[] = [];
  for (const finding of mapping) {
    out.push(finding);
    if (finding.code === 'VENDOR_DEPROVISION_DELETES') out.push(...deprovision);
  }
  out.push(...attributes, ...merged.duplicates, ...merged.aggregates, ...guests);
  return out;
}

/**
 * The vendor's findings for a previewed mapping set: mapping-level ones (no userId) first, then per-user
 * ones with aggregates. `sources` adds the checks that need the directory itself (guests, groups). The
 * preview service runs the same two halves apart (per-user rules in its workers); this is both in one pass.
 */
export function vendorFindings(profile: VendorProfile, set: MappingSet, preview: PreviewResult, sources: VendorSources = {}): Finding[] {
  const checks = new VendorUserChecks(profile, set, { guests: sources.users !== undefined });
  const byId = new Map((sources.users ?? []).map((source) => [String(source.objectId ?? ''), source]));
  const perUser: Finding[] = [];
  preview.users.forEach((user, ordinal) => perUser.push(...checks.add(user, byId.get(user.id), ordinal)));
  const merge = new VendorUserMerge(profile);
  merge.add(checks.partial());
  merge.addSends(checks.sendsOf(merge.candidates()));
  const merged = merge.finish();
  const mapping = vendorMappingFindings(profile, set, { dialect: preview.dialect, groups: sources.groups, managerOutOfScope: merged.managerOutOfScope });
  return orderVendorFindings(mapping, perUser, merged);
}
