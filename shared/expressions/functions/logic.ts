/**
 * Conditions, null tests and flow control (Microsoft Learn "Reference for writing expressions for attribute mappings":
 * IIF, IsNull, IsNullOrEmpty, IsPresent, Switch).
 */
import type { Node } from '../ast.ts';
import { booleanOf, fromRoleAssignments, fromSource, isNullOrEmpty, textOf } from '../coerce.ts';
import { flag, type Env, type Evaluator } from '../runtime.ts';
import { FALSE, IGNORE, NULL, TRUE, type ExprValue } from '../value.ts';
import { argEvaluator, param, strict, type FunctionDef } from './types.ts';

const NULL_TESTS = new Set(['isnull', 'isnullorempty', 'ispresent']);

function isCallTo(node: Node | undefined, names: Set<string> | string): node is Extract<Node, { type: 'call' }> {
  if (node?.type !== 'call') return false;
  const lower = node.name.toLowerCase();
  return typeof names === 'string' ? lower === names : names.has(lower);
}

/**
 * A sub-expression that already handles a missing value: the lenient IIF mode (§3.3) does not fail the
 * condition for attributes inside it. Switch with a "" key, Coalesce ending in a literal, and the
 * null tests themselves.
 */
function guardsNull(node: Node): boolean {
  if (node.type !== 'call') return false;
  const name = node.name.toLowerCase();
  if (NULL_TESTS.has(name)) return true;
  if (name === 'switch') return node.args.some((arg, i) => i >= 2 && i % 2 === 0 && arg.type === 'string' && arg.value === '');
  if (name === 'coalesce') {
    const last = node.args[node.args.length - 1];
    return last !== undefined && (last.type === 'string' || last.type === 'number');
  }
  return false;
}

/** The attributes an IIF condition depends on: all of them (strict) or the unguarded ones (lenient). */
function conditionAttributes(condition: Node, lenient: boolean): string[] {
  const names = new Set<string>();
  const visit = (node: Node) => {
    if (lenient && guardsNull(node)) return;
    if (node.type === 'attribute') names.add(node.name);
    else if (node.type === 'call') node.args.forEach(visit);
    else if (node.type === 'comparison') {
      visit(node.left);
      visit(node.right);
    }
  };
  visit(condition);
  return [...names];
}

function attributeIsNullOrEmpty(env: Env, name: string): boolean {
  if (name === 'appRoleAssignments' && env.context.appRoleAssignments) return isNullOrEmpty(fromRoleAssignments(env.context.appRoleAssignments));
  return isNullOrEmpty(fromSource(env.source[name]));
}

export const logicFunctions: FunctionDef[] = [
  {
    name: 'IIF',
    family: 'logic',
    description:
      'Returns valueIfTrue when the condition holds, otherwise valueIfFalse. Only the chosen branch is evaluated. There is no AND/OR: nest IIF instead. Entra fails the condition when an attribute it uses is null or empty, so guard such attributes with Switch([x], [x], "", "fallback").',
    params: [param('condition', 'boolean', 'a comparison or Boolean, e.g. [country]="USA"'), param('valueIfTrue', 'any', 'the result when the condition is true'), param('valueIfFalse', 'any', 'the result otherwise')],
    minArgs: 3,
    maxArgs: 3,
    returns: 'any',
    examples: [
      { expression: 'IIF([country]="USA", [country], [department])', source: { country: 'USA', department: 'Sales' }, result: 'USA' },
      { expression: 'IIF([country]="USA", "True", IIF([state]="CA", "True", "False"))', source: { country: 'CAN', state: 'CA' }, result: 'True' },
    ],
    documentedIn: 'FN',
    check(call, cx) {
      const condition = call.args[0];
      if (!condition || condition.type === 'empty') return;
      if (isCallTo(condition, 'ignoreflowifnullorempty')) {
        cx.report({
          severity: 'error',
          code: 'IGNOREFLOW_IN_CONDITION',
          message: 'IgnoreFlowIfNullOrEmpty is not a Boolean and cannot be the condition of IIF; wrap the whole IIF instead',
          start: condition.start,
          end: condition.end,
        });
        return;
      }
      const attributes = conditionAttributes(condition, false);
      if (attributes.length > 0) {
        const first = attributes[0]!;
        cx.report({
          severity: 'info',
          code: 'IIF_NULL_CONDITION',
          message: `Entra fails this IIF when ${attributes.map((a) => `[${a}]`).join(', ')} is null or empty; if that can happen, use Switch([${first}], [${first}], "", "fallback") first`,
          start: condition.start,
          end: condition.end,
        });
      }
    },
    compile: (args, call) => {
      const condition = argEvaluator(args[0]);
      const whenTrue = argEvaluator(args[1]);
      const whenFalse = argEvaluator(args[2]);
      const conditionNode = args[0]?.node;
      const strictAttributes = conditionNode ? conditionAttributes(conditionNode, false) : [];
      const lenientAttributes = conditionNode ? conditionAttributes(conditionNode, true) : [];
      return (env) => {
        const lenient = env.context.iifMode === 'lenient';
        const attributes = lenient ? lenientAttributes : strictAttributes;
        for (const name of attributes) {
          if (attributeIsNullOrEmpty(env, name)) {
            // FN known limitations: "if the source attribute used within the IIF function is empty or null, the condition check fails"
            flag(env, 'IIF null condition');
            call.fail('IIF_NULL_CONDITION', `IIF: the condition uses [${name}], which is null or empty, so Entra fails the condition check; guard it with Switch([${name}], [${name}], "", "fallback")`, 0);
          }
        }
        if (lenient && attributes.length < strictAttributes.length && strictAttributes.some((name) => attributeIsNullOrEmpty(env, name))) {
          flag(env, 'IIF null condition');
        }
        const value = condition(env);
        const truth = booleanOf(value, env);
        if (truth === undefined) {
          if (value.kind === 'null' || value.kind === 'ignore') {
            flag(env, 'IIF null condition');
            return whenFalse(env);
          }
          call.fail('NOT_A_BOOLEAN', `IIF: the condition must be True or False, got "${textOf(value, env)}"`, 0);
        }
        return truth ? whenTrue(env) : whenFalse(env);
      };
    },
  },
  {
    name: 'Switch',
    family: 'logic',
    description:
      'Compares the source with each key (case-sensitively) and returns the value paired with the first match, or the default when none matches. A null or empty source matches the key "". An empty default means "no value" (the attribute is not sent).',
    params: [
      param('source', 'any', 'the value to compare'),
      param('defaultValue', 'any', 'returned when no key matches; may be left empty', { optional: true }),
      param('key', 'any', 'a value to compare the source with', { repeatable: true }),
      param('value', 'any', 'returned when the source equals the preceding key', { repeatable: true }),
    ],
    minArgs: 4,
    maxArgs: Infinity,
    returns: 'any',
    examples: [
      { expression: 'Switch([IsSoftDeleted], , "False", "True", "True", "False")', source: { IsSoftDeleted: false }, result: 'True' },
      { expression: 'Switch([country], [country], "", "Other")', result: 'Other' },
    ],
    documentedIn: 'FN',
    arityError(count) {
      const after = count - 1;
      if (after >= 3 && after % 2 === 1) return undefined;
      if (after < 3) return `Switch expects a default and then key/value pairs: at least 3 arguments after the source, got ${Math.max(after, 0)}`;
      return `Switch expects a default and then key/value pairs: ${after - 1} or ${after + 1} arguments after the source, got ${after}`;
    },
    check(call, cx) {
      const source = call.args[0];
      if (source && isCallTo(source, NULL_TESTS)) {
        cx.report({
          severity: 'warning',
          code: 'NULL_TEST_AS_SWITCH_SOURCE',
          message: `Microsoft advises against ${source.name} as the source of Switch; use the attribute itself with an empty-string key: Switch([x], default, "", valueWhenEmpty, ...)`,
          start: source.start,
          end: source.end,
        });
      }
    },
    compile: (args) => {
      const source = argEvaluator(args[0]);
      const fallback = args[1] ? args[1].evaluate : null;
      const keys: { constant: string | null; evaluate: Evaluator }[] = [];
      const values: Evaluator[] = [];
      for (let i = 2; i + 1 < args.length; i += 2) {
        const key = args[i];
        const constant = key?.constant;
        keys.push({ constant: constant === undefined ? null : constant.kind === 'string' ? constant.value : constant.kind === 'null' ? '' : null, evaluate: argEvaluator(key) });
        values.push(argEvaluator(args[i + 1]));
      }
      return (env) => {
        // §3.3: a null source matches the key ""
        const text = textOf(source(env), env) ?? '';
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i]!;
          const keyText = key.constant ?? textOf(key.evaluate(env), env) ?? '';
          if (keyText === text) return values[i]!(env);
        }
        return fallback ? fallback(env) : NULL;
      };
    },
  },
  {
    name: 'Coalesce',
    family: 'logic',
    description: 'Returns the first argument that is not null. An empty string counts as a value. The last argument acts as the default.',
    params: [param('source', 'any', 'values tried in order', { repeatable: true })],
    minArgs: 1,
    maxArgs: Infinity,
    returns: 'any',
    examples: [{ expression: 'Coalesce([mail], [userPrincipalName])', source: { userPrincipalName: 'John.Doe@contoso.com' }, result: 'John.Doe@contoso.com' }],
    documentedIn: 'FN',
    compile: (args) => {
      const sources = args.map(argEvaluator);
      return (env) => {
        for (const source of sources) {
          const value = source(env);
          if (value.kind === 'null' || value.kind === 'ignore') continue;
          // §3.3 [S/disputed]: "" is not null, so it is returned (an HR guide assumes it falls through)
          if (value.kind === 'string' && value.value === '') flag(env, 'Coalesce empty string');
          return value;
        }
        return NULL;
      };
    },
  },
  {
    name: 'Not',
    family: 'logic',
    description: 'Flips a Boolean: True gives False; anything else (False, other text, null) gives True.',
    params: [param('source', 'boolean', 'a Boolean or "True"/"False"')],
    minArgs: 1,
    maxArgs: 1,
    returns: 'boolean',
    examples: [{ expression: 'Not([IsSoftDeleted])', source: { IsSoftDeleted: true }, result: 'False' }],
    documentedIn: 'FN',
    compile: (args) =>
      strict(args, ([source], env) => {
        if (source!.kind === 'null') flag(env, 'Not null');
        if (source!.kind === 'boolean') return source!.value ? FALSE : TRUE;
        const text = textOf(source!, env);
        return text !== null && text.trim().toLowerCase() === 'true' ? FALSE : TRUE;
      }),
  },
  {
    name: 'CBool',
    family: 'logic',
    description: 'Converts to a Boolean: a comparison or "True"/"False" as they are, numbers are True when non-zero.',
    params: [param('expression', 'any', 'a comparison, number or "True"/"False"')],
    minArgs: 1,
    maxArgs: 1,
    returns: 'boolean',
    examples: [{ expression: 'CBool([attribute1] = [attribute2])', source: { attribute1: 'x', attribute2: 'x' }, result: 'True' }],
    documentedIn: 'FN',
    compile: (args, call) =>
      strict(args, ([value], env) => {
        const truth = booleanOf(value!, env);
        if (truth !== undefined) return truth ? TRUE : FALSE;
        if (value!.kind === 'null' || value!.kind === 'ignore') {
          flag(env, 'CBool null');
          return FALSE;
        }
        return call.fail('NOT_A_BOOLEAN', `CBool: "${textOf(value!, env)}" is neither True/False nor a number`, 0);
      }),
  },
  nullTest('IsNull', 'True when the value is null (the attribute is absent).', (v) => v.kind === 'null' || v.kind === 'ignore'),
  nullTest('IsNullOrEmpty', 'True when the value is null or the empty string.', isNullOrEmpty),
  nullTest('IsPresent', 'True when the value is neither null nor empty; a single space counts as present.', (v) => !isNullOrEmpty(v)),
  {
    name: 'IsString',
    family: 'logic',
    description: 'True when the value is text (numeric literals are text too); False for null.',
    params: [param('value', 'any', 'the value to test')],
    minArgs: 1,
    maxArgs: 1,
    returns: 'boolean',
    examples: [{ expression: 'IsString("abc")', result: 'True' }],
    documentedIn: 'FN',
    compile: (args) =>
      strict(args, ([value], env) => {
        if (value!.kind === 'string') return TRUE;
        if (value!.kind !== 'null' && value!.kind !== 'ignore') flag(env, 'IsString of non-text');
        return FALSE;
      }),
  },
  {
    name: 'IgnoreFlowIfNullOrEmpty',
    family: 'logic',
    description: 'Passes the value through, but when it is null or empty the attribute is left out of the request entirely (neither sent nor cleared). Use it as the outermost call.',
    params: [param('expression', 'any', 'the value to pass through')],
    minArgs: 1,
    maxArgs: 1,
    returns: 'any',
    examples: [{ expression: 'IgnoreFlowIfNullOrEmpty([department])', result: '(attribute not sent)' }],
    documentedIn: 'FN',
    check(call, cx) {
      if (cx.parent) {
        cx.report({
          severity: 'warning',
          code: 'IGNOREFLOW_NOT_TOP_LEVEL',
          message: 'IgnoreFlowIfNullOrEmpty decides whether the attribute flows; use it as the outermost call of the expression',
          start: call.start,
          end: call.nameEnd,
        });
      }
    },
    compile: (args) => strict(args, ([value]) => (isNullOrEmpty(value!) ? IGNORE : value!)),
  },
];

function nullTest(name: string, description: string, test: (value: ExprValue) => boolean): FunctionDef {
  return {
    name,
    family: 'logic',
    description: `${description} Avoid it in an IIF condition or as a Switch source: Entra fails those on missing values.`,
    params: [param('value', 'any', 'usually an attribute')],
    minArgs: 1,
    maxArgs: 1,
    returns: 'boolean',
    examples: [{ expression: `${name}([displayName])`, source: { displayName: 'John' }, result: name === 'IsPresent' ? 'True' : 'False' }],
    documentedIn: 'FN',
    compile: (args) => strict(args, ([value]) => (test(value!) ? TRUE : FALSE)),
  };
}

