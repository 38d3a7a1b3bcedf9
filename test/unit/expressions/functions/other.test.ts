import { describe, expect, it } from 'vitest';
import { rules, runtimeError, value } from '../helpers.ts';

const roles = [
  { id: 'r1', value: 'Admin', displayName: 'Administrator' },
  { id: 'r2', value: 'User', displayName: 'User' },
];

describe('encoding functions', () => {
  it('ConvertToBase64 encodes UTF-16LE and ConvertToUTF8Hex upper-case UTF-8', () => {
    expect(value('ConvertToBase64("Hello world!")')).toBe('SABlAGwAbABvACAAdwBvAHIAbABkACEA');
    expect(value('ConvertToBase64("é")')).toBe('6QA=');
    expect(value('ConvertToBase64("")')).toBe('');
    expect(value('ConvertToUTF8Hex("é€😀")')).toBe('C3A9E282ACF09F9880');
  });

  it('BitAnd works on decimal and hex Int64 values and rejects text', () => {
    expect(value('BitAnd(&HF, &HF7)')).toBe('7');
    expect(value('BitAnd([uac], 2)', { uac: '514' })).toBe('2');
    expect(value('BitAnd(9007199254740993, 9007199254740993)')).toBe('9007199254740993');
    expect(runtimeError('BitAnd("abc", 1)').code).toBe('NOT_A_NUMBER');
  });
});

describe('multi-valued functions', () => {
  const proxy = { proxyAddresses: ['SMTP:a@c.com', 'smtp:b@c.com', 'SMTP:a@c.com'] };

  it('Split keeps empty parts and spaces', () => {
    expect(value('Split("a,,b", ",")')).toEqual(['a', '', 'b']);
    expect(value('Split("a, b", ",")')).toEqual(['a', ' b']);
    expect(value('Split([missing], ",")')).toBe(null);
  });

  it('Item is 1-based and fails outside the list', () => {
    expect(value('Item([proxyAddresses], 2)', proxy)).toBe('smtp:b@c.com');
    expect(runtimeError('Item([proxyAddresses], 4)', proxy).code).toBe('OUT_OF_RANGE');
    expect(runtimeError('Item([proxyAddresses], 0)', proxy).code).toBe('OUT_OF_RANGE');
  });

  it('Count counts values; a single value is 1 and null is 0', () => {
    expect(value('Count([proxyAddresses])', proxy)).toBe('3');
    expect(value('Count([mail])', { mail: 'x' })).toBe('1');
    expect(value('Count([missing])')).toBe('0');
    expect(rules('Count([missing])')).toContain('Count of single or null');
  });

  it('RemoveDuplicates keeps the first occurrence, comparing case-sensitively', () => {
    expect(value('RemoveDuplicates([proxyAddresses])', { proxyAddresses: ['SMTP:a', 'smtp:a', 'SMTP:a'] })).toEqual(['SMTP:a', 'smtp:a']);
  });

  it('a string function given a multi-valued value uses the first value and says so', () => {
    expect(value('ToUpper([proxyAddresses])', proxy)).toBe('SMTP:A@C.COM');
    expect(rules('ToUpper([proxyAddresses])', proxy)).toContain('Multi-valued as text');
  });
});

describe('context functions', () => {
  it('DefaultDomain reads the context and fails without one', () => {
    expect(value('Join("@", [nick], DefaultDomain())', { nick: 'jdoe' }, { defaultDomain: 'contoso.com' })).toBe('jdoe@contoso.com');
    expect(runtimeError('DefaultDomain()').code).toBe('NO_DEFAULT_DOMAIN');
  });

  it('Guid and RandomString are reproducible with a seed and follow their shapes', () => {
    const guid = value('Guid()', {}, { seed: 7 });
    expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(value('Guid()', {}, { seed: 7 })).toBe(guid);
    const random = value('RandomString(10, 2, 2, 2, 1, "?,")', {}, { seed: 3 }) as string;
    expect(random).toHaveLength(10);
    expect(random.replace(/\D/g, '').length).toBeGreaterThanOrEqual(2);
    expect(random.replace(/[^A-Z]/g, '').length).toBeGreaterThanOrEqual(2);
    expect(random).not.toMatch(/[?,]/);
    expect(runtimeError('RandomString(4, 3, 2, 0, 0)').code).toBe('OUT_OF_RANGE');
    expect(runtimeError('RandomString(300, 0, 0, 0, 0)').code).toBe('OUT_OF_RANGE');
  });

  it('Redact passes the value through', () => {
    expect(value('Redact([p])', { p: 'secret' })).toBe('secret');
  });

  it('SelectUniqueValue returns the first candidate not in the target, ignoring case as AD does', () => {
    const expr = 'SelectUniqueValue(Join(".", [g], [s]), Join(".", Mid([g], 1, 1), [s]), Join(".", Mid([g], 1, 2), [s]))';
    const source = { g: 'John', s: 'Smith' };
    expect(value(expr, source, { existingValues: [] })).toBe('John.Smith');
    expect(value(expr, source, { existingValues: ['john.smith'] })).toBe('J.Smith');
    expect(rules(expr, source, { existingValues: ['john.smith'] })).toContain('SelectUniqueValue case-insensitive');
    expect(runtimeError(expr, source, { existingValues: ['John.Smith', 'J.Smith', 'Jo.Smith'] }).code).toBe('ESCROW');
    expect(rules(expr, source)).toContain('SelectUniqueValue without existing values');
  });
});

describe('app role functions', () => {
  it('AppRoleAssignmentsComplex sends every role with primary false and the Entra role type', () => {
    expect(value('AppRoleAssignmentsComplex([appRoleAssignments])', {}, { appRoleAssignments: roles })).toEqual([
      { primary: false, type: 'WindowsAzureActiveDirectoryRole', displayName: 'Administrator', value: 'Admin' },
      { primary: false, type: 'WindowsAzureActiveDirectoryRole', displayName: 'User', value: 'User' },
    ]);
    expect(value('AppRoleAssignmentsComplex([appRoleAssignments])', {}, { appRoleAssignments: [] })).toBe(null);
  });

  it('AssertiveAppRoleAssignmentsComplex uses the "display" key', () => {
    expect(value('AssertiveAppRoleAssignmentsComplex([appRoleAssignments])', {}, { appRoleAssignments: roles.slice(0, 1) })).toEqual([
      { primary: false, type: 'WindowsAzureActiveDirectoryRole', display: 'Administrator', value: 'Admin' },
    ]);
  });

  it('SingleAppRoleAssignment gives the value, display name or type depending on the target', () => {
    const expr = 'SingleAppRoleAssignment([appRoleAssignments])';
    const one = { appRoleAssignments: roles.slice(0, 1) };
    expect(value(expr, {}, one)).toBe('Admin');
    expect(value(expr, {}, { ...one, targetAttribute: 'roles[primary eq "True"].display' })).toBe('Administrator');
    expect(value(expr, {}, { ...one, targetAttribute: 'roles[primary eq "True"].type' })).toBe('WindowsAzureActiveDirectoryRole');
    expect(rules(expr, {}, { appRoleAssignments: roles })).toContain('SingleAppRoleAssignment with several roles');
  });

  it('reads role values from a plain multi-valued source attribute when the context has none', () => {
    expect(value('SingleAppRoleAssignment([appRoleAssignments])', { appRoleAssignments: ['Reader'] })).toBe('Reader');
  });
});
