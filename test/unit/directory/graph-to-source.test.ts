import { describe, expect, it } from 'vitest';
import {
  computeIsSoftDeleted,
  graphGroupToSource,
  graphUserToSource,
  guestUserPrincipalName,
  type GraphUser,
} from '../../../shared/directory/graph-to-source.ts';
import { userSourceAttributes } from '../../../shared/directory/source-schema.ts';

const COST_CENTER = 'extension_4f6c2a1d9e8b47c3a5d0e1f2a3b4c5d6_costCenter';

function user(overrides: Partial<GraphUser> = {}): GraphUser {
  return {
    id: '11111111-2222-4333-8444-555555555555',
    accountEnabled: true,
    userPrincipalName: 'adele.vance@contoso.com',
    ...overrides,
  };
}

describe('graphUserToSource', () => {
  it('maps id to objectId', () => {
    expect(graphUserToSource(user()).objectId).toBe('11111111-2222-4333-8444-555555555555');
  });

  it('maps the first of businessPhones to telephoneNumber and ignores the rest', () => {
    expect(graphUserToSource(user({ businessPhones: ['+1 425 555 0100', '+1 425 555 0101'] })).telephoneNumber).toBe(
      '+1 425 555 0100',
    );
  });

  it('gives telephoneNumber null when businessPhones is empty', () => {
    expect(graphUserToSource(user({ businessPhones: [] })).telephoneNumber).toBeNull();
  });

  it('maps officeLocation to physicalDeliveryOfficeName', () => {
    expect(graphUserToSource(user({ officeLocation: 'Redmond - Building 40' })).physicalDeliveryOfficeName).toBe(
      'Redmond - Building 40',
    );
  });

  it('maps mobilePhone to mobile', () => {
    expect(graphUserToSource(user({ mobilePhone: '+1 206 555 0123' })).mobile).toBe('+1 206 555 0123');
  });

  it('maps faxNumber to facsimileTelephoneNumber', () => {
    expect(graphUserToSource(user({ faxNumber: '+1 425 555 0199' })).facsimileTelephoneNumber).toBe('+1 425 555 0199');
  });

  it('maps onPremisesExtensionAttributes.extensionAttributeN to extensionAttributeN for 1 to 15', () => {
    const attributes = Object.fromEntries(
      Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, `value ${i + 1}`]),
    );
    const source = graphUserToSource(user({ onPremisesExtensionAttributes: attributes }));
    for (let n = 1; n <= 15; n++) expect(source[`extensionAttribute${n}`]).toBe(`value ${n}`);
  });

  it('gives every extensionAttribute null when onPremisesExtensionAttributes is missing', () => {
    const source = graphUserToSource(user());
    expect(source.extensionAttribute7).toBeNull();
    expect('extensionAttribute7' in source).toBe(true);
  });

  it("maps the expanded manager to the manager's objectId", () => {
    const source = graphUserToSource(
      user({
        manager: {
          '@odata.type': '#microsoft.graph.user',
          id: 'aaaaaaaa-0000-4000-8000-000000000001',
          displayName: 'Megan Bowen',
        },
      }),
    );
    expect(source.manager).toBe('aaaaaaaa-0000-4000-8000-000000000001');
  });

  it('gives manager null for a user without one', () => {
    expect(graphUserToSource(user()).manager).toBeNull();
  });

  it('maps onPremisesSyncEnabled to dirSyncEnabled as a boolean', () => {
    expect(graphUserToSource(user({ onPremisesSyncEnabled: true })).dirSyncEnabled).toBe(true);
    expect(graphUserToSource(user({ onPremisesSyncEnabled: null })).dirSyncEnabled).toBeNull();
  });

  it('flattens employeeOrgData into employeeOrgData.costCenter and employeeOrgData.division', () => {
    const source = graphUserToSource(user({ employeeOrgData: { costCenter: 'CC-1101', division: 'Commercial' } }));
    expect(source['employeeOrgData.costCenter']).toBe('CC-1101');
    expect(source['employeeOrgData.division']).toBe('Commercial');
    expect(graphUserToSource(user({ employeeOrgData: null }))['employeeOrgData.division']).toBeNull();
  });

  it('passes employeeHireDate through as the ISO-8601 string Graph returns', () => {
    expect(graphUserToSource(user({ employeeHireDate: '2023-01-15T00:00:00Z' })).employeeHireDate).toBe(
      '2023-01-15T00:00:00Z',
    );
  });

  it('keeps proxyAddresses and otherMails as multi-valued string lists', () => {
    const source = graphUserToSource(
      user({ proxyAddresses: ['SMTP:a@contoso.com', 'smtp:a@contoso.onmicrosoft.com'], otherMails: [] }),
    );
    expect(source.proxyAddresses).toEqual(['SMTP:a@contoso.com', 'smtp:a@contoso.onmicrosoft.com']);
    expect(source.otherMails).toEqual([]);
  });

  it('copies same-named properties (displayName, mail, department, employeeId, employeeType, ...)', () => {
    const source = graphUserToSource(
      user({
        displayName: 'Zoë Lefèvre',
        mail: null,
        department: 'Marketing',
        employeeId: '100042',
        employeeType: 'Contractor',
        usageLocation: 'CA',
      }),
    );
    expect(source).toMatchObject({
      displayName: 'Zoë Lefèvre',
      mail: null,
      department: 'Marketing',
      employeeId: '100042',
      employeeType: 'Contractor',
      usageLocation: 'CA',
    });
  });

  it('strips #EXT# and the inviting tenant from a guest userPrincipalName and keeps the raw one in originalUserPrincipalName', () => {
    const source = graphUserToSource(user({ userPrincipalName: 'john.doe_fabrikam.com#EXT#@contoso.onmicrosoft.com' }));
    expect(source.userPrincipalName).toBe('john.doe@fabrikam.com');
    expect(source.originalUserPrincipalName).toBe('john.doe_fabrikam.com#EXT#@contoso.onmicrosoft.com');
  });

  it('splits a guest UPN at the last underscore, so an alias with underscores survives', () => {
    expect(guestUserPrincipalName('mary_ann.lee_northwindtraders.com#EXT#@contoso.onmicrosoft.com')).toBe(
      'mary_ann.lee@northwindtraders.com',
    );
  });

  it('leaves a member userPrincipalName unchanged in both attributes', () => {
    const source = graphUserToSource(user());
    expect(source.userPrincipalName).toBe('adele.vance@contoso.com');
    expect(source.originalUserPrincipalName).toBe('adele.vance@contoso.com');
  });

  it('copies directory extensions by their full case-sensitive name', () => {
    const source = graphUserToSource(user({ [COST_CENTER]: '3103' }));
    expect(source[COST_CENTER]).toBe('3103');
  });

  it('copies only the declared directory extensions when given, with null for a declared one the user lacks', () => {
    const other = 'extension_99999999999999999999999999999999_legacy';
    const source = graphUserToSource(user({ [other]: 'x' }), { directoryExtensions: [COST_CENTER] });
    expect(source[COST_CENTER]).toBeNull();
    expect(other in source).toBe(false);
  });

  it('keeps a multi-valued directory extension as a list', () => {
    const skills = 'extension_4f6c2a1d9e8b47c3a5d0e1f2a3b4c5d6_skills';
    expect(graphUserToSource(user({ [skills]: ['Azure', 'SCIM'] }))[skills]).toEqual(['Azure', 'SCIM']);
  });

  it('sets appRoleAssignments to the role values of the given assignments, and null when none are known', () => {
    const source = graphUserToSource(user(), {
      appRoleAssignments: [{ id: 'r1', value: 'Admin', displayName: 'Administrator' }],
    });
    expect(source.appRoleAssignments).toEqual(['Admin']);
    expect(graphUserToSource(user()).appRoleAssignments).toBeNull();
  });

  it('never has a value for passwordProfile.password, which Graph cannot read', () => {
    expect(graphUserToSource(user({ passwordProfile: { password: 'secret' } }))['passwordProfile.password']).toBeNull();
  });

  it('has a key for every catalogue attribute', () => {
    expect(Object.keys(graphUserToSource(user()))).toEqual(expect.arrayContaining(userSourceAttributes.map((a) => a.sourceName)));
  });

  it('ignores Graph properties that are not provisioning sources, such as userType', () => {
    expect('userType' in graphUserToSource(user({ userType: 'Guest' }))).toBe(false);
  });
});

describe('IsSoftDeleted', () => {
  it('is false for an enabled user with no scope information', () => {
    expect(graphUserToSource(user()).IsSoftDeleted).toBe(false);
  });

  it('is true when accountEnabled is false', () => {
    expect(graphUserToSource(user({ accountEnabled: false })).IsSoftDeleted).toBe(true);
  });

  it('is true when the user is in the recycle bin', () => {
    expect(graphUserToSource(user(), { softDeleted: true }).IsSoftDeleted).toBe(true);
  });

  it('is true when scope is "assigned only" and the user is not assigned', () => {
    expect(graphUserToSource(user(), { assignedToApp: false }).IsSoftDeleted).toBe(true);
    expect(graphUserToSource(user(), { assignedToApp: true }).IsSoftDeleted).toBe(false);
  });

  it('is true when the user fails a scoping filter', () => {
    expect(computeIsSoftDeleted({ accountEnabled: true }, { inScopingFilter: false })).toBe(true);
  });

  it('treats a missing accountEnabled (not selected) as enabled', () => {
    expect(computeIsSoftDeleted({})).toBe(false);
  });
});

describe('graphGroupToSource', () => {
  it('maps id to objectId and lists direct member ids, including nested group ids as Graph returns them', () => {
    const source = graphGroupToSource({
      id: 'g1',
      displayName: 'Facilities; Field Ops',
      mailNickname: 'facilities-field-ops',
      members: [
        { '@odata.type': '#microsoft.graph.user', id: 'u1' },
        { '@odata.type': '#microsoft.graph.group', id: 'g2' },
      ],
    });
    expect(source).toEqual({
      objectId: 'g1',
      displayName: 'Facilities; Field Ops',
      mailNickname: 'facilities-field-ops',
      members: ['u1', 'g2'],
    });
  });

  it('takes members from the option over the group JSON, and null when neither has them', () => {
    expect(graphGroupToSource({ id: 'g1', displayName: 'Sales' }, { members: ['u9'] }).members).toEqual(['u9']);
    expect(graphGroupToSource({ id: 'g1', displayName: 'Sales' }).members).toBeNull();
  });
});
