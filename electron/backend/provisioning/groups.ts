/**
 * The group half of a cycle (entra-scim.md §1.10, sequences S8–S11): the group object mapping compiled once,
 * evaluated per group into target values that the shared request builder turns into the match query, the
 * POST (never with members) and the rename PATCH. Members are linked separately with the users' target ids.
 */
import { compileExpression, valueToString } from '../../../shared/expressions/index.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { findObjectMapping, matchingPriorityOf, objectActionsOf, sourceExpressionOf, type MappingSet, type ObjectActions } from '../../../shared/mapping/model.ts';
import { parseTargetPath } from '../../../shared/scim/requests/target-path.ts';
import type { TargetValue } from '../../../shared/scim/requests/user.ts';
import { STRING_ATTRIBUTE } from '../../../shared/scim/requests/wire.ts';

type Program = Extract<ReturnType<typeof compileExpression>, { ok: true }>['program'];

interface GroupRow {
  target: string;
  program: Program | null;
  matchingPriority: number;
}

export interface CompiledGroupMapping {
  rows: GroupRow[];
  /** the matching row (displayName by default, §1.5) */
  matching: GroupRow | undefined;
  actions: ObjectActions;
}

/** The enabled group mapping of a set, or null when groups are not provisioned (disabled or absent). */
export function compileGroupMapping(set: MappingSet): CompiledGroupMapping | null {
  const located = findObjectMapping(set, 'Group');
  if (!located || located.objectMapping.enabled === false) return null;
  const rows: GroupRow[] = [];
  for (const mapping of located.objectMapping.attributeMappings) {
    // members are never part of the group POST; they follow as PATCHes with target ids (§1.10)
    if (mapping.targetAttributeName.toLowerCase() === 'members') continue;
    const expression = sourceExpressionOf(mapping);
    const compiled = expression === null ? null : compileExpression(expression);
    rows.push({
      target: mapping.targetAttributeName,
      program: compiled && compiled.ok ? compiled.program : null,
      matchingPriority: matchingPriorityOf(mapping),
    });
  }
  const matching = rows.filter((r) => r.matchingPriority > 0).sort((a, b) => a.matchingPriority - b.matchingPriority)[0];
  return { rows, matching, actions: objectActionsOf(located.objectMapping) };
}

export interface GroupEvaluation {
  values: TargetValue[];
  matchValue: string | null;
}

/** Evaluates the group rows; empty results are dropped like user values (§1.6 step 2). */
export function evaluateGroup(mapping: CompiledGroupMapping, source: SourceObject): GroupEvaluation {
  const values: TargetValue[] = [];
  let matchValue: string | null = null;
  for (const row of mapping.rows) {
    if (!row.program) continue;
    const result = row.program.evaluate(source);
    if (!result.ok || result.value.kind === 'null' || result.value.kind === 'ignore') continue;
    const text = valueToString(result.value);
    if (text === null || text === '') continue;
    values.push({ path: parseTargetPath(row.target), info: STRING_ATTRIBUTE, value: text });
    if (row === mapping.matching) matchValue = text;
  }
  return { values, matchValue };
}
