import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../../../shared/expressions/index.ts';
import { rules, runtimeError, value } from '../helpers.ts';

describe('logic functions', () => {
  it('IIF evaluates only the chosen branch', () => {
    // the untaken branch would fail (Item index 0), so evaluating it would be visible
    expect(value('IIF([c]="USA", "domestic", Item([p], 0))', { c: 'USA', p: ['a'] })).toBe('domestic');
  });

  it('IIF fails the condition when an attribute in it is null or empty (strict)', () => {
    const error = runtimeError('IIF([country]="", "Other", [country])', { country: '' });
    expect(error.code).toBe('IIF_NULL_CONDITION');
    expect(error.message).toMatch(/\[country\]/);
    expect(rules('IIF(IsPresent([country]), [country], "Other")')).toContain('IIF null condition');
  });

  it('IIF lets branch-only attributes be null', () => {
    expect(value('IIF([a]="x", [missing], "y")', { a: 'x' })).toBe(null);
  });

  it('lenient IIF mode accepts attributes guarded by Switch with a "" key', () => {
    const expr = 'IIF(DateDiff("d", Now(), CDate(Switch([last], [last], "", "9999-12-31"))) <= 0, "gone", "active")';
    const context = { now: new Date('2025-07-30T00:00:00Z') };
    expect(runtimeError(expr, {}, context).code).toBe('IIF_NULL_CONDITION');
    expect(value(expr, {}, { ...context, iifMode: 'lenient' })).toBe('active');
    expect(rules(expr, {}, { ...context, iifMode: 'lenient' })).toContain('IIF null condition');
  });

  it('lenient IIF mode still fails an unguarded null attribute', () => {
    expect(runtimeError('IIF(Len([LastName]) <= 5, "a", "b")', {}, { iifMode: 'lenient' }).code).toBe('IIF_NULL_CONDITION');
  });

  it('IIF rejects a condition that is not a Boolean', () => {
    expect(runtimeError('IIF("banana", "a", "b")').code).toBe('NOT_A_BOOLEAN');
  });

  it('Switch compares case-sensitively and returns the first match', () => {
    expect(value('Switch([x], "d", "a", "first", "a", "second")', { x: 'a' })).toBe('first');
    expect(value('Switch([x], "d", "A", "upper")', { x: 'a' })).toBe('d');
  });

  it('Switch matches a null or empty source against the key ""', () => {
    expect(value('Switch([country], [country], "", "Other")')).toBe('Other');
    expect(value('Switch([country], [country], "", "Other")', { country: '' })).toBe('Other');
    expect(value('Switch([country], [country], "", "Other")', { country: 'NL' })).toBe('NL');
  });

  it('Switch with an empty default gives null when nothing matches, and "" with an explicit ""', () => {
    expect(value('Switch([Active], , "1", "True")', { Active: '2' })).toBe(null);
    expect(value('Switch([Active], "", "1", "True")', { Active: '2' })).toBe('');
  });

  it('Switch compares a Boolean source through "True"/"False" (the default active mapping)', () => {
    const active = 'Switch([IsSoftDeleted], , "False", "True", "True", "False")';
    expect(value(active, { IsSoftDeleted: true })).toBe('False');
    expect(value(active, { IsSoftDeleted: false })).toBe('True');
    expect(value(active, { IsSoftDeleted: 'False' })).toBe('True');
  });

  it('Switch evaluates only the value paired with the matching key', () => {
    expect(value('Switch([x], Item([p], 9), "a", "ok", "b", Item([p], 9))', { x: 'a', p: ['v'] })).toBe('ok');
  });

  it('Coalesce returns the first non-null value and treats "" as a value', () => {
    expect(value('Coalesce([mail], [upn])', { upn: 'u@c.com' })).toBe('u@c.com');
    expect(value('Coalesce([a], [b])')).toBe(null);
    expect(value('Coalesce([a], "x")', { a: '' })).toBe('');
    expect(rules('Coalesce([a], "x")', { a: '' })).toContain('Coalesce empty string');
  });

  it('Not flips True and gives True for anything else', () => {
    expect(value('Not([d])', { d: true })).toBe(false);
    expect(value('Not("TRUE")')).toBe(false);
    expect(value('Not("False")')).toBe(true);
    expect(value('Not("banana")')).toBe(true);
    expect(value('Not([missing])')).toBe(true);
    expect(rules('Not([missing])')).toContain('Not null');
  });

  it('CBool reads comparisons, "True"/"False" and numbers, and rejects other text', () => {
    expect(value('CBool([a] = [b])', { a: 'x', b: 'x' })).toBe(true);
    expect(value('CBool("0")')).toBe(false);
    expect(value('CBool("-2")')).toBe(true);
    expect(value('CBool("false")')).toBe(false);
    expect(runtimeError('CBool("maybe")').code).toBe('NOT_A_BOOLEAN');
  });

  it('the null tests separate null, "" and " "', () => {
    const source = { empty: '', space: ' ' };
    expect([value('IsNull([empty])', source), value('IsNull([none])', source)]).toEqual([false, true]);
    expect([value('IsNullOrEmpty([empty])', source), value('IsNullOrEmpty([space])', source)]).toEqual([true, false]);
    expect([value('IsPresent([space])', source), value('IsPresent([empty])', source)]).toEqual([true, false]);
  });

  it('IsString is true for text, including numeric literals, and false for null', () => {
    expect(value('IsString(42)')).toBe(true);
    expect(value('IsString([missing])')).toBe(false);
    expect(value('IsString(IsNull([x]))')).toBe(false);
  });

  it('IgnoreFlowIfNullOrEmpty turns null and "" into the ignore marker and passes other values', () => {
    const program = compileExpression('IgnoreFlowIfNullOrEmpty([department])');
    if (!program.ok) throw new Error('compile');
    const dropped = program.program.evaluate({ department: '' });
    expect(dropped.ok && dropped.value.kind).toBe('ignore');
    expect(value('IgnoreFlowIfNullOrEmpty([department])', { department: 'Sales' })).toBe('Sales');
  });

  it('comparisons are numeric for numeric text and ordinal for other text', () => {
    expect(value('CBool([n] = 1)', { n: '01' })).toBe(true);
    expect(value('CBool([n] < 10)', { n: '9' })).toBe(true);
    expect(value('CBool("9" < "10a")')).toBe(false); // ordinal text comparison: "9" > "1"
    expect(value('CBool([x] = "usa")', { x: 'USA' })).toBe(false);
  });

  it('comparisons with null outside IIF: only "" equals null', () => {
    expect(value('CBool([missing] = "")')).toBe(true);
    expect(value('CBool([missing] = "x")')).toBe(false);
    expect(value('CBool([missing] <> "x")')).toBe(true);
    expect(rules('CBool([missing] = "")')).toContain('Null comparison');
  });

  it('a Boolean compares with text through its "True"/"False" form', () => {
    expect(value('CBool([d] = "True")', { d: true })).toBe(true);
  });

  it('two dates compare as instants', () => {
    expect(value('CBool(CDate("2021-01-01T00:00:00+01:00") < CDate("2021-01-01T00:00:00Z"))')).toBe(true);
  });
});
