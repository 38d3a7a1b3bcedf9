/**
 * Functions over multi-valued values such as proxyAddresses (Microsoft Learn "Reference for writing expressions for
 * attribute mappings").
 */
import { integerArg, textOf } from '../coerce.ts';
import { flag } from '../runtime.ts';
import { NULL, multiValue, numberValue, stringValue, type ExprValue } from '../value.ts';
import { param, strict, type FunctionDef } from './types.ts';

function valuesOf(value: ExprValue): readonly ExprValue[] {
  if (value.kind === 'multi') return value.values;
  if (value.kind === 'null' || value.kind === 'ignore') return [];
  return [value];
}

export const multiValueFunctions: FunctionDef[] = [
  {
    name: 'Split',
    family: 'multi-valued',
    description: 'Splits text into a multi-valued value at each occurrence of the delimiter. Values are not trimmed and empty parts are kept.',
    params: [param('source', 'string', 'the text to split'), param('delimiter', 'string', 'the separator, e.g. ","')],
    minArgs: 2,
    maxArgs: 2,
    returns: 'multi',
    examples: [{ expression: 'Split("a,b,c", ",")', result: '["a", "b", "c"]' }],
    documentedIn: 'FN',
    compile: (args) =>
      strict(args, ([source, delimiterArg], env) => {
        const text = textOf(source!, env);
        if (text === null) return NULL;
        const delimiter = textOf(delimiterArg!, env) ?? '';
        if (delimiter.length > 1) flag(env, 'Split multi-character delimiter');
        const parts = delimiter === '' ? [text] : text.split(delimiter);
        // §6 Split [I/disputed]: .NET does not trim; the doc's example output looks trimmed
        if (parts.length > 1 && parts.some((part) => part !== part.trim())) flag(env, 'Split untrimmed values');
        return multiValue(parts.map(stringValue));
      }),
  },
  {
    name: 'Item',
    family: 'multi-valued',
    description: 'Returns value number index (1-based) of a multi-valued attribute. An index past the end is an error.',
    params: [param('attribute', 'multi', 'a multi-valued attribute'), param('index', 'number', '1-based position')],
    minArgs: 2,
    maxArgs: 2,
    returns: 'string',
    examples: [{ expression: 'Item([proxyAddresses], 1)', source: { proxyAddresses: ['SMTP:john@contoso.com', 'smtp:jdoe@contoso.com'] }, result: 'SMTP:john@contoso.com' }],
    documentedIn: 'FN',
    compile: (args, call) =>
      strict(args, ([source, indexArg], env) => {
        if (source!.kind === 'null' || source!.kind === 'ignore') return NULL;
        const values = valuesOf(source!);
        const index = integerArg(indexArg!, env, call, 1, 'index');
        // issue #68350: Item is 1-based; CS says it throws when out of bounds
        if (index < 1 || index > values.length) call.fail('OUT_OF_RANGE', `Item: index ${index} is outside 1..${values.length} (indexes start at 1)`, 1);
        return values[index - 1]!;
      }),
  },
  {
    name: 'Count',
    family: 'multi-valued',
    description: 'Returns how many values a multi-valued attribute has.',
    params: [param('attribute', 'multi', 'a multi-valued attribute')],
    minArgs: 1,
    maxArgs: 1,
    returns: 'number',
    examples: [{ expression: 'Count([proxyAddresses])', source: { proxyAddresses: ['SMTP:a@contoso.com', 'smtp:b@contoso.com'] }, result: '2' }],
    documentedIn: 'FN',
    compile: (args) =>
      strict(args, ([source], env) => {
        if (source!.kind !== 'multi') flag(env, 'Count of single or null');
        return numberValue(valuesOf(source!).length);
      }),
  },
  {
    name: 'RemoveDuplicates',
    family: 'multi-valued',
    description: 'Removes repeated values (exact, case-sensitive comparison), keeping the first occurrence and the order.',
    params: [param('attribute', 'multi', 'a multi-valued value')],
    minArgs: 1,
    maxArgs: 1,
    returns: 'multi',
    examples: [{ expression: 'RemoveDuplicates(Split("a,b,a", ","))', result: '["a", "b"]' }],
    documentedIn: 'FN',
    compile: (args) =>
      strict(args, ([source], env) => {
        if (source!.kind !== 'multi') return source!;
        const seen = new Set<string>();
        const kept: ExprValue[] = [];
        for (const value of source!.values) {
          const key = textOf(value, env) ?? '\u0000null';
          if (seen.has(key)) continue;
          seen.add(key);
          kept.push(value);
        }
        return multiValue(kept);
      }),
  },
];
