/**
 * Where the cursor is in a half-typed expression. The real lexer stops at the first error, but an expression being
 * typed is broken most of the time, so completion and signature help read the text with this forgiving scan instead:
 * strings (with \" and \\ escapes, Microsoft Learn "Reference for writing expressions for attribute mappings", "Syntax
 * overview"), [attribute] references, and the stack of open calls with the index of the argument the cursor is in.
 */

interface CallFrame {
  /** the function name as typed before "(" (may be empty for a bare parenthesis) */
  name: string;
  nameStart: number;
  openParen: number;
  /** 0-based index of the argument the cursor is in */
  argIndex: number;
}

type CursorContext =
  | { kind: 'string'; call: CallFrame | null }
  /** inside [ ]: `start` is just after "[", `prefix` what is typed up to the cursor */
  | { kind: 'attribute'; prefix: string; start: number; call: CallFrame | null }
  /** anywhere else: the identifier being typed ends at the cursor */
  | { kind: 'code'; word: string; wordStart: number; call: CallFrame | null };

const isWordChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);

export function cursorContext(text: string, offset: number): CursorContext {
  const end = Math.max(0, Math.min(offset, text.length));
  const stack: CallFrame[] = [];
  let i = 0;
  while (i < end) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < end && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= end) return { kind: 'string', call: stack.at(-1) ?? null };
      i = j + 1;
    } else if (c === '[') {
      const close = text.indexOf(']', i + 1);
      if (close < 0 || close >= end) return { kind: 'attribute', prefix: text.slice(i + 1, end), start: i + 1, call: stack.at(-1) ?? null };
      i = close + 1;
    } else if (c === '(') {
      let k = i - 1;
      while (k >= 0 && /\s/.test(text[k]!)) k--;
      let nameStart = k + 1;
      while (nameStart > 0 && isWordChar(text[nameStart - 1])) nameStart--;
      stack.push({ name: text.slice(nameStart, k + 1), nameStart, openParen: i, argIndex: 0 });
      i++;
    } else if (c === ')') {
      stack.pop();
      i++;
    } else if (c === ',') {
      const top = stack.at(-1);
      if (top) top.argIndex++;
      i++;
    } else i++;
  }
  let wordStart = end;
  while (wordStart > 0 && isWordChar(text[wordStart - 1])) wordStart--;
  return { kind: 'code', word: text.slice(wordStart, end), wordStart, call: stack.at(-1) ?? null };
}

type TokenAt =
  | { kind: 'function'; name: string; start: number; end: number }
  | { kind: 'identifier'; name: string; start: number; end: number }
  | { kind: 'attribute'; name: string; start: number; end: number };

/** The word or [attribute] under the cursor, for hover: a word followed by "(" is a function name. */
export function tokenAt(text: string, offset: number): TokenAt | null {
  // Is the offset inside a string? Then there is nothing to describe.
  let i = 0;
  while (i < text.length && i <= offset) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (offset > i && offset <= j) return null;
      i = j + 1;
    } else if (c === '[') {
      const close = text.indexOf(']', i + 1);
      const stop = close < 0 ? text.length : close + 1;
      if (offset >= i && offset < stop) return { kind: 'attribute', name: text.slice(i + 1, close < 0 ? text.length : close), start: i, end: stop };
      i = stop;
    } else i++;
  }
  let start = offset;
  while (start > 0 && isWordChar(text[start - 1])) start--;
  let stop = offset;
  while (stop < text.length && isWordChar(text[stop])) stop++;
  if (stop === start || !/[A-Za-z]/.test(text[start]!)) return null;
  let next = stop;
  while (next < text.length && /\s/.test(text[next]!)) next++;
  const name = text.slice(start, stop);
  return text[next] === '(' ? { kind: 'function', name, start, end: stop } : { kind: 'identifier', name, start, end: stop };
}
