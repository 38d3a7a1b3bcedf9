import type { Node } from '../expressions/ast.ts';
import { lookupFunction } from '../expressions/catalogue.ts';
import { parse } from '../expressions/parser.ts';
import { isCreateOnly, mappingTypeOf, quoteConstant, sourceExpressionOf } from '../mapping/model.ts';
import type { AttributeMapping } from '../mapping/schema.ts';

/**
 * Expressions for people: a pretty-printer that breaks long calls over indented lines, and plain-word
 * explanations ("the first 64 characters of jobTitle") for a vendor's support engineer or a colleague
 * signing off, who reads the mapping table without knowing Entra's expression language.
 */

/** An expression printed inline up to this width; longer calls put one argument per line. */
const PRETTY_WIDTH = 60;

function inline(node: Node): string {
  switch (node.type) {
    case 'attribute':
      return `[${node.name}]`;
    case 'string':
      return quoteConstant(node.value);
    case 'number':
      return node.text;
    case 'identifier':
      return node.name;
    case 'empty':
      return '';
    case 'comparison':
      return `${inline(node.left)} ${node.operator} ${inline(node.right)}`;
    case 'call':
      return `${node.name}(${node.args.map(inline).join(', ')})`;
  }
}

function pretty(node: Node, indent: string): string {
  const flat = inline(node);
  if (node.type !== 'call' || indent.length + flat.length <= PRETTY_WIDTH || node.args.length === 0) return flat;
  const inner = `${indent}  `;
  const args = node.args.map((arg) => `${inner}${pretty(arg, inner)}`);
  return `${node.name}(\n${args.join(',\n')}\n${indent})`;
}

/**
 * The expression laid out for reading: unchanged when it parses to the same short line, otherwise one
 * argument per line. Text that does not parse is returned as written (the findings say why).
 */
export function prettyExpression(text: string): string {
  try {
    return pretty(parse(text).root, '');
  } catch {
    return text;
  }
}

const COMPARISONS: Record<string, string> = {
  '=': 'is',
  '<>': 'is not',
  '<': 'is less than',
  '<=': 'is at most',
  '>': 'is greater than',
  '>=': 'is at least',
};

const DATE_INTERVALS: Record<string, string> = {
  yyyy: 'years',
  q: 'quarters',
  m: 'months',
  y: 'days',
  d: 'days',
  w: 'weeks',
  ww: 'weeks',
  h: 'hours',
  n: 'minutes',
  s: 'seconds',
};

function literal(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'string') return node.value;
  if (node.type === 'number') return node.text;
  return undefined;
}

function isEmptyArg(node: Node | undefined): boolean {
  return !node || node.type === 'empty' || (node.type === 'string' && node.value === '');
}

function quoted(value: string): string {
  if (value === ' ') return 'a space';
  if (value === '') return 'an empty string';
  return `"${value}"`;
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function orList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** A sub-phrase that is itself a phrase with spaces is bracketed so the sentence stays unambiguous. */
function part(node: Node | undefined): string {
  if (!node || node.type === 'empty') return 'nothing';
  const text = explainNode(node);
  return node.type === 'call' && /\s/.test(text) && !/^the |^a |^an /.test(text) ? `(${text})` : text;
}

function explainCall(name: string, args: readonly Node[]): string {
  const [a, b, c] = args;
  switch (name.toLowerCase()) {
    case 'left':
      return `the first ${literal(b) ?? part(b)} characters of ${part(a)}`;
    case 'mid':
      return `${literal(c) ?? part(c)} characters of ${part(a)} from character ${literal(b) ?? part(b)}`;
    case 'len':
      return `the length of ${part(a)}`;
    case 'join': {
      const separator = literal(a);
      const values = args.slice(1).map(part);
      return separator === undefined ? `${list(values)} joined with ${part(a)}` : `${list(values)} joined with ${quoted(separator)}`;
    }
    case 'append':
      return `${part(a)} followed by ${literal(b) !== undefined ? quoted(literal(b)!) : part(b)}`;
    case 'tolower':
      return `${part(a)} in lower case`;
    case 'toupper':
      return `${part(a)} in upper case`;
    case 'pcase':
      return `${part(a)} with each word capitalised`;
    case 'stripspaces':
      return `${part(a)} without spaces`;
    case 'normalizediacritics':
      return `${part(a)} with accents removed`;
    case 'coalesce':
      return `the first of ${orList(args.map(part))} that has a value`;
    case 'selectuniquevalue':
      return `the first of ${orList(args.map(part))} not yet used in the target app`;
    case 'switch': {
      const pairs: string[] = [];
      for (let i = 2; i + 1 < args.length; i += 2) {
        const key = literal(args[i]);
        pairs.push(`${part(args[i + 1])} when ${part(a)} is ${key !== undefined ? quoted(key) : part(args[i])}`);
      }
      const otherwise = isEmptyArg(b) ? 'nothing otherwise' : `otherwise ${part(b)}`;
      return `${pairs.join(', ')}; ${otherwise}`;
    }
    case 'iif':
      return `${part(b)} if ${part(a)}, otherwise ${part(c)}`;
    case 'not':
      return `the opposite of ${part(a)}`;
    case 'isnull':
      return `whether ${part(a)} is missing`;
    case 'isnullorempty':
      return `whether ${part(a)} is missing or empty`;
    case 'ispresent':
      return `whether ${part(a)} has a value`;
    case 'isstring':
      return `whether ${part(a)} is text`;
    case 'cstr':
      return `${part(a)} as text`;
    case 'cbool':
      return `${part(a)} as True or False`;
    case 'cdate':
      return `${part(a)} as a date`;
    case 'formatdatetime': {
      const output = literal(args[3]);
      const input = literal(args[2]);
      return `${part(a)} written as ${output !== undefined ? quoted(output) : part(args[3])}${input ? ` (read as ${quoted(input)})` : ''}`;
    }
    case 'dateadd': {
      const interval = literal(a);
      return `${part(c)} plus ${literal(b) ?? part(b)} ${interval ? (DATE_INTERVALS[interval.toLowerCase()] ?? interval) : part(a)}`;
    }
    case 'datediff': {
      const interval = literal(a);
      return `the number of ${interval ? (DATE_INTERVALS[interval.toLowerCase()] ?? interval) : part(a)} from ${part(b)} to ${part(c)}`;
    }
    case 'datefromnum':
      return `${part(a)} read as a date number`;
    case 'numfromdate':
      return `${part(a)} as a date number`;
    case 'now':
      return 'the current date and time';
    case 'guid':
      return 'a new random GUID';
    case 'randomstring':
      return `a random string of ${literal(a) ?? part(a)} characters`;
    case 'defaultdomain':
      return "the tenant's default domain";
    case 'redact':
      return `${part(a)} (hidden in the provisioning logs)`;
    case 'ignoreflowifnullorempty':
      return `${part(a)}, leaving the target untouched when that is empty`;
    case 'replace': {
      const oldValue = literal(b);
      const pattern = literal(c);
      const replacement = literal(args[4]);
      const replacementAttribute = args[5] && args[5].type !== 'empty' ? part(args[5]) : undefined;
      const by = replacement !== undefined ? quoted(replacement) : replacementAttribute ?? 'nothing';
      if (oldValue !== undefined && oldValue !== '') return `${part(a)} with ${quoted(oldValue)} replaced by ${by}`;
      if (pattern !== undefined) return `${part(a)} with text matching /${pattern}/ replaced by ${by}`;
      return `${part(a)} with replacements`;
    }
    case 'word':
      return `word ${literal(b) ?? part(b)} of ${part(a)}${literal(c) !== undefined ? ` (words split on ${quoted(literal(c)!)})` : ''}`;
    case 'split':
      return `${part(a)} split on ${literal(b) !== undefined ? quoted(literal(b)!) : part(b)}`;
    case 'item':
      return `value ${literal(b) ?? part(b)} of ${part(a)}`;
    case 'count':
      return `the number of values of ${part(a)}`;
    case 'removeduplicates':
      return `${part(a)} without repeated values`;
    case 'instr':
      return `the position of ${part(b)} in ${part(a)}`;
    case 'converttobase64':
      return `${part(a)} encoded as Base64`;
    case 'converttoutf8hex':
      return `${part(a)} encoded as UTF-8 hex`;
    case 'bitand':
      return `${part(a)} bitwise AND ${part(b)}`;
    case 'singleapproleassignment':
      return 'the app role assigned to the user';
    case 'approleassignments':
    case 'approleassignmentscomplex':
    case 'assertiveapproleassignmentscomplex':
      return "the user's app roles";
    default: {
      const known = lookupFunction(name);
      const description = known ? ` (${known.def.description.replace(/\.$/, '')})` : '';
      return `${name} of ${list(args.map(part))}${description}`;
    }
  }
}

function explainNode(node: Node): string {
  switch (node.type) {
    case 'attribute':
      return node.name;
    case 'string':
      return quoted(node.value);
    case 'number':
      return node.text;
    case 'identifier':
      return node.name;
    case 'empty':
      return 'nothing';
    case 'comparison':
      return `${part(node.left)} ${COMPARISONS[node.operator] ?? node.operator} ${part(node.right)}`;
    case 'call':
      return explainCall(node.name, node.args);
  }
}

/** The value an expression produces, in plain words; null when the text does not parse. */
export function explainExpression(text: string): string | null {
  try {
    return explainNode(parse(text).root);
  } catch {
    return null;
  }
}

/**
 * One mapping row as a sentence, in the portal's terms: "title ← the first 64 characters of jobTitle",
 * followed by the default value, "Apply this mapping" and matching, when they apply.
 */
export function explainMapping(mapping: AttributeMapping): string {
  const target = mapping.targetAttributeName;
  const type = mappingTypeOf(mapping);
  const expression = sourceExpressionOf(mapping);
  let value: string;
  if (type === 'None' || expression === null) value = 'no source value';
  else if (type === 'Constant') value = `always ${explainExpression(expression) ?? expression}`;
  else value = explainExpression(expression) ?? `the expression ${expression} (it does not parse)`;
  const notes: string[] = [];
  if (mapping.defaultValue != null && mapping.defaultValue !== '') notes.push(`${quoted(mapping.defaultValue)} when that is empty`);
  if (isCreateOnly(mapping)) notes.push('only when the user is created');
  if ((mapping.matchingPriority ?? 0) > 0) notes.push(`Entra matches existing objects on it (precedence ${mapping.matchingPriority})`);
  return `${target} ← ${value}${notes.length ? `; ${notes.join('; ')}` : ''}`;
}
