/**
 * The Entra provisioning expression engine (Microsoft Learn "Reference for writing expressions for attribute
 * mappings"): tokenize → parse → check → compile → evaluate. compileExpression runs the first four once per mapping;
 * Program.evaluate runs per user.
 */
import { walk } from './ast.ts';
import { check, type CheckOptions } from './checker.ts';
import { compileNode } from './compiler.ts';
import { EvalError, ParseError, type Diagnostic, type RuntimeError } from './diagnostics.ts';
import type { UnverifiedRule } from './fidelity.ts';
import { parse } from './parser.ts';
import type { Env, EvalContext } from './runtime.ts';
import type { SourceObject } from '../directory/source-object.ts';
import type { ExprValue } from './value.ts';

export type { Diagnostic, RuntimeError } from './diagnostics.ts';
export type { AppRoleAssignment, EvalContext } from './runtime.ts';
export type { ExprValue } from './value.ts';
export type { FunctionExample, FunctionInfo, ParamInfo, ParamType } from './catalogue.ts';
export { functionCatalogue } from './catalogue.ts';
export { UNVERIFIED_RULES, type UnverifiedRule } from './fidelity.ts';
export { MAX_EXPRESSION_LENGTH } from './checker.ts';
export { LIMITS } from './runtime.ts';
export { valueToJson, valueToString, type JsonValue } from './render.ts';

export interface CompileOptions extends CheckOptions {
  /** valid attribute names; when given, unknown [names] are validation errors */
  schema?: Iterable<string>;
}

export interface Program {
  readonly text: string;
  /** every [name] in the expression, in order of first use */
  readonly referencedAttributes: readonly string[];
  /** the expression contains Redact(): show the value as redacted in logs */
  readonly redacted: boolean;
  /** the result can differ between runs (Guid, RandomString, Now) */
  readonly nonDeterministic: boolean;
  evaluate(source: SourceObject, context?: EvalContext): EvalResult;
}

export type EvalResult =
  | { ok: true; value: ExprValue; unverifiedRules: readonly string[] }
  | { ok: false; error: RuntimeError; unverifiedRules: readonly string[] };

export type CompileResult = { ok: true; program: Program; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

const NO_CONTEXT: EvalContext = Object.freeze({});
const NO_RULES: readonly string[] = Object.freeze([]);

export function compileExpression(text: string, options: CompileOptions = {}): CompileResult {
  let parsed;
  try {
    parsed = parse(text);
  } catch (error) {
    if (error instanceof ParseError) {
      const diagnostics = [error.toDiagnostic()];
      if (text.length > 10_000) diagnostics.push(...check({ type: 'empty', start: 0, end: 0 }, text, [], {}).filter((d) => d.code === 'TOO_LONG'));
      return { ok: false, diagnostics };
    }
    throw error;
  }
  const diagnostics = check(parsed.root, text, parsed.lenientEscapes, options);
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };

  const staticRules = new Set<UnverifiedRule>();
  if (parsed.lenientEscapes.length > 0) staticRules.add('Lenient string escape');
  if (diagnostics.some((d) => d.code === 'FUNCTION_CASE')) staticRules.add('Function name casing');
  const attributes = new Set<string>();
  let redacted = false;
  let nonDeterministic = false;
  walk(parsed.root, (node) => {
    if (node.type === 'attribute') attributes.add(node.name);
    if (node.type === 'call') {
      const name = node.name.toLowerCase();
      if (name === 'redact') redacted = true;
      if (name === 'guid' || name === 'randomstring' || name === 'now') nonDeterministic = true;
    }
  });
  const root = compileNode(parsed.root)!.evaluate;
  const baseRules = [...staticRules];

  const program: Program = {
    text,
    referencedAttributes: [...attributes],
    redacted,
    nonDeterministic,
    evaluate(source: SourceObject, context: EvalContext = NO_CONTEXT): EvalResult {
      const env: Env = { source, context, steps: 0, flags: null, nowTicks: undefined, random: undefined, existing: undefined };
      try {
        const value = root(env);
        return { ok: true, value, unverifiedRules: rulesOf(env, baseRules) };
      } catch (error) {
        if (error instanceof EvalError) return { ok: false, error: error.toRuntimeError(), unverifiedRules: rulesOf(env, baseRules) };
        throw error;
      }
    },
  };
  return { ok: true, program, diagnostics };
}

function rulesOf(env: Env, base: readonly string[]): readonly string[] {
  if (!env.flags) return base.length === 0 ? NO_RULES : base;
  return base.length === 0 ? [...env.flags] : [...new Set([...base, ...env.flags])];
}
