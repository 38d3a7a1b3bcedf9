import type { SourceObject } from '../directory/source-object.ts';
import { compileExpression, valueToString } from '../expressions/index.ts';
import {
  dialectOfTenantUrl,
  findObjectMapping,
  matchingPriorityOf,
  objectActionsOf,
  scimBaseOf,
  sourceExpressionOf,
  tenantUrlOf,
  type MappingSet,
  type ObjectActions,
  type ScimDialect,
} from '../mapping/model.ts';
import { compileScope, type CompiledScope } from '../mapping/scope.ts';
import { renderRequest, type RenderedRequest, type RequestSpec } from '../scim/requests/render.ts';
import { parseTargetPath, readValue, type JsonObject, type TargetPath } from '../scim/requests/target-path.ts';
import {
  applyChanges,
  buildGroupPostBody,
  deleteRequest,
  diffAttributes,
  matchQuery,
  memberOperations,
  patchOperationsFor,
  patchRequest,
  postRequest,
  type TargetValue,
} from '../scim/requests/user.ts';
import { STRING_ATTRIBUTE } from '../scim/requests/wire.ts';
import type { Finding } from './types.ts';

/**
 * Groups (entra-scim.md §1.10): a group is created empty (POST /Groups without members), then its provisioned
 * members follow in one PATCH; a rename is a PATCH of displayName; membership changes are Add/Remove member
 * operations in the dialect's shape; a group that leaves the directory (or the scope) is deleted.
 */

export type GroupAction = 'create' | 'update' | 'delete' | 'none' | 'skip' | 'error';

export interface GroupPreview {
  id: string;
  displayName: string | null;
  action: GroupAction;
  reason?: string;
  /** the group as the vendor holds it after the requests (members as target ids) */
  target: JsonObject | null;
  requests: RenderedRequest[];
  findings: Finding[];
}

export interface GroupPreviewResult {
  /** false when the set has no enabled group mapping: nothing is sent for groups */
  enabled: boolean;
  reason?: string;
  groups: GroupPreview[];
  byAction: Record<GroupAction, number>;
}

export interface GroupPreviewInput {
  set: MappingSet;
  groups: readonly SourceObject[];
  /** the groups of an earlier snapshot: makes the preview incremental */
  previousGroups?: readonly SourceObject[];
  /** user objectId → target id, for the users that exist in the target after this cycle */
  provisionedUsers: ReadonlyMap<string, string>;
  /** the same for the earlier cycle (members the target holds already) */
  previousProvisionedUsers?: ReadonlyMap<string, string>;
  dialect?: ScimDialect;
  baseUrl?: string;
}

interface GroupRow {
  target: string;
  path: TargetPath;
  matchingPriority: number;
  program: Extract<ReturnType<typeof compileExpression>, { ok: true }>['program'] | null;
  expression: string | null;
  isMembers: boolean;
}

interface CompiledGroups {
  rows: GroupRow[];
  matching: GroupRow[];
  membersRow: GroupRow | undefined;
  scope: CompiledScope;
  actions: ObjectActions;
  dialect: ScimDialect;
  baseUrl: string | undefined;
  findings: Finding[];
}

const GROUP_ACTIONS: readonly GroupAction[] = ['create', 'update', 'delete', 'none', 'skip', 'error'];

function compileGroups(input: GroupPreviewInput): CompiledGroups | { disabled: string } {
  const located = findObjectMapping(input.set, 'Group');
  if (!located) return { disabled: 'the mapping set has no group mapping' };
  if (located.objectMapping.enabled === false) return { disabled: 'group provisioning is disabled in the mapping set' };
  const findings: Finding[] = [];
  const rows = located.objectMapping.attributeMappings.map((mapping): GroupRow => {
    const expression = sourceExpressionOf(mapping);
    let program: GroupRow['program'] = null;
    if (expression !== null) {
      const compiled = compileExpression(expression);
      if (compiled.ok) program = compiled.program;
      else {
        for (const diagnostic of compiled.diagnostics.filter((d) => d.severity === 'error')) {
          findings.push({
            severity: 'error',
            code: 'EXPRESSION_ERROR',
            attribute: mapping.targetAttributeName,
            message: `Group ${mapping.targetAttributeName}: ${diagnostic.message} (${diagnostic.code})`,
            source: { expression, start: diagnostic.start, end: diagnostic.end },
          });
        }
      }
    }
    return {
      target: mapping.targetAttributeName,
      path: parseTargetPath(mapping.targetAttributeName),
      matchingPriority: matchingPriorityOf(mapping),
      program,
      expression,
      isMembers: mapping.targetAttributeName.toLowerCase() === 'members',
    };
  });
  const tenantUrl = tenantUrlOf(input.set);
  return {
    rows,
    matching: rows.filter((row) => row.matchingPriority > 0).sort((a, b) => a.matchingPriority - b.matchingPriority),
    membersRow: rows.find((row) => row.isMembers),
    scope: compileScope(located.objectMapping.scope),
    actions: objectActionsOf(located.objectMapping),
    dialect: input.dialect ?? dialectOfTenantUrl(tenantUrl),
    baseUrl: input.baseUrl ?? (tenantUrl ? scimBaseOf(tenantUrl) : undefined),
    findings,
  };
}

interface GroupEvaluation {
  values: TargetValue[];
  match: { row: GroupRow; value: string } | undefined;
  /** member objectIds, direct members only */
  members: string[];
  findings: Finding[];
}

function evaluateGroup(compiled: CompiledGroups, source: SourceObject): GroupEvaluation {
  const values: TargetValue[] = [];
  const findings: Finding[] = [];
  const byRow = new Map<GroupRow, string>();
  let members: string[] = [];
  for (const row of compiled.rows) {
    if (!row.program) continue;
    const result = row.program.evaluate(source, { targetAttribute: row.target });
    if (!result.ok) {
      findings.push({
        severity: 'error',
        code: 'EXPRESSION_RUNTIME_ERROR',
        attribute: row.target,
        userId: String(source.objectId ?? ''),
        message: `Group ${row.target}: ${result.error.message} (${result.error.code})`,
      });
      continue;
    }
    const value = result.value;
    if (row.isMembers) {
      // members is a reference list, linked by PATCH after the create and never part of the POST (§1.10).
      const items = value.kind === 'multi' ? value.values : [value];
      members = items.map((item) => valueToString(item)).filter((id): id is string => id !== null && id !== '');
      continue;
    }
    const text = value.kind === 'null' || value.kind === 'ignore' ? null : valueToString(value);
    if (text === null || text === '') continue;
    byRow.set(row, text);
    values.push({ path: row.path, info: STRING_ATTRIBUTE, value: text });
  }
  const matchRow = compiled.matching.find((row) => byRow.has(row));
  return { values, match: matchRow ? { row: matchRow, value: byRow.get(matchRow)! } : undefined, members, findings };
}

/** Target ids of the members Entra links: provisioned users only; nested groups and others are skipped (§1.10). */
function memberTargetIds(members: readonly string[], provisioned: ReadonlyMap<string, string>): string[] {
  // A Set keeps this linear: an all-employees group has as many members as the tenant has users.
  const ids = new Set<string>();
  for (const member of members) {
    const targetId = provisioned.get(member);
    if (targetId !== undefined) ids.add(targetId);
  }
  return [...ids];
}

function placeholderGroupId(source: SourceObject): string {
  return `{id:${String(source.displayName ?? source.objectId ?? 'group')}}`;
}

function withMembers(resource: JsonObject, members: readonly string[]): JsonObject {
  return { ...resource, members: members.map((value) => ({ value })) };
}

function heldMembers(resource: JsonObject): string[] {
  const members = resource.members;
  if (!Array.isArray(members)) return [];
  return members.map((m) => (m && typeof m === 'object' && !Array.isArray(m) ? String(m.value ?? '') : '')).filter(Boolean);
}

interface HeldGroup {
  targetId: string;
  resource: JsonObject;
}

export function previewGroups(input: GroupPreviewInput): GroupPreviewResult {
  const byAction = Object.fromEntries(GROUP_ACTIONS.map((action) => [action, 0])) as Record<GroupAction, number>;
  const compiled = compileGroups(input);
  if ('disabled' in compiled) return { enabled: false, reason: compiled.disabled, groups: [], byAction };
  const render = (specs: RequestSpec[]) => specs.map((spec) => renderRequest(spec, compiled.baseUrl ? { baseUrl: compiled.baseUrl } : {}));

  // What the target holds after the earlier cycle: each earlier group created with its members then.
  const held = new Map<string, HeldGroup>();
  if (input.previousGroups) {
    const previousProvisioned = input.previousProvisionedUsers ?? new Map<string, string>();
    for (const source of input.previousGroups) {
      if (!compiled.scope.inScope(source) || !compiled.actions.create) continue;
      const evaluation = evaluateGroup(compiled, source);
      if (!evaluation.match) continue;
      const targetId = placeholderGroupId(source);
      const resource = withMembers({ id: targetId, ...buildGroupPostBody(evaluation.values) }, memberTargetIds(evaluation.members, previousProvisioned));
      held.set(String(source.objectId ?? ''), { targetId, resource });
    }
  }

  const groups: GroupPreview[] = [];
  const present = new Set<string>();
  for (const source of input.groups) {
    const id = String(source.objectId ?? '');
    present.add(id);
    const displayName = typeof source.displayName === 'string' ? source.displayName : null;
    const previous = held.get(id);
    const base = { id, displayName };
    if (!compiled.scope.inScope(source)) {
      const reason = compiled.scope.explain(source) ?? 'outside the scoping filter';
      groups.push(previous ? deleteGroup(compiled, previous, base, reason, render) : { ...base, action: 'skip', reason, target: null, requests: [], findings: [] });
      continue;
    }
    const evaluation = evaluateGroup(compiled, source);
    if (evaluation.findings.length > 0) {
      groups.push({ ...base, action: 'error', reason: 'a group mapping failed to evaluate', target: previous?.resource ?? null, requests: [], findings: evaluation.findings });
      continue;
    }
    const members = memberTargetIds(evaluation.members, input.provisionedUsers);
    if (!previous) {
      if (!evaluation.match) {
        groups.push({ ...base, action: 'skip', reason: 'no value for any matching attribute', target: null, requests: [], findings: [] });
        continue;
      }
      if (!compiled.actions.create) {
        groups.push({ ...base, action: 'skip', reason: 'the Create target action is off', target: null, requests: [], findings: [] });
        continue;
      }
      const body = buildGroupPostBody(evaluation.values);
      const targetId = placeholderGroupId(source);
      const specs: RequestSpec[] = [matchQuery('Groups', evaluation.match.row.target, evaluation.match.value), postRequest('Groups', body)];
      if (members.length > 0) specs.push(patchRequest('Groups', targetId, memberOperations(compiled.dialect, members, [])));
      groups.push({ ...base, action: 'create', target: withMembers({ id: targetId, ...body }, members), requests: render(specs), findings: [] });
      continue;
    }
    if (!compiled.actions.update) {
      groups.push({ ...base, action: 'none', reason: 'the Update target action is off', target: previous.resource, requests: [], findings: [] });
      continue;
    }
    const changes = diffAttributes(previous.resource, evaluation.values);
    const operations = patchOperationsFor(changes, compiled.dialect);
    // Entra never reads members back (§1.10): the difference is against what it sent before.
    const had = heldMembers(previous.resource);
    const add = members.filter((m) => !had.includes(m));
    const remove = had.filter((m) => !members.includes(m));
    const memberOps = memberOperations(compiled.dialect, add, remove);
    if (operations.length === 0 && memberOps.length === 0) {
      groups.push({ ...base, action: 'none', target: previous.resource, requests: [], findings: [] });
      continue;
    }
    const matchValue = compiled.matching.map((row) => readValue(previous.resource, row.path)).find((v): v is string => typeof v === 'string' && v !== '');
    const specs: RequestSpec[] = [];
    if (matchValue !== undefined) specs.push(matchQuery('Groups', compiled.matching[0]!.target, matchValue));
    if (operations.length > 0) specs.push(patchRequest('Groups', previous.targetId, operations));
    if (memberOps.length > 0) specs.push(patchRequest('Groups', previous.targetId, memberOps));
    groups.push({ ...base, action: 'update', target: withMembers(applyChanges(previous.resource, changes), members), requests: render(specs), findings: [] });
  }
  for (const [id, previous] of held) {
    if (present.has(id)) continue;
    groups.push(deleteGroup(compiled, previous, { id, displayName: typeof previous.resource.displayName === 'string' ? previous.resource.displayName : null }, 'deleted in Entra (no longer in the directory)', render));
  }
  for (const group of groups) byAction[group.action]++;
  return { enabled: true, groups, byAction };
}

/** Unassigned, out of scope or deleted: DELETE /Groups/{id} (entra-scim.md §1.10), when Delete is a target action. */
function deleteGroup(
  compiled: CompiledGroups,
  previous: HeldGroup,
  base: { id: string; displayName: string | null },
  reason: string,
  render: (specs: RequestSpec[]) => RenderedRequest[],
): GroupPreview {
  if (!compiled.actions.delete) return { ...base, action: 'none', reason: `${reason}; the Delete target action is off`, target: previous.resource, requests: [], findings: [] };
  const matchValue = compiled.matching.map((row) => readValue(previous.resource, row.path)).find((v): v is string => typeof v === 'string' && v !== '');
  const specs: RequestSpec[] = [];
  if (matchValue !== undefined) specs.push(matchQuery('Groups', compiled.matching[0]!.target, matchValue));
  specs.push(deleteRequest('Groups', previous.targetId));
  return { ...base, action: 'delete', reason, target: null, requests: render(specs), findings: [] };
}

/** The mapping-level findings of the group mapping (expression errors), for the run's findings. */
export function groupMappingFindings(set: MappingSet): Finding[] {
  const compiled = compileGroups({ set, groups: [], provisionedUsers: new Map() });
  return 'disabled' in compiled ? [] : compiled.findings;
}
