import { describe, expect, it } from 'vitest';
import {
  applyChanges,
  buildGroupPostBody,
  buildUserPostBody,
  diffAttributes,
  managerOperation,
  matchQuery,
  memberOperations,
  parseTargetPath,
  patchBody,
  patchOperationsFor,
  STRING_ATTRIBUTE,
  type MappedValue,
  type TargetAttributeInfo,
  type TargetValue,
} from '../../../../shared/scim/requests/index.ts';

const BOOLEAN: TargetAttributeInfo = { type: 'Boolean', multivalued: false };
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function values(rows: Array<[string, MappedValue, TargetAttributeInfo?]>): TargetValue[] {
  return rows.map(([target, value, info]) => ({ path: parseTargetPath(target), info: info ?? STRING_ATTRIBUTE, value }));
}

describe('POST /Users body (entra-scim.md §1.6)', () => {
  it('builds the realistic full POST of §1.6 from the default mapping rows', () => {
    // Row values for Adele as the default mappings (and a custom extension row) would produce them.
    const body = buildUserPostBody(
      values([
        ['userName', 'adele.vance@contoso.com'],
        ['active', 'True', BOOLEAN],
        ['displayName', 'Adele Vance'],
        ['title', 'Retail Manager'],
        ['emails[type eq "work"].value', 'adele.vance@contoso.com'],
        ['preferredLanguage', 'en-US'],
        ['name.givenName', 'Adele'],
        ['name.familyName', 'Vance'],
        ['name.formatted', 'Adele Vance'],
        ['addresses[type eq "work"].streetAddress', '1 Main St'],
        ['addresses[type eq "work"].locality', 'Redmond'],
        ['addresses[type eq "work"].region', 'WA'],
        ['addresses[type eq "work"].postalCode', '98052'],
        ['addresses[type eq "work"].country', 'US'],
        ['phoneNumbers[type eq "work"].value', '+1 425 555 0109'],
        ['phoneNumbers[type eq "mobile"].value', '+1 425 555 0110'],
        ['externalId', 'adele'],
        [`${ENTERPRISE}:employeeNumber`, 'E1234'],
        [`${ENTERPRISE}:department`, 'Retail'],
        ['urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:tag', '701984'],
      ]),
    );
    expect(body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
      externalId: 'adele',
      userName: 'adele.vance@contoso.com',
      active: true,
      displayName: 'Adele Vance',
      title: 'Retail Manager',
      preferredLanguage: 'en-US',
      emails: [{ primary: true, type: 'work', value: 'adele.vance@contoso.com' }],
      name: { formatted: 'Adele Vance', familyName: 'Vance', givenName: 'Adele' },
      addresses: [{ type: 'work', streetAddress: '1 Main St', locality: 'Redmond', region: 'WA', postalCode: '98052', country: 'US', primary: false }],
      phoneNumbers: [
        { type: 'work', value: '+1 425 555 0109', primary: true },
        { type: 'mobile', value: '+1 425 555 0110', primary: false },
      ],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: 'E1234', department: 'Retail' },
      'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User': { tag: '701984' },
      meta: { resourceType: 'User' },
      roles: [],
    });
  });

  it('lists core and enterprise schemas even with no enterprise value, never a custom extension URN', () => {
    const body = buildUserPostBody(values([['userName', 'a@b.c'], ['urn:ietf:params:scim:schemas:extension:acme:2.0:User:tag', 'x']]));
    expect(body.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE]);
    expect(body['urn:ietf:params:scim:schemas:extension:acme:2.0:User']).toEqual({ tag: 'x' });
  });

  it('merges rows of one typed element whatever the sub-attribute casing (Microsoft writes .Value)', () => {
    const body = buildUserPostBody(values([['emails[type eq "other"].Value', 'a@fabrikam.com'], ['emails[type eq "other"].display', 'Other']]));
    expect(body.emails).toEqual([{ type: 'other', primary: false, value: 'a@fabrikam.com', display: 'Other' }]);
  });

  it('places SingleAppRoleAssignment targets in the primary roles element', () => {
    const body = buildUserPostBody(values([['roles[primary eq "True"].value', 'Admin'], ['roles[primary eq "True"].type', 'WindowsAzureActiveDirectoryRole']]));
    expect(body.roles).toEqual([{ primary: true, value: 'Admin', type: 'WindowsAzureActiveDirectoryRole' }]);
  });

  it('sends Integer targets as numbers and multi-valued targets as arrays', () => {
    const body = buildUserPostBody(
      values([
        ['urn:ietf:params:scim:schemas:extension:acme:2.0:User:level', '7', { type: 'Integer', multivalued: false }],
        ['urn:ietf:params:scim:schemas:extension:acme:2.0:User:skills', ['ski', 'chess'], { type: 'String', multivalued: true }],
      ]),
    );
    expect(body['urn:ietf:params:scim:schemas:extension:acme:2.0:User']).toEqual({ level: 7, skills: ['ski', 'chess'] });
  });
});

describe('match query (entra-scim.md §1.5)', () => {
  it('encodes the filter as Entra does: + for spaces, %22 for quotes, %40 for @', () => {
    expect(matchQuery('Users', 'userName', 'adele.vance@contoso.com').path).toBe('/Users?filter=userName+eq+%22adele.vance%40contoso.com%22');
  });

  it('keeps the non-RFC filtered attribute form Microsoft documents for work email', () => {
    const path = matchQuery('Users', 'emails[type eq "work"].value', 'a@contoso.com').path;
    expect(decodeURIComponent(path.replace(/\+/g, ' '))).toBe('/Users?filter=emails[type eq "work"].value eq "a@contoso.com"');
  });

  it('queries groups without members', () => {
    expect(matchQuery('Groups', 'displayName', 'Sales Team').path).toBe('/Groups?excludedAttributes=members&filter=displayName+eq+%22Sales+Team%22');
  });
});

describe('update PATCH in both dialects (entra-scim.md §1.2, §1.8)', () => {
  const previous = {
    id: 't1',
    userName: 'old@contoso.com',
    active: true,
    displayName: 'Old',
    emails: [{ primary: true, type: 'work', value: 'old@contoso.com' }],
    name: { givenName: 'Old', familyName: 'Old' },
    externalId: 'old',
    [ENTERPRISE]: { employeeNumber: 'old' },
  };
  const desired = values([
    ['userName', 'old@contoso.com'],
    ['active', 'True', BOOLEAN],
    ['displayName', 'Pvlo'],
    ['emails[type eq "work"].value', 'TestBcwqnm@test.microsoft.com'],
    ['name.givenName', 'Gtfd'],
    ['name.familyName', 'Pkqf'],
    ['externalId', 'Eqpj'],
    [`${ENTERPRISE}:employeeNumber`, 'Eqpj'],
  ]);

  it('default dialect: one capitalised Replace per changed attribute, in mapping order (the documented sample)', () => {
    const changes = diffAttributes(previous, desired);
    expect(patchBody(patchOperationsFor(changes, 'default'))).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'Replace', path: 'displayName', value: 'Pvlo' },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'TestBcwqnm@test.microsoft.com' },
        { op: 'Replace', path: 'name.givenName', value: 'Gtfd' },
        { op: 'Replace', path: 'name.familyName', value: 'Pkqf' },
        { op: 'Replace', path: 'externalId', value: 'Eqpj' },
        { op: 'Replace', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber', value: 'Eqpj' },
      ],
    });
  });

  it('aadOptscim062020: filtered paths stay separate, single-valued changes collapse into one path-less replace', () => {
    const changes = diffAttributes(previous, desired);
    expect(patchOperationsFor(changes, 'aadOptscim062020')).toEqual([
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'TestBcwqnm@test.microsoft.com' },
      {
        op: 'replace',
        value: {
          displayName: 'Pvlo',
          'name.givenName': 'Gtfd',
          'name.familyName': 'Pkqf',
          externalId: 'Eqpj',
          'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber': 'Eqpj',
        },
      },
    ]);
  });

  it('sends nothing for attributes whose value is unchanged', () => {
    expect(diffAttributes(previous, values([['userName', 'old@contoso.com'], ['active', 'True', BOOLEAN]]))).toEqual([]);
  });

  it('disable: Replace active "False" by default, replace active false with the flag', () => {
    const changes = diffAttributes(previous, values([['active', 'False', BOOLEAN]]));
    expect(patchOperationsFor(changes, 'default')).toEqual([{ op: 'Replace', path: 'active', value: 'False' }]);
    expect(patchOperationsFor(changes, 'aadOptscim062020')).toEqual([{ op: 'replace', path: 'active', value: false }]);
  });

  it('an edited Switch producing lowercase "false" goes out verbatim in the default dialect', () => {
    const changes = diffAttributes(previous, values([['active', 'false', BOOLEAN]]));
    expect(patchOperationsFor(changes, 'default')).toEqual([{ op: 'Replace', path: 'active', value: 'false' }]);
  });

  it('a first value is an Add (the documented nickName sample) in both dialects', () => {
    const changes = diffAttributes(previous, values([['nickName', 'Babs']]));
    expect(patchOperationsFor(changes, 'default')).toEqual([{ op: 'Add', path: 'nickName', value: 'Babs' }]);
    expect(patchOperationsFor(changes, 'aadOptscim062020')).toEqual([{ op: 'add', path: 'nickName', value: 'Babs' }]);
  });

  it('a filtered path for a missing element is still sent, and applying it creates the element', () => {
    const changes = diffAttributes(previous, values([['phoneNumbers[type eq "mobile"].value', '+1 425 555 0110']]));
    expect(patchOperationsFor(changes, 'default')).toEqual([{ op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 425 555 0110' }]);
    // The vendor holds what the filtered add says, no primary flag Entra did not send: the same element the
    // mock server's applyPatch creates (one model of a PATCH's result, issue 17; see patch.test.ts).
    expect(applyChanges(previous, changes).phoneNumbers).toEqual([{ type: 'mobile', value: '+1 425 555 0110' }]);
  });
});

describe('manager and group requests (entra-scim.md §1.7, §1.10)', () => {
  it('links the manager with a plain string id at the enterprise URN path', () => {
    expect(patchBody([managerOperation('default', { kind: 'add', targetId: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2' })])).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager', value: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2' }],
    });
    expect(managerOperation('aadOptscim062020', { kind: 'replace', targetId: 'm2' })).toEqual({
      op: 'replace',
      path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager',
      value: 'm2',
    });
    expect(managerOperation('default', { kind: 'remove', previousTargetId: 'm1' })).toEqual({ op: 'Remove', path: 'manager[value eq "m1"]' });
  });

  it('creates groups empty, with Entra\'s second schema URI', () => {
    const body = buildGroupPostBody(values([['displayName', 'Sales Team'], ['externalId', '8aa1a0c0-0000-4000-8000-000000000001']]));
    expect(body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      displayName: 'Sales Team',
      externalId: '8aa1a0c0-0000-4000-8000-000000000001',
      meta: { resourceType: 'Group' },
    });
  });

  it('adds members in one operation; removes them as a value array by default and by filter with the flag', () => {
    expect(memberOperations('default', ['u1', 'u2'], ['u3'])).toEqual([
      { op: 'Add', path: 'members', value: [{ $ref: null, value: 'u1' }, { $ref: null, value: 'u2' }] },
      { op: 'Remove', path: 'members', value: [{ $ref: null, value: 'u3' }] },
    ]);
    expect(memberOperations('aadOptscim062020', [], ['7f4b', 'u9'])).toEqual([
      { op: 'remove', path: 'members[value eq "7f4b"]' },
      { op: 'remove', path: 'members[value eq "u9"]' },
    ]);
  });
});
