import { describe, expect, it } from 'vitest';
import { tokenizeJson } from '../../../renderer/preview/json-highlight.ts';

const significant = (text: string) => tokenizeJson(text).filter((t) => t.kind !== 'whitespace');

describe('tokenizeJson', () => {
  it('tells keys from string values by the colon that follows', () => {
    const tokens = significant('{ "userName" : "adele@contoso.test" }');
    expect(tokens.map((t) => t.kind)).toEqual(['punctuation', 'key', 'punctuation', 'string', 'punctuation']);
    expect(tokens[1]!.text).toBe('"userName"');
  });

  it('classes numbers, booleans and null', () => {
    const tokens = significant('[-1.5e3, 0, true, false, null]');
    expect(tokens.filter((t) => t.kind !== 'punctuation').map((t) => [t.kind, t.text])).toEqual([
      ['number', '-1.5e3'],
      ['number', '0'],
      ['boolean', 'true'],
      ['boolean', 'false'],
      ['null', 'null'],
    ]);
  });

  it('keeps escaped quotes inside one string token', () => {
    const tokens = significant('{"filter": "userName eq \\"a\\"", "b": 1}');
    expect(tokens[3]).toEqual({ kind: 'string', text: '"userName eq \\"a\\""' });
    expect(tokens[5]).toEqual({ kind: 'key', text: '"b"' });
  });

  it('tells the string "False" Entra sends from the boolean false', () => {
    const tokens = significant('{"active": "False", "enabled": false}');
    expect(tokens.find((t) => t.text === '"False"')?.kind).toBe('string');
    expect(tokens.find((t) => t.text === 'false')?.kind).toBe('boolean');
  });

  it('reproduces its input exactly, even when it is not valid JSON', () => {
    for (const text of [JSON.stringify({ a: [1, { b: null }], 'urn:x:y': 'z' }, null, 2), '{"open": "never closed', 'undefined', '@@ 12']) {
      expect(tokenizeJson(text).map((t) => t.text).join('')).toBe(text);
    }
    expect(tokenizeJson('@@').filter((t) => t.kind === 'text')).toEqual([{ kind: 'text', text: '@@' }]);
  });
});
