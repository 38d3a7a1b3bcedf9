/**
 * Random and mutated expressions for the fuzz test (test/stress/expressions-fuzz.test.ts) and the
 * benchmark's slowest-case report. Seeded, so a failure can be replayed from its index.
 */
import { functionCatalogue } from '../../../shared/expressions/index.ts';

export type Random = () => number;

export function seeded(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

export const FUZZ_ATTRIBUTES = ['givenName', 'surname', 'mail', 'country', 'IsSoftDeleted', 'proxyAddresses', 'hireDate', 'n', 'missing', 'appRoleAssignments'];
const LITERALS = ['""', '"a"', '"John Smith"', '"2021-06-30"', '"2021-06-30T10:00:00-07:00"', '"8/25/2021 5:41:18 PM"', '1', '-3', '0', '42.5', '&HF7', '"yyyy-MM-dd"', '"[a-z]+"', '"(?<g>\\\\d+)"', '"(a+)+$"', '"d"', '"ww"', '"True"', '","', 'vbTextCompare'];
const OPERATORS = ['=', '<>', '<', '<=', '>', '>='];
const TOKENS = ['(', ')', ',', '"', '[', ']', '\\', '&', '+', "'", '=', '<>', ' ', '\n', 'AND', 'IIF', 'Switch(', '[x]', '""', '&H', '-', '.', '9999999999999999999999'];

/** A random, mostly well-formed expression from the catalogue (wrong arities included on purpose). */
export function randomExpression(random: Random, depth = 0): string {
  const roll = random();
  if (depth > 4 || roll < 0.3) {
    return random() < 0.5 ? `[${pick(random, FUZZ_ATTRIBUTES)}]` : pick(random, LITERALS);
  }
  if (roll < 0.38) return `${randomExpression(random, depth + 1)} ${pick(random, OPERATORS)} ${randomExpression(random, depth + 1)}`;
  const fn = pick(random, functionCatalogue);
  const max = Number.isFinite(fn.maxArgs) ? fn.maxArgs : fn.minArgs + 4;
  let count = fn.minArgs + Math.floor(random() * (max - fn.minArgs + 1));
  if (random() < 0.05) count += random() < 0.5 ? -1 : 1;
  const args: string[] = [];
  for (let i = 0; i < Math.max(0, count); i++) args.push(random() < 0.1 ? '' : randomExpression(random, depth + 1));
  return `${fn.name}(${args.join(', ')})`;
}

/** A copy of `text` with a few random edits: deletions, insertions of tokens, swaps, duplications. */
export function mutate(random: Random, text: string): string {
  let out = text;
  const edits = 1 + Math.floor(random() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (out.length + 1));
    const kind = random();
    if (kind < 0.3 && out.length > 0) {
      const length = 1 + Math.floor(random() * Math.min(8, out.length - at + 1));
      out = out.slice(0, at) + out.slice(at + length);
    } else if (kind < 0.6) {
      out = out.slice(0, at) + pick(random, TOKENS) + out.slice(at);
    } else if (kind < 0.8 && out.length > 1) {
      const other = Math.floor(random() * out.length);
      const chars = [...out];
      [chars[at % chars.length], chars[other]] = [chars[other]!, chars[at % chars.length]!];
      out = chars.join('');
    } else {
      const end = Math.min(out.length, at + Math.floor(random() * 40));
      out = out.slice(0, end) + out.slice(at, end) + out.slice(end);
    }
  }
  return out;
}

/** A source object with random presence of each attribute, including "", Booleans and lists. */
export function randomSource(random: Random): Record<string, string | boolean | string[]> {
  const source: Record<string, string | boolean | string[]> = {};
  const values: (string | boolean | string[])[] = ['', 'John', 'Smith', 'USA', '5', '-1', 'True', true, false, '2021-06-30', 'straße Æ ø', 'a,b,,c', ['SMTP:a@c.com', 'smtp:b@c.com'], ['x'], 'x'.repeat(2000)];
  for (const name of FUZZ_ATTRIBUTES) if (random() < 0.7) source[name] = pick(random, values);
  return source;
}
