import { describe, expect, it } from 'vitest';
import { completionsAt, type SchemaAttribute } from '../../../../renderer/editor/language/completion.ts';
import { functionCatalogue } from '../../../../shared/expressions/index.ts';

const attr = (name: string, inSnapshot = true): SchemaAttribute => ({ name, type: 'String', multiValued: false, availability: 'default', inSnapshot, notes: null });
const schema = [attr('givenName'), attr('surname'), attr('employeeType', false)];

describe('completion', () => {
  it('offers every catalogue function as a snippet with parameter placeholders', () => {
    const items = completionsAt('Jo', 2, schema);
    expect(items.filter((i) => i.kind === 'function')).toHaveLength(functionCatalogue.length);
    const join = items.find((i) => i.label === 'Join')!;
    expect(join).toMatchObject({ snippet: true, insertText: 'Join(${1:separator}, ${2:source})$0', start: 0, end: 2 });
    expect(join.detail).toBe('Join(separator, source…) → string');
  });

  it('inserts only the name when renaming a function that already has its "("', () => {
    const item = completionsAt('Tolowr([mail])', 3, schema).find((i) => i.label === 'ToLower')!;
    expect(item).toMatchObject({ insertText: 'ToLower', snippet: false, start: 0, end: 6 });
  });

  it('offers source attributes inside [ ], those with values in the snapshot first', () => {
    const text = 'ToLower([)';
    const items = completionsAt(text, 9, schema);
    expect(items.every((i) => i.kind === 'attribute')).toBe(true);
    const sorted = [...items].sort((a, b) => a.sortText.localeCompare(b.sortText)).map((i) => i.label);
    expect(sorted).toEqual(['givenName', 'surname', 'employeeType']);
    // No "]" yet: the completion closes the reference.
    expect(items[0]).toMatchObject({ insertText: 'givenName]', start: 9, end: 9 });
  });

  it('replaces the whole typed name up to an auto-closed "]"', () => {
    const items = completionsAt('[giv]', 3, schema);
    expect(items[0]).toMatchObject({ insertText: 'givenName', start: 1, end: 4 });
  });

  it('offers the compare modes in InStr’s fourth argument and nothing inside strings', () => {
    const labels = completionsAt('InStr([mail], "x", 1, vb', 24, schema).map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['vbTextCompare', 'vbBinaryCompare']));
    expect(completionsAt('Append("Jo', 10, schema)).toEqual([]);
  });
});
