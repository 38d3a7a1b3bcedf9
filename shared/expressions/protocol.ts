/**
 * The `scim-planner eval --jsonl` protocol (the expression test vectors drive it): one JSON case in, one JSON answer
 * out. Pure, so the CLI and the vector tests share it.
 */
import type { SourceObject, SourceValue } from '../directory/source-object.ts';
import { compileExpression, type CompileResult, type Program } from './index.ts';
import { valueToJson, type JsonValue } from './render.ts';
import type { AppRoleAssignment, EvalContext } from './runtime.ts';

export interface ProtocolCase {
  id?: unknown;
  expression: string;
  source?: Record<string, unknown>;
  context?: {
    now?: string;
    defaultDomain?: string;
    existingValues?: string[];
    targetAttribute?: string;
    iifMode?: 'strict' | 'lenient';
    seed?: number;
  };
  schema?: string[];
}

export type ProtocolAnswer =
  | { id: unknown; ok: true; value: JsonValue; flow?: 'ignore'; unverifiedRules?: readonly string[]; warnings?: string[] }
  | { id: unknown; ok: false; error: { kind: 'parse' | 'validation' | 'runtime'; code: string; message: string; start: number; end: number } };

/** Compiles each distinct (expression, schema) once: vector files repeat expressions with new sources. */
export class ProgramCache {
  private readonly programs = new Map<string, CompileResult>();

  compile(expression: string, schema: readonly string[] | undefined): CompileResult {
    const key = schema ? `${expression}\u0000${schema.join('\u0000')}` : expression;
    let result = this.programs.get(key);
    if (!result) {
      result = compileExpression(expression, schema ? { schema } : {});
      if (this.programs.size > 10_000) this.programs.clear();
      this.programs.set(key, result);
    }
    return result;
  }
}

function isRole(value: unknown): value is AppRoleAssignment {
  return typeof value === 'object' && value !== null && typeof (value as AppRoleAssignment).value === 'string';
}

/** Splits a protocol source into the source object and the role assignments it carries (§7). */
export function toSourceAndContext(input: ProtocolCase): { source: SourceObject; context: EvalContext } {
  const source: Record<string, SourceValue> = {};
  const context: EvalContext = {};
  for (const [key, value] of Object.entries(input.source ?? {})) {
    if (key === 'appRoleAssignments' && Array.isArray(value) && value.every(isRole)) {
      context.appRoleAssignments = value.map((role) => ({ id: String(role.id ?? ''), value: role.value, displayName: String(role.displayName ?? role.value) }));
    } else source[key] = value as SourceValue;
  }
  const c = input.context ?? {};
  if (c.now !== undefined) {
    const now = new Date(c.now);
    if (Number.isNaN(now.getTime())) throw new Error(`context.now "${c.now}" is not an ISO date-time`);
    context.now = now;
  }
  if (c.defaultDomain !== undefined) context.defaultDomain = c.defaultDomain;
  if (c.existingValues !== undefined) context.existingValues = c.existingValues;
  if (c.targetAttribute !== undefined) context.targetAttribute = c.targetAttribute;
  if (c.iifMode !== undefined) context.iifMode = c.iifMode;
  if (c.seed !== undefined) context.seed = c.seed;
  return { source, context };
}

export function answerCase(input: ProtocolCase, cache: ProgramCache = new ProgramCache()): ProtocolAnswer {
  const id = input.id ?? null;
  if (typeof input.expression !== 'string') {
    return { id, ok: false, error: { kind: 'parse', code: 'BAD_INPUT', message: 'The case has no "expression" string', start: 0, end: 0 } };
  }
  const compiled = cache.compile(input.expression, input.schema);
  if (!compiled.ok) {
    const first = compiled.diagnostics.find((d) => d.severity === 'error')!;
    return { id, ok: false, error: { kind: first.kind, code: first.code, message: first.message, start: first.start, end: first.end } };
  }
  const { source, context } = toSourceAndContext(input);
  return answerProgram(id, compiled.program, source, context, compiled.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message));
}

function answerProgram(id: unknown, program: Program, source: SourceObject, context: EvalContext, warnings: string[]): ProtocolAnswer {
  const result = program.evaluate(source, context);
  if (!result.ok) return { id, ok: false, error: result.error };
  const answer: ProtocolAnswer = { id, ok: true, value: valueToJson(result.value) };
  if (result.value.kind === 'ignore') answer.flow = 'ignore';
  if (result.unverifiedRules.length > 0) answer.unverifiedRules = result.unverifiedRules;
  if (warnings.length > 0) answer.warnings = warnings;
  return answer;
}
