import { describe, expect, it } from 'vitest';
import { explainExpression, explainMapping, prettyExpression } from '../../../shared/reports/explain.ts';

describe('plain-word explanations', () => {
  it('says Left as the first N characters of the attribute', () => {
    expect(explainMapping({ targetAttributeName: 'title', source: { type: 'Function', expression: 'Left([jobTitle], 64)' } })).toBe('title ← the first 64 characters of jobTitle');
  });

  it('spells out Entra’s active switch key by key', () => {
    expect(explainExpression('Switch([IsSoftDeleted], , "False", "True", "True", "False")')).toBe(
      '"True" when IsSoftDeleted is "False", "False" when IsSoftDeleted is "True"; nothing otherwise',
    );
  });

  it('names the separator of Join, calling a single space "a space"', () => {
    expect(explainExpression('Join(" ", [givenName], [surname])')).toBe('givenName and surname joined with a space');
    expect(explainExpression('Join(", ", [surname], [givenName])')).toBe('surname and givenName joined with ", "');
  });

  it('brackets nested phrases so the sentence stays unambiguous', () => {
    expect(explainExpression('Coalesce([mail], Append([mailNickname], "@contoso.com"))')).toBe(
      'the first of mail or (mailNickname followed by "@contoso.com") that has a value',
    );
    expect(explainExpression('IIF([userType] = "Guest", "g", ToLower([mail]))')).toBe('"g" if userType is "Guest", otherwise (mail in lower case)');
  });

  it('explains date formatting with the output format first', () => {
    expect(explainExpression('FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd")')).toBe(
      'employeeHireDate written as "yyyy-MM-dd" (read as "yyyy-MM-ddTHH:mm:ssZ")',
    );
  });

  it('adds the default value, create-only flow and matching precedence of a row', () => {
    expect(
      explainMapping({
        targetAttributeName: 'externalId',
        source: { type: 'Attribute', name: 'objectId', expression: '[objectId]' },
        defaultValue: 'none',
        flowType: 'ObjectAddOnly',
        matchingPriority: 1,
      }),
    ).toBe('externalId ← objectId; "none" when that is empty; only when the user is created; Entra matches existing objects on it (precedence 1)');
  });

  it('describes constants and mapping type None', () => {
    expect(explainMapping({ targetAttributeName: 'userType', source: { type: 'Constant', name: 'Employee', expression: '"Employee"' } })).toBe('userType ← always "Employee"');
    expect(explainMapping({ targetAttributeName: 'nickName', source: null, defaultValue: 'n/a' })).toBe('nickName ← no source value; "n/a" when that is empty');
  });

  it('returns null for text that does not parse, and the row says so', () => {
    expect(explainExpression('Left([jobTitle], ')).toBeNull();
    expect(explainMapping({ targetAttributeName: 'title', source: { type: 'Function', expression: 'Left([jobTitle], ' } })).toContain('does not parse');
  });
});

describe('pretty-printing', () => {
  it('keeps short expressions on one line, normalising spacing', () => {
    expect(prettyExpression('Left( [jobTitle],64 )')).toBe('Left([jobTitle], 64)');
  });

  it('puts one argument per line when a call is too long', () => {
    expect(prettyExpression('FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd")')).toBe(
      'FormatDateTime(\n  [employeeHireDate],\n  ,\n  "yyyy-MM-ddTHH:mm:ssZ",\n  "yyyy-MM-dd"\n)',
    );
  });

  it('re-escapes quotes inside string literals', () => {
    expect(prettyExpression('Replace([displayName], "\\"", , , "", , )')).toContain('"\\""');
  });

  it('returns unparsable text unchanged', () => {
    expect(prettyExpression('Left(')).toBe('Left(');
  });
});
