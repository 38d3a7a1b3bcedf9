/**
 * Replace, the one function with .NET regular expressions (Microsoft Learn "Reference for writing expressions for
 * attribute mappings", Replace). Its mode is chosen by which of the seven slots are filled; patterns run on the
 * linear-time engine in regex.ts.
 */
import type { CallNode } from '../ast.ts';
import { textOf } from '../coerce.ts';
import { compileRegex, firstGroup, replaceAll, replaceGroup, type CompiledRegex } from '../regex.ts';
import { checkTextSize, flag, type CallSite, type CompiledArg, type Env } from '../runtime.ts';
import { NULL, stringValue, type ExprValue } from '../value.ts';
import { argEvaluator, literalText, param, type CheckContext, type FunctionDef } from './types.ts';

const OLD_VALUE = 1;
const PATTERN = 2;
const GROUP = 3;
const REPLACEMENT = 4;
const REPLACEMENT_ATTRIBUTE = 5;
const TEMPLATE = 6;

const filled = (args: readonly (CompiledArg | CallNode['args'][number])[], index: number) => {
  const arg = args[index];
  return arg !== undefined && arg !== null && !('type' in arg && arg.type === 'empty');
};

type Mode = 'A' | 'B' | 'C' | 'D' | 'E';

function modeOf(has: (index: number) => boolean): Mode | undefined {
  if (has(OLD_VALUE)) return has(TEMPLATE) ? 'B' : 'A';
  if (!has(PATTERN)) return undefined;
  if (has(REPLACEMENT_ATTRIBUTE)) return 'E';
  return has(GROUP) ? 'D' : 'C';
}

function check(call: CallNode, cx: CheckContext): void {
  const has = (index: number) => filled(call.args, index);
  const span = { start: call.start, end: call.nameEnd };
  if (has(OLD_VALUE) && has(PATTERN)) {
    cx.report({ severity: 'error', code: 'REPLACE_AMBIGUOUS', message: 'Replace takes either oldValue (2nd) or regexPattern (3rd), not both', ...span });
    return;
  }
  const mode = modeOf(has);
  if (mode === undefined) {
    cx.report({ severity: 'error', code: 'REPLACE_NOTHING', message: 'Replace needs the text to find: fill oldValue (2nd argument) or regexPattern (3rd)', ...span });
    return;
  }
  if (mode === 'E' && !has(GROUP)) {
    cx.report({ severity: 'error', code: 'REPLACE_GROUP_MISSING', message: 'Replace with replacementAttributeName (6th) also needs regexGroupName (4th)', ...span });
  }
  if ((mode === 'A' || mode === 'C' || mode === 'D') && !has(REPLACEMENT)) {
    cx.report({ severity: 'warning', code: 'REPLACE_NO_REPLACEMENT', message: 'Replace has no replacementValue (5th argument); matches are replaced with ""', ...span, suggestion: '""' });
  }
  const patternNode = call.args[PATTERN];
  const pattern = literalText(patternNode);
  if (pattern === undefined || !patternNode) return;
  const compiled = compileRegex(pattern);
  if (!compiled.ok) {
    // features the engine cannot run are refused at save time; plain syntax errors fail at run time (§3.6)
    cx.report({ severity: compiled.unsupported ? 'error' : 'warning', code: compiled.unsupported ? 'REGEX_UNSUPPORTED' : 'REGEX_INVALID', message: compiled.message, start: patternNode.start, end: patternNode.end });
    return;
  }
  const groupNode = call.args[GROUP];
  const group = literalText(groupNode);
  if (group !== undefined && groupNode && !compiled.regex.nameToIndex.has(group) && !(/^\d+$/.test(group) && compiled.regex.numberToIndex.has(Number(group)))) {
    cx.report({ severity: 'error', code: 'REGEX_GROUP_MISSING', message: `The pattern has no group named "${group}"`, start: groupNode.start, end: groupNode.end });
  }
}

function regexFor(pattern: string, call: CallSite): CompiledRegex {
  const compiled = compileRegex(pattern);
  if (!compiled.ok) call.fail(compiled.unsupported ? 'REGEX_UNSUPPORTED' : 'REGEX_INVALID', `Replace: ${compiled.message}`, PATTERN);
  return compiled.regex;
}

function groupIndex(regex: CompiledRegex, name: string, call: CallSite): number {
  const index = regex.nameToIndex.get(name) ?? (/^\d+$/.test(name) ? regex.numberToIndex.get(Number(name)) : undefined);
  if (index === undefined) call.fail('REGEX_GROUP_MISSING', `Replace: the pattern has no group named "${name}"`, GROUP);
  return index;
}

function compile(args: readonly CompiledArg[], call: CallSite) {
  const has = (index: number) => filled(args, index);
  const mode = modeOf(has) ?? 'A';
  const [source, oldValue, pattern, group, replacement, replacementAttribute, template] = [0, 1, 2, 3, 4, 5, 6].map((i) => argEvaluator(args[i]));
  const constantPattern = args[PATTERN]?.constant;
  const fixedRegex = constantPattern?.kind === 'string' && compileRegex(constantPattern.value).ok ? regexFor(constantPattern.value, call) : undefined;
  const regexOf = (env: Env): CompiledRegex => {
    if (fixedRegex) return fixedRegex;
    const text = textOf(pattern!(env), env);
    if (text === null) call.fail('REGEX_MISSING', 'Replace: regexPattern has no value', PATTERN);
    return regexFor(text, call);
  };
  const text = (evaluate: (env: Env) => ExprValue, env: Env) => textOf(evaluate(env), env);

  return (env: Env): ExprValue => {
    const sourceValue = source!(env);
    const input = textOf(sourceValue, env);
    switch (mode) {
      case 'A': {
        if (input === null) return NULL;
        const find = text(oldValue!, env);
        if (!has(REPLACEMENT)) flag(env, 'Replace without replacement');
        // literal, case-sensitive, every occurrence (FN); split/join keeps "$" in the replacement literal
        if (find === null || find === '') return sourceValue;
        const parts = input.split(find);
        const with_ = text(replacement!, env) ?? '';
        checkTextSize(input.length + (parts.length - 1) * (with_.length - find.length), call);
        return stringValue(parts.join(with_));
      }
      case 'B': {
        if (input === null) return NULL;
        const find = text(oldValue!, env);
        const shape = text(template!, env) ?? '';
        if (find === null || find === '') return stringValue(shape);
        const parts = shape.split(find);
        checkTextSize(shape.length + (parts.length - 1) * (input.length - find.length), call);
        return stringValue(parts.join(input));
      }
      case 'C':
      case 'D': {
        if (input === null) return NULL;
        const regex = regexOf(env);
        if (!has(REPLACEMENT)) flag(env, 'Replace without replacement');
        if (input.endsWith('\n') && regex.pattern.includes('$')) flag(env, 'Regex end of line');
        const with_ = text(replacement!, env) ?? '';
        const limit = (length: number) => checkTextSize(length, call);
        if (mode === 'C') return stringValue(replaceAll(regex, input, with_, limit));
        return stringValue(replaceGroup(regex, input, groupIndex(regex, text(group!, env) ?? '', call), with_, limit));
      }
      case 'E': {
        // §6 Replace mode E (current FN + worked example): a source with a value is returned as it is;
        // otherwise the group is taken from the other attribute
        flag(env, 'Replace mode E');
        if (input !== null && input !== '') return sourceValue;
        const other = text(replacementAttribute!, env);
        if (other === null) return sourceValue;
        const regex = regexOf(env);
        const captured = firstGroup(regex, other, groupIndex(regex, text(group!, env) ?? '', call));
        return captured === null ? sourceValue : stringValue(captured);
      }
    }
  };
}

export const replaceFunctions: FunctionDef[] = [
  {
    name: 'Replace',
    family: 'regex',
    description:
      'Replaces text. With oldValue: every literal occurrence (case-sensitive) is replaced by replacementValue, or oldValue inside template is replaced by the source. With regexPattern (.NET syntax): matches are replaced by replacementValue, which may use ${group} and $1; with regexGroupName only that group is replaced; with replacementAttributeName, an empty source takes that group from the other attribute. Leave unused slots empty.',
    params: [
      param('source', 'string', 'the text to work on'),
      param('oldValue', 'string', 'literal text to find', { optional: true }),
      param('regexPattern', 'string', 'a .NET regular expression', { optional: true }),
      param('regexGroupName', 'string', 'the group to replace or extract', { optional: true }),
      param('replacementValue', 'string', 'the new text; may use ${name} and $1', { optional: true }),
      param('replacementAttributeName', 'string', 'an attribute to take the group from when the source is empty', { optional: true }),
      param('template', 'string', 'text in which oldValue is replaced by the source', { optional: true }),
    ],
    minArgs: 3,
    maxArgs: 7,
    returns: 'string',
    examples: [
      { expression: 'Replace([mail], "@contoso.com", , , "", , )', source: { mail: 'john.doe@contoso.com' }, result: 'john.doe' },
      { expression: 'Replace([telephoneNumber], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", , "${phoneNumber}", , )', source: { telephoneNumber: '+91 9998887777' }, result: '9998887777' },
      { expression: 'Replace([UserID], "<username>", , , , , "<username>@contoso.com")', source: { UserID: 'jsmith' }, result: 'jsmith@contoso.com' },
    ],
    documentedIn: 'FN',
    check,
    compile,
  },
];
