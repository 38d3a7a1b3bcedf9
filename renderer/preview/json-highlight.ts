/**
 * A tiny tokenizer for pretty-printed JSON, so request bodies can be coloured without an editor
 * dependency. It never rejects input: anything it does not recognise becomes a `text` token, so a
 * truncated or odd body still renders character for character.
 */
type JsonTokenKind = 'key' | 'string' | 'number' | 'boolean' | 'null' | 'punctuation' | 'whitespace' | 'text';

interface JsonToken {
  kind: JsonTokenKind;
  text: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /\s+/y;
const WORD = /true|false|null/y;

function matchAt(pattern: RegExp, text: string, index: number): string | null {
  pattern.lastIndex = index;
  const match = pattern.exec(text);
  return match ? match[0] : null;
}

/** The end (exclusive) of the string literal opening at `start`, honouring backslash escapes. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') i += 2;
    else if (ch === '"') return i + 1;
    else i++;
  }
  return text.length;
}

/** A string is an object key when the next non-blank character is a colon. */
function followedByColon(text: string, index: number): boolean {
  let i = index;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return text[i] === ':';
}

export function tokenizeJson(text: string): JsonToken[] {
  const tokens: JsonToken[] = [];
  const push = (kind: JsonTokenKind, value: string) => {
    const last = tokens[tokens.length - 1];
    // Adjacent unknown characters merge, so odd input does not explode into one span per character.
    if (kind === 'text' && last?.kind === 'text') last.text += value;
    else tokens.push({ kind, text: value });
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      const end = stringEnd(text, i);
      push(followedByColon(text, end) ? 'key' : 'string', text.slice(i, end));
      i = end;
      continue;
    }
    if ('{}[],:'.includes(ch)) {
      push('punctuation', ch);
      i++;
      continue;
    }
    const space = matchAt(WHITESPACE, text, i);
    if (space) {
      push('whitespace', space);
      i += space.length;
      continue;
    }
    const word = matchAt(WORD, text, i);
    if (word) {
      push(word === 'null' ? 'null' : 'boolean', word);
      i += word.length;
      continue;
    }
    const number = matchAt(NUMBER, text, i);
    if (number) {
      push('number', number);
      i += number.length;
      continue;
    }
    push('text', ch);
    i++;
  }
  return tokens;
}
