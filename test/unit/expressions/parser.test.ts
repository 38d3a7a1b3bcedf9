import { describe, expect, it } from 'vitest';
import { parse, MAX_NESTING } from '../../../shared/expressions/parser.ts';
import { ParseError } from '../../../shared/expressions/diagnostics.ts';
import type { Node } from '../../../shared/expressions/ast.ts';

function parseError(text: string): ParseError {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error(`${text} parsed`);
}

describe('parser', () => {
  it('gives every node its source span', () => {
    const text = 'Append([givenName], ".x")';
    const { root } = parse(text);
    expect(root).toMatchObject({ type: 'call', name: 'Append', start: 0, end: text.length, nameEnd: 6 });
    const [attribute, literal] = (root as Extract<Node, { type: 'call' }>).args;
    expect(text.slice(attribute!.start, attribute!.end)).toBe('[givenName]');
    expect(text.slice(literal!.start, literal!.end)).toBe('".x"');
  });

  it('unescapes \\" and \\\\ and keeps an unknown escape with a note of where it is', () => {
    const { root, lenientEscapes } = parse('Append("a\\"b\\\\c", "\\d")');
    const args = (root as Extract<Node, { type: 'call' }>).args;
    expect(args[0]).toMatchObject({ type: 'string', value: 'a"b\\c' });
    expect(args[1]).toMatchObject({ type: 'string', value: '\\d' });
    expect(lenientEscapes).toEqual([{ start: 19, end: 21, char: 'd' }]);
  });

  it('distinguishes empty arguments from "" including a trailing empty argument', () => {
    const { root } = parse('Replace([mail], "@x", , ,"", ,)');
    const types = (root as Extract<Node, { type: 'call' }>).args.map((a) => a.type);
    expect(types).toEqual(['attribute', 'string', 'empty', 'empty', 'string', 'empty', 'empty']);
  });

  it('reads negative, decimal and VB hex numbers', () => {
    const { root } = parse('F(-10, 42568.75, &HF7, &hff)');
    expect((root as Extract<Node, { type: 'call' }>).args).toMatchObject([
      { type: 'number', text: '-10' },
      { type: 'number', text: '42568.75' },
      { type: 'number', hex: 0xf7n },
      { type: 'number', hex: 0xffn },
    ]);
  });

  it('allows whitespace and newlines between the function name and "("', () => {
    const { root } = parse('Switch\n(\n  [a], , "1", "x"\n)');
    expect(root).toMatchObject({ type: 'call', name: 'Switch' });
  });

  it('reads attribute names with ":", ".", "-" and nested brackets with quotes', () => {
    const { root } = parse('F([urn:ietf:params:scim:schemas:extension:x:1.0:User:Job-Code], [emails[type eq "work"].value])');
    expect((root as Extract<Node, { type: 'call' }>).args).toMatchObject([
      { type: 'attribute', name: 'urn:ietf:params:scim:schemas:extension:x:1.0:User:Job-Code' },
      { type: 'attribute', name: 'emails[type eq "work"].value' },
    ]);
  });

  it('parses a comparison as a node with its operator', () => {
    const { root } = parse('IIF([a] <= 5, "x", "y")');
    expect((root as Extract<Node, { type: 'call' }>).args[0]).toMatchObject({ type: 'comparison', operator: '<=', left: { type: 'attribute' }, right: { type: 'number' } });
  });

  it('keeps a bare identifier such as vbTextCompare', () => {
    const { root } = parse('InStr("a", "b", 1, vbTextCompare)');
    expect((root as Extract<Node, { type: 'call' }>).args[3]).toMatchObject({ type: 'identifier', name: 'vbTextCompare' });
  });

  it.each([
    ['Append([givenName], ".test)', 'UNTERMINATED_STRING', 20],
    ['Append([givenName], ".test"', 'MISSING_PAREN', 0],
    ['Append([givenName] ".test")', 'MISSING_COMMA', 19],
    ['Append([a], "x") Append([b], "y")', 'TRAILING_TEXT', 17],
    ['', 'EMPTY_EXPRESSION', 0],
    ['IIF([c]="USA" AND [s]="CA", "T", "F")', 'UNSUPPORTED_OPERATOR', 14],
    ['Append("t-" & [alias], "")', 'UNSUPPORTED_OPERATOR', 12],
    ['Append[givenName], "x")', 'MISSING_PAREN', 6],
    ['Append([], "x")', 'EMPTY_ATTRIBUTE', 7],
    ['Join(",", [a] + [b])', 'UNSUPPORTED_OPERATOR', 14],
    ['IIF([a] = [b] = [c], "x", "y")', 'CHAINED_COMPARISON', 14],
    ["Switch([a], 'x', \"k\", \"v\")", 'SINGLE_QUOTED_STRING', 12],
  ])('rejects %j with %s at offset %i', (text, code, start) => {
    const error = parseError(text);
    expect(error.code).toBe(code);
    expect(error.start).toBe(start);
  });

  it('offers the double-quoted form for a single-quoted string', () => {
    expect(parseError("Append('abc', \"x\")").suggestion).toBe('"abc"');
  });

  it(`refuses nesting deeper than ${MAX_NESTING} calls instead of exhausting the stack`, () => {
    const deep = 'ToLower('.repeat(MAX_NESTING + 1) + '"x"' + ')'.repeat(MAX_NESTING + 1);
    expect(parseError(deep).code).toBe('NESTING_TOO_DEEP');
    const ok = 'ToLower('.repeat(MAX_NESTING) + '"x"' + ')'.repeat(MAX_NESTING);
    expect(parse(ok).root.type).toBe('call');
  });
});
