import { describe, expect, it } from 'vitest';
import { cursorContext, tokenAt } from '../../../../renderer/editor/language/cursor.ts';

/** `|` marks the cursor. */
const at = (marked: string) => ({ text: marked.replace('|', ''), offset: marked.indexOf('|') });

describe('cursor context of a half-typed expression', () => {
  it('inside [ ] gives the attribute prefix typed so far', () => {
    const { text, offset } = at('Join(" ", [giv|');
    expect(cursorContext(text, offset)).toMatchObject({ kind: 'attribute', prefix: 'giv', start: 11, call: { name: 'Join', argIndex: 1 } });
  });

  it('counts arguments of the innermost open call, skipping commas in strings and nested calls', () => {
    const { text, offset } = at('Switch([country], "a,b", ToUpper([x], "en"), |');
    expect(cursorContext(text, offset)).toMatchObject({ kind: 'code', word: '', call: { name: 'Switch', argIndex: 3 } });
  });

  it('knows the cursor is in a string, even after an escaped quote', () => {
    const { text, offset } = at('Append("say \\"hi|');
    expect(cursorContext(text, offset).kind).toBe('string');
  });

  it('gives the word being typed and where it starts', () => {
    const { text, offset } = at('IIF(IsNul|');
    expect(cursorContext(text, offset)).toMatchObject({ kind: 'code', word: 'IsNul', wordStart: 4, call: { name: 'IIF', argIndex: 0 } });
  });
});

describe('token under the cursor', () => {
  it('a word followed by "(" is a function; [name] is an attribute; strings are nothing', () => {
    const text = 'ToLower ([mail], "ToLower")';
    expect(tokenAt(text, 3)).toEqual({ kind: 'function', name: 'ToLower', start: 0, end: 7 });
    expect(tokenAt(text, 11)).toEqual({ kind: 'attribute', name: 'mail', start: 9, end: 15 });
    expect(tokenAt(text, 20)).toBeNull();
  });
});
