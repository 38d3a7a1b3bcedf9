/**
 * Functions that need the test context or randomness (Microsoft Learn "Reference for writing expressions for attribute
 * mappings").
 */
import { integerArg, textOf } from '../coerce.ts';
import { flag, type Env } from '../runtime.ts';
import { stringValue } from '../value.ts';
import { argEvaluator, param, strict, type FunctionDef } from './types.ts';

/** mulberry32: small and seedable, so `context.seed` makes Guid() and RandomString() reproducible. */
function randomSource(env: Env): () => number {
  if (env.random) return env.random;
  let state = (env.context.seed ?? Math.floor(Math.random() * 2 ** 32)) >>> 0;
  env.random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return env.random;
}

const DIGITS = '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
// [I] the special characters of the Windows password-complexity page FN links to
const SPECIAL = '~!@#$%^&*_-+=`|\\(){}[]:;"\'<>,.?/';

function existingSet(env: Env): ReadonlySet<string> | undefined {
  if (env.existing === undefined && env.context.existingValues !== undefined) {
    env.existing = new Set([...env.context.existingValues].map((value) => value.toLowerCase()));
  }
  return env.existing;
}

export const contextFunctions: FunctionDef[] = [
  {
    name: 'DefaultDomain',
    family: 'context',
    description: "Returns the tenant's default verified domain name; fails when the tenant has none.",
    params: [],
    minArgs: 0,
    maxArgs: 0,
    returns: 'string',
    examples: [{ expression: 'Join("@", [mailNickname], DefaultDomain())', source: { mailNickname: 'jdoe' }, result: 'jdoe@contoso.com' }],
    documentedIn: 'FN',
    compile: (_args, call) => (env) => {
      const domain = env.context.defaultDomain;
      if (!domain) return call.fail('NO_DEFAULT_DOMAIN', 'DefaultDomain: the tenant has no default verified domain (set one in the test context)');
      return stringValue(domain);
    },
  },
  {
    name: 'Guid',
    family: 'context',
    description: 'Returns a new random GUID in lower-case "D" format, different on every evaluation.',
    params: [],
    minArgs: 0,
    maxArgs: 0,
    returns: 'string',
    examples: [{ expression: 'Guid()', result: '00aa00aa-bb11-cc22-dd33-44ee44ee44ee' }],
    documentedIn: 'FN',
    nonDeterministic: true,
    compile: () => (env) => {
      const random = randomSource(env);
      let hex = '';
      for (let i = 0; i < 32; i++) {
        let digit = Math.floor(random() * 16);
        if (i === 12) digit = 4; // version 4
        if (i === 16) digit = 8 + (digit & 3); // RFC 4122 variant
        hex += digit.toString(16);
      }
      return stringValue(`${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`);
    },
  },
  {
    name: 'RandomString',
    family: 'context',
    description: 'Returns a random string of Length characters (at most 256) with at least the given numbers of digits, special characters, capitals and lower-case letters, avoiding CharactersToAvoid.',
    params: [
      param('Length', 'number', 'total length, at most 256'),
      param('MinimumNumbers', 'number', 'at least this many digits'),
      param('MinimumSpecialCharacters', 'number', 'at least this many special characters'),
      param('MinimumCapital', 'number', 'at least this many capitals'),
      param('MinimumLowerCase', 'number', 'at least this many lower-case letters'),
      param('CharactersToAvoid', 'string', 'characters that must not appear', { optional: true }),
    ],
    minArgs: 5,
    maxArgs: 6,
    returns: 'string',
    examples: [{ expression: 'RandomString(6, 3, 0, 0, 3)', result: '1a73qt' }],
    documentedIn: 'FN',
    nonDeterministic: true,
    compile: (args, call) =>
      strict(args, (values, env) => {
        const names = ['Length', 'MinimumNumbers', 'MinimumSpecialCharacters', 'MinimumCapital', 'MinimumLowerCase'];
        const [length, ...minimums] = names.map((name, i) => {
          const n = integerArg(values[i]!, env, call, i, name);
          if (n < 0) call.fail('OUT_OF_RANGE', `RandomString: ${name} cannot be negative`, i);
          return n;
        }) as [number, number, number, number, number];
        if (length > 256) call.fail('OUT_OF_RANGE', `RandomString: Length is at most 256, got ${length}`, 0);
        const required = minimums.reduce((sum, n) => sum + n, 0);
        if (required > length) call.fail('OUT_OF_RANGE', `RandomString: Length ${length} is less than the sum of the minimums (${required})`, 0);
        const avoid = new Set(values[5] ? (textOf(values[5], env) ?? '') : '');
        const sets = [DIGITS, SPECIAL, UPPER, LOWER].map((set) => [...set].filter((c) => !avoid.has(c)));
        const random = randomSource(env);
        const pick = (set: string[]) => set[Math.floor(random() * set.length)]!;
        const chars: string[] = [];
        sets.forEach((set, i) => {
          if (minimums[i]! > 0 && set.length === 0) call.fail('OUT_OF_RANGE', 'RandomString: CharactersToAvoid removes every character of a required kind', 5);
          for (let k = 0; k < minimums[i]!; k++) chars.push(pick(set));
        });
        const all = sets.flat();
        if (all.length === 0 && chars.length < length) call.fail('OUT_OF_RANGE', 'RandomString: CharactersToAvoid removes every character', 5);
        while (chars.length < length) chars.push(pick(all));
        for (let i = chars.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [chars[i], chars[j]] = [chars[j]!, chars[i]!];
        }
        return stringValue(chars.join(''));
      }),
  },
  {
    name: 'Redact',
    family: 'context',
    description: 'Passes the value to the target unchanged but hides it in the provisioning logs (shown as [Redact]). Meant for initial passwords.',
    params: [param('value', 'any', 'the value to hide in logs')],
    minArgs: 1,
    maxArgs: 1,
    returns: 'any',
    examples: [{ expression: 'Redact("StringToBeRedacted")', result: 'StringToBeRedacted' }],
    documentedIn: 'FN',
    compile: (args) => argEvaluator(args[0]),
  },
  {
    name: 'SelectUniqueValue',
    family: 'context',
    description:
      'Evaluates the rules in order and returns the first value that does not exist yet in the target directory; when every value is taken the user is escrowed. Only at the top level, never on a matching attribute, and with "Apply this mapping: Only during object creation".',
    params: [param('uniqueValueRule', 'string', 'a candidate value, usually a Join of name parts', { repeatable: true })],
    minArgs: 2,
    maxArgs: Infinity,
    returns: 'string',
    examples: [{ expression: 'SelectUniqueValue(Join("@", [givenName], "contoso.com"), Join("@", Mid([givenName], 1, 1), "contoso.com"))', source: { givenName: 'John' }, result: 'John@contoso.com' }],
    documentedIn: 'FN',
    topLevelOnly: true,
    compile: (args, call) => {
      const rules = args.map(argEvaluator);
      return (env) => {
        const existing = existingSet(env);
        if (existing === undefined) flag(env, 'SelectUniqueValue without existing values');
        const exact = env.context.existingValues ? new Set(env.context.existingValues) : undefined;
        const tried: string[] = [];
        for (const rule of rules) {
          const text = textOf(rule(env), env);
          if (text === null || text === '') continue;
          if (!existing || !existing.has(text.toLowerCase())) return stringValue(text);
          // AD compares these names without regard to case [I]
          if (exact && !exact.has(text)) flag(env, 'SelectUniqueValue case-insensitive');
          tried.push(text);
        }
        return call.fail('ESCROW', `SelectUniqueValue: every candidate already exists in the target (${tried.join(', ')}); Entra escrows the user`);
      };
    },
  },
];
