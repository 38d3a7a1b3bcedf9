/**
 * String functions (Microsoft Learn "Reference for writing expressions for attribute mappings"): building, cutting,
 * searching and re-casing text.
 */
import { normalizeDiacritics, resolveCulture, titleCase, titleCaseWithSeparators, toLowerCulture, toLowerInvariant, toUpperCulture, toUpperInvariant } from '../casing.ts';
import { integerArg, textOf } from '../coerce.ts';
import { checkTextSize, flag, type CallSite, type Env } from '../runtime.ts';
import { EMPTY_STRING, NULL, numberValue, stringValue, type ExprValue } from '../value.ts';
import { argEvaluator, literalText, param, strict, type FunctionDef } from './types.ts';

function culture(value: ExprValue, env: Env, call: CallSite): string | null {
  const name = textOf(value, env);
  if (name === null || name === '') return null;
  const resolved = resolveCulture(name);
  if (resolved === null) call.fail('UNKNOWN_CULTURE', `${call.name}: "${name}" is not a culture name (use an RFC 4646 name such as en-US)`, 1);
  return resolved;
}

function caseFunction(name: 'ToLower' | 'ToUpper'): FunctionDef {
  const upper = name === 'ToUpper';
  return {
    name,
    family: 'strings',
    description: `Converts the text to ${upper ? 'upper' : 'lower'} case, one character for one character as .NET does (so "ß" stays "ß"). Without a culture the invariant rules apply; with one (such as tr-TR) that culture's rules apply.`,
    params: [param('source', 'string', 'the text to convert'), param('culture', 'string', 'an RFC 4646 culture name such as en-US or tr-TR', { optional: true })],
    minArgs: 1,
    maxArgs: 2,
    returns: 'string',
    examples: upper
      ? [
          { expression: 'ToUpper("straße")', result: 'STRAßE' },
          { expression: 'ToUpper("istanbul", "tr-TR")', result: 'İSTANBUL' },
        ]
      : [{ expression: 'ToLower(Join("@", [givenName], "contoso.com"))', source: { givenName: 'John' }, result: 'john@contoso.com' }],
    documentedIn: 'FN',
    check(call, cx) {
      const cultureName = literalText(call.args[1]);
      if (cultureName && resolveCulture(cultureName) === null) {
        cx.report({ severity: 'warning', code: 'UNKNOWN_CULTURE', message: `"${cultureName}" is not a culture name the engine knows; evaluation will fail`, start: call.args[1]!.start, end: call.args[1]!.end });
      }
    },
    compile: (args, call) =>
      strict(args, ([source, cultureArg], env) => {
        const text = textOf(source!, env);
        if (text === null) return NULL;
        const onKept = () => flag(env, 'One-to-one casing');
        const tag = cultureArg ? culture(cultureArg, env, call) : null;
        if (tag === null) return stringValue(upper ? toUpperInvariant(text, onKept) : toLowerInvariant(text, onKept));
        return stringValue(upper ? toUpperCulture(text, tag, onKept) : toLowerCulture(text, tag, onKept));
      }),
  };
}

export const stringFunctions: FunctionDef[] = [
  {
    name: 'Append',
    family: 'strings',
    description: 'Returns the source text followed by the suffix. Also handy as a prefix builder: Append("SMTP:", [mail]).',
    params: [param('source', 'string', 'the text to start with'), param('suffix', 'string', 'the text to add at the end')],
    minArgs: 2,
    maxArgs: 2,
    returns: 'string',
    examples: [{ expression: 'Append([userPrincipalName], ".test")', source: { userPrincipalName: 'John.Doe@contoso.com' }, result: 'John.Doe@contoso.com.test' }],
    documentedIn: 'FN',
    compile: (args) =>
      strict(args, ([source, suffix], env) => {
        const a = textOf(source!, env);
        const b = textOf(suffix!, env);
        // §6 Append [I]: .NET string.Concat treats null as ""; the service might return null instead
        if (a === null || b === null) flag(env, 'Append null operand');
        return stringValue((a ?? '') + (b ?? ''));
      }),
  },
  {
    name: 'Join',
    family: 'strings',
    description: 'Joins the sources with the separator. Multi-valued sources contribute every value; null and empty values are skipped, so no separator is doubled.',
    params: [param('separator', 'string', 'placed between values; may be ""'), param('source', 'any', 'a value, attribute or multi-valued attribute', { repeatable: true })],
    minArgs: 2,
    maxArgs: Infinity,
    returns: 'string',
    examples: [{ expression: 'Join(", ", "", [surname], [givenName])', source: { surname: 'Doe', givenName: 'John' }, result: 'Doe, John' }],
    documentedIn: 'FN',
    compile: (args, call) => {
      const separatorOf = argEvaluator(args[0]);
      const sources = args.slice(1).map(argEvaluator);
      return (env) => {
        const separator = textOf(separatorOf(env), env) ?? '';
        const parts: string[] = [];
        let total = 0;
        const add = (value: ExprValue) => {
          if (value.kind === 'multi') {
            for (const item of value.values) add(item);
            return;
          }
          const text = textOf(value, env);
          if (text !== null && text !== '') {
            parts.push(text);
            total += text.length + separator.length;
            checkTextSize(total, call);
          }
        };
        for (const source of sources) add(source(env));
        // §6 Join [I]: all-empty gives "" (it could be null)
        if (parts.length === 0) flag(env, 'Join all empty');
        return stringValue(parts.join(separator));
      };
    },
  },
  {
    name: 'Left',
    family: 'strings',
    description: 'Returns the first NumChars characters. 0 gives "", a negative count gives the whole text, a missing text gives "".',
    params: [param('String', 'string', 'the text to cut'), param('NumChars', 'number', 'how many characters to keep')],
    minArgs: 2,
    maxArgs: 2,
    returns: 'string',
    examples: [{ expression: 'Left("John Doe", 3)', result: 'Joh' }],
    documentedIn: 'FN',
    compile: (args, call) =>
      strict(args, ([source, count], env) => {
        const text = textOf(source!, env);
        if (text === null) return EMPTY_STRING;
        const n = integerArg(count!, env, call, 1, 'NumChars');
        return n < 0 ? stringValue(text) : stringValue(text.slice(0, n));
      }),
  },
  {
    name: 'Mid',
    family: 'strings',
    description: 'Returns length characters starting at position start (1-based). Running past the end stops at the end; a start beyond the end gives "".',
    params: [param('source', 'string', 'the text to cut'), param('start', 'number', '1-based position of the first character'), param('length', 'number', 'how many characters to take')],
    minArgs: 3,
    maxArgs: 3,
    returns: 'string',
    examples: [{ expression: 'Mid("John Smith", 6, 5)', result: 'Smith' }],
    documentedIn: 'FN',
    compile: (args, call) =>
      strict(args, ([source, startArg, lengthArg], env) => {
        const text = textOf(source!, env);
        if (text === null) return NULL;
        const start = integerArg(startArg!, env, call, 1, 'start');
        const length = integerArg(lengthArg!, env, call, 2, 'length');
        if (start < 1 || length < 0) {
          flag(env, 'Mid out of range');
          call.fail('OUT_OF_RANGE', `Mid: start must be 1 or more and length 0 or more (got ${start}, ${length})`, start < 1 ? 1 : 2);
        }
        return stringValue(text.substr(start - 1, length));
      }),
  },
  {
    name: 'Len',
    family: 'strings',
    description: 'Returns the number of characters in the text; numbers count as their digits. Null and "" give 0.',
    params: [param('String', 'string', 'the text to measure')],
    minArgs: 1,
    maxArgs: 1,
    returns: 'number',
    examples: [
      { expression: 'Len("John Doe")', result: '8' },
      { expression: 'Len(42568.75)', result: '8' },
    ],
    documentedIn: 'FN',
    compile: (args) => strict(args, ([source], env) => numberValue((textOf(source!, env) ?? '').length)),
  },
  {
    name: 'Word',
    family: 'strings',
    description: 'Splits the text on any of the delimiter characters and returns word number WordNumber (1-based). Too few words, a number below 1 or missing text give "".',
    params: [param('String', 'string', 'the text to split'), param('WordNumber', 'number', '1-based word number'), param('Delimiters', 'string', 'every character here separates words')],
    minArgs: 3,
    maxArgs: 3,
    returns: 'string',
    examples: [{ expression: 'Word("This,string!has&many separators", 3, ",!&#")', result: 'has' }],
    documentedIn: 'FN',
    compile: (args, call) =>
      strict(args, ([source, numberArg, delimitersArg], env) => {
        const text = textOf(source!, env);
        if (text === null) return EMPTY_STRING;
        const wanted = integerArg(numberArg!, env, call, 1, 'WordNumber');
        const delimiters = new Set(textOf(delimitersArg!, env) ?? '');
        const words: string[] = [];
        let current = '';
        let emptyRun = false;
        for (const char of text) {
          if (delimiters.has(char)) {
            if (current) words.push(current);
            else emptyRun = true;
            current = '';
          } else current += char;
        }
        if (current) words.push(current);
        // §6 Word [?]: runs of delimiters make no empty words (AAD Connect behaviour)
        if (emptyRun) flag(env, 'Word consecutive delimiters');
        return wanted < 1 || wanted > words.length ? EMPTY_STRING : stringValue(words[wanted - 1]!);
      }),
  },
  {
    name: 'StripSpaces',
    family: 'strings',
    description: 'Removes every space character (U+0020). Tabs and non-breaking spaces stay.',
    params: [param('source', 'string', 'the text to clean')],
    minArgs: 1,
    maxArgs: 1,
    returns: 'string',
    examples: [{ expression: 'StripSpaces("Mary Ann  Smith ")', result: 'MaryAnnSmith' }],
    documentedIn: 'FN',
    compile: (args) =>
      strict(args, ([source], env) => {
        const text = textOf(source!, env);
        return text === null ? NULL : stringValue(text.replaceAll(' ', ''));
      }),
  },
  {
    name: 'InStr',
    family: 'strings',
    description: 'Returns the 1-based position of value2 inside value1, or 0 when it is absent. start says where to begin; vbTextCompare ignores case.',
    params: [
      param('value1', 'string', 'the text to search in'),
      param('value2', 'string', 'the text to find'),
      param('start', 'number', '1-based position to start from (default 1)', { optional: true }),
      param('compareType', 'enum', 'vbBinaryCompare (case-sensitive, default) or vbTextCompare', { optional: true }),
    ],
    minArgs: 2,
    maxArgs: 4,
    returns: 'number',
    examples: [
      { expression: 'InStr("The quick brown fox", "quick")', result: '5' },
      { expression: 'InStr("repEated", "e", 3, vbBinaryCompare)', result: '7' },
    ],
    documentedIn: 'FN',
    check(call, cx) {
      const compare = call.args[3];
      if (compare && compare.type !== 'empty' && compare.type !== 'identifier') {
        const text = literalText(compare);
        if (text !== undefined && !/^(vbBinaryCompare|vbTextCompare|0|1)$/.test(text)) {
          cx.report({ severity: 'error', code: 'BAD_ARGUMENT', message: 'InStr compareType must be vbBinaryCompare or vbTextCompare', start: compare.start, end: compare.end });
        }
      }
    },
    compile: (args, call) => {
      const [a, b, startOf, compareOf] = [0, 1, 2, 3].map((i) => argEvaluator(args[i]));
      const hasStart = !!args[2];
      const hasCompare = !!args[3];
      const compareNode = args[3]?.node;
      return (env) => {
        const haystack = textOf(a!(env), env);
        const needle = textOf(b!(env), env) ?? '';
        const start = hasStart ? integerArg(startOf!(env), env, call, 2, 'start') : 1;
        if (start < 1) call.fail('OUT_OF_RANGE', `InStr: start must be 1 or more, got ${start}`, 2);
        let textCompare = false;
        if (hasCompare) {
          const mode = textOf(compareOf!(env), env);
          if (compareNode?.type !== 'identifier' && mode !== null) flag(env, 'InStr compare name as text');
          if (mode === 'vbTextCompare' || mode === '1') textCompare = true;
          else if (mode !== 'vbBinaryCompare' && mode !== '0' && mode !== null) call.fail('BAD_ARGUMENT', `InStr: compareType must be vbBinaryCompare or vbTextCompare, got "${mode}"`, 3);
        }
        if (haystack === null || start > haystack.length) return numberValue(0);
        if (needle === '') return numberValue(start);
        const h = textCompare ? toLowerInvariant(haystack) : haystack;
        const n = textCompare ? toLowerInvariant(needle) : needle;
        return numberValue(h.indexOf(n, start - 1) + 1);
      };
    },
  },
  {
    name: 'CStr',
    family: 'strings',
    description: 'Converts a value to text: Booleans become "True"/"False", numbers their digits, dates "M/d/yyyy h:mm:ss tt". Null stays null.',
    params: [param('value', 'any', 'the value to convert')],
    minArgs: 1,
    maxArgs: 1,
    returns: 'string',
    examples: [{ expression: 'CStr([accountEnabled])', source: { accountEnabled: false }, result: 'False' }],
    documentedIn: 'FN',
    compile: (args) =>
      strict(args, ([value], env) => {
        const text = textOf(value!, env);
        return text === null ? NULL : stringValue(text);
      }),
  },
  caseFunction('ToLower'),
  caseFunction('ToUpper'),
  {
    name: 'PCase',
    family: 'strings',
    description: 'Capitalises the first letter of each word and lower-cases the rest. Without wordSeparators .NET title-case rules decide where words start; with them, only those characters split words.',
    params: [param('source', 'string', 'the text to capitalise'), param('wordSeparators', 'string', 'characters that start a new word, e.g. " \'-"', { optional: true })],
    minArgs: 1,
    maxArgs: 2,
    returns: 'string',
    examples: [
      { expression: 'PCase("PABLO GONSALVES (SECOND)")', result: 'Pablo Gonsalves (Second)' },
      { expression: `PCase("PINTO-DE'SILVA", " '-")`, result: "Pinto-De'Silva" },
    ],
    documentedIn: 'FN',
    compile: (args) =>
      strict(args, ([source, separators], env) => {
        const text = textOf(source!, env);
        if (text === null) return NULL;
        const onKept = () => flag(env, 'One-to-one casing');
        const split = separators ? textOf(separators, env) : null;
        if (split) return stringValue(titleCaseWithSeparators(text, split, onKept));
        return stringValue(titleCase(text, () => flag(env, 'PCase digit before word'), onKept));
      }),
  },
  {
    name: 'NormalizeDiacritics',
    family: 'strings',
    description: 'Replaces accented letters by plain ones (é → e, ø → oe, ß → ss, Ł → L) so values are safe for systems that only take ASCII names. Hyphens and apostrophes stay.',
    params: [param('source', 'string', 'the text to normalise')],
    minArgs: 1,
    maxArgs: 1,
    returns: 'string',
    examples: [{ expression: 'NormalizeDiacritics("Zoë")', result: 'Zoe' }],
    documentedIn: 'FN',
    compile: (args) =>
      strict(args, ([source], env) => {
        const text = textOf(source!, env);
        return text === null ? NULL : stringValue(normalizeDiacritics(text, () => flag(env, 'NormalizeDiacritics unlisted letter')));
      }),
  },
];

