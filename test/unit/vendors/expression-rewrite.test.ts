import { describe, expect, it } from 'vitest';
import { compileExpression, valueToString } from '../../../shared/expressions/index.ts';
import { rewriteToDateOnly, type Rewrite } from '../../../shared/vendors/expression-rewrite.ts';

const HIRED = '2021-03-15T08:00:00Z';

function rewritten(expression: string): Extract<Rewrite, { ok: true }> {
  const result = rewriteToDateOnly(expression);
  if (!result.ok) throw new Error(`expected a rewrite of ${expression}, got: ${result.reason}`);
  return result;
}

/** What the rewritten expression sends for a user, through the engine itself. */
function sends(expression: string, source: Record<string, string | boolean> = { employeeHireDate: HIRED }): string | null {
  const compiled = compileExpression(expression);
  if (!compiled.ok) throw new Error(`${expression} does not compile: ${compiled.diagnostics[0]?.message}`);
  const result = compiled.program.evaluate(source);
  if (!result.ok) throw new Error(`${expression} fails: ${result.error.message}`);
  return valueToString(result.value);
}

describe('rewriting a mapping to send a date as yyyy-MM-dd', () => {
  it('wraps a direct mapping in FormatDateTime', () => {
    const result = rewritten('[employeeHireDate]');
    expect(result.expression).toBe('FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd")');
    expect(result.description).toBe('Wrap [employeeHireDate] in FormatDateTime(…, , "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd")');
    expect(sends(result.expression)).toBe('2021-03-15');
  });

  it('replaces the output format of an existing FormatDateTime instead of wrapping it again', () => {
    const result = rewritten('FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "dd.MM.yyyy")');
    expect(result.expression).toBe('FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd")');
    expect(result.description).toBe('Change the output format of FormatDateTime to yyyy-MM-dd (was dd.MM.yyyy)');
    expect(sends(result.expression)).toBe('2021-03-15');
  });

  it('keeps the input format and the dateTimeStyles of an existing FormatDateTime as written', () => {
    const withStyles = rewritten('formatdatetime([extensionAttribute1],"AdjustToUniversal","yyyyMMddHHmmss.fZ","MM/dd/yyyy")');
    expect(withStyles.expression).toBe('formatdatetime([extensionAttribute1],"AdjustToUniversal","yyyyMMddHHmmss.fZ","yyyy-MM-dd")');
    expect(sends(withStyles.expression, { extensionAttribute1: '20150123105347.1Z' })).toBe('2015-01-23');
  });

  it('refuses a FormatDateTime without an input format: Entra rejects it, so the admin fixes that first', () => {
    const result = rewriteToDateOnly('FormatDateTime([employeeHireDate], , , "d MMM yyyy")');
    expect(result).toEqual({ ok: false, reason: 'the expression has an error to fix first (FormatDateTime: inputFormat is required but this argument is empty)' });
  });

  it('follows IIF and Switch into the branches that return the value', () => {
    const iif = rewritten('IIF([country]="DE", FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "dd.MM.yyyy"), [employeeHireDate])');
    expect(iif.expression).toBe(
      'IIF([country]="DE", FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd"), FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd"))',
    );
    expect(iif.description).toBe(
      'Change the output format of FormatDateTime to yyyy-MM-dd (was dd.MM.yyyy); Wrap [employeeHireDate] in FormatDateTime(…, , "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd")',
    );
    expect(sends(iif.expression, { country: 'DE', employeeHireDate: HIRED })).toBe('2021-03-15');
    expect(sends(iif.expression, { country: 'FR', employeeHireDate: HIRED })).toBe('2021-03-15');

    // Switch(source, default, key, value…): the source and the keys are compared, never sent, so they stay
    const switched = rewritten('Switch([employeeType], [employeeHireDate], "Contractor", "", "Intern", FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "M/d/yyyy"))');
    expect(switched.expression).toBe(
      'Switch([employeeType], FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd"), "Contractor", "", "Intern", FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd"))',
    );
    expect(sends(switched.expression, { employeeType: 'Intern', employeeHireDate: HIRED })).toBe('2021-03-15');
    expect(sends(switched.expression, { employeeType: 'Contractor', employeeHireDate: HIRED })).toBe('');
  });

  it('goes through IgnoreFlowIfNullOrEmpty and Coalesce', () => {
    expect(rewritten('IgnoreFlowIfNullOrEmpty([employeeHireDate])').expression).toBe(
      'IgnoreFlowIfNullOrEmpty(FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd"))',
    );
    const coalesced = rewritten('Coalesce([employeeHireDate], "2000-01-01T00:00:00Z")');
    expect(coalesced.expression).toBe('Coalesce(FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd"), "2000-01-01")');
    expect(coalesced.description).toContain('Change the constant "2000-01-01T00:00:00Z" to "2000-01-01"');
    expect(sends(coalesced.expression, {})).toBe('2000-01-01');
  });

  it('converts a constant date-time, and wraps a date-time function with the engine’s own text format', () => {
    expect(rewritten('"2024-01-31T00:00:00Z"')).toMatchObject({ expression: '"2024-01-31"', description: 'Change the constant "2024-01-31T00:00:00Z" to "2024-01-31"' });
    const added = rewritten('DateAdd("d", 30, CDate([employeeHireDate]))');
    expect(added.expression).toBe('FormatDateTime(DateAdd("d", 30, CDate([employeeHireDate])), , "M/d/yyyy h:mm:ss tt", "yyyy-MM-dd")');
    expect(sends(added.expression)).toBe('2021-04-14');
  });

  it('refuses what it cannot convert without guessing, and says why', () => {
    expect(rewriteToDateOnly('Join("-", [extensionAttribute1], [extensionAttribute2])')).toEqual({
      ok: false,
      reason: 'its value can come from Join(…), whose date format the fix cannot know',
    });
    expect(rewriteToDateOnly('"not a date"')).toEqual({ ok: false, reason: 'nothing in "not a date" returns a date-time the fix can convert' });
    const broken = rewriteToDateOnly('FormatDateTime([employeeHireDate], "yyyy-MM-dd")');
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.reason).toMatch(/^the expression has an error to fix first \(FormatDateTime takes 4 arguments/);
  });

  it('writes only expressions the engine compiles, whatever the quoting of the original', () => {
    for (const expression of [
      '[employeeHireDate]',
      'FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "dd.MM.yyyy")',
      'IIF([department]="R\\"D", [employeeHireDate], "")',
      'Switch([employeeType], , "A", Now())',
    ]) {
      const result = rewritten(expression);
      expect(compileExpression(result.expression).ok, result.expression).toBe(true);
    }
  });
});
