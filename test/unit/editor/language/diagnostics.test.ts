import { describe, expect, it } from 'vitest';
import { analyse, markerSpan, quickFixesFor } from '../../../../renderer/editor/language/diagnostics.ts';

const schema = new Set(['givenName', 'surname', 'mail']);

/** Applies a quick fix to the text, as the editor's edit would. */
const apply = (text: string, fix: { start: number; end: number; newText: string }) => text.slice(0, fix.start) + fix.newText + text.slice(fix.end);

describe('diagnostics and quick fixes', () => {
  it('reports an unknown function on its name and fixes it to the near miss', () => {
    const text = 'Jion(" ", [givenName], [surname])';
    const { diagnostics, program } = analyse(text, schema);
    expect(program).toBeNull();
    const unknown = diagnostics.find((d) => d.code === 'UNKNOWN_FUNCTION')!;
    expect(text.slice(unknown.start, unknown.end)).toBe('Jion');
    const [fix] = quickFixesFor(diagnostics, 1, 1);
    expect(fix).toMatchObject({ title: 'Change to Join', preferred: true });
    const fixed = apply(text, fix!);
    expect(fixed).toBe('Join(" ", [givenName], [surname])');
    expect(analyse(fixed, schema).program).not.toBeNull();
  });

  it('fixes a near-miss attribute name, brackets included', () => {
    const text = 'ToLower([givnName])';
    const { diagnostics } = analyse(text, schema);
    const fixes = quickFixesFor(diagnostics, 10, 10);
    expect(fixes.map((f) => f.title)).toEqual(['Change to [givenName]']);
    expect(apply(text, fixes[0]!)).toBe('ToLower([givenName])');
  });

  it('offers only the fixes whose diagnostic touches the range', () => {
    const text = 'Jion([givnName])';
    const { diagnostics } = analyse(text, schema);
    expect(quickFixesFor(diagnostics, 0, 2).map((f) => f.newText)).toEqual(['Join']);
  });

  it('does not check attribute names before the schema is known', () => {
    expect(analyse('ToLower([anything])', null).diagnostics).toEqual([]);
    expect(analyse('ToLower([anything])', schema).diagnostics.map((d) => d.code)).toEqual(['UNKNOWN_ATTRIBUTE']);
  });

  it('widens a zero-width error so it can be underlined', () => {
    expect(markerSpan({ start: 8, end: 8 }, 8)).toEqual({ start: 7, end: 8 });
    expect(markerSpan({ start: 0, end: 0 }, 0)).toEqual({ start: 0, end: 0 });
    expect(markerSpan({ start: 2, end: 5 }, 10)).toEqual({ start: 2, end: 5 });
  });
});
