/**
 * .NET regular expressions on a linear-time engine (Microsoft Learn "Reference for writing expressions for attribute
 * mappings", Replace; issue "Bounded"). Patterns are translated to RE2 syntax and run with re2js, so no pattern can
 * backtrack catastrophically. .NET features RE2 cannot run (lookarounds, backreferences, atomic groups, balancing
 * groups, class subtraction, \Z, \G) are refused with a message that names the feature.
 */
import { RE2JS } from 're2js';

export interface CompiledRegex {
  readonly pattern: string;
  readonly re: RE2JS;
  /** .NET group number → RE2 group index (.NET numbers unnamed groups first, then named ones) */
  readonly numberToIndex: ReadonlyMap<number, number>;
  readonly nameToIndex: ReadonlyMap<string, number>;
  /** the highest .NET group number, for $+ */
  readonly lastGroupIndex: number;
}

type RegexCompileResult = { ok: true; regex: CompiledRegex } | { ok: false; unsupported: boolean; message: string };

interface Translation {
  source: string;
  unnamedCount: number;
  names: string[];
}

class Unsupported extends Error {}

// .NET's \w, \d and \s are Unicode-aware; RE2's are ASCII, so spell out the .NET classes
const WORD_CLASS = '\\p{L}\\p{Mn}\\p{Nd}\\p{Pc}';
const DIGIT_CLASS = '\\p{Nd}';
const SPACE_CLASS = '\\f\\n\\r\\t\\v\\x{85}\\p{Z}';

function translate(pattern: string): Translation {
  let out = '';
  let inClass = false;
  let classStart = -1;
  let unnamedCount = 0;
  const names: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) {
        out += '\\';
        continue;
      }
      i++;
      if (next >= '1' && next <= '9' && !inClass) throw new Unsupported(`backreferences such as \\${next}`);
      switch (next) {
        case 'k':
          throw new Unsupported('named backreferences (\\k<name>)');
        case 'Z':
          throw new Unsupported('\\Z (end of input before a final newline); use $ or \\z');
        case 'G':
          throw new Unsupported('\\G (contiguous matches)');
        case 'd':
          out += inClass ? DIGIT_CLASS : `[${DIGIT_CLASS}]`;
          break;
        case 'D':
          out += inClass ? '\\D' : `[^${DIGIT_CLASS}]`;
          break;
        case 'w':
          out += inClass ? WORD_CLASS : `[${WORD_CLASS}]`;
          break;
        case 'W':
          out += inClass ? '\\W' : `[^${WORD_CLASS}]`;
          break;
        case 's':
          out += inClass ? SPACE_CLASS : `[${SPACE_CLASS}]`;
          break;
        case 'S':
          out += inClass ? '\\S' : `[^${SPACE_CLASS}]`;
          break;
        case 'u': {
          const hex = pattern.slice(i + 1, i + 5);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new SyntaxError('\\u must be followed by 4 hex digits');
          out += `\\x{${hex}}`;
          i += 4;
          break;
        }
        case 'e':
          out += '\\x{1B}';
          break;
        case 'a':
          out += '\\x{07}';
          break;
        case 'p':
        case 'P': {
          const close = pattern.indexOf('}', i);
          const name = pattern.slice(i + 2, close);
          if (pattern[i + 1] !== '{' || close < 0) throw new SyntaxError(`\\${next} must be followed by {category}`);
          if (/^Is/.test(name)) throw new Unsupported(`Unicode block names such as \\${next}{${name}}`);
          out += `\\${next}{${name}}`;
          i = close;
          break;
        }
        default:
          out += `\\${next}`;
      }
      continue;
    }
    if (inClass) {
      if (c === '[' && pattern[i - 1] === '-' && i - 1 > classStart + 1) throw new Unsupported('character class subtraction ([a-z-[aeiou]])');
      if (c === ']' && i > classStart + 1 && !(i === classStart + 2 && pattern[classStart + 1] === '^')) inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      classStart = i;
      out += c;
      continue;
    }
    if (c !== '(') {
      out += c;
      continue;
    }
    if (pattern[i + 1] !== '?') {
      unnamedCount++;
      out += '(';
      continue;
    }
    const rest = pattern.slice(i + 2);
    const named = /^(?:<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/.exec(rest);
    if (named) {
      const name = (named[1] ?? named[2])!;
      if (names.includes(name)) throw new Unsupported(`the group name "${name}" used twice`);
      names.push(name);
      out += `(?P<${name}>`;
      i += 1 + named[0].length;
      continue;
    }
    if (rest.startsWith('#')) {
      const close = pattern.indexOf(')', i);
      if (close < 0) throw new SyntaxError('the (?# comment is not closed');
      i = close;
      continue;
    }
    if (rest.startsWith(':')) {
      out += '(?:';
      i += 2;
      continue;
    }
    if (/^(?:=|!)/.test(rest)) throw new Unsupported('lookahead groups (?= and (?!');
    if (/^<(?:=|!)/.test(rest)) throw new Unsupported('lookbehind groups (?<= and (?<!');
    if (rest.startsWith('>')) throw new Unsupported('atomic groups (?>');
    if (rest.startsWith('(')) throw new Unsupported('conditional groups (?(');
    if (/^[<'][\w]*-/.test(rest)) throw new Unsupported('balancing groups (?<a-b>)');
    const flags = /^([imnsx]*)(?:-([imnsx]*))?([:)])/.exec(rest);
    if (flags) {
      if (/[nx]/.test(flags[1]! + (flags[2] ?? ''))) throw new Unsupported('the inline options n and x');
      out += `(?${flags[1]}${flags[2] ? `-${flags[2]}` : ''}${flags[3]}`;
      i += 1 + flags[0].length;
      continue;
    }
    out += '(?'; // anything else is a syntax error RE2 will describe
    i++;
  }
  return { source: out, unnamedCount, names };
}

const cache = new Map<string, RegexCompileResult>();
const CACHE_LIMIT = 1000;

/** Translates and compiles a .NET pattern once; results (including failures) are cached by pattern. */
export function compileRegex(pattern: string): RegexCompileResult {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let result: RegexCompileResult;
  try {
    const { source, unnamedCount, names } = translate(pattern);
    const re = RE2JS.compile(source);
    const nameToIndex = new Map(Object.entries(re.namedGroups()).map(([name, index]) => [name, index] as const));
    const numberToIndex = new Map<number, number>([[0, 0]]);
    // RE2 numbers every group left to right; .NET gives unnamed groups 1..k first, then named ones
    let unnamed = 0;
    const namedIndexes = new Set(nameToIndex.values());
    for (let index = 1; index <= re.groupCount(); index++) {
      if (!namedIndexes.has(index)) numberToIndex.set(++unnamed, index);
    }
    names.forEach((name, k) => numberToIndex.set(unnamedCount + k + 1, nameToIndex.get(name)!));
    result = { ok: true, regex: { pattern, re, numberToIndex, nameToIndex, lastGroupIndex: numberToIndex.get(re.groupCount()) ?? 0 } };
  } catch (error) {
    if (error instanceof Unsupported) {
      result = { ok: false, unsupported: true, message: `The pattern uses ${error.message}, which the linear-time regex engine cannot run` };
    } else {
      result = { ok: false, unsupported: false, message: `The pattern is not a valid regular expression: ${(error as Error).message}` };
    }
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, result);
  return result;
}

type ReplacementPart =
  | { kind: 'text'; text: string }
  | { kind: 'group'; index: number }
  | { kind: 'prefix' }
  | { kind: 'suffix' }
  | { kind: 'input' };

/**
 * Parses a .NET replacement string: $1, ${name}, $$, $&, $`, $', $+ and $_. A number or name that is
 * not a group of the pattern stays literal text, as in .NET.
 */
function parseReplacement(replacement: string, regex: CompiledRegex): ReplacementPart[] {
  const parts: ReplacementPart[] = [];
  let text = '';
  const flush = () => {
    if (text) parts.push({ kind: 'text', text });
    text = '';
  };
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!;
    if (c !== '$' || i + 1 >= replacement.length) {
      text += c;
      continue;
    }
    const next = replacement[i + 1]!;
    if (next === '$') {
      text += '$';
      i++;
    } else if (next === '{') {
      const close = replacement.indexOf('}', i + 2);
      const name = close < 0 ? '' : replacement.slice(i + 2, close);
      const index = /^\d+$/.test(name) ? regex.numberToIndex.get(Number(name)) : regex.nameToIndex.get(name);
      if (close < 0 || index === undefined) text += c;
      else {
        flush();
        parts.push({ kind: 'group', index });
        i = close;
      }
    } else if (next >= '0' && next <= '9') {
      let j = i + 1;
      while (j < replacement.length && replacement[j]! >= '0' && replacement[j]! <= '9') j++;
      const index = regex.numberToIndex.get(Number(replacement.slice(i + 1, j)));
      if (index === undefined) text += c;
      else {
        flush();
        parts.push({ kind: 'group', index });
        i = j - 1;
      }
    } else if (next === '&' || next === '`' || next === "'" || next === '+' || next === '_') {
      flush();
      parts.push(next === '&' ? { kind: 'group', index: 0 } : next === '`' ? { kind: 'prefix' } : next === "'" ? { kind: 'suffix' } : next === '+' ? { kind: 'group', index: regex.lastGroupIndex } : { kind: 'input' });
      i++;
    } else text += c;
  }
  flush();
  return parts;
}

interface RegexMatch {
  start: number;
  end: number;
  group(index: number): string | null;
  groupStart(index: number): number;
  groupEnd(index: number): number;
}

/**
 * Every match from left to right, as .NET's Regex.Matches finds them: after an empty match the scan
 * moves one character (a whole surrogate pair) forward.
 */
function* matches(regex: CompiledRegex, input: string): Generator<RegexMatch> {
  const matcher = regex.re.matcher(input);
  let position = 0;
  while (position <= input.length && matcher.find(position)) {
    const start = matcher.start();
    const end = matcher.end();
    yield {
      start,
      end,
      group: (index) => matcher.group(index),
      groupStart: (index) => matcher.start(index),
      groupEnd: (index) => matcher.end(index),
    };
    if (end > start) position = end;
    else {
      const code = input.charCodeAt(end);
      position = end + (code >= 0xd800 && code <= 0xdbff && end + 1 < input.length ? 2 : 1);
    }
  }
}

function expand(parts: readonly ReplacementPart[], match: RegexMatch, input: string): string {
  let out = '';
  for (const part of parts) {
    switch (part.kind) {
      case 'text':
        out += part.text;
        break;
      case 'group':
        out += match.group(part.index) ?? '';
        break;
      case 'prefix':
        out += input.slice(0, match.start);
        break;
      case 'suffix':
        out += input.slice(match.end);
        break;
      case 'input':
        out += input;
        break;
    }
  }
  return out;
}

/** Regex.Replace(input, pattern, replacement): every match replaced (Replace mode C). */
export function replaceAll(regex: CompiledRegex, input: string, replacement: string, checkLength?: (length: number) => void): string {
  const parts = parseReplacement(replacement, regex);
  let out = '';
  let last = 0;
  for (const match of matches(regex, input)) {
    out += input.slice(last, match.start) + expand(parts, match, input);
    last = match.end;
    checkLength?.(out.length);
  }
  return out + input.slice(last);
}

/** Replace mode D: in each match only the text captured by `groupIndex` is replaced. */
export function replaceGroup(regex: CompiledRegex, input: string, groupIndex: number, replacement: string, checkLength?: (length: number) => void): string {
  const parts = parseReplacement(replacement, regex);
  let out = '';
  let last = 0;
  for (const match of matches(regex, input)) {
    if (match.group(groupIndex) === null) continue;
    const groupStart = match.groupStart(groupIndex);
    out += input.slice(last, groupStart) + expand(parts, match, input);
    last = match.groupEnd(groupIndex);
    checkLength?.(out.length);
  }
  return out + input.slice(last);
}

/** Replace mode E: the named group's capture in the first match, or null when nothing matches. */
export function firstGroup(regex: CompiledRegex, input: string, groupIndex: number): string | null {
  for (const match of matches(regex, input)) {
    const value = match.group(groupIndex);
    if (value !== null) return value;
  }
  return null;
}
