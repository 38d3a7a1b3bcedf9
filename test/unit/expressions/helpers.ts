import { compileExpression, valueToJson, type EvalContext, type EvalResult, type JsonValue } from '../../../shared/expressions/index.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';

/** Compiles (failing the test on diagnostics errors) and evaluates once. */
export function run(expression: string, source: SourceObject = {}, context: EvalContext = {}): EvalResult {
  const compiled = compileExpression(expression);
  if (!compiled.ok) throw new Error(`${expression} did not compile: ${JSON.stringify(compiled.diagnostics)}`);
  return compiled.program.evaluate(source, context);
}

/** The value as the jsonl protocol prints it; throws on a runtime error. */
export function value(expression: string, source: SourceObject = {}, context: EvalContext = {}): JsonValue {
  const result = run(expression, source, context);
  if (!result.ok) throw new Error(`${expression} failed: ${result.error.code} ${result.error.message}`);
  return valueToJson(result.value);
}

/** The runtime error code, or a thrown error when the expression succeeds. */
export function runtimeError(expression: string, source: SourceObject = {}, context: EvalContext = {}): { code: string; start: number; end: number; message: string } {
  const result = run(expression, source, context);
  if (result.ok) throw new Error(`${expression} should fail but gave ${JSON.stringify(valueToJson(result.value))}`);
  return result.error;
}

export function rules(expression: string, source: SourceObject = {}, context: EvalContext = {}): readonly string[] {
  return run(expression, source, context).unverifiedRules;
}
