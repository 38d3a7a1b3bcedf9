import { valueToString } from '../expressions/index.ts';
import type { ExprValue } from '../expressions/value.ts';
import type { SourceObject } from '../directory/source-object.ts';
import { renderRequest, type RenderedRequest, type RequestSpec } from '../scim/requests/render.ts';
import { readValue, type JsonObject } from '../scim/requests/target-path.ts';
import {
  applyChanges,
  buildUserPostBody,
  deleteRequest,
  diffAttributes,
  ENTERPRISE_USER_SCHEMA,
  heldManagerId,
  managerOperation,
  matchQuery,
  patchOperationsFor,
  patchRequest,
  postRequest,
  withManager,
  type PatchOperation,
  type TargetValue,
} from '../scim/requests/user.ts';
import type { ComplexValue, MappedValue } from '../scim/requests/wire.ts';
import type { CompiledMappingSet, CompiledRow } from './compile.ts';
import type { Finding, PreviousState, PreviousTarget, UserAction, UserPreview } from './types.ts';

/**
 * The per-user half of the preview: which requests Entra sends for one source user given what the target already holds
 * (Microsoft Learn "How Application Provisioning works", "Incremental cycles"; Microsoft Learn "Develop a SCIM endpoint
 * for user provisioning", "User operations"). Pure and synchronous, so worker threads run it as is.
 */

/** The id the target would assign; unknown before the POST, so the preview names it after the user. */
function placeholderTargetId(source: SourceObject): string {
  const label = source.userPrincipalName ?? source.objectId ?? 'user';
  return `{id:${String(label)}}`;
}

/** A user's target id when the user exists in the target after the cycle: a Map, or the workers' packed pairs. */
export type ProvisionedLookup = Pick<ReadonlyMap<string, string>, 'get'>;

export interface PreviewContext {
  readonly previous: PreviousState;
  /**
   * Target ids of the users that exist in the target after this cycle, by objectId: a manager is only linked when the
   * manager is provisioned too (Microsoft Learn "How Application Provisioning works", step 6 of both cycles).
   */
  readonly provisioned: ProvisionedLookup;
  /**
   * SkipOutOfScopeDeletions (Microsoft Learn "Skip deletion of user accounts that go out of scope"): users leaving
   * scope are left alone
   */
  readonly skipOutOfScopeDeletions?: boolean;
}

/**
 * Per-row counters over the users evaluated: the "null or empty for many users" finding and the coverage chart
 * (per target attribute: value / empty string / null / error) read them; mergeable across workers.
 * `empty` counts null and empty-string results together (Entra sends neither); `blank` is the empty-string share.
 */
export interface RowStats {
  evaluated: number;
  empty: number[];
  blank: number[];
  values: number[];
  errors: number[];
  /**
   * Requests the vendor receives, by HTTP method, over every user the pass recorded (leavers too): the first cycle's
   * forecast reads them, so a report counts a million users' requests without previewing any of them again.
   */
  requests: Record<string, number>;
}

export function newRowStats(rowCount: number): RowStats {
  const zeros = () => new Array<number>(rowCount).fill(0);
  return { evaluated: 0, empty: zeros(), blank: zeros(), values: zeros(), errors: zeros(), requests: {} };
}

export function mergeRowStats(into: RowStats, from: RowStats): void {
  into.evaluated += from.evaluated;
  for (const key of ['empty', 'blank', 'values', 'errors'] as const) {
    const target = into[key];
    const source = from[key];
    for (let i = 0; i < source.length; i++) target[i] = (target[i] ?? 0) + (source[i] ?? 0);
  }
  for (const [method, count] of Object.entries(from.requests)) into.requests[method] = (into.requests[method] ?? 0) + count;
}

/** Counts a recorded user's requests into `stats.requests` (every user a pass keeps, leavers included). */
export function countRequests(stats: RowStats, preview: Pick<UserPreview, 'requests'>): void {
  for (const request of preview.requests) stats.requests[request.method] = (stats.requests[request.method] ?? 0) + 1;
}

export type RowResult =
  | { kind: 'value'; value: MappedValue }
  /** null, or the empty string when `blank` */
  | { kind: 'empty'; blank: boolean }
  | { kind: 'ignore' }
  | { kind: 'error'; code: string; message: string; start: number; end: number };

const EMPTY: RowResult = Object.freeze({ kind: 'empty', blank: false });
const BLANK: RowResult = Object.freeze({ kind: 'empty', blank: true });
const IGNORE: RowResult = Object.freeze({ kind: 'ignore' });

function complexOf(value: ExprValue): ComplexValue | null {
  return value.kind === 'complex' ? value.fields : null;
}

function toMapped(value: ExprValue): MappedValue | null {
  switch (value.kind) {
    case 'null':
    case 'ignore':
      return null;
    case 'string':
      return value.value === '' ? null : value.value;
    case 'boolean':
      return value.value;
    case 'number':
      return value.value;
    case 'complex':
      return [value.fields];
    case 'multi': {
      // Complex elements (AppRoleAssignmentsComplex roles) stay objects: `roles` is multi-valued complex.
      if (value.values.some((item) => item.kind === 'complex')) {
        const complex = value.values.map(complexOf).filter((item): item is ComplexValue => item !== null);
        return complex.length === 0 ? null : complex;
      }
      const strings: string[] = [];
      for (const item of value.values) {
        if (item.kind === 'null' || item.kind === 'ignore') continue;
        const text = valueToString(item);
        if (text !== null && text !== '') strings.push(text);
      }
      return strings.length === 0 ? null : strings;
    }
    default:
      return valueToString(value);
  }
}

/**
 * Null and empty results are not sent (Microsoft Learn "Known issues for provisioning in Microsoft Entra ID", "Null
 * attribute can't be provisioned"; the issue asks for "nulls and empties dropped"). Microsoft Learn "Reference for
 * writing expressions for attribute mappings" (IgnoreFlowIfNullOrEmpty) suggests an empty string may go out as ""; this
 * preview drops it and counts empties so the "often empty" finding still surfaces them.
 */
export function evaluateRow(row: CompiledRow, source: SourceObject, sink?: { unverified: Set<string> | null }): RowResult {
  if (row.program === null) return EMPTY;
  const result = row.program.evaluate(source, row.context);
  if (sink && result.unverifiedRules.length > 0) for (const rule of result.unverifiedRules) (sink.unverified ??= new Set()).add(rule);
  if (!result.ok) {
    const { code, message, start, end } = result.error;
    return { kind: 'error', code, message, start, end };
  }
  if (result.value.kind === 'ignore') return IGNORE;
  if (result.value.kind === 'string' && result.value.value === '') return BLANK;
  const mapped = toMapped(result.value);
  return mapped === null ? EMPTY : { kind: 'value', value: mapped };
}

function label(source: SourceObject): string | null {
  const upn = source.userPrincipalName;
  return typeof upn === 'string' ? upn : null;
}

export function idOf(source: SourceObject): string {
  return String(source.objectId ?? '');
}

interface Evaluation {
  values: TargetValue[];
  /** matching row → value, in precedence order */
  matchValues: Array<{ row: CompiledRow; value: string }>;
  managerSourceId: string | null;
  findings: Finding[] | null;
  failed: boolean;
  userNameMissing: boolean;
  /** unverified rules (shared/expressions/fidelity.ts) the user's values depend on (null when none) */
  unverified: Set<string> | null;
}

function evaluateUser(
  compiled: CompiledMappingSet,
  source: SourceObject,
  mode: 'create' | 'update',
  stats: RowStats | null,
): Evaluation {
  const values: TargetValue[] = [];
  // Each row's value by row index, for the matching rows below (a Map per user was a tenth of the pass's allocations).
  const byRow: Array<MappedValue | undefined> = new Array(compiled.rows.length);
  let findings: Finding[] | null = null;
  let failed = false;
  let userNameMissing = true;
  let managerSourceId: string | null = null;
  const sink: { unverified: Set<string> | null } = { unverified: null };
  if (stats) stats.evaluated++;
  for (const row of compiled.rows) {
    if (row.compileFailed) {
      failed = true;
      if (stats) stats.errors[row.index]!++;
      continue;
    }
    // "Only during object creation" rows are not evaluated for updates (Microsoft Learn "Customize user provisioning
    // attribute-mappings": the "Apply this mapping" property).
    if (mode === 'update' && row.createOnly) continue;
    const result = evaluateRow(row, source, sink);
    if (stats) {
      // A manager value is sent only when the manager is provisioned too: previewUser counts it once that is known.
      if (result.kind === 'value') {
        if (!row.isManager) stats.values[row.index]!++;
      }
      else if (result.kind === 'error') stats.errors[row.index]!++;
      else if (result.kind === 'empty' && result.blank) stats.blank[row.index]!++;
    }
    if (result.kind === 'error') {
      failed = true;
      (findings ??= []).push({
        severity: 'error',
        code: 'EXPRESSION_RUNTIME_ERROR',
        attribute: row.target,
        userId: idOf(source),
        message: `${row.target}: ${result.message} (${result.code})`,
        ...(row.expression ? { source: { expression: row.expression, start: result.start, end: result.end } } : {}),
      });
      continue;
    }
    let value: MappedValue | null = result.kind === 'value' ? result.value : null;
    // IgnoreFlowIfNullOrEmpty's marker sends nothing, like null: it counts as empty for the findings and coverage.
    if (result.kind === 'ignore' && stats) stats.empty[row.index]!++;
    if (result.kind === 'empty') {
      if (stats) stats.empty[row.index]!++;
      // "Default value if null" is applied only when the object is created (Microsoft Learn "Customize user
      // provisioning attribute-mappings": the "Default value if null" property).
      if (mode === 'create' && row.defaultValue !== null && row.defaultValue !== '') value = row.defaultValue;
    }
    if (value === null) continue;
    if (row.isUserName) userNameMissing = false;
    if (row.isManager) {
      managerSourceId = Array.isArray(value) ? ((value as readonly string[])[0] ?? null) : String(value);
      continue;
    }
    byRow[row.index] = value;
    values.push({ path: row.path, info: row.info, value });
  }
  const matchValues: Array<{ row: CompiledRow; value: string }> = [];
  for (const row of compiled.matching) {
    const value = byRow[row.index];
    if (value === undefined) continue;
    matchValues.push({ row, value: Array.isArray(value) ? String((value as readonly string[])[0]) : String(value) });
  }
  return { values, matchValues, managerSourceId, findings, failed, userNameMissing, unverified: sink.unverified };
}

function render(compiled: CompiledMappingSet, specs: readonly RequestSpec[]): RenderedRequest[] {
  const options = compiled.baseUrl ? { baseUrl: compiled.baseUrl } : {};
  return specs.map((spec) => renderRequest(spec, options));
}

function resultFor(
  source: SourceObject,
  inScope: boolean,
  action: UserAction,
  target: JsonObject | null,
  requests: RenderedRequest[],
  findings: Finding[] | null,
  reason?: string,
): UserPreview {
  const preview: UserPreview = {
    id: idOf(source),
    userPrincipalName: label(source),
    inScope,
    action,
    target,
    requests,
    findings: findings ?? [],
  };
  if (reason !== undefined) preview.reason = reason;
  return preview;
}

function withId(targetId: string, body: JsonObject): JsonObject {
  return { id: targetId, ...body };
}

/** The resource the vendor holds after the POST (and the manager PATCH): the body with its id and manager. */
function createdTarget(targetId: string, body: JsonObject, managerTargetId: string | undefined): JsonObject {
  if (managerTargetId === undefined) return withId(targetId, body);
  const extension = body[ENTERPRISE_USER_SCHEMA];
  const held = extension && typeof extension === 'object' && !Array.isArray(extension) ? extension : {};
  return { id: targetId, ...body, [ENTERPRISE_USER_SCHEMA]: { ...held, manager: { value: managerTargetId } } };
}

/** The reason a user is not provisioned, or null when the user is in scope and enabled. */
function deprovisionReason(compiled: CompiledMappingSet, source: SourceObject): { reason: string; inScope: boolean } | null {
  if (!compiled.scope.inScope(source)) return { reason: compiled.scope.explain(source) ?? 'outside the scoping filter', inScope: false };
  if (source.accountEnabled === false) return { reason: 'disabled in Entra (accountEnabled is false)', inScope: true };
  if (source.IsSoftDeleted === true) return { reason: 'soft-deleted or unassigned in Entra (IsSoftDeleted)', inScope: true };
  return null;
}

/** Whether a user will exist in the target after this cycle, and under which id (for manager links). */
export function provisionedTargetId(compiled: CompiledMappingSet, source: SourceObject, previous: PreviousTarget | undefined): string | undefined {
  if (!compiled.usable) return undefined;
  if (previous) return previous.targetId;
  if (!compiled.actions.create || deprovisionReason(compiled, source) !== null) return undefined;
  return placeholderTargetId(source);
}

/** The match query against the linked object: its matching value as the target holds it (S3/S4). */
function linkedMatchQuery(compiled: CompiledMappingSet, previous: PreviousTarget, evaluation: Evaluation | null): RequestSpec | null {
  for (const row of compiled.matching) {
    const held = readValue(previous.resource, row.path);
    if (typeof held === 'string' && held !== '') return matchQuery('Users', row.target, held);
  }
  const first = evaluation?.matchValues[0];
  return first ? matchQuery('Users', first.row.target, first.value) : null;
}

function deprovision(
  compiled: CompiledMappingSet,
  source: SourceObject,
  previous: PreviousTarget,
  inScope: boolean,
  reason: string,
  context: PreviewContext,
): UserPreview {
  if (!inScope && context.skipOutOfScopeDeletions) {
    return resultFor(source, inScope, 'none', previous.resource, [], null, `${reason}; SkipOutOfScopeDeletions keeps the account as it is`);
  }
  const match = linkedMatchQuery(compiled, previous, null);
  const activeRow = compiled.activeRow;
  if (activeRow && !activeRow.compileFailed) {
    // IsSoftDeleted is true for every deprovisioning trigger (Microsoft Learn "How Application Provisioning works",
    // "Deprovisioning"); the `active` mapping then yields the disable value Entra sends (Microsoft Learn "Develop a
    // SCIM endpoint for user provisioning", "Disable User").
    const softDeleted: SourceObject = { ...source, IsSoftDeleted: true };
    const result = evaluateRow(activeRow, softDeleted);
    if (result.kind === 'error') {
      const finding: Finding = {
        severity: 'error', code: 'EXPRESSION_RUNTIME_ERROR', attribute: activeRow.target, userId: idOf(source),
        message: `${activeRow.target}: ${result.message} (${result.code})`,
      };
      return resultFor(source, inScope, 'error', previous.resource, [], [finding], reason);
    }
    if (result.kind !== 'value') return resultFor(source, inScope, 'none', previous.resource, [], null, `${reason}; the active mapping yields no value`);
    const changes = diffAttributes(previous.resource, [{ path: activeRow.path, info: activeRow.info, value: result.value }]);
    if (changes.length === 0) return resultFor(source, inScope, 'none', previous.resource, [], null, `${reason}; already inactive in the target`);
    const operations = patchOperationsFor(changes, compiled.dialect);
    const specs: RequestSpec[] = [];
    if (match) specs.push(match);
    specs.push(patchRequest('Users', previous.targetId, operations));
    return resultFor(source, inScope, 'deactivate', applyChanges(previous.resource, changes), render(compiled, specs), null, reason);
  }
  // No `active` mapping: the target "doesn't support soft delete", and the docs say Entra deletes instead (Microsoft
  // Learn "How Application Provisioning works", "Deprovisioning": it depends on the app); only when Delete is a target
  // action.
  if (!compiled.actions.delete) {
    return resultFor(source, inScope, 'none', previous.resource, [], null, `${reason}; no active mapping and the Delete target action is off`);
  }
  const specs: RequestSpec[] = [];
  if (match) specs.push(match);
  specs.push(deleteRequest('Users', previous.targetId));
  return resultFor(source, inScope, 'delete', null, render(compiled, specs), null, `${reason}; no active mapping, so the user is deleted`);
}

/** A user that was provisioned before and no longer appears in the directory: in the recycle bin (S5). */
export function previewLeaver(compiled: CompiledMappingSet, previous: PreviousTarget, context: PreviewContext): UserPreview {
  return deprovision(compiled, previous.source, previous, true, 'deleted in Entra (no longer in the directory)', context);
}

function specialCharacterFinding(source: SourceObject, row: CompiledRow, value: string): Finding | null {
  // "Entra can't perform filter queries on values containing special characters" (Microsoft Learn "Known issues for
  // provisioning in Microsoft Entra ID", "Special characters are not supported on joining properties").
  if (!/["\\'&#%+]/.test(value)) return null;
  return {
    severity: 'warning',
    code: 'MATCHING_VALUE_SPECIAL_CHARACTERS',
    attribute: row.target,
    userId: idOf(source),
    message: `The matching value "${value}" contains characters Entra cannot filter on; the match query may fail for this user.`,
    fix: 'Match on an attribute without quotes, apostrophes or similar characters (for example objectId → externalId).',
  };
}

function withRules(preview: UserPreview, evaluation: Evaluation): UserPreview {
  if (evaluation.unverified) preview.unverifiedRules = [...evaluation.unverified];
  return preview;
}

export function previewUser(
  compiled: CompiledMappingSet,
  source: SourceObject,
  context: PreviewContext,
  stats: RowStats | null = null,
): UserPreview {
  const previous = context.previous.get(idOf(source));
  if (!compiled.usable) {
    return resultFor(source, false, 'error', previous?.resource ?? null, [], null, 'the mapping set has no user mapping');
  }
  const out = deprovisionReason(compiled, source);
  if (out) {
    if (previous) return deprovision(compiled, source, previous, out.inScope, out.reason, context);
    const reason = source.accountEnabled === false && out.inScope
      ? `${out.reason}: provisioning a disabled user is not supported, so it is not created`
      : out.reason;
    return resultFor(source, out.inScope, 'skip', null, [], null, reason);
  }

  const mode = previous ? 'update' : 'create';
  const evaluation = evaluateUser(compiled, source, mode, stats);
  let findings = evaluation.findings;
  const managerTargetId = evaluation.managerSourceId === null ? undefined : context.provisioned.get(evaluation.managerSourceId);
  if (stats && compiled.managerRow && evaluation.managerSourceId !== null) {
    // Coverage counts what the vendor receives: an unprovisioned manager's link is never sent (MANAGER_NOT_PROVISIONED).
    if (managerTargetId !== undefined) stats.values[compiled.managerRow.index]!++;
    else stats.empty[compiled.managerRow.index]!++;
  }

  if (!previous) {
    if (evaluation.matchValues.length === 0) {
      (findings ??= []).push({
        severity: 'error',
        code: 'NO_MATCHING_VALUE',
        userId: idOf(source),
        message: 'The user has no value for any matching attribute, so Entra skips it (ImportSkipped).',
        fix: 'Give the user a value for the matching attribute, or add a second matching attribute.',
      });
      return withRules(resultFor(source, true, 'skip', null, [], findings, 'no value for any matching attribute (ImportSkipped)'), evaluation);
    }
    if (!compiled.actions.create) {
      return withRules(resultFor(source, true, 'skip', null, [], findings, 'the Create target action is off'), evaluation);
    }
    const specs: RequestSpec[] = [];
    for (const { row, value } of evaluation.matchValues) {
      const finding = specialCharacterFinding(source, row, value);
      if (finding) (findings ??= []).push(finding);
      // The target is empty, so every matching attribute is tried in turn before the create (S2).
      specs.push(matchQuery('Users', row.target, value));
    }
    const body = buildUserPostBody(evaluation.values);
    specs.push(postRequest('Users', body));
    const targetId = placeholderTargetId(source);
    // The target shares the POST body's values: one new top level (and extension, for the manager link).
    const target = createdTarget(targetId, body, managerTargetId);
    if (managerTargetId !== undefined) {
      specs.push(patchRequest('Users', targetId, [managerOperation(compiled.dialect, { kind: 'add', targetId: managerTargetId })]));
    } else if (evaluation.managerSourceId !== null && compiled.managerRow) {
      (findings ??= []).push({
        severity: 'warning',
        code: 'MANAGER_NOT_PROVISIONED',
        attribute: compiled.managerRow.target,
        userId: idOf(source),
        message: 'The manager is not provisioned (out of scope or disabled), so the manager link is not set, and Entra does not fix it later without a restart.',
        fix: 'Bring the manager into scope before the first cycle.',
      });
    }
    if (evaluation.userNameMissing) {
      (findings ??= []).push({
        severity: 'error',
        code: 'USERNAME_MISSING',
        attribute: 'userName',
        userId: idOf(source),
        message: 'userName, a required SCIM core attribute, has no value for this user; the create would fail.',
        fix: 'Make sure the userName mapping produces a value for every user.',
      });
      return withRules(resultFor(source, true, 'error', null, render(compiled, specs), findings, 'userName has no value'), evaluation);
    }
    const action: UserAction = evaluation.failed ? 'error' : 'create';
    return withRules(resultFor(source, true, action, target, render(compiled, specs), findings, evaluation.failed ? 'a mapping failed to evaluate' : undefined), evaluation);
  }

  // Linked user (S3/S4): PATCH only what differs from what the target holds.
  const changes = compiled.actions.update ? diffAttributes(previous.resource, evaluation.values) : [];
  const operations: PatchOperation[] = patchOperationsFor(changes, compiled.dialect);
  let target = applyChanges(previous.resource, changes);
  const managerOperations: PatchOperation[] = [];
  if (compiled.managerRow && compiled.actions.update) {
    const held = heldManagerId(previous.resource);
    if (managerTargetId !== undefined && managerTargetId !== held) {
      managerOperations.push(managerOperation(compiled.dialect, { kind: held === undefined ? 'add' : 'replace', targetId: managerTargetId }));
      target = withManager(target, managerTargetId);
    } else if (evaluation.managerSourceId === null && held !== undefined) {
      // Reference attributes are the exception to "nulls are never sent" (Microsoft Learn "Develop a SCIM endpoint for
      // user provisioning", "Update User [Single-valued properties]": manager removal).
      managerOperations.push(managerOperation(compiled.dialect, { kind: 'remove', previousTargetId: held }));
      target = withManager(target, undefined);
    }
  }
  if (operations.length === 0 && managerOperations.length === 0) {
    const action: UserAction = evaluation.failed ? 'error' : 'none';
    return withRules(resultFor(source, true, action, target, [], findings), evaluation);
  }
  const specs: RequestSpec[] = [];
  const match = linkedMatchQuery(compiled, previous, evaluation);
  if (match) specs.push(match);
  if (operations.length > 0) specs.push(patchRequest('Users', previous.targetId, operations));
  if (managerOperations.length > 0) specs.push(patchRequest('Users', previous.targetId, managerOperations));
  const action: UserAction = evaluation.failed ? 'error' : 'update';
  return withRules(resultFor(source, true, action, target, render(compiled, specs), findings), evaluation);
}

