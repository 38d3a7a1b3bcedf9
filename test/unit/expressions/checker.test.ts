import { describe, expect, it } from 'vitest';
import { compileExpression, type CompileOptions, type Diagnostic } from '../../../shared/expressions/index.ts';

function diagnostics(text: string, options: CompileOptions = {}): Diagnostic[] {
  return compileExpression(text, options).diagnostics;
}

function errorOf(text: string, options: CompileOptions = {}): Diagnostic {
  const result = compileExpression(text, options);
  expect(result.ok, `${text} should not compile`).toBe(false);
  return result.diagnostics.find((d) => d.severity === 'error')!;
}

describe('checker', () => {
  it('suggests the closest function for an unknown name', () => {
    const error = errorOf('Appnd([a], "x")');
    expect(error).toMatchObject({ kind: 'validation', code: 'UNKNOWN_FUNCTION', start: 0, end: 5, suggestion: 'Append' });
    expect(error.message).toBe('Unknown function Appnd; did you mean Append?');
  });

  it('names Cloud Sync functions as belonging to another dialect', () => {
    expect(errorOf('Trim(" x ")').message).toMatch(/Cloud Sync/);
  });

  it('explains Switch arity as a default plus key/value pairs', () => {
    expect(errorOf('Switch([a], "d", "k1", "v1", "k2")').message).toBe('Switch expects a default and then key/value pairs: 3 or 5 arguments after the source, got 4');
    expect(errorOf('Switch([state], "d", "NSW")').message).toBe('Switch expects a default and then key/value pairs: at least 3 arguments after the source, got 2');
  });

  it('reports exact arity for fixed-arity functions with the call span', () => {
    expect(errorOf('Append([givenName])')).toMatchObject({ code: 'ARITY', message: 'Append takes exactly 2 arguments, got 1', start: 0, end: 19 });
    expect(errorOf('Now("x")').message).toBe('Now takes no arguments, got 1');
    expect(errorOf('RandomString(6,3,0,0)').message).toBe('RandomString needs at least 5 arguments, got 4');
  });

  it('offers the 4-argument form for the legacy 3-argument FormatDateTime', () => {
    const error = errorOf('FormatDateTime([d], "yyyy-MM-ddzzz", "yyyyMMdd")');
    expect(error.message).toMatch(/dateTimeStyles slot/);
    expect(error.suggestion).toBe('FormatDateTime([d], , "yyyy-MM-ddzzz", "yyyyMMdd")');
  });

  it('rejects an empty required argument but allows empty optional slots', () => {
    expect(errorOf('Append(, ".test")')).toMatchObject({ code: 'EMPTY_ARGUMENT', message: 'Append: source is required but this argument is empty' });
    expect(compileExpression('ToLower([a], )').ok).toBe(true);
    expect(compileExpression('Switch([a], , "1", "x")').ok).toBe(true);
  });

  it('checks attribute names case-sensitively against the schema and suggests the right casing', () => {
    const error = errorOf('Append([Description], "x")', { schema: ['description', 'mail'] });
    expect(error).toMatchObject({ code: 'UNKNOWN_ATTRIBUTE', start: 7, end: 20, suggestion: '[description]' });
    expect(error.message).toMatch(/case-sensitive/);
    expect(compileExpression('Append([description], "x")', { schema: ['description'] }).ok).toBe(true);
  });

  it('does not check attribute names when no schema is given', () => {
    expect(compileExpression('Append([anything], "x")').ok).toBe(true);
  });

  it('limits expressions to 10,000 characters', () => {
    const text = `Append("${'a'.repeat(10_000)}", "b")`;
    expect(errorOf(text)).toMatchObject({ code: 'TOO_LONG', start: 10_000, end: text.length });
  });

  it('keeps SelectUniqueValue at the top level and off matching or update-time mappings', () => {
    expect(errorOf('ToLower(SelectUniqueValue("a", "b"))').code).toBe('NOT_TOP_LEVEL');
    expect(errorOf('SelectUniqueValue("a", "b")', { mapping: { matchingPriority: 1, flowType: 'ObjectAddOnly' } }).code).toBe('SELECTUNIQUE_ON_MATCHING');
    expect(errorOf('SelectUniqueValue("a", "b")', { mapping: { matchingPriority: 0, flowType: 'Always' } }).code).toBe('SELECTUNIQUE_FLOW');
    expect(compileExpression('SelectUniqueValue("a", "b")', { mapping: { matchingPriority: 0, flowType: 'ObjectAddOnly' } }).ok).toBe(true);
  });

  it('refuses IgnoreFlowIfNullOrEmpty as an IIF condition and warns when it is nested', () => {
    expect(errorOf('IIF(IgnoreFlowIfNullOrEmpty([a]), "x", "y")').code).toBe('IGNOREFLOW_IN_CONDITION');
    const nested = diagnostics('Append(IgnoreFlowIfNullOrEmpty([a]), "x")');
    expect(nested.map((d) => [d.severity, d.code])).toContainEqual(['warning', 'IGNOREFLOW_NOT_TOP_LEVEL']);
  });

  it('resolves a function name in the wrong case with a warning and a quick-fix', () => {
    const result = compileExpression('append([a], "x")');
    expect(result.ok).toBe(true);
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'FUNCTION_CASE', suggestion: 'Append', start: 0, end: 6 }));
  });

  it('refuses regex features the linear-time engine cannot run, naming the feature', () => {
    const error = errorOf('Replace([x], , "(?<=a)b", , "", , )');
    expect(error.code).toBe('REGEX_UNSUPPORTED');
    expect(error.message).toMatch(/lookbehind/);
    expect(errorOf('Replace([x], , "(a)\\\\1", , "", , )').message).toMatch(/backreferences/);
    expect(errorOf('Replace([x], , "[a-z-[aeiou]]", , "", , )').message).toMatch(/subtraction/);
  });

  it('warns (but compiles) on a regex syntax error, which Entra reports at run time', () => {
    const result = compileExpression('Replace([x], , "([a-z", , "", , )');
    expect(result.ok).toBe(true);
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'REGEX_INVALID' }));
  });

  it('rejects a regex group name the pattern does not define', () => {
    expect(errorOf('Replace([x], , "(?<a>\\\\d+)", "b", "1", , )').code).toBe('REGEX_GROUP_MISSING');
  });

  it('rejects Replace with both oldValue and regexPattern', () => {
    expect(errorOf('Replace([x], "a", "b", , "c", , )').code).toBe('REPLACE_AMBIGUOUS');
  });

  it('accepts vbTextCompare only where InStr expects it', () => {
    expect(compileExpression('InStr("a", "b", 1, vbTextCompare)').ok).toBe(true);
    expect(errorOf('InStr("a", "b", 1, vbTextCompar)').suggestion).toBe('vbTextCompare');
    expect(errorOf('Append(Contoso, "x")')).toMatchObject({ code: 'UNKNOWN_IDENTIFIER', suggestion: '"Contoso"' });
  });

  it('warns about an undocumented escape and suggests the explicit form', () => {
    expect(diagnostics('Append("\\+", "")')).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'LENIENT_ESCAPE', suggestion: '\\\\+' }));
  });

  it('rejects an unknown date interval literal at save time', () => {
    expect(errorOf('DateAdd("days", 1, Now())').code).toBe('UNKNOWN_INTERVAL');
  });

  it('notes that an IIF condition on an attribute fails when the attribute is missing', () => {
    expect(diagnostics('IIF([country]="USA", "a", "b")')).toContainEqual(expect.objectContaining({ severity: 'info', code: 'IIF_NULL_CONDITION', start: 4, end: 19 }));
  });

  it('marks a bare attribute at the top level as a Direct mapping', () => {
    expect(diagnostics('[mail]')).toEqual([expect.objectContaining({ severity: 'info', code: 'TOP_LEVEL_VALUE' })]);
  });
});
