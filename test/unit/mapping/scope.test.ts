import { describe, expect, it } from 'vitest';
import { compileScope } from '../../../shared/mapping/scope.ts';
import type { ScopeFilter } from '../../../shared/mapping/schema.ts';

const clause = (operatorName: string, sourceOperandName: string, ...values: string[]) => ({ operatorName, sourceOperandName, targetOperand: { values } });

describe('scoping filters', () => {
  it('keeps everyone in scope when there is no filter', () => {
    expect(compileScope(null).inScope({ department: null })).toBe(true);
  });

  it('ANDs the clauses of a group and ORs the groups', () => {
    const filter: ScopeFilter = {
      groups: [
        { name: 'Sales in US', clauses: [clause('EQUALS', 'department', 'Sales'), clause('EQUALS', 'country', 'US')] },
        { name: 'Contractors', clauses: [clause('ENDS_WITH', 'userPrincipalName', '@contractors.contoso.com')] },
      ],
    };
    const scope = compileScope(filter);
    expect(scope.inScope({ department: 'Sales', country: 'US' })).toBe(true);
    expect(scope.inScope({ department: 'Sales', country: 'DE' })).toBe(false);
    expect(scope.inScope({ userPrincipalName: 'x@contractors.contoso.com' })).toBe(true);
    expect(scope.explain({ department: 'Sales', country: 'DE' })).toContain('Sales in US: country EQUALS "US"');
  });

  it('EQUALS is case-sensitive and a null value makes a clause false', () => {
    const scope = compileScope({ groups: [{ clauses: [clause('EQUALS', 'department', 'Sales')] }] });
    expect(scope.inScope({ department: 'sales' })).toBe(false);
    expect(scope.inScope({ department: null })).toBe(false);
    const not = compileScope({ groups: [{ clauses: [clause('NOT EQUALS', 'department', 'Sales')] }] });
    expect(not.inScope({ department: null })).toBe(false);
  });

  it('accepts both the portal and the Graph spelling of operators', () => {
    for (const name of ['IS NOT NULL', 'IsNotNull', 'is_not_null']) {
      const scope = compileScope({ groups: [{ clauses: [clause(name, 'mail')] }] });
      expect(scope.inScope({ mail: 'a@b.c' })).toBe(true);
      expect(scope.inScope({ mail: '' })).toBe(false);
    }
    expect(compileScope({ groups: [{ clauses: [clause('IS NULL', 'mail')] }] }).inScope({})).toBe(true);
  });

  it('supports IS TRUE / IS FALSE, integer comparisons, Includes, regex and bit masks', () => {
    const check = (c: ReturnType<typeof clause>, source: Record<string, string | boolean | null>) => compileScope({ groups: [{ clauses: [c] }] }).inScope(source);
    expect(check(clause('IS TRUE', 'accountEnabled'), { accountEnabled: true })).toBe(true);
    expect(check(clause('IS FALSE', 'accountEnabled'), { accountEnabled: true })).toBe(false);
    expect(check(clause('Greater_Than', 'extensionAttribute1', '10'), { extensionAttribute1: '11' })).toBe(true);
    expect(check(clause('Greater_Than_OR_EQUALS', 'extensionAttribute1', '10'), { extensionAttribute1: '10' })).toBe(true);
    expect(check(clause('Greater_Than', 'extensionAttribute1', '10'), { extensionAttribute1: 'ten' })).toBe(false);
    expect(check(clause('Includes', 'country', 'US,CA'), { country: 'CA' })).toBe(true);
    expect(check(clause('REGEX MATCH', 'mail', '^.+@contoso\\.com$'), { mail: 'a@contoso.com' })).toBe(true);
    expect(check(clause('NOT REGEX MATCH', 'mail', '^.+@contoso\\.com$'), { mail: 'a@contoso.com' })).toBe(false);
    expect(check(clause('&', 'extensionAttribute2', '4'), { extensionAttribute2: '6' })).toBe(true);
    expect(check(clause('!&', 'extensionAttribute2', '4'), { extensionAttribute2: '6' })).toBe(false);
  });

  it('never matches on multi-valued attributes', () => {
    const scope = compileScope({ groups: [{ clauses: [clause('IS NOT NULL', 'proxyAddresses')] }] });
    expect(scope.inScope({ proxyAddresses: ['SMTP:a@b.c'] })).toBe(false);
  });

  it('reports unknown operators and bad regular expressions as problems', () => {
    const scope = compileScope({ groups: [{ clauses: [clause('STARTS_WITH', 'mail', 'a'), clause('REGEX MATCH', 'mail', '(')] }] });
    expect(scope.problems).toHaveLength(2);
    expect(scope.problems[0]).toContain('unknown operator "STARTS_WITH"');
  });
});
