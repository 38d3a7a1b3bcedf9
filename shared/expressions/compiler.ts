/**
 * AST → closures: compile once, evaluate per source object. Literals become constants, calls become
 * the catalogue's evaluators wrapped in the step and size budget, comparisons follow §3.5.
 */
import type { ComparisonOperator, Node } from './ast.ts';
import { FLOW_KEYWORDS, lookupFunction } from './catalogue.ts';
import { fromRoleAssignments, fromSource, isNullOrEmpty, parseNumber, textOf } from './coerce.ts';
import { parseDateText } from './datetime.ts';
import { EvalError } from './diagnostics.ts';
import { CallSite, LIMITS, flag, type CompiledArg, type Env, type Evaluator } from './runtime.ts';
import { IGNORE, booleanValue, numberValue, stringValue, type ExprValue } from './value.ts';

export function compileNode(node: Node): CompiledArg {
  switch (node.type) {
    case 'empty':
      return null;
    case 'string':
      return constant(node, stringValue(node.value));
    case 'number':
      // Graph keeps decimal literals as string constants (§1.4), so Len(42568.75) is 8; hex is Int64
      return constant(node, node.hex === undefined ? stringValue(node.text) : numberValue(BigInt.asIntN(64, node.hex)));
    case 'identifier':
      if (FLOW_KEYWORDS.includes(node.name)) {
        return {
          node,
          constant: undefined,
          evaluate: (env) => {
            flag(env, 'Undocumented flow keyword');
            return IGNORE;
          },
        };
      }
      return constant(node, stringValue(node.name));
    case 'attribute':
      return { node, constant: undefined, evaluate: attributeReader(node.name) };
    case 'comparison':
      return { node, constant: undefined, evaluate: comparison(node.operator, compileNode(node.left)!.evaluate, compileNode(node.right)!.evaluate) };
    case 'call': {
      const found = lookupFunction(node.name);
      if (!found) throw new Error(`compileNode: unknown function ${node.name} passed the checker`);
      const site = new CallSite(found.def.name, node.start, node.end, node.args);
      const inner = found.def.compile(node.args.map(compileNode), site);
      return { node, constant: undefined, evaluate: budgeted(inner, site) };
    }
  }
}

function constant(node: Node, value: ExprValue): CompiledArg {
  return { node, constant: value, evaluate: () => value };
}

function attributeReader(name: string): Evaluator {
  if (name === 'appRoleAssignments') {
    // §7: the user's role assignments come from the test context when it has them
    return (env) => (env.context.appRoleAssignments ? fromRoleAssignments(env.context.appRoleAssignments) : fromSource(env.source[name]));
  }
  return (env) => fromSource(env.source[name]);
}

function budgeted(inner: Evaluator, site: CallSite): Evaluator {
  return (env) => {
    if (++env.steps > LIMITS.maxSteps) throw new EvalError('STEP_BUDGET', `The evaluation took more than ${LIMITS.maxSteps} steps`, site.start, site.end);
    const value = inner(env);
    if (value.kind === 'string' && value.value.length > LIMITS.maxTextLength) {
      throw new EvalError('VALUE_TOO_LARGE', `${site.name} produced more than ${LIMITS.maxTextLength} characters`, site.start, site.end);
    }
    if (value.kind === 'multi' && value.values.length > LIMITS.maxValues) {
      throw new EvalError('VALUE_TOO_LARGE', `${site.name} produced more than ${LIMITS.maxValues} values`, site.start, site.end);
    }
    return value;
  };
}

const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;

function numericOf(value: ExprValue): { number: number; integer: bigint | undefined } | undefined {
  if (value.kind === 'number') {
    const v = value.value;
    return typeof v === 'bigint' ? { number: Number(v), integer: v } : { number: v, integer: Number.isInteger(v) ? BigInt(v) : undefined };
  }
  if (value.kind !== 'string') return undefined;
  const number = parseNumber(value.value);
  if (number === undefined) return undefined;
  return { number, integer: INTEGER_TEXT.test(value.value) ? BigInt(value.value.trim().replace(/^\+/, '')) : undefined };
}

/** -1, 0 or 1 by §3.5: numbers, then dates, then Booleans, then ordinal case-sensitive text. */
function order(a: ExprValue, b: ExprValue, env: Env): number {
  const x = numericOf(a);
  const y = x && numericOf(b);
  if (x && y) {
    if (x.integer !== undefined && y.integer !== undefined) return x.integer < y.integer ? -1 : x.integer > y.integer ? 1 : 0;
    return x.number < y.number ? -1 : x.number > y.number ? 1 : 0;
  }
  if (a.kind === 'datetime' || b.kind === 'datetime') {
    const ticks = (v: ExprValue): bigint | undefined => {
      if (v.kind === 'datetime') return v.ticks;
      const text = textOf(v, env);
      try {
        return text === null ? undefined : parseDateText(text);
      } catch {
        return undefined; // not a date: fall back to comparing text
      }
    };
    const ta = ticks(a);
    const tb = ticks(b);
    if (ta !== undefined && tb !== undefined) return ta < tb ? -1 : ta > tb ? 1 : 0;
  }
  if (a.kind === 'boolean' && b.kind === 'boolean') return Number(a.value) - Number(b.value);
  const ta = textOf(a, env) ?? '';
  const tb = textOf(b, env) ?? '';
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

function comparison(operator: ComparisonOperator, left: Evaluator, right: Evaluator): Evaluator {
  return (env) => {
    const a = left(env);
    const b = right(env);
    const aNull = a.kind === 'null' || a.kind === 'ignore';
    const bNull = b.kind === 'null' || b.kind === 'ignore';
    if (aNull || bNull) {
      // §3.5 [?]: outside IIF's own rule, null equals only "" (or null); ordering with null is false
      flag(env, 'Null comparison');
      const equal = isNullOrEmpty(a) && isNullOrEmpty(b);
      return booleanValue(operator === '=' ? equal : operator === '<>' ? !equal : false);
    }
    const c = order(a, b, env);
    switch (operator) {
      case '=':
        return booleanValue(c === 0);
      case '<>':
        return booleanValue(c !== 0);
      case '<':
        return booleanValue(c < 0);
      case '<=':
        return booleanValue(c <= 0);
      case '>':
        return booleanValue(c > 0);
      case '>=':
        return booleanValue(c >= 0);
    }
  };
}
