import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../shared/scim/errors.ts';
import { applyPatch, parsePatchRequest, type PatchContext, type PatchDialect } from '../../../shared/scim/patch.ts';
import { parsePatchPath } from '../../../shared/scim/path.ts';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../../../shared/scim/schemas.ts';
import type { NormalizeOptions } from '../../../shared/scim/schemas-values.ts';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const entraDialect: PatchDialect = {
  dottedPathlessKeys: true,
  createOnFilteredPath: true,
  memberRemovalByValue: 'remove-listed',
  filterOnSingleValued: true,
  emptyStringClears: true,
  requirePatchOpSchema: false,
  opNamesAnyCase: true,
};
const strictDialect: PatchDialect = {
  dottedPathlessKeys: false,
  createOnFilteredPath: false,
  memberRemovalByValue: 'reject',
  filterOnSingleValued: false,
  emptyStringClears: false,
  requirePatchOpSchema: true,
  opNamesAnyCase: false,
};
const entraValues: NormalizeOptions = { stringBooleans: true, plainStringManager: true, lenientMultiValued: true, unsupportedAttributes: 'ignore', customExtensions: 'store' };
const strictValues: NormalizeOptions = { stringBooleans: false, plainStringManager: false, lenientMultiValued: false, unsupportedAttributes: 'ignore', customExtensions: 'store' };

const entraUser: PatchContext = { type: USER_RESOURCE_TYPE, dialect: entraDialect, values: entraValues };
const strictUser: PatchContext = { type: USER_RESOURCE_TYPE, dialect: strictDialect, values: strictValues };

const base = () => ({
  id: 'u1',
  userName: 'adele@contoso.com',
  active: true,
  name: { givenName: 'Adele', familyName: 'Vance' },
  emails: [{ type: 'work', value: 'adele@contoso.com', primary: true }],
  addresses: [{ type: 'work', streetAddress: '1 Main St' }],
});

const patch = (ops: unknown[], context = entraUser, resource: Record<string, unknown> = base()) =>
  applyPatch(resource, parsePatchRequest({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: ops }, context.dialect), context);

function failure(fn: () => unknown): { scimType?: string; rule: string; status: number; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof ScimError) return { ...(error.scimType ? { scimType: error.scimType } : {}), rule: error.rule, status: error.status, message: error.message };
    throw error;
  }
  throw new Error('expected a ScimError');
}

describe('PATCH in Entra-compatible mode (entra-scim.md §2.6)', () => {
  it('matches op names in any case and stores "True"/"False" as booleans', () => {
    expect(patch([{ op: 'Replace', path: 'active', value: 'False' }]).active).toBe(false);
    expect(patch([{ op: 'REPLACE', path: 'active', value: 'true' }]).active).toBe(true);
  });

  it('interprets path-less dotted keys and URN keys as attribute paths', () => {
    const result = patch([{ op: 'replace', value: { displayName: 'A', 'name.givenName': 'Ada', [`${ENT}:employeeNumber`]: 'E9' } }]);
    expect(result.name).toEqual({ givenName: 'Ada', familyName: 'Vance' });
    expect(result[ENT]).toEqual({ employeeNumber: 'E9' });
    expect(result['name.givenName']).toBeUndefined();
  });

  it('creates a missing filtered element and merges later operations into it', () => {
    const result = patch([
      { op: 'Add', path: 'addresses[type eq "other"].Formatted', value: 'Building 4' },
      { op: 'Add', path: 'addresses[type eq "other"].locality', value: 'Seattle' },
      { op: 'Replace', path: 'phoneNumbers[type eq "fax"].value', value: '+1 555' },
    ]);
    expect(result.addresses).toEqual([
      { type: 'work', streetAddress: '1 Main St' },
      { type: 'other', formatted: 'Building 4', locality: 'Seattle' },
    ]);
    expect(result.phoneNumbers).toEqual([{ type: 'fax', value: '+1 555' }]);
  });

  it('wraps a plain-string manager, removes it by filter, and clears it with ""', () => {
    const withManager = patch([{ op: 'Add', path: `${ENT}:manager`, value: 'm1' }]);
    expect(withManager[ENT]).toEqual({ manager: { value: 'm1' } });
    expect(patch([{ op: 'remove', path: 'manager[value eq "m1"]' }], entraUser, withManager)[ENT]).toBeUndefined();
    expect(patch([{ op: 'replace', path: `${ENT}:manager`, value: '' }], entraUser, withManager)[ENT]).toBeUndefined();
  });

  it('removes only the listed members for remove + value array, and re-adding is a no-op', () => {
    const group = { id: 'g1', displayName: 'Sales', members: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] };
    const context = { ...entraUser, type: GROUP_RESOURCE_TYPE };
    const removed = patch([{ op: 'Remove', path: 'members', value: [{ $ref: null, value: 'b' }] }], context, group);
    expect(removed.members).toEqual([{ value: 'a' }, { value: 'c' }]);
    const readded = patch([{ op: 'Add', path: 'members', value: [{ value: 'a' }] }], context, removed);
    expect(readded.members).toEqual([{ value: 'a' }, { value: 'c' }]);
    expect(patch([{ op: 'remove', path: 'members' }], context, group).members).toBeUndefined();
  });

  it('replaces a filtered sub-attribute without duplicating the element', () => {
    const result = patch([{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'new@contoso.com' }]);
    expect(result.emails).toEqual([{ type: 'work', value: 'new@contoso.com', primary: true }]);
  });

  it('is atomic: a failing operation leaves the resource untouched', () => {
    const resource = base();
    expect(failure(() => patch([{ op: 'replace', path: 'displayName', value: 'x' }, { op: 'replace', path: 'emails[type eq', value: 'y' }], entraUser, resource)).scimType).toBe('invalidPath');
    expect(resource).toEqual(base());
  });

  it('refuses read-only and required attributes with mutability, and remove without path with noTarget', () => {
    expect(failure(() => patch([{ op: 'replace', path: 'id', value: 'x' }])).scimType).toBe('mutability');
    expect(failure(() => patch([{ op: 'remove', path: 'userName' }])).scimType).toBe('mutability');
    expect(failure(() => patch([{ op: 'remove' }])).scimType).toBe('noTarget');
    expect(failure(() => patch([{ op: 'frobnicate', path: 'title', value: 'x' }])).scimType).toBe('invalidSyntax');
  });
});

describe('PATCH in strict RFC mode rejects the Entra value-level quirks', () => {
  it('rejects string booleans, plain-string manager, dotted keys, add to a missing filtered element, removal by value', () => {
    expect(failure(() => patch([{ op: 'replace', path: 'active', value: 'False' }], strictUser)).rule).toBe('strict.string-boolean');
    expect(failure(() => patch([{ op: 'add', path: `${ENT}:manager`, value: 'm1' }], strictUser)).rule).toBe('strict.plain-string-manager');
    expect(failure(() => patch([{ op: 'replace', value: { 'name.givenName': 'A' } }], strictUser)).rule).toBe('strict.pathless-dotted-key');
    expect(failure(() => patch([{ op: 'add', path: 'emails[type eq "other"].value', value: 'x@y.z' }], strictUser)).scimType).toBe('noTarget');
    const group = { id: 'g', displayName: 'G', members: [{ value: 'a' }] };
    expect(failure(() => patch([{ op: 'remove', path: 'members', value: [{ value: 'a' }] }], { ...strictUser, type: GROUP_RESOURCE_TYPE }, group)).rule).toBe(
      'strict.remove-by-value-array',
    );
  });

  it('accepts RFC-shaped requests with lower-case op names', () => {
    const result = patch([{ op: 'replace', path: 'active', value: false }, { op: 'add', path: `${ENT}:manager`, value: { value: 'm1' } }], strictUser);
    expect(result.active).toBe(false);
    expect(result[ENT]).toEqual({ manager: { value: 'm1' } });
  });

  it('rejects an op name that is not exactly add, remove or replace, naming the op it got', () => {
    for (const op of ['Replace', 'ADD', 'Remove']) {
      const error = failure(() => patch([{ op: 'replace', path: 'displayName', value: 'x' }, { op, path: 'title', value: 'y' }], strictUser));
      expect([error.status, error.scimType, error.rule], op).toEqual([400, 'invalidSyntax', 'patch.op']);
      expect(error.message, op).toContain(`operation 2: "op" must be exactly add, remove or replace, got "${op}"`);
    }
  });
});

describe('PATCH paths', () => {
  it('parses attribute, sub-attribute, value filter and URN forms', () => {
    expect(parsePatchPath('name.givenName', USER_RESOURCE_TYPE).ref).toEqual({ attr: 'name', sub: 'givenName' });
    const filtered = parsePatchPath('emails[type eq "work"].value', USER_RESOURCE_TYPE);
    expect(filtered.subAttribute).toBe('value');
    expect(filtered.filter).toEqual({ kind: 'compare', path: { attr: 'type' }, op: 'eq', value: 'work' });
    expect(parsePatchPath(`${ENT}:manager`, USER_RESOURCE_TYPE).ref).toEqual({ schema: ENT, attr: 'manager' });
    expect(parsePatchPath(ENT.toLowerCase(), USER_RESOURCE_TYPE).extension).toBe(ENT);
  });

  it('rejects malformed paths with invalidPath', () => {
    for (const bad of ['', 'emails[type eq "work"', 'emails[type eq "work"] x', 'a.b.c', 'emails[type eq]']) {
      expect(failure(() => parsePatchPath(bad, USER_RESOURCE_TYPE)).scimType, bad).toBe('invalidPath');
    }
  });
});
