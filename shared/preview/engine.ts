import { valueToString } from '../expressions/index.ts';
import type { ExprValue } from '../expressions/value.ts';
import type { SourceObject } from '../directory/source-object.ts';
import { renderRequest, type RenderedRequest, type RequestSpec } from '../scim/requests/render.ts';
import { readValue, type JsonObject, type JsonValue } from '../scim/requests/target-path.ts';
import {
  applyChanges,
  buildUserPostBody,
  deleteRequest,
  diffAttributes,
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
import type { MappedValue } from '../scim/requests/wire.ts';
import type { CompiledMappingSet, CompiledRow } from './compile.ts';
import type { Finding, PreviousState, PreviousTarget, UserAction, UserPreview } from './types.ts';

/**
 * The per-user half of the preview: which requests Entra sends for one source user given what the target
 * already holds (entra-scim.md §1.0 sequences S2–S7). Pure and synchronous, so worker threads run it as is.
 */

/** The id the target would assign; unknown before the POST, so the preview names it after the user. */
export function placeholderTargetId(source: SourceObject): string {
  const label = source.userPrincipalName ?? source.objectId ?? 'user';
  return `{id:${String(label)}}`;
}

export interface PreviewContext {
  readonly previous: PreviousState;
  /**
   * Target ids of the users that exist in the target after this cycle, by objectId: a manager is only linked
   * when the manager is provisioned too (entra-scim.md §1.7).
   */
  readonly provisioned: ReadonlyMap<string, string>;
  /** SkipOutOfScopeDeletions (entra-scim.md §1.9): users leaving scope are left alone */
  readonly skipOutOfScopeDeletions?: boolean;
}

/** Per-row counters that turn into "null or empty for many users" findings; mergeable across workers. */
export interface RowStats {
  evaluated: number;
  empty: number[];
}

export function newRowStats(rowCount: number): RowStats {
  return { evaluated: 0, empty: new Array<number>(rowCount).fill(0) };
}

export function mergeRowStats(into: RowStats, from: RowStats): void {
  into.evaluated += from.evaluated;
  for (let i = 0; i < from.empty.length; i++) into.empty[i] = (into.empty[i] ?? 0) + (from.empty[i] ?? 0);
}

type RowResult =
  | { kind: 'value'; value: MappedValue }
  | { kind: 'empty' }
  | { kind: 'ignore' }
  | { kind: 'error'; code: string; message: string; start: number; end: number };

const EMPTY: RowResult = Object.freeze({ kind: 'empty' });
const IGNORE: RowResult = Object.freeze({ kind: 'ignore' });

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
    case 'multi': {
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
 * Null and empty results are not sent (entra-scim.md §1.6 step 2: outbound provisioning drops them; the issue
 * asks for "nulls and empties dropped"). expressions.md §1.3 suggests an empty string may go out as "";
 * this preview follows entra-scim.md and counts empties so the "often empty" finding still surfaces them.
 */
function evaluateRow(row: CompiledRow, source: SourceObject): RowResult {
  if (row.program === null) return EMPTY;
  const result = row.program.evaluate(source);
  if (!result.ok) {
    const { code, message, start, end } = result.error;
    return { kind: 'error', code, message, start, end };
  }
  if (result.value.kind === 'ignore') return IGNORE;
  const mapped = toMapped(result.value);
  return mapped === null ? EMPTY : { kind: 'value', value: mapped };
}

function label(source: SourceObject): string | null {
  const upn = source.userPrincipalName;
  return typeof upn === 'string' ? upn : null;
}

function idOf(source: SourceObject): string {
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
}

function evaluateUser(
  compiled: CompiledMappingSet,
  source: SourceObject,
  mode: 'create' | 'update',
  stats: RowStats | null,
): Evaluation {
  const values: TargetValue[] = [];
  const byRow = new Map<CompiledRow, MappedValue>();
  let findings: Finding[] | null = null;
  let failed = false;
  let userNameMissing = true;
  let managerSourceId: string | null = null;
  if (stats) stats.evaluated++;
  for (const row of compiled.rows) {
    if (row.compileFailed) {
      failed = true;
      continue;
    }
    // "Only during object creation" rows are not evaluated for updates (expressions.md §1.2).
    if (mode === 'update' && row.createOnly) continue;
    const result = evaluateRow(row, source);
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
    if (result.kind === 'empty') {
      if (stats) stats.empty[row.index]!++;
      // "Default value if null" is applied only when the object is created (expressions.md §1.2).
      if (mode === 'create' && row.defaultValue !== null && row.defaultValue !== '') value = row.defaultValue;
    }
    if (value === null) continue;
    if (row.isUserName) userNameMissing = false;
    if (row.isManager) {
      managerSourceId = Array.isArray(value) ? ((value as readonly string[])[0] ?? null) : String(value);
      continue;
    }
    byRow.set(row, value);
    values.push({ path: row.path, info: row.info, value });
  }
  const matchValues: Array<{ row: CompiledRow; value: string }> = [];
  for (const row of compiled.matching) {
    const value = byRow.get(row);
    if (value === undefined) continue;
    matchValues.push({ row, value: Array.isArray(value) ? String((value as readonly string[])[0]) : String(value) });
  }
  return { values, matchValues, managerSourceId, findings, failed, userNameMissing };
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
    // IsSoftDeleted is true for every deprovisioning trigger (vendors-and-sources.md §5.2); the `active`
    // mapping then yields the disable value Entra sends (entra-scim.md §1.9).
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
  // No `active` mapping: the target "doesn't support soft delete", and the docs say Entra deletes instead
  // (entra-scim.md §1.9, a configuration-dependent point, §5 item 3); only when Delete is a target action.
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
  // "Entra can't perform filter queries on values containing special characters" (entra-scim.md §1.5).
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

  if (!previous) {
    if (evaluation.matchValues.length === 0) {
      (findings ??= []).push({
        severity: 'error',
        code: 'NO_MATCHING_VALUE',
        userId: idOf(source),
        message: 'The user has no value for any matching attribute, so Entra skips it (ImportSkipped).',
        fix: 'Give the user a value for the matching attribute, or add a second matching attribute.',
      });
      return resultFor(source, true, 'skip', null, [], findings, 'no value for any matching attribute (ImportSkipped)');
    }
    if (!compiled.actions.create) {
      return resultFor(source, true, 'skip', null, [], findings, 'the Create target action is off');
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
    let target = withId(targetId, body);
    if (managerTargetId !== undefined) {
      specs.push(patchRequest('Users', targetId, [managerOperation(compiled.dialect, { kind: 'add', targetId: managerTargetId })]));
      target = withManager(target, managerTargetId);
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
      return resultFor(source, true, 'error', null, render(compiled, specs), findings, 'userName has no value');
    }
    const action: UserAction = evaluation.failed ? 'error' : 'create';
    return resultFor(source, true, action, target, render(compiled, specs), findings, evaluation.failed ? 'a mapping failed to evaluate' : undefined);
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
      // Reference attributes are the exception to "nulls are never sent" (entra-scim.md §1.8).
      managerOperations.push(managerOperation(compiled.dialect, { kind: 'remove', previousTargetId: held }));
      target = withManager(target, undefined);
    }
  }
  if (operations.length === 0 && managerOperations.length === 0) {
    const action: UserAction = evaluation.failed ? 'error' : 'none';
    return resultFor(source, true, action, target, [], findings);
  }
  const specs: RequestSpec[] = [];
  const match = linkedMatchQuery(compiled, previous, evaluation);
  if (match) specs.push(match);
  if (operations.length > 0) specs.push(patchRequest('Users', previous.targetId, operations));
  if (managerOperations.length > 0) specs.push(patchRequest('Users', previous.targetId, managerOperations));
  const action: UserAction = evaluation.failed ? 'error' : 'update';
  return resultFor(source, true, action, target, render(compiled, specs), findings);
}

export type { JsonValue };
