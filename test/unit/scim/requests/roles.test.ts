import { describe, expect, it } from 'vitest';
import {
  applyChanges,
  buildUserPostBody,
  diffAttributes,
  parseTargetPath,
  patchOperationsFor,
  type ComplexValue,
  type TargetAttributeInfo,
  type TargetValue,
} from '../../../../shared/scim/requests/index.ts';

const ROLES: TargetAttributeInfo = { type: 'String', multivalued: true };
const ASSERTIVE: TargetAttributeInfo = { ...ROLES, complexFlow: 'replace' };
const role = (value: string): ComplexValue => ({ primary: false, type: 'WindowsAzureActiveDirectoryRole', displayName: `${value} role`, value });

function rolesValue(roles: ComplexValue[], info = ROLES): TargetValue[] {
  return [{ path: parseTargetPath('roles'), info, value: roles }];
}

describe('roles from AppRoleAssignmentsComplex (entra-scim.md §1.11)', () => {
  it('POST carries the roles as a multi-valued complex attribute of objects', () => {
    const body = buildUserPostBody(rolesValue([role('Admin'), role('Reader')]));
    expect(body.roles).toEqual([
      { primary: false, type: 'WindowsAzureActiveDirectoryRole', displayName: 'Admin role', value: 'Admin' },
      { primary: false, type: 'WindowsAzureActiveDirectoryRole', displayName: 'Reader role', value: 'Reader' },
    ]);
  });

  it('a default-dialect PATCH adds only the new roles, each as a JSON document inside a string', () => {
    const held = { id: 'u1', roles: [{ primary: false, type: 'WindowsAzureActiveDirectoryRole', displayName: 'Admin role', value: 'Admin' }] };
    const changes = diffAttributes(held, rolesValue([role('Admin'), role('Reader')]));
    expect(patchOperationsFor(changes, 'default')).toEqual([
      { op: 'Add', path: 'roles', value: [{ value: '{"value":"Reader","displayName":"Reader role"}' }] },
    ]);
    // AppRoleAssignmentsComplex never removes: the target keeps Admin and gains Reader.
    expect((applyChanges(held, changes).roles as unknown[]).length).toBe(2);
  });

  it('with aadOptscim062020 the PATCH carries the same objects as the POST', () => {
    const changes = diffAttributes({ id: 'u1' }, rolesValue([role('Admin')]));
    expect(patchOperationsFor(changes, 'aadOptscim062020')).toEqual([
      { op: 'add', path: 'roles', value: [{ primary: false, type: 'WindowsAzureActiveDirectoryRole', displayName: 'Admin role', value: 'Admin' }] },
    ]);
  });

  it('nothing is sent when the target already holds every role, even one Entra no longer assigns', () => {
    const held = { id: 'u1', roles: [role('Admin'), role('Old')] as unknown as ComplexValue[] };
    expect(diffAttributes(held as never, rolesValue([role('Admin')]))).toEqual([]);
  });

  it('AssertiveAppRoleAssignmentsComplex replaces the whole list, dropping roles removed in Entra', () => {
    const held = { id: 'u1', roles: [role('Admin'), role('Old')] as unknown as ComplexValue[] };
    const changes = diffAttributes(held as never, rolesValue([role('Admin')], ASSERTIVE));
    expect(patchOperationsFor(changes, 'aadOptscim062020')).toEqual([{ op: 'replace', path: 'roles', value: [role('Admin')] }]);
    expect(applyChanges(held as never, changes).roles).toEqual([role('Admin')]);
  });
});

describe('applyChanges', () => {
  it('leaves the previous resource untouched and shares what did not change', () => {
    const previous = {
      id: 'u1',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      emails: [{ type: 'work', primary: true, value: 'ada@old.example' }],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'R&D', employeeNumber: '7' },
    };
    const snapshot = structuredClone(previous);
    const info: TargetAttributeInfo = { type: 'String', multivalued: false };
    const next = applyChanges(
      previous,
      diffAttributes(previous, [
        { path: parseTargetPath('emails[type eq "work"].value'), info, value: 'ada@new.example' },
        { path: parseTargetPath('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department'), info, value: 'Maths' },
      ]),
    );
    expect(previous).toEqual(snapshot);
    expect(next.emails).toEqual([{ type: 'work', primary: true, value: 'ada@new.example' }]);
    expect(next['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']).toEqual({ department: 'Maths', employeeNumber: '7' });
    expect(next.name).toBe(previous.name);
  });
});
