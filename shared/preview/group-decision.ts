import type { SourceObject } from '../directory/source-object.ts';
import type { ProvisionedLookup } from './engine.ts';
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
import type { RequestSpec } from '../scim/requests/render.ts';
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
  type PatchOperation,
  type TargetValue,
} from '../scim/requests/user.ts';
import { STRING_ATTRIBUTE } from '../scim/requests/wire.ts';
import type { Finding } from './types.ts';

/**
 * What Entra does with one group in a cycle (Microsoft Learn "Develop a SCIM endpoint for user provisioning", "Group
 * operations"), decided once for the preview and the provisioning cycle: the scoping filter, the group mapping's
 * values, the matching value, the members (as the users' target ids) and the action. A group is created empty (POST
 * /Groups without members), its members follow in one PATCH; a rename is a PATCH of the changed attributes; a group
 * that leaves the directory or the scope is deleted when Delete is a target action.
 */

export type GroupAction = 'create' | 'update' | 'delete' | 'none' | 'skip' | 'error';
export const GROUP_ACTIONS: readonly GroupAction[] = ['create', 'update', 'delete', 'none', 'skip', 'error'];

interface GroupRow {
  target: string;
  path: TargetPath;
  matchingPriority: number;
  program: Extract<ReturnType<typeof compileExpression>, { ok: true }>['program'] | null;
  isMembers: boolean;
}

/** The enabled group mapping of a set, compiled once per run. */
export interface CompiledGroupMapping {
  rows: readonly GroupRow[];
  /** rows with a matching precedence, in that order (displayName by default, §1.5) */
  matching: readonly GroupRow[];
  scope: CompiledScope;
  actions: ObjectActions;
  dialect: ScimDialect;
  baseUrl: string | undefined;
  /** expressions of the group mapping that do not compile (mapping-level findings) */
  findings: Finding[];
}

interface GroupMappingOptions {
  /** the PATCH dialect; by default the set's Tenant URL decides (aadOptscim062020, §1.2) */
  dialect?: ScimDialect;
  baseUrl?: string;
}

/** The group mapping compiled, or why nothing is sent for groups (no group mapping, or it is disabled). */
export function compileGroupMapping(set: MappingSet, options: GroupMappingOptions = {}): CompiledGroupMapping | { disabled: string } {
  const located = findObjectMapping(set, 'Group');
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
      isMembers: mapping.targetAttributeName.toLowerCase() === 'members',
    };
  });
  const tenantUrl = tenantUrlOf(set);
  return {
    rows,
    matching: rows.filter((row) => row.matchingPriority > 0).sort((a, b) => a.matchingPriority - b.matchingPriority),
    scope: compileScope(located.objectMapping.scope),
    actions: objectActionsOf(located.objectMapping),
    dialect: options.dialect ?? dialectOfTenantUrl(tenantUrl),
    baseUrl: options.baseUrl ?? (tenantUrl ? scimBaseOf(tenantUrl) : undefined),
    findings,
  };
}

/** What the target holds for a group provisioned earlier: the link Entra caches. */
export interface HeldGroup {
  targetId: string;
  resource: JsonObject;
  /** the member target ids Entra added: it never reads members back, so it diffs against these (§1.10) */
  members: readonly string[];
}

interface GroupMatch {
  attribute: string;
  value: string;
}

export interface GroupDecision {
  action: GroupAction;
  reason?: string;
  /** the group mapping's values, members excluded */
  values: TargetValue[];
  /** the matching attribute and value of the match query, when one can be made */
  match: GroupMatch | null;
  /** the members' target ids after this cycle: provisioned users only, nested groups and others are left out */
  members: string[];
  /** create: the POST body (never with members) */
  post: JsonObject | null;
  /** update: the attribute changes as PATCH operations */
  operations: PatchOperation[];
  /** create and update: the member target ids to add and to remove, and those as PATCH operations in the dialect's shape */
  addMembers: string[];
  removeMembers: string[];
  memberOperations: PatchOperation[];
  /** the group as the target holds it after the requests (a create carries no id: the caller adds it) */
  target: JsonObject | null;
  findings: Finding[];
}

interface GroupDecisionInput {
  /** the group as the directory has it now; null when it is gone from the directory */
  source: SourceObject | null;
  /** what the target holds for it, when Entra provisioned it earlier */
  held?: HeldGroup | undefined;
  /** user objectId → target id, for the users that exist in the target after this cycle */
  provisionedUsers: ProvisionedLookup;
}

interface GroupEvaluation {
  values: TargetValue[];
  match: GroupMatch | null;
  /** member objectIds, direct members only */
  members: string[];
  findings: Finding[];
}

function evaluateGroup(compiled: CompiledGroupMapping, source: SourceObject): GroupEvaluation {
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
  return { values, match: matchRow ? { attribute: matchRow.target, value: byRow.get(matchRow)! } : null, members, findings };
}

/** Target ids of the members Entra links: provisioned users only; nested groups and others are skipped (§1.10). */
function memberTargetIds(members: readonly string[], provisioned: ProvisionedLookup): string[] {
  // A Set keeps this linear: an all-employees group has as many members as the tenant has users.
  const ids = new Set<string>();
  for (const member of members) {
    const targetId = provisioned.get(member);
    if (targetId !== undefined) ids.add(targetId);
  }
  return [...ids];
}

/** The match query of a group the target holds: its matching attribute as the target has it. */
function heldMatch(compiled: CompiledGroupMapping, held: HeldGroup): GroupMatch | null {
  for (const row of compiled.matching) {
    const value = readValue(held.resource, row.path);
    if (typeof value === 'string' && value !== '') return { attribute: row.target, value };
  }
  return null;
}

function withMembers(resource: JsonObject, members: readonly string[]): JsonObject {
  return { ...resource, members: members.map((value) => ({ value })) };
}

/** The id the preview shows for a group the target does not hold yet. */
export function placeholderGroupId(source: SourceObject): string {
  return `{id:${String(source.displayName ?? source.objectId ?? 'group')}}`;
}

/** A decision with nothing evaluated and nothing to send, plus the fields given. */
function decided(action: GroupAction, fields: Partial<Omit<GroupDecision, 'action'>> = {}): GroupDecision {
  return { action, values: [], match: null, members: [], post: null, operations: [], addMembers: [], removeMembers: [], memberOperations: [], target: null, findings: [], ...fields };
}

/** Out of scope or gone from the directory: DELETE /Groups/{id} when Delete is a target action (§1.10). */
function leave(compiled: CompiledGroupMapping, held: HeldGroup, reason: string): GroupDecision {
  if (!compiled.actions.delete) return decided('none', { reason: `${reason}; the Delete target action is off`, target: held.resource });
  return decided('delete', { reason, match: heldMatch(compiled, held) });
}

/** Why the group mapping's scoping filter leaves a group out, or null when it is in scope (§1.4). */
export function outOfScopeReason(compiled: CompiledGroupMapping, source: SourceObject): string | null {
  return compiled.scope.inScope(source) ? null : (compiled.scope.explain(source) ?? 'outside the scoping filter');
}

/** Entra's decision for one group in this cycle. */
export function decideGroup(compiled: CompiledGroupMapping, input: GroupDecisionInput): GroupDecision {
  const { source, held } = input;
  if (!source) return held ? leave(compiled, held, 'deleted in Entra (no longer in the directory)') : decided('skip', { reason: 'not in the directory and never provisioned' });
  const outside = outOfScopeReason(compiled, source);
  if (outside !== null) return held ? leave(compiled, held, outside) : decided('skip', { reason: outside });
  const evaluation = evaluateGroup(compiled, source);
  if (evaluation.findings.length > 0) {
    // A failing expression stops the group, as it stops a user: nothing is sent with a value missing.
    return decided('error', { reason: 'a group mapping failed to evaluate', target: held?.resource ?? null, findings: evaluation.findings });
  }
  const members = memberTargetIds(evaluation.members, input.provisionedUsers);
  const evaluated = { values: evaluation.values, members };
  if (!held) {
    if (!evaluation.match) return decided('skip', { ...evaluated, reason: 'no value for any matching attribute' });
    if (!compiled.actions.create) return decided('skip', { ...evaluated, match: evaluation.match, reason: 'the Create target action is off' });
    const post = buildGroupPostBody(evaluation.values);
    return decided('create', {
      ...evaluated,
      match: evaluation.match,
      post,
      addMembers: members,
      memberOperations: memberOperations(compiled.dialect, members, []),
      target: withMembers(post, members),
    });
  }
  const linked = { ...evaluated, match: heldMatch(compiled, held), target: held.resource };
  if (!compiled.actions.update) return decided('none', { ...linked, reason: 'the Update target action is off' });
  const changes = diffAttributes(held.resource, evaluation.values);
  const operations = patchOperationsFor(changes, compiled.dialect);
  // Entra never reads members back (§1.10): the difference is against what it added before.
  const had = new Set(held.members);
  const wanted = new Set(members);
  const addMembers = members.filter((m) => !had.has(m));
  const removeMembers = held.members.filter((m) => !wanted.has(m));
  const memberOps = memberOperations(compiled.dialect, addMembers, removeMembers);
  if (operations.length === 0 && memberOps.length === 0) return decided('none', linked);
  return decided('update', { ...linked, operations, addMembers, removeMembers, memberOperations: memberOps, target: withMembers(applyChanges(held.resource, changes, 'Groups'), members) });
}

/** The attribute PATCH and then the member PATCH of a decision, sent to the group's target id. */
export function groupPatchRequests(decision: GroupDecision, targetId: string): RequestSpec[] {
  const specs: RequestSpec[] = [];
  if (decision.operations.length > 0) specs.push(patchRequest('Groups', targetId, decision.operations));
  if (decision.memberOperations.length > 0) specs.push(patchRequest('Groups', targetId, decision.memberOperations));
  return specs;
}

/** Every request of a decision in Entra's order: the match query, then POST, PATCHes or DELETE. */
export function groupRequests(decision: GroupDecision, targetId: string): RequestSpec[] {
  if (decision.action !== 'create' && decision.action !== 'update' && decision.action !== 'delete') return [];
  const specs: RequestSpec[] = [];
  if (decision.match) specs.push(matchQuery('Groups', decision.match.attribute, decision.match.value));
  if (decision.post) specs.push(postRequest('Groups', decision.post));
  specs.push(...groupPatchRequests(decision, targetId));
  if (decision.action === 'delete') specs.push(deleteRequest('Groups', targetId));
  return specs;
}
