import type { CallNode, Node } from '../expressions/ast.ts';
import { lookupFunction } from '../expressions/catalogue.ts';
import { ParseError } from '../expressions/diagnostics.ts';
import { compileExpression, valueToString } from '../expressions/index.ts';
import { parse } from '../expressions/parser.ts';
import { quoteConstant } from '../mapping/model.ts';

/**
 * Rewrites of a mapping's expression that a one-click fix makes. Each reads the expression's syntax tree (the
 * engine's own parser), decides per value the expression can return what to change, and splices only those
 * spans, so the rest stays as the admin wrote it. A rewrite that would not compile is refused, never saved.
 */

export type Rewrite = { ok: true; expression: string; description: string } | { ok: false; reason: string };

/** Graph's date-time form (employeeHireDate, createdDateTime): the input format when a raw attribute is wrapped. */
export const GRAPH_DATE_TIME_FORMAT = 'yyyy-MM-ddTHH:mm:ssZ';
export const DATE_ONLY_FORMAT = 'yyyy-MM-dd';
/** How the engine writes a DateTime as text (CDate, DateAdd, Now): en-US general, "M/d/yyyy h:mm:ss tt". */
const ENGINE_DATE_TIME_FORMAT = 'M/d/yyyy h:mm:ss tt';

export function wrapInFormatDateTime(expression: string, inputFormat: string, outputFormat: string): string {
  // Microsoft Learn "Reference for writing expressions for attribute mappings", FormatDateTime: FormatDateTime(source,
  // dateTimeStyles, inputFormat, outputFormat), the 2nd argument left empty.
  return `FormatDateTime(${expression}, , ${quoteConstant(inputFormat)}, ${quoteConstant(outputFormat)})`;
}

interface Edit {
  start: number;
  end: number;
  text: string;
  /** what the edit does, in the admin's words */
  says: string;
}

/**
 * The arguments a function returns as its own value (the others only choose which): the places a value the target
 * receives can come from. Microsoft Learn "Reference for writing expressions for attribute mappings": IIF, Switch,
 * Coalesce, IgnoreFlowIfNullOrEmpty, Redact.
 */
function returnedArguments(call: CallNode): readonly Node[] | null {
  switch (call.name.toLowerCase()) {
    case 'iif':
      return call.args.slice(1, 3);
    case 'switch':
      // Switch(source, default, key1, value1, key2, value2, …)
      return call.args.filter((_, index) => index === 1 || (index >= 3 && index % 2 === 1));
    case 'coalesce':
      return call.args;
    case 'ignoreflowifnullorempty':
    case 'redact':
      return call.args.slice(0, 1);
    default:
      return null;
  }
}

/** A short form of a node for messages: `Join(…)`, `[mail]`, `"text"`. */
function shortForm(node: Node, text: string): string {
  if (node.type === 'call') return `${node.name}(…)`;
  return text.slice(node.start, node.end);
}

/** The constant as a date-only string, when it is a Graph date-time (the engine converts it, so nothing is guessed). */
function constantAsDate(value: string): string | null {
  const compiled = compileExpression(wrapInFormatDateTime(quoteConstant(value), GRAPH_DATE_TIME_FORMAT, DATE_ONLY_FORMAT));
  if (!compiled.ok) return null;
  const result = compiled.program.evaluate({});
  return result.ok ? valueToString(result.value) : null;
}

/**
 * Makes every value the expression can return a date as yyyy-MM-dd: an existing FormatDateTime gets its output
 * format replaced, a raw attribute or date-time function is wrapped in FormatDateTime, a constant date-time is
 * converted, and IIF, Switch and Coalesce are followed into their branches. A value of unknown format (Join(…),
 * Replace(…)) refuses the rewrite: converting it would be a guess.
 */
export function rewriteToDateOnly(expression: string): Rewrite {
  const before = compileExpression(expression);
  if (!before.ok) {
    const first = before.diagnostics.find((d) => d.severity === 'error');
    return { ok: false, reason: `the expression has an error to fix first (${first?.message ?? 'it does not compile'})` };
  }
  let root: Node;
  try {
    root = parse(expression).root;
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, reason: `the expression does not parse (${error.message})` };
    throw error;
  }
  const edits: Edit[] = [];
  const refusals: string[] = [];
  const visit = (node: Node): void => {
    if (node.type === 'call' && node.name.toLowerCase() === 'formatdatetime') {
      const output = node.args[3]!;
      if (output.type === 'string' && output.value === DATE_ONLY_FORMAT) return;
      const was = output.type === 'string' ? ` (was ${output.value})` : '';
      edits.push({ start: output.start, end: output.end, text: quoteConstant(DATE_ONLY_FORMAT), says: `Change the output format of FormatDateTime to ${DATE_ONLY_FORMAT}${was}` });
      return;
    }
    if (node.type === 'call') {
      const returned = returnedArguments(node);
      if (returned) {
        for (const argument of returned) visit(argument);
        return;
      }
      if (lookupFunction(node.name)?.def.returns === 'datetime') {
        const source = expression.slice(node.start, node.end);
        edits.push({ start: node.start, end: node.end, text: wrapInFormatDateTime(source, ENGINE_DATE_TIME_FORMAT, DATE_ONLY_FORMAT), says: `Wrap ${shortForm(node, expression)} in FormatDateTime(…, , "${ENGINE_DATE_TIME_FORMAT}", "${DATE_ONLY_FORMAT}")` });
        return;
      }
      refusals.push(`its value can come from ${shortForm(node, expression)}, whose date format the fix cannot know`);
      return;
    }
    if (node.type === 'attribute') {
      const source = expression.slice(node.start, node.end);
      edits.push({ start: node.start, end: node.end, text: wrapInFormatDateTime(source, GRAPH_DATE_TIME_FORMAT, DATE_ONLY_FORMAT), says: `Wrap ${source} in FormatDateTime(…, , "${GRAPH_DATE_TIME_FORMAT}", "${DATE_ONLY_FORMAT}")` });
      return;
    }
    if (node.type === 'string') {
      const date = node.value === '' ? null : constantAsDate(node.value);
      if (date !== null && date !== node.value) edits.push({ start: node.start, end: node.end, text: quoteConstant(date), says: `Change the constant "${node.value}" to "${date}"` });
    }
    // Empty arguments, numbers, bare words and comparisons return no date-time: nothing to convert.
  };
  visit(root);
  if (refusals.length > 0) return { ok: false, reason: refusals.join('; ') };
  if (edits.length === 0) return { ok: false, reason: `nothing in ${expression} returns a date-time the fix can convert` };
  const rewritten = spliceEdits(expression, edits);
  const after = compileExpression(rewritten);
  if (!after.ok) return { ok: false, reason: `the converted expression would not compile (${after.diagnostics[0]?.message ?? 'unknown error'})` };
  return { ok: true, expression: rewritten, description: edits.map((edit) => edit.says).join('; ') };
}

/** Replaces each edit's span, last first so earlier offsets stay valid (the spans never overlap: one per returned value). */
function spliceEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) out = `${out.slice(0, edit.start)}${edit.text}${out.slice(edit.end)}`;
  return out;
}
