import { describe, expect, it } from 'vitest';
import type { VendorBehaviour } from '../../../electron/backend/mock-server/vendor-behaviour.ts';
import { checkUserRules } from '../../../electron/backend/mock-server/vendor-behaviour.ts';
import { USER_RESOURCE_TYPE } from '../../../shared/scim/schemas.ts';
import { listBuiltInProfiles, loadBuiltInProfile, toMockBehaviour } from '../../../shared/vendors/index.ts';

// Typed as the mock server's own interface: a shape drift between the two breaks the typecheck here.
const behaviourOf = (id: string): VendorBehaviour => toMockBehaviour(loadBuiltInProfile(id));

describe('toMockBehaviour', () => {
  it('Haiilo deletes on deactivation, rejects groups and rejects nothing it was not told about', () => {
    const haiilo = behaviourOf('haiilo');
    expect(haiilo).toMatchObject({ id: 'haiilo', deactivation: 'delete', groups: 'reject', unsupportedAttributes: 'ignore' });
    expect(haiilo.supportedAttributes).toEqual(expect.arrayContaining(['userName', 'name', 'active', 'addresses']));
    expect(haiilo.userAttributes).toEqual(
      expect.arrayContaining([{ path: 'userName', required: true, format: 'email', unique: true }, { path: 'active', required: true }]),
    );
  });

  it('Thrive filters only on userName and rejects unknown extension URNs', () => {
    const thrive = behaviourOf('thrive');
    expect(thrive.filterableUserAttributes).toEqual(['username']);
    expect(thrive.customExtensions).toBe('reject');
    expect(thrive.groups).toBe('ignore');
  });

  it('Forms On Fire checks userType and role values case-sensitively and keeps email unique', () => {
    const fof = behaviourOf('formsonfire');
    expect(fof.userAttributes).toEqual(
      expect.arrayContaining([
        { path: 'userType', allowedValues: ['Premium', 'Standard'], caseSensitive: true },
        { path: 'emails[type eq "work"].value', format: 'email', unique: true },
      ]),
    );
    expect(fof.userAttributes.some((rule) => rule.path.includes('{'))).toBe(false);
    expect(fof.customExtensions).toBe('store');
  });

  it('the mock server applies a profile rule: HiThrive refuses a hire date that is not YYYY-MM-DD', () => {
    const hithrive = behaviourOf('hithrive');
    const withHireDate = (hireDate: string) => ({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'adele@contoso.com',
      'urn:ietf:params:scim:schemas:extension:hithrive:1.0:User': { hire_date: hireDate },
    });
    expect(() => checkUserRules(withHireDate('2020-01-31T00:00:00Z'), hithrive, USER_RESOURCE_TYPE)).toThrow(/hire_date.*date/);
    expect(() => checkUserRules(withHireDate('2020-01-31'), hithrive, USER_RESOURCE_TYPE)).not.toThrow();
    expect(hithrive.groups).toBe('reject');
  });

  it('every built-in profile maps onto a behaviour named after it', () => {
    for (const profile of listBuiltInProfiles()) {
      const behaviour = toMockBehaviour(profile);
      expect(behaviour.id).toBe(profile.id);
      expect(behaviour.validationError.status).toBe(400);
    }
  });
});
