import { ParseError } from './diagnostics.ts';

/**
 * Tokens of the expression syntax (Microsoft Learn "Reference for writing expressions for attribute mappings", "Syntax
 * overview"). Offsets are UTF-16 indexes into the expression text.
 */
export type Token =
  | { type: '(' | ')' | ',' | 'eof'; start: number; end: number }
  | { type: 'op'; op: '=' | '<>' | '<' | '<=' | '>' | '>='; start: number; end: number }
  | { type: 'string'; value: string; start: number; end: number }
  | { type: 'attribute'; name: string; start: number; end: number }
  | { type: 'number'; text: string; hex?: bigint; start: number; end: number }
  | { type: 'identifier'; name: string; start: number; end: number };

/** A backslash before a character other than `"` or `\` inside a string (§2.3 note 3). */
export interface LenientEscape {
  start: number;
  end: number;
  char: string;
}

interface TokenizeResult {
  tokens: Token[];
  lenientEscapes: LenientEscape[];
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isLetter = (c: string | undefined) => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isHexDigit = (c: string | undefined) => isDigit(c) || (c !== undefined && /^[a-fA-F]$/.test(c));
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

/** Splits the text into tokens; the first lexical error is thrown as a ParseError with its span. */
export function tokenize(text: string): TokenizeResult {
  const tokens: Token[] = [];
  const lenientEscapes: LenientEscape[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: c, start, end: ++i });
    } else if (c === '"') {
      i = readString(text, i, tokens, lenientEscapes);
    } else if (c === '[') {
      i = readAttribute(text, i, tokens);
    } else if (c === '=') {
      tokens.push({ type: 'op', op: '=', start, end: ++i });
    } else if (c === '<') {
      const next = text[i + 1];
      if (next === '>' || next === '=') {
        tokens.push({ type: 'op', op: next === '>' ? '<>' : '<=', start, end: (i += 2) });
      } else tokens.push({ type: 'op', op: '<', start, end: ++i });
    } else if (c === '>') {
      if (text[i + 1] === '=') tokens.push({ type: 'op', op: '>=', start, end: (i += 2) });
      else tokens.push({ type: 'op', op: '>', start, end: ++i });
    } else if (isDigit(c) || (c === '-' && isDigit(text[i + 1]))) {
      i = readNumber(text, i, tokens);
    } else if (c === '&') {
      if ((text[i + 1] === 'H' || text[i + 1] === 'h') && isHexDigit(text[i + 2])) {
        let j = i + 2;
        while (isHexDigit(text[j])) j++;
        const digits = text.slice(i + 2, j);
        if (isLetter(text[j]) || isDigit(text[j])) throw new ParseError('BAD_NUMBER', `"${text.slice(i, j + 1)}" is not a valid hex number`, i, j + 1);
        tokens.push({ type: 'number', text: text.slice(i, j), hex: BigInt(`0x${digits}`), start, end: j });
        i = j;
      } else {
        // §2.3 note 8: "&" concatenation is AAD Connect / Cloud Sync syntax, not app provisioning
        throw new ParseError('UNSUPPORTED_OPERATOR', '"&" concatenation is not supported here: use Join("", a, b) or Append(a, b)', i, i + 1);
      }
    } else if (isLetter(c)) {
      let j = i + 1;
      while (isLetter(text[j]) || isDigit(text[j]) || text[j] === '_') j++;
      tokens.push({ type: 'identifier', name: text.slice(i, j), start, end: j });
      i = j;
    } else if (c === '+' || c === '-' || c === '*' || c === '/') {
      throw new ParseError('UNSUPPORTED_OPERATOR', `The expression language has no arithmetic: "${c}" is not an operator (use functions such as Join, DateAdd or Mid)`, i, i + 1);
    } else if (c === "'") {
      // §2.3 note 6: one Microsoft doc writes a single-quoted string; the service takes double quotes only
      const close = text.indexOf("'", i + 1);
      const end = close < 0 ? n : close + 1;
      const suggestion = close < 0 ? undefined : JSON.stringify(text.slice(i + 1, close));
      throw new ParseError('SINGLE_QUOTED_STRING', 'Strings are written in double quotes, not single quotes', i, end, suggestion);
    } else {
      throw new ParseError('UNEXPECTED_CHARACTER', `Unexpected character "${c}"`, i, i + 1);
    }
  }
  tokens.push({ type: 'eof', start: n, end: n });
  return { tokens, lenientEscapes };
}

function readString(text: string, open: number, tokens: Token[], lenientEscapes: LenientEscape[]): number {
  let value = '';
  let i = open + 1;
  let chunkStart = i;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      value += text.slice(chunkStart, i);
      tokens.push({ type: 'string', value, start: open, end: i + 1 });
      return i + 1;
    }
    if (c === '\\') {
      const next = text[i + 1];
      if (next === '"' || next === '\\') {
        value += text.slice(chunkStart, i) + next;
        i += 2;
        chunkStart = i;
        continue;
      }
      // §2.3 note 3 (lenient): an undocumented escape keeps its backslash, as a working Microsoft
      // example ("\+(?<isdCode>...") requires
      if (next !== undefined) lenientEscapes.push({ start: i, end: i + 2, char: next });
    }
    i++;
  }
  throw new ParseError('UNTERMINATED_STRING', 'This string is not closed: add the closing double quote', open, text.length, '"');
}

function readAttribute(text: string, open: number, tokens: Token[]): number {
  // §2.3 note 4: names such as emails[type eq "work"].value nest brackets and quotes, so the name
  // ends at the "]" that brings the bracket depth back to zero
  let depth = 1;
  let inQuotes = false;
  let i = open + 1;
  for (; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') inQuotes = false;
      continue;
    }
    if (c === '"') inQuotes = true;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) break;
  }
  if (i >= text.length) throw new ParseError('UNTERMINATED_ATTRIBUTE', 'This attribute reference is not closed: add "]"', open, text.length, ']');
  const name = text.slice(open + 1, i);
  if (name.trim() === '') throw new ParseError('EMPTY_ATTRIBUTE', 'An attribute reference needs a name between the brackets, such as [mail]', open, i + 1);
  tokens.push({ type: 'attribute', name, start: open, end: i + 1 });
  return i + 1;
}

function readNumber(text: string, start: number, tokens: Token[]): number {
  let i = start;
  if (text[i] === '-') i++;
  while (isDigit(text[i])) i++;
  if (text[i] === '.') {
    if (!isDigit(text[i + 1])) throw new ParseError('BAD_NUMBER', 'A decimal point must be followed by digits', start, i + 1);
    i++;
    while (isDigit(text[i])) i++;
  }
  if (isLetter(text[i]) || text[i] === '_' || text[i] === '.') {
    let j = i;
    while (isLetter(text[j]) || isDigit(text[j]) || text[j] === '_' || text[j] === '.') j++;
    throw new ParseError('BAD_NUMBER', `"${text.slice(start, j)}" is not a number; text must be in double quotes`, start, j, JSON.stringify(text.slice(start, j)));
  }
  tokens.push({ type: 'number', text: text.slice(start, i), start, end: i });
  return i;
}
