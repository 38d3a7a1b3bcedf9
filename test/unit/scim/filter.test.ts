import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../shared/scim/errors.ts';
import { matchesFilter, parseFilter, resourceComparator, validateFilter } from '../../../shared/scim/filter.ts';
import { resolveAttribute, splitAttributeToken, USER_RESOURCE_TYPE } from '../../../shared/scim/schemas.ts';

const resolve = (ref: Parameters<typeof resolveAttribute>[1]) => resolveAttribute(USER_RESOURCE_TYPE, ref);
const rfc = { entraForms: false };
const entra = { entraForms: true };

const adele = {
  id: 'a1',
  userName: 'Adele.Vance@contoso.com',
  externalId: 'AdeleV',
  active: false,
  title: 'Retail Manager',
  name: { givenName: 'Adele', familyName: 'Vance' },
  emails: [
    { type: 'work', value: 'adele@contoso.com', primary: true },
    { type: 'other', value: 'av@example.org' },
  ],
  meta: { created: '2024-05-01T10:00:00Z' },
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: 'E1', manager: { value: 'm1' } },
};

const matches = (filter: string, options = rfc) => {
  const node = parseFilter(filter, options);
  validateFilter(node, resolve);
  return matchesFilter(node, adele, resolve);
};

function scimTypeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof ScimError) return error.scimType;
    throw error;
  }
  return undefined;
}

describe('filter grammar', () => {
  it('compares userName case-insensitively and externalId case-exactly (caseExact per attribute)', () => {
    expect(matches('userName eq "adele.vance@CONTOSO.com"')).toBe(true);
    expect(matches('externalId eq "adelev"')).toBe(false);
    expect(matches('externalId eq "AdeleV"')).toBe(true);
  });

  it('supports every comparison operator', () => {
    expect(matches('userName co "vance@"')).toBe(true);
    expect(matches('userName sw "adele"')).toBe(true);
    expect(matches('userName ew ".COM"')).toBe(true);
    expect(matches('title ne "Engineer"')).toBe(true);
    expect(matches('title pr')).toBe(true);
    expect(matches('nickName pr')).toBe(false);
    expect(matches('meta.created gt "2024-01-01T00:00:00Z"')).toBe(true);
    expect(matches('meta.created lt "2024-01-01T00:00:00Z"')).toBe(false);
    expect(matches('meta.created ge "2024-05-01T10:00:00.0000000Z"')).toBe(true);
    expect(matches('meta.created le "2024-05-01T10:00:00Z"')).toBe(true);
  });

  it('applies not > and > or precedence and parentheses', () => {
    expect(matches('title eq "x" or userName sw "adele" and active eq false')).toBe(true);
    expect(matches('(title eq "x" or userName sw "adele") and active eq true')).toBe(false);
    expect(matches('not (title eq "Retail Manager")')).toBe(false);
    expect(matches('userName sw "adele" and not (active eq true)')).toBe(true);
  });

  it('accepts operators and attribute names in any case, and URN-qualified names', () => {
    expect(matches('USERNAME EQ "adele.vance@contoso.com"')).toBe(true);
    expect(matches('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "adele.vance@contoso.com"')).toBe(true);
    expect(matches('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "E1"')).toBe(true);
  });

  it('evaluates value paths on multi-valued attributes', () => {
    expect(matches('emails[type eq "work" and value co "@contoso"]')).toBe(true);
    expect(matches('emails[type eq "other" and value co "@contoso"]')).toBe(false);
    expect(matches('emails.value eq "av@example.org"')).toBe(true);
  });

  it('finds the enterprise manager from an unqualified name (legacy reference check)', () => {
    expect(matches('id eq "a1" and manager eq "m1"', entra)).toBe(true);
  });

  it('accepts the Entra forms only in the Entra dialect', () => {
    expect(matches('emails[type eq "work"].value eq "ADELE@contoso.com"', entra)).toBe(true);
    expect(matches('externalId eq AdeleV', entra)).toBe(true);
    expect(scimTypeOf(() => parseFilter('emails[type eq "work"].value eq "x"', rfc))).toBe('invalidFilter');
    expect(scimTypeOf(() => parseFilter('externalId eq AdeleV', rfc))).toBe('invalidFilter');
  });

  it('rejects malformed filters with invalidFilter', () => {
    for (const bad of ['userName eq', 'userName zz "x"', '(userName eq "x"', 'userName eq "x" and', '"x" eq userName', 'userName eq "unterminated', 'emails[type eq "work"']) {
      expect(scimTypeOf(() => parseFilter(bad, entra)), bad).toBe('invalidFilter');
    }
  });

  it('rejects ordering operators on booleans', () => {
    expect(scimTypeOf(() => validateFilter(parseFilter('active gt true', rfc), resolve))).toBe('invalidFilter');
  });
});

describe('sortBy / sortOrder (RFC 7644 §3.4.2.3)', () => {
  const sortBy = (token: string, resources: Record<string, unknown>[], descending = false) =>
    [...resources].sort(resourceComparator(splitAttributeToken(token)!, resolve, descending)).map((r) => r.id);
  const users = [
    { id: 'b', userName: 'bob@contoso.com', name: { familyName: 'Zeta' }, emails: [{ value: 'z@x.org' }, { value: 'a@x.org', primary: true }], meta: { created: '2024-03-01T00:00:00Z' } },
    { id: 'a', userName: 'Alice@contoso.com', name: { familyName: 'alpha' }, emails: [{ value: 'm@x.org' }], meta: { created: '2024-01-01T00:00:00.0000000Z' } },
    { id: 'n', userName: 'nobody@contoso.com', meta: { created: '2023-12-31T23:00:00Z' } },
    { id: 'c', userName: 'carol@contoso.com', name: { familyName: 'Mid' }, emails: [{ value: 'b@x.org' }], meta: { created: '2024-02-01T00:00:00Z' } },
  ];

  it('orders userName ignoring case, ascending by default and reversed when descending', () => {
    expect(sortBy('userName', users)).toEqual(['a', 'b', 'c', 'n']);
    expect(sortBy('USERNAME', users, true)).toEqual(['n', 'c', 'b', 'a']);
  });

  it('puts resources without a value last in either order', () => {
    expect(sortBy('name.familyName', users)).toEqual(['a', 'c', 'b', 'n']);
    expect(sortBy('name.familyName', users, true)).toEqual(['b', 'c', 'a', 'n']);
  });

  it('sorts a multi-valued attribute by its primary value, else its first', () => {
    expect(sortBy('emails', users)).toEqual(['b', 'c', 'a', 'n']);
  });

  it('compares dateTime values as instants, not text', () => {
    expect(sortBy('meta.created', users)).toEqual(['n', 'a', 'c', 'b']);
  });
});
