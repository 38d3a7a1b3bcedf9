import { compileExpression } from '../expressions/index.ts';
import type { EvalContext } from '../expressions/runtime.ts';
import type { AttributeDefinition, AttributeMapping } from '../mapping/schema.ts';
import {
  dialectOfTenantUrl,
  findObjectMapping,
  indexAttributeDefinitions,
  isCreateOnly,
  mappingTypeOf,
  matchingPriorityOf,
  objectActionsOf,
  sourceExpressionOf,
  targetAttributeList,
  tenantUrlOf,
  scimBaseOf,
  type MappingSet,
  type MappingType,
  type ObjectActions,
  type ScimDialect,
} from '../mapping/model.ts';
import { compileScope, type CompiledScope } from '../mapping/scope.ts';
import { MANAGER_PATH } from '../scim/requests/user.ts';
import { parseTargetPath, type TargetPath } from '../scim/requests/target-path.ts';
import { ATTRIBUTE_TYPES } from '../mapping/schema.ts';
import type { TargetAttributeInfo, TargetAttributeType } from '../scim/requests/wire.ts';
import type { Finding } from './types.ts';

type Program = Extract<ReturnType<typeof compileExpression>, { ok: true }>['program'];

/** One attribute mapping row, compiled once per preview and evaluated per user (lead's design note). */
export interface CompiledRow {
  readonly index: number;
  readonly mapping: AttributeMapping;
  readonly target: string;
  readonly path: TargetPath;
  readonly info: TargetAttributeInfo;
  readonly mappingType: MappingType;
  readonly createOnly: boolean;
  readonly defaultValue: string | null;
  readonly matchingPriority: number;
  readonly expression: string | null;
  /** null for mapping type None, and for rows whose expression does not compile */
  readonly program: Program | null;
  /** what the expression may know about its row: SingleAppRoleAssignment reads the target attribute */
  readonly context: EvalContext;
  readonly compileFailed: boolean;
  /**
   * the manager reference: linked by a separate PATCH, never part of the POST (Microsoft Learn "How Application
   * Provisioning works", step 6 of both cycles)
   */
  readonly isManager: boolean;
  readonly isActive: boolean;
  readonly isUserName: boolean;
}

export interface CompiledMappingSet {
  readonly dialect: ScimDialect;
  readonly baseUrl: string | undefined;
  readonly rows: readonly CompiledRow[];
  /** matching rows in precedence order */
  readonly matching: readonly CompiledRow[];
  readonly activeRow: CompiledRow | undefined;
  readonly managerRow: CompiledRow | undefined;
  readonly scope: CompiledScope;
  readonly actions: ObjectActions;
  /** mapping-level findings known before any user is evaluated */
  readonly findings: readonly Finding[];
  /** false when the set has no usable user mapping: every user is then an error */
  readonly usable: boolean;
}

interface CompileOptions {
  /** the CLI's --dialect what-if; otherwise the tenant URL's aadOptscim062020 flag decides */
  readonly dialect?: ScimDialect;
  /** overrides the tenant URL carried by the set (for curl commands) */
  readonly baseUrl?: string;
}

function typeOf(definition: AttributeDefinition | undefined, target: string): TargetAttributeInfo {
  if (definition) {
    const type = (ATTRIBUTE_TYPES as readonly string[]).includes(definition.type ?? '')
      ? (definition.type as TargetAttributeType)
      : 'String';
    return { type, multivalued: definition.multivalued === true };
  }
  // A hand-written set without an attribute list: the two non-string defaults (Microsoft Learn "Customize user
  // provisioning attribute-mappings", "Editing the list of supported attributes").
  const lower = target.toLowerCase();
  if (lower === 'active') return { type: 'Boolean', multivalued: false };
  if (lower === MANAGER_PATH.toLowerCase()) return { type: 'Reference', multivalued: false };
  return { type: 'String', multivalued: false };
}

export function compileMappingSet(set: MappingSet, options: CompileOptions = {}): CompiledMappingSet {
  const tenantUrl = tenantUrlOf(set);
  const dialect = options.dialect ?? dialectOfTenantUrl(tenantUrl);
  const baseUrl = options.baseUrl ?? (tenantUrl ? scimBaseOf(tenantUrl) : undefined);
  const findings: Finding[] = [];
  const located = findObjectMapping(set, 'User');
  if (!located) {
    findings.push({
      severity: 'error',
      code: 'NO_USER_MAPPING',
      message: 'The mapping set has no object mapping for users, so no user would be provisioned.',
      fix: 'Start from the Entra default mappings template or import the schema of the provisioning job.',
    });
    return {
      dialect, baseUrl, rows: [], matching: [], activeRow: undefined, managerRow: undefined,
      scope: compileScope(null), actions: { create: false, update: false, delete: false }, findings, usable: false,
    };
  }
  if (located.objectMapping.enabled === false) {
    findings.push({
      severity: 'warning',
      code: 'USER_MAPPING_DISABLED',
      message: 'The user object mapping is disabled; Entra would not provision users with it.',
      fix: 'Set "Enabled" to Yes on the user mapping.',
    });
  }
  const definitions = targetAttributeList(set, located);
  const definitionIndex = indexAttributeDefinitions(definitions);

  const rows: CompiledRow[] = located.objectMapping.attributeMappings.map((mapping, index) => {
    const target = mapping.targetAttributeName;
    const expression = sourceExpressionOf(mapping);
    let program: Program | null = null;
    let compileFailed = false;
    if (expression !== null) {
      const compiled = compileExpression(expression);
      if (compiled.ok) program = compiled.program;
      else compileFailed = true;
      for (const diagnostic of compiled.diagnostics) {
        if (diagnostic.severity === 'info') continue;
        findings.push({
          severity: diagnostic.severity,
          code: diagnostic.severity === 'error' ? 'EXPRESSION_ERROR' : 'EXPRESSION_WARNING',
          attribute: target,
          message: `${target}: ${diagnostic.message} (${diagnostic.code})`,
          ...(diagnostic.suggestion !== undefined ? { fix: diagnostic.suggestion } : {}),
          source: { expression, start: diagnostic.start, end: diagnostic.end },
        });
      }
    }
    const definition = definitionIndex.get(target.toLowerCase());
    const typed = typeOf(definition, target);
    const info: TargetAttributeInfo = expression !== null && /\bAssertiveAppRoleAssignmentsComplex\s*\(/i.test(expression)
      ? { ...typed, complexFlow: 'replace' }
      : typed;
    const lower = target.toLowerCase();
    return {
      index,
      mapping,
      target,
      path: parseTargetPath(target),
      info,
      mappingType: mappingTypeOf(mapping),
      createOnly: isCreateOnly(mapping),
      defaultValue: mapping.defaultValue ?? null,
      matchingPriority: matchingPriorityOf(mapping),
      expression,
      program,
      context: Object.freeze({ targetAttribute: target }),
      compileFailed,
      isManager: lower === MANAGER_PATH.toLowerCase() || (info.type === 'Reference' && lower === 'manager'),
      isActive: lower === 'active',
      isUserName: lower === 'username',
    };
  });

  const matching = rows.filter((row) => row.matchingPriority > 0).sort((a, b) => a.matchingPriority - b.matchingPriority);
  const scope = compileScope(located.objectMapping.scope);
  findings.push(...mappingLevelFindings(rows, matching, definitions.length > 0 ? definitionIndex : null));
  for (const problem of scope.problems) {
    findings.push({ severity: 'error', code: 'SCOPE_FILTER_INVALID', message: problem, fix: 'Edit the scoping filter clause.' });
  }
  return {
    dialect,
    baseUrl,
    rows,
    matching,
    activeRow: rows.find((row) => row.isActive),
    managerRow: rows.find((row) => row.isManager),
    scope,
    actions: objectActionsOf(located.objectMapping),
    findings,
    usable: true,
  };
}

/** The rules of issue 4 the engine can tell from the mapping set alone. */
function mappingLevelFindings(
  rows: readonly CompiledRow[],
  matching: readonly CompiledRow[],
  definitionIndex: ReadonlyMap<string, AttributeDefinition> | null,
): Finding[] {
  const findings: Finding[] = [];
  if (matching.length === 0) {
    findings.push({
      severity: 'error',
      code: 'NO_MATCHING_ATTRIBUTE',
      message: 'No attribute is marked "Match objects using this attribute"; Entra cannot look users up in the target.',
      fix: 'Set matching precedence 1 on the userName mapping.',
    });
  }
  const byPrecedence = new Map<number, CompiledRow[]>();
  for (const row of matching) byPrecedence.set(row.matchingPriority, [...(byPrecedence.get(row.matchingPriority) ?? []), row]);
  for (const [precedence, group] of byPrecedence) {
    if (group.length < 2) continue;
    findings.push({
      severity: 'error',
      code: 'DUPLICATE_MATCHING_PRECEDENCE',
      attribute: group[1]!.target,
      message: `${group.map((r) => r.target).join(' and ')} share matching precedence ${precedence}; each matching attribute needs its own number.`,
      fix: 'Give every matching attribute a distinct matching precedence (1, 2, …).',
    });
  }
  const byTarget = new Map<string, CompiledRow[]>();
  for (const row of rows) {
    const key = row.target.toLowerCase();
    byTarget.set(key, [...(byTarget.get(key) ?? []), row]);
  }
  for (const group of byTarget.values()) {
    if (group.length < 2) continue;
    findings.push({
      severity: 'error',
      code: 'DUPLICATE_TARGET',
      attribute: group[0]!.target,
      message: `${group[0]!.target} is the target of ${group.length} mappings; Entra allows a target attribute to be mapped once.`,
      fix: 'Delete the extra mapping (for example the default mailNickname → externalId row) before adding a new one.',
    });
  }
  for (const row of matching) {
    if (row.expression && /\bSelectUniqueValue\s*\(/i.test(row.expression)) {
      findings.push({
        severity: 'error',
        code: 'SELECT_UNIQUE_VALUE_ON_MATCHING',
        attribute: row.target,
        message: `${row.target} uses SelectUniqueValue, which cannot be used on a matching attribute (Microsoft Learn "Reference for writing expressions for attribute mappings", SelectUniqueValue).`,
        fix: 'Remove the matching precedence from this row, or match on another attribute.',
      });
    }
  }
  for (const row of rows) {
    if (row.defaultValue !== null && row.defaultValue !== '' && !row.createOnly) {
      findings.push({
        severity: 'info',
        code: 'DEFAULT_VALUE_CREATE_ONLY',
        attribute: row.target,
        message: `The default value "${row.defaultValue}" of ${row.target} is only sent when a user is created; updates never send it, even when the source becomes empty.`,
        fix: 'If the value must also be kept up to date, compute it in the expression (for example with Coalesce or Switch).',
      });
    }
    if (definitionIndex && !definitionIndex.has(row.target.toLowerCase())) {
      findings.push({
        severity: 'warning',
        code: 'TARGET_NOT_IN_ATTRIBUTE_LIST',
        attribute: row.target,
        message: `${row.target} is not in the target attribute list, so Entra would not offer it as a target.`,
        fix: 'Add it under "Edit attribute list for customappsso" with its type first.',
      });
    }
  }
  if (!rows.some((row) => row.isUserName)) {
    findings.push({
      severity: 'error',
      code: 'USERNAME_NOT_MAPPED',
      attribute: 'userName',
      message: 'Nothing is mapped to userName, a required SCIM core attribute; every create would fail.',
      fix: 'Map userPrincipalName (or another unique value) to userName.',
    });
  }
  return findings;
}
