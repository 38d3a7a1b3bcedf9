/**
 * Save-time validation (Microsoft Learn "Reference for writing expressions for attribute mappings"; Microsoft Graph
 * "synchronizationSchema: parseExpression"): function names, arity, empty required arguments, attribute names against
 * the schema, the length limit and the function rules of §6. Messages say what is wrong in the admin's terms and carry
 * the span Monaco underlines.
 */
import type { CallNode, Node } from './ast.ts';
import { CLOUD_SYNC_ONLY, COMPARE_MODES, FLOW_KEYWORDS, functionCatalogue, lookupFunction } from './catalogue.ts';
import { closest, type Diagnostic } from './diagnostics.ts';
import type { FunctionDef, ParamInfo } from './functions/types.ts';
import type { LenientEscape } from './lexer.ts';

/** KI / FN-2026 / CAA: a mapping expression may have at most 10,000 characters. */
export const MAX_EXPRESSION_LENGTH = 10_000;

export interface CheckOptions {
  /** valid source attribute names; when given, unknown [names] are errors (case-sensitive, issue #58604) */
  schema?: Iterable<string>;
  /** the mapping this expression belongs to, for SelectUniqueValue's rules */
  mapping?: {
    /** Graph matchingPriority; > 0 means "Match objects using this attribute" */
    matchingPriority?: number;
    /** Graph flowType: Always, ObjectAddOnly ("Only during object creation") ... */
    flowType?: string;
  };
}

function paramAt(def: FunctionDef, index: number): ParamInfo | undefined {
  const { params } = def;
  if (index < params.length) return params[index];
  const firstRepeatable = params.findIndex((p) => p.repeatable);
  if (firstRepeatable < 0) return undefined;
  const period = params.length - firstRepeatable;
  return params[firstRepeatable + ((index - firstRepeatable) % period)];
}

function arityMessage(def: FunctionDef, count: number): string | undefined {
  if (def.arityError) return def.arityError(count);
  if (count >= def.minArgs && count <= def.maxArgs) return undefined;
  const plural = (n: number) => `${n} argument${n === 1 ? '' : 's'}`;
  if (def.minArgs === def.maxArgs) return `${def.name} takes ${def.minArgs === 0 ? 'no arguments' : `exactly ${plural(def.minArgs)}`}, got ${count}`;
  if (count < def.minArgs) return `${def.name} needs at least ${plural(def.minArgs)}, got ${count}`;
  return `${def.name} takes at most ${plural(def.maxArgs)}, got ${count}`;
}

export function check(root: Node, text: string, lenientEscapes: readonly LenientEscape[], options: CheckOptions = {}): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report = (d: Omit<Diagnostic, 'kind'> & { kind?: Diagnostic['kind'] }) => diagnostics.push({ kind: 'validation', ...d });
  const schema = options.schema ? new Set(options.schema) : undefined;
  const schemaByLower = schema ? new Map([...schema].map((name) => [name.toLowerCase(), name])) : undefined;

  if (text.length > MAX_EXPRESSION_LENGTH) {
    report({
      severity: 'error',
      code: 'TOO_LONG',
      message: `The expression has ${text.length.toLocaleString('en-US')} characters; Entra accepts at most ${MAX_EXPRESSION_LENGTH.toLocaleString('en-US')}`,
      start: MAX_EXPRESSION_LENGTH,
      end: text.length,
    });
  }
  for (const escape of lenientEscapes) {
    report({
      severity: 'warning',
      code: 'LENIENT_ESCAPE',
      message: `Only \\" and \\\\ are documented escapes; "\\${escape.char}" is kept as a backslash and "${escape.char}". Write "\\\\${escape.char}" to say so explicitly`,
      start: escape.start,
      end: escape.end,
      suggestion: `\\\\${escape.char}`,
    });
  }
  if (root.type === 'attribute' || root.type === 'string' || root.type === 'number') {
    report({ severity: 'info', code: 'TOP_LEVEL_VALUE', message: 'A bare value is a Direct or Constant mapping rather than an expression', start: root.start, end: root.end });
  } else if (root.type === 'comparison') {
    report({ severity: 'warning', code: 'TOP_LEVEL_COMPARISON', message: 'This comparison sends "True" or "False" to the target; did you mean IIF(condition, valueIfTrue, valueIfFalse)?', start: root.start, end: root.end });
  }

  const visit = (node: Node, parent: CallNode | null, argIndex: number) => {
    switch (node.type) {
      case 'call':
        checkCall(node, parent);
        node.args.forEach((arg, i) => visit(arg, node, i));
        return;
      case 'comparison':
        visit(node.left, parent, argIndex);
        visit(node.right, parent, argIndex);
        return;
      case 'attribute':
        checkAttribute(node);
        return;
      case 'identifier':
        checkIdentifier(node, parent, argIndex);
        return;
      default:
        return;
    }
  };

  const checkCall = (call: CallNode, parent: CallNode | null) => {
    const found = lookupFunction(call.name);
    const nameSpan = { start: call.start, end: call.nameEnd };
    if (!found) {
      const cloudSync = CLOUD_SYNC_ONLY.find((name) => name.toLowerCase() === call.name.toLowerCase());
      if (cloudSync) {
        report({ severity: 'error', code: 'UNKNOWN_FUNCTION', message: `${cloudSync} exists only in Cloud Sync / AAD Connect expressions, not in app provisioning`, ...nameSpan });
        return;
      }
      const suggestion = closest(call.name, functionCatalogue.map((f) => f.name));
      report({
        severity: 'error',
        code: 'UNKNOWN_FUNCTION',
        message: `Unknown function ${call.name}${suggestion ? `; did you mean ${suggestion}?` : ''}`,
        ...nameSpan,
        ...(suggestion ? { suggestion } : {}),
      });
      return;
    }
    const { def, exactCase } = found;
    if (!exactCase) {
      report({
        severity: 'warning',
        code: 'FUNCTION_CASE',
        message: `Function names are written ${def.name}; Entra's case rules for function names are unverified, so ${call.name} may be rejected`,
        ...nameSpan,
        suggestion: def.name,
      });
    }
    const arity = arityMessage(def, call.args.length);
    if (arity) {
      const suggestion = def.name === 'FormatDateTime' && call.args.length === 3 ? `${text.slice(call.start, call.args[0]!.end)}, , ${text.slice(call.args[1]!.start, call.end)}` : undefined;
      report({ severity: 'error', code: 'ARITY', message: arity, start: call.start, end: call.end, ...(suggestion ? { suggestion } : {}) });
    }
    call.args.forEach((arg, i) => {
      if (arg.type !== 'empty') return;
      const p = paramAt(def, i);
      if (p && !p.optional) {
        report({ severity: 'error', code: 'EMPTY_ARGUMENT', message: `${def.name}: ${p.name} is required but this argument is empty`, start: arg.start, end: arg.end });
      }
    });
    if (def.topLevelOnly && parent) {
      report({ severity: 'error', code: 'NOT_TOP_LEVEL', message: `${def.name} must be the outermost function of the expression`, ...nameSpan });
    }
    if (def.name === 'SelectUniqueValue' && options.mapping) {
      const { matchingPriority, flowType } = options.mapping;
      if (matchingPriority !== undefined && matchingPriority > 0) {
        report({ severity: 'error', code: 'SELECTUNIQUE_ON_MATCHING', message: 'SelectUniqueValue cannot be used on an attribute that matches objects (matching precedence)', ...nameSpan });
      }
      if (flowType !== undefined && flowType !== 'ObjectAddOnly') {
        report({ severity: 'error', code: 'SELECTUNIQUE_FLOW', message: 'SelectUniqueValue needs "Apply this mapping" set to "Only during object creation"', ...nameSpan });
      }
    }
    if (!arity) def.check?.(call, { report, parent });
  };

  const checkAttribute = (node: Extract<Node, { type: 'attribute' }>) => {
    if (!schema || schema.has(node.name)) return;
    const sameIgnoringCase = schemaByLower!.get(node.name.toLowerCase());
    const suggestion = sameIgnoringCase ?? closest(node.name, schema);
    report({
      severity: 'error',
      code: 'UNKNOWN_ATTRIBUTE',
      message: sameIgnoringCase
        ? `[${node.name}] is not in the source schema; attribute names are case-sensitive: did you mean [${sameIgnoringCase}]?`
        : `[${node.name}] is not in the source schema${suggestion ? `; did you mean [${suggestion}]?` : ''}`,
      start: node.start,
      end: node.end,
      ...(suggestion ? { suggestion: `[${suggestion}]` } : {}),
    });
  };

  const checkIdentifier = (node: Extract<Node, { type: 'identifier' }>, parent: CallNode | null, argIndex: number) => {
    if (FLOW_KEYWORDS.includes(node.name)) {
      report({ severity: 'warning', code: 'UNDOCUMENTED_KEYWORD', message: `${node.name} appears only in an AI-assisted Workday guide; the engine drops the attribute, but Entra may reject it`, start: node.start, end: node.end });
      return;
    }
    if (parent && lookupFunction(parent.name)?.def.name === 'InStr' && argIndex === 3) {
      if (COMPARE_MODES.includes(node.name)) return;
      const suggestion = closest(node.name, COMPARE_MODES);
      report({ severity: 'error', code: 'UNKNOWN_IDENTIFIER', message: `InStr compareType must be vbBinaryCompare or vbTextCompare, not ${node.name}`, start: node.start, end: node.end, ...(suggestion ? { suggestion } : {}) });
      return;
    }
    report({
      severity: 'error',
      code: 'UNKNOWN_IDENTIFIER',
      message: `${node.name} is not a value here: text goes in double quotes and attributes in brackets`,
      start: node.start,
      end: node.end,
      suggestion: JSON.stringify(node.name),
    });
  };

  visit(root, null, 0);
  return diagnostics;
}
