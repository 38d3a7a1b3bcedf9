import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatExpression, treeShape } from '../../../../renderer/editor/language/format.ts';
import { parse } from '../../../../shared/expressions/parser.ts';

// The engine's conformance vectors (copied from ../shared, see test/fixtures/README.md).
const vectors = JSON.parse(readFileSync(new URL('../../../fixtures/expression-vectors.json', import.meta.url), 'utf8')) as { id: string; expression: string }[];

describe('Format expression', () => {
  it('breaks a long nested call into one argument per line, indented by depth', () => {
    const text = 'IIF(IsNullOrEmpty([mail]), Join("@", ToLower([mailNickname]), "contoso.com"), ToLower([mail]))';
    const result = formatExpression(text);
    expect(result).toEqual({
      ok: true,
      text: ['IIF(', '  IsNullOrEmpty([mail]),', '  Join("@", ToLower([mailNickname]), "contoso.com"),', '  ToLower([mail])', ')'].join('\n'),
    });
  });

  it('keeps a short call on one line and normalises spacing, empty arguments included', () => {
    expect(formatExpression('FormatDateTime( [d],,"yyyyMMdd" ,"yyyy" )')).toEqual({ ok: true, text: 'FormatDateTime([d], , "yyyyMMdd", "yyyy")' });
  });

  it('keeps escapes exactly as typed', () => {
    const text = 'Append("say \\"hi\\" \\d", "")';
    expect(formatExpression(text)).toEqual({ ok: true, text });
  });

  it('refuses text that does not parse, saying why', () => {
    const result = formatExpression('Join(" ", [a]');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/^Fix the syntax error first/);
  });

  it('round-trips every parsable conformance vector to the same syntax tree, at any width', () => {
    let checked = 0;
    for (const { id, expression } of vectors) {
      let before;
      try {
        before = treeShape(parse(expression).root);
      } catch {
        continue;
      }
      for (const width of [20, 60]) {
        const formatted = formatExpression(expression, width);
        expect(formatted.ok, id).toBe(true);
        if (formatted.ok) expect(treeShape(parse(formatted.text).root), id).toEqual(before);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(200);
  });
});
