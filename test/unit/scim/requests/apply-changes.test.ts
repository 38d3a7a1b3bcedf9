import { describe, expect, it } from 'vitest';
import { applyOperations, applyPatch, type PatchContext, type PatchOperation } from '../../../../shared/scim/patch.ts';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../../../../shared/scim/schemas.ts';
import type { Json } from '../../../../shared/scim/schemas-values.ts';
import {
  applyChanges,
  diffAttributes,
  parseTargetPath,
  type JsonObject,
  type TargetAttributeInfo,
  type TargetValue,
} from '../../../../shared/scim/requests/index.ts';

/**
 * The preview's target and the mock server's stored resource come from one PATCH applier (issue 17): the
 * preview runs it copy-on-write over the previous target, the mock server in place over its own clone.
 */

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const STRING: TargetAttributeInfo = { type: 'String', multivalued: false };
const BOOLEAN: TargetAttributeInfo = { type: 'Boolean', multivalued: false };

const entra: PatchContext = {
  type: USER_RESOURCE_TYPE,
  dialect: {
    dottedPathlessKeys: true, createOnFilteredPath: true, memberRemovalByValue: 'remove-listed',
    filterOnSingleValued: true, emptyStringClears: true, requirePatchOpSchema: false, opNamesAnyCase: true,
  },
  values: { stringBooleans: true, plainStringManager: true, lenientMultiValued: true, unsupportedAttributes: 'ignore', customExtensions: 'store' },
};

/** Freezes every object and list, so that any write into `value` throws (modules run in strict mode). */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

function user(): Json {
  return {
    userName: 'ada@contoso.com',
    active: true,
    name: { givenName: 'Ada', familyName: 'Lovelace' },
    emails: [{ type: 'work', primary: true, value: 'ada@contoso.com' }, { type: 'home', value: 'ada@home.example' }],
    phoneNumbers: [{ type: 'mobile', value: '+1 425 555 0100' }],
    [ENTERPRISE]: { department: 'R&D', employeeNumber: '7', manager: { value: 'm1' } },
  };
}

const RUNS: Array<[string, PatchOperation[]]> = [
  ['a filtered sub-attribute replace', [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'ada@new.example' }]],
  ['a filtered add that creates its element', [{ op: 'add', path: 'addresses[type eq "work"].locality', value: 'Seattle' }]],
  ['adds then a filtered removal of one list', [
    { op: 'add', path: 'emails', value: [{ type: 'other', value: 'x@contoso.com' }] },
    { op: 'add', path: 'emails', value: [{ type: 'other2', value: 'y@contoso.com' }] },
    { op: 'remove', path: 'emails[type eq "home"]' },
  ]],
  ['a sub-attribute of a complex attribute', [{ op: 'replace', path: 'name.givenName', value: 'Augusta' }]],
  ['an extension member and the manager removal', [
    { op: 'replace', path: `${ENTERPRISE}:department`, value: 'Maths' },
    { op: 'remove', path: 'manager[value eq "m1"]' },
  ]],
  ['a path-less replace of several attribute paths', [{ op: 'replace', value: { 'name.familyName': 'King', title: 'Countess', active: 'False' } }]],
  ['a sub-attribute of every element', [{ op: 'replace', path: 'phoneNumbers.type', value: 'work' }]],
];

describe('applyOperations copy-on-write', () => {
  for (const [name, operations] of RUNS) {
    it(`${name}: the same result as the mock server's applyPatch, with the previous resource untouched`, () => {
      const previous = deepFreeze(user());
      const copied = applyOperations(previous, operations, entra, 'copy-on-write');
      expect(copied).toEqual(applyPatch(user(), operations, entra));
      expect(previous).toEqual(user());
    });
  }

  it('shares every object and list no operation writes into', () => {
    const previous = deepFreeze(user());
    const next = applyOperations(previous, [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'ada@new.example' }], entra, 'copy-on-write');
    expect(next.name).toBe(previous.name);
    expect(next[ENTERPRISE]).toBe(previous[ENTERPRISE]);
    expect(next.phoneNumbers).toBe(previous.phoneNumbers);
    expect(next.emails).not.toBe(previous.emails);
  });
});

describe('applyChanges: the preview target through the one applier', () => {
  const values = (rows: Array<[string, string | boolean, TargetAttributeInfo?]>): TargetValue[] =>
    rows.map(([target, value, info]) => ({ path: parseTargetPath(target), info: info ?? STRING, value }));

  it('keeps attributes and sub-attributes outside the schema, which the vendor policy would drop', () => {
    const previous = deepFreeze(user()) as JsonObject;
    const changes = diffAttributes(previous, values([
      ['badgeColour', 'green'],
      ['name.nickName', 'Ada'],
      ['emails[type eq "work"].verified', 'yes'],
      ['urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:badge', 'B-1'],
    ]));
    const next = applyChanges(previous, changes);
    expect(next.badgeColour).toBe('green');
    expect(next.name).toEqual({ givenName: 'Ada', familyName: 'Lovelace', nickName: 'Ada' });
    expect((next.emails as JsonObject[])[0]).toEqual({ type: 'work', primary: true, value: 'ada@contoso.com', verified: 'yes' });
    expect(next['urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User']).toEqual({ badge: 'B-1' });
    // The mock server reads the same paths with its schema: the ignore policy drops an unknown attribute, and
    // an unknown sub-attribute of a schema attribute is a 400.
    expect(applyPatch(user(), [{ op: 'replace', path: 'badgeColour', value: 'green' }], entra).badgeColour).toBeUndefined();
    expect(() => applyPatch(user(), [{ op: 'replace', path: 'name.nickName', value: 'Ada' }], entra)).toThrow(/no sub-attribute "nickName"/);
  });

  it('holds a POST-typed boolean, what the vendor makes of the default dialect string "False"', () => {
    const previous = deepFreeze(user()) as JsonObject;
    const next = applyChanges(previous, diffAttributes(previous, values([['active', 'False', BOOLEAN]])));
    expect(next.active).toBe(false);
    expect(applyPatch(user(), [{ op: 'Replace' as never, path: 'active', value: 'False' }], entra).active).toBe(false);
  });

  it('places a core attribute named with the core schema URN at the top level, as the mock server does', () => {
    const previous = deepFreeze(user()) as JsonObject;
    const path = 'urn:ietf:params:scim:schemas:core:2.0:User:name.givenName';
    const next = applyChanges(previous, diffAttributes(previous, values([[path, 'Augusta']])));
    expect(next).toEqual(applyPatch(user(), [{ op: 'replace', path, value: 'Augusta' }], entra));
    expect(next.name).toEqual({ givenName: 'Augusta', familyName: 'Lovelace' });
  });

  it('writes a mapped spelling of an attribute onto one key, in the schema spelling', () => {
    const previous = deepFreeze({ userName: 'ada@contoso.com', DisplayName: 'Ada' }) as JsonObject;
    const next = applyChanges(previous, diffAttributes(previous, values([['displayName', 'Ada L.']])));
    expect(next).toEqual({ userName: 'ada@contoso.com', displayName: 'Ada L.' });
  });

  it('places every mapped name, even one a vendor would reject, so the preview never fails on a target name', () => {
    const previous = deepFreeze({ userName: 'u' }) as JsonObject;
    const place = (target: string) => applyChanges(previous, diffAttributes(previous, values([[target, 'v']])));
    expect(place('weird name')).toEqual({ userName: 'u', 'weird name': 'v' });
    expect(place('emails[type eq "work" or type eq "home"].value')).toEqual({ userName: 'u', 'emails[type eq "work" or type eq "home"].value': 'v' });
    expect(place('emails.value')).toEqual({ userName: 'u', emails: [{ value: 'v' }] });
    // a replace of a whole selected element replaces it, as the mock server does (RFC 7644 §3.5.2.3)
    expect(place('emails[type eq "work"]')).toEqual({ userName: 'u', emails: [{ value: 'v' }] });
    expect(place('nickName[type eq "x"].value')).toEqual({ userName: 'u', nickName: [{ type: 'x', value: 'v' }] });
    expect(place('id')).toEqual({ userName: 'u', id: 'v' });
  });

  it('reads a group change with the Group schema', () => {
    const previous = deepFreeze({ displayName: 'Sales', externalId: 'g1' }) as JsonObject;
    const next = applyChanges(previous, diffAttributes(previous, values([['displayName', 'Sales EMEA']])), 'Groups');
    expect(next).toEqual(applyPatch({ displayName: 'Sales', externalId: 'g1' }, [{ op: 'replace', path: 'displayName', value: 'Sales EMEA' }], { ...entra, type: GROUP_RESOURCE_TYPE }));
  });
});
