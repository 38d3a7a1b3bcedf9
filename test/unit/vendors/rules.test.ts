import { describe, expect, it } from 'vitest';
import { graphUserToSource } from '../../../shared/directory/graph-to-source.ts';
import { withTenantUrl } from '../../../shared/mapping/model.ts';
import { parseVendorProfileText, type VendorProfile } from '../../../shared/vendors/index.ts';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  defaultSet,
  demoGraphGroups,
  demoGraphUsers,
  demoUsers,
  errors,
  recommendedSet,
  row,
  signature,
  upnOf,
  validate,
  withCode,
  withUserRows,
} from './support.ts';

const HT = 'urn:ietf:params:scim:schemas:extension:hithrive:1.0:User:';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:';
const FOLDERS = 'urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName:folders';

/** Mapping-level error signatures plus, for per-user errors, "CODE attribute upn". */
function errorList(run: ReturnType<typeof validate>): string[] {
  return errors(run.findings)
    .map((f) => (f.userId ? `${signature(f)} ${upnOf(run, f.userId)}` : signature(f)))
    .sort();
}

describe('the recommended configuration of each guide on the demo tenant', () => {
  it('HiThrive (seed 000) gives no error', () => {
    expect(errorList(validate('hithrive', recommendedSet('hithrive')))).toEqual([]);
  });

  it('Haiilo (seed 001) gives no error', () => {
    expect(errorList(validate('haiilo', recommendedSet('haiilo')))).toEqual([]);
  });

  it('Thrive (seed 002) gives no error', () => {
    expect(errorList(validate('thrive', recommendedSet('thrive')))).toEqual([]);
  });

  it('Forms On Fire (seed 003) reports only the demo tenant’s deliberate data problems', () => {
    // resources/demo-tenant/README.md: a guest and the service account without given name or surname, and
    // two users sharing reception@contoso.com.
    expect(errorList(validate('formsonfire', recommendedSet('formsonfire')))).toEqual(
      [
        'VENDOR_REQUIRED_MISSING name.givenName',
        'VENDOR_REQUIRED_MISSING name.givenName alex.k@gmail.com',
        'VENDOR_REQUIRED_MISSING name.givenName svc-scanner@contoso.com',
        'VENDOR_REQUIRED_MISSING name.familyName',
        'VENDOR_REQUIRED_MISSING name.familyName alex.k@gmail.com',
        'VENDOR_REQUIRED_MISSING name.familyName svc-scanner@contoso.com',
        'VENDOR_DUPLICATE_VALUE emails[type eq "work"].value',
        'VENDOR_DUPLICATE_VALUE emails[type eq "work"].value reception.redmond@contoso.com',
        'VENDOR_DUPLICATE_VALUE emails[type eq "work"].value reception.backup@contoso.com',
      ].sort(),
    );
  });

  it('Hector (seed 004) gives no error, and warns about the group named with a semicolon', () => {
    const run = validate('hector', recommendedSet('hector'));
    expect(errorList(run)).toEqual([]);
    expect(withCode(run.findings, 'VENDOR_GROUP_NAME_CHARACTER').map((f) => f.message)).toEqual([expect.stringContaining('"Facilities; Field Ops"')]);
  });

  it('generic SCIM with the aadOptscim062020 flag gives no error', () => {
    expect(errorList(validate('generic', recommendedSet('generic')))).toEqual([]);
  });

  it('every vendor warns about the five guests whose #EXT# user name Entra strips', () => {
    for (const id of ['hithrive', 'haiilo', 'thrive', 'formsonfire', 'hector', 'generic']) {
      const run = validate(id, recommendedSet(id));
      const guests = withCode(run.findings, 'VENDOR_GUEST_USERNAME').map((f) => upnOf(run, f.userId));
      expect(guests.sort(), id).toEqual(['alex.k@gmail.com', 'elodie.martin@adatum.fr', 'john.doe@fabrikam.com', 'mary_ann.lee@northwindtraders.com', 'ravi.kumar@tailspintoys.com']);
    }
  });
});

describe('HiThrive: typical mistakes (vendors-and-sources.md §6)', () => {
  it('Entra’s default mappings: filtered defaults, mailNickname → externalId and group provisioning are errors', () => {
    const run = validate('hithrive', defaultSet());
    const list = errors(run.findings).map(signature);
    expect(list).toEqual(
      expect.arrayContaining([
        'VENDOR_FILTERED_DEFAULT addresses[type eq "work"].formatted',
        'VENDOR_FILTERED_DEFAULT phoneNumbers[type eq "fax"].value',
        'VENDOR_REMOVE_ROW externalId',
        'VENDOR_ROW_MISSING externalId',
        'VENDOR_GROUPS_UNSUPPORTED',
      ]),
    );
    expect(withCode(run.findings, 'VENDOR_FILTERED_DEFAULT')).toHaveLength(9);
    // The guide keeps the work email although it is a filtered path (its attribute table).
    expect(withCode(run.findings, 'VENDOR_FILTERED_DEFAULT', 'emails[type eq "work"].value')).toEqual([]);
    const remove = withCode(run.findings, 'VENDOR_REMOVE_ROW')[0]!;
    expect(remove.message).toMatch(/\[mailNickname\] → externalId.*HiThrive help center "Integrations: Set up SCIM[^"]*", "Enable provisioning for the custom HiThrive SCIM application"/);
    expect(withCode(run.findings, 'VENDOR_GROUPS_UNSUPPORTED')[0]!.message).toMatch(/SCIM[^"]*", "Before you start", "Enable provisioning for the custom HiThrive SCIM application"/);
  });

  it('the default mailNickname row left beside objectId → externalId is reported on that row', () => {
    const set = withUserRows(recommendedSet('hithrive'), (rows) => [...rows, row('externalId', '[mailNickname]')]);
    const findings = withCode(validate('hithrive', set).findings, 'VENDOR_REMOVE_ROW');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', attribute: 'externalId', source: { expression: '[mailNickname]' } });
  });

  it('hire_date mapped straight from employeeHireDate breaks the YYYY-MM-DD format for every user with a hire date', () => {
    const set = withUserRows(recommendedSet('hithrive'), (rows) =>
      rows.map((r) => (r.targetAttributeName === `${HT}hire_date` ? row(`${HT}hire_date`, '[employeeHireDate]') : r)),
    );
    const run = validate('hithrive', set);
    const perUser = withCode(run.findings, 'VENDOR_FORMAT', `${HT}hire_date`).filter((f) => f.userId);
    const withHireDate = run.preview.users.filter((u) => u.action === 'create' && demoGraphUsers.find((g) => g.id === u.id)?.employeeHireDate);
    expect(perUser).toHaveLength(withHireDate.length);
    expect(perUser[0]!.message).toMatch(/"\d{4}-\d{2}-\d{2}T00:00:00Z".*YYYY-MM-DD.*HiThrive help center "[^"]*", "Enable provisioning for the custom HiThrive SCIM application"/);
    expect(withCode(run.findings, 'VENDOR_FORMAT').filter((f) => !f.userId)).toHaveLength(1);
  });

  it('a hithrive:1.0 target missing from the attribute list is an error', () => {
    const set = structuredClone(recommendedSet('hithrive'));
    const list = set.directories!.find((d) => d.name === 'customappsso')!.objects!.find((o) => o.name === 'User')!;
    list.attributes = list.attributes!.filter((a) => a.name !== `${HT}employee_id`);
    expect(withCode(validate('hithrive', set).findings, 'VENDOR_CUSTOM_TARGET_NOT_IN_LIST').map(signature)).toEqual([`VENDOR_CUSTOM_TARGET_NOT_IN_LIST ${HT}employee_id`]);
  });

  it('userName left at matching precedence 1 beside externalId is a matching error', () => {
    const set = withUserRows(recommendedSet('hithrive'), (rows) => rows.map((r) => (r.targetAttributeName === 'userName' ? { ...r, matchingPriority: 1 } : r)));
    const findings = withCode(validate('hithrive', set).findings, 'VENDOR_MATCHING');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toMatch(/externalId at matching precedence 1/);
  });

  it('managers outside the HiThrive Pilot group are reported once, with the vendor’s line', () => {
    // The demo assigns only the "HiThrive Pilot" group: its members' VPs are not in scope (demo README).
    const pilot = new Set(demoGraphGroups.find((g) => g.displayName === 'HiThrive Pilot')!.members!.map((m) => m.id));
    const users = demoGraphUsers.map((u) => graphUserToSource(u, { assignedToApp: pilot.has(u.id) }));
    const run = validate('hithrive', recommendedSet('hithrive'), { users });
    // The vendor's line is the mapping-level summary of the preview's own MANAGER_NOT_PROVISIONED findings (issue 20 item 6).
    const manager = withCode(run.findings, 'MANAGER_NOT_PROVISIONED').filter((f) => f.userId === undefined);
    expect(manager).toHaveLength(1);
    const count = run.preview.users.filter((u) => u.findings.some((f) => f.code === 'MANAGER_NOT_PROVISIONED')).length;
    expect(count).toBeGreaterThan(0);
    expect(manager[0]!.message).toMatch(new RegExp(`^${count} user\\(s\\) have a manager.*"Before you start", "Enable provisioning for the custom HiThrive SCIM application"; Microsoft Learn "Known issues for provisioning in Microsoft Entra ID", "Manager isn't provisioned"`));
  });
});

describe('Haiilo: typical mistakes', () => {
  it('default rows Haiilo does not support are warnings, and group provisioning is an error', () => {
    const run = validate('haiilo', defaultSet());
    expect(errors(run.findings).map(signature)).toEqual(['VENDOR_GROUPS_UNSUPPORTED']);
    const unsupported = withCode(run.findings, 'VENDOR_TARGET_UNSUPPORTED').map((f) => f.attribute);
    expect(unsupported).toEqual(expect.arrayContaining(['displayName', 'externalId', `${ENTERPRISE}manager`, 'phoneNumbers[type eq "work"].value']));
    expect(unsupported).not.toContain('userName');
    expect(withCode(run.findings, 'VENDOR_TARGET_UNSUPPORTED')[0]!.message).toMatch(/side effects.*Haiilo Advocacy knowledge base "Setting up SCIM on Microsoft Entra ID", "Configure Users provisioning"/);
  });

  it('a user disabled after being provisioned is deleted by Haiilo, not deactivated', () => {
    const leaver = demoGraphUsers.find((u) => u.accountEnabled !== false && u.userType === 'Member')!;
    const previousUsers = demoUsers;
    const users = demoGraphUsers.map((u) => graphUserToSource(u.id === leaver.id ? { ...u, accountEnabled: false } : u));
    const run = validate('haiilo', recommendedSet('haiilo'), { users, previousUsers });
    const perUser = withCode(run.findings, 'VENDOR_DEPROVISION_DELETES').filter((f) => f.userId);
    expect(perUser.map((f) => f.userId)).toEqual([leaver.id]);
    expect(perUser[0]!.message).toMatch(/will delete the account/);
    expect(withCode(run.findings, 'VENDOR_DEPROVISION_DELETES').filter((f) => !f.userId)).toHaveLength(1);
  });

  it('userName from originalUserPrincipalName sends #EXT# user names: an error per guest', () => {
    const set = withUserRows(recommendedSet('haiilo'), (rows) =>
      rows.map((r) => (r.targetAttributeName === 'userName' ? { ...row('userName', '[originalUserPrincipalName]'), matchingPriority: 1 } : r)),
    );
    const guests = withCode(validate('haiilo', set).findings, 'VENDOR_GUEST_USERNAME');
    expect(guests).toHaveLength(5);
    expect(guests.every((f) => f.severity === 'error' && /#EXT#/.test(f.message))).toBe(true);
  });
});

describe('Thrive: typical mistakes', () => {
  it('matching on externalId, which Thrive cannot filter, is an error', () => {
    const set = withUserRows(recommendedSet('thrive'), (rows) => [
      ...rows.map((r) => (r.targetAttributeName === 'userName' ? { ...r, matchingPriority: 2 } : r)),
      row('externalId', '[objectId]', { matchingPriority: 1 }),
    ]);
    const run = validate('thrive', set);
    expect(errors(run.findings).map(signature).sort()).toEqual(['VENDOR_MATCHING userName', 'VENDOR_MATCHING_NOT_FILTERABLE externalId']);
    expect(withCode(run.findings, 'VENDOR_MATCHING_NOT_FILTERABLE')[0]!.message).toMatch(/filtering only on userName.*Thrive docs "SCIM Provisioning", "Configuring your SCIM application"/);
  });

  it('extension attributes outside the five Thrive allows are errors; the five need a ticket', () => {
    const set = withUserRows(recommendedSet('thrive'), (rows) => [
      ...rows,
      row(`${ENTERPRISE}costCenter`, '[extension_4f6c2a1d9e8b47c3a5d0e1f2a3b4c5d6_costCenter]'),
      row('urn:ietf:params:scim:schemas:extension:thrive:1.0:User:badge', '[employeeId]'),
    ]);
    const run = validate('thrive', set);
    expect(errors(run.findings).map(signature)).toEqual(['VENDOR_TARGET_UNSUPPORTED urn:ietf:params:scim:schemas:extension:thrive:1.0:User:badge']);
    expect(withCode(run.findings, 'VENDOR_TARGET_NEEDS_VENDOR_SETUP', `${ENTERPRISE}costCenter`)[0]!.severity).toBe('info');
  });

  it('a hire date sent as a date-time is a format error', () => {
    const set = withUserRows(recommendedSet('thrive'), (rows) => [...rows, row('hireDate', '[employeeHireDate]')]);
    const run = validate('thrive', set);
    expect(errors(run.findings).filter((f) => !f.userId).map(signature)).toEqual(['VENDOR_FORMAT hireDate']);
    expect(withCode(run.findings, 'VENDOR_TARGET_NEEDS_VENDOR_SETUP', 'hireDate')).toHaveLength(1);
  });

  it('Entra’s default rows outside Thrive’s list are warnings that name the support ticket', () => {
    const run = validate('thrive', defaultSet());
    expect(errors(run.findings)).toEqual([]);
    expect(withCode(run.findings, 'VENDOR_TARGET_NEEDS_VENDOR_SETUP', 'displayName')[0]).toMatchObject({ severity: 'warning', fix: expect.stringMatching(/Ask Thrive/) });
  });
});

describe('Forms On Fire: typical mistakes', () => {
  it('userType mapped Direct from companyName sends values outside Premium/Standard', () => {
    const set = withUserRows(recommendedSet('formsonfire'), (rows) => rows.map((r) => (r.targetAttributeName === 'userType' ? row('userType', '[companyName]', { defaultValue: 'Standard' }) : r)));
    const run = validate('formsonfire', set);
    const perUser = withCode(run.findings, 'VENDOR_VALUE_NOT_ALLOWED', 'userType').filter((f) => f.userId);
    expect(perUser.length).toBeGreaterThan(150);
    expect(perUser[0]!.message).toMatch(/"Contoso Ltd\."|"Contoso Pharmaceuticals"|"Fabrikam, Inc\."/);
    expect(perUser[0]!.message).toMatch(/Premium, Standard \(exact case\).*"Assigning the user type to Azure Active Directory Users"/);
  });

  it('userType without a default value is a warning', () => {
    const set = withUserRows(recommendedSet('formsonfire'), (rows) => rows.map((r) => (r.targetAttributeName === 'userType' ? { ...r, defaultValue: null } : r)));
    expect(withCode(validate('formsonfire', set).findings, 'VENDOR_DEFAULT_RECOMMENDED').map((f) => f.severity)).toEqual(['warning']);
  });

  it('a role value outside ReadOnly/User/Admin/EnterpriseAdmin is an error', () => {
    const set = withUserRows(recommendedSet('formsonfire'), (rows) => [...rows, row('roles[primary eq "True"].value', '"Manager"')]);
    expect(withCode(validate('formsonfire', set).findings, 'VENDOR_VALUE_NOT_ALLOWED', 'roles[primary eq "True"].value').length).toBeGreaterThan(0);
  });

  it('a folders target missing from the attribute list is an error', () => {
    const set = withUserRows(recommendedSet('formsonfire'), (rows) => [...rows, row(FOLDERS, 'Split([jobTitle], ",")')]);
    expect(withCode(validate('formsonfire', set).findings, 'VENDOR_CUSTOM_TARGET_NOT_IN_LIST').map(signature)).toEqual([`VENDOR_CUSTOM_TARGET_NOT_IN_LIST ${FOLDERS}`]);
  });

  it('folders split on "," keep the space of "Folder 1, Folder 2" (Split does not trim)', () => {
    const set = withUserRows(recommendedSet('formsonfire'), (rows) => [...rows, row(FOLDERS, 'Split("Folder 1, Folder 2", ",")')]);
    const list = set.directories!.find((d) => d.name === 'customappsso')!.objects!.find((o) => o.name === 'User')!;
    list.attributes!.push({ name: FOLDERS, type: 'String', multivalued: true });
    const spaces = withCode(validate('formsonfire', set).findings, 'VENDOR_VALUE_SPACES', FOLDERS);
    expect(spaces.length).toBeGreaterThan(0);
    expect(spaces[0]!.message).toMatch(/" Folder 2"/);
  });

  it('metadata targets match the {MetadataKey} placeholder', () => {
    const target = 'urn:ietf:params:scim:schemas:extension:2.0:Metadata:region';
    const set = withUserRows(recommendedSet('formsonfire'), (rows) => [...rows, row(target, '[state]')]);
    expect(withCode(validate('formsonfire', set).findings, 'VENDOR_CUSTOM_TARGET_NOT_IN_LIST').map((f) => f.attribute)).toEqual([target]);
  });
});

describe('Hector: typical mistakes', () => {
  it('Entra’s default mappings keep mailNickname → externalId: remove it and add objectId → externalId', () => {
    const run = validate('hector', defaultSet());
    expect(errors(run.findings).map(signature).sort()).toEqual(['VENDOR_REMOVE_ROW externalId', 'VENDOR_ROW_MISSING externalId']);
    expect(withCode(run.findings, 'VENDOR_ROW_MISSING')[0]!.fix).toBe('Add New Mapping: [objectId] → externalId.');
  });

  it('a required row deleted (givenName) is an error citing "do not delete"', () => {
    const set = withUserRows(recommendedSet('hector'), (rows) => rows.filter((r) => r.targetAttributeName !== 'name.givenName'));
    const missing = withCode(validate('hector', set).findings, 'VENDOR_ROW_MISSING', 'name.givenName');
    expect(missing).toHaveLength(1);
    expect(missing[0]!.message).toMatch(/do not delete.*Hector knowledge base "Integration guide with SCIM", "4\. Azure – Mappings"/);
  });

  it('turning group provisioning off loses Hector’s role mapping (info) and the expiring token is noted', () => {
    const set = structuredClone(recommendedSet('hector'));
    set.synchronizationRules[0]!.objectMappings[1]!.enabled = false;
    const run = validate('hector', set);
    expect(withCode(run.findings, 'VENDOR_GROUPS_RECOMMENDED').map((f) => f.severity)).toEqual(['info']);
    expect(withCode(run.findings, 'VENDOR_GROUP_NAME_CHARACTER')).toEqual([]);
    expect(withCode(run.findings, 'VENDOR_TOKEN_EXPIRES')[0]!.message).toMatch(/Hector knowledge base "Integration guide with SCIM", "2\. Hector – Value Retrieval"/);
  });
});

describe('generic SCIM 2.0', () => {
  it('without aadOptscim062020 Entra sends string booleans in PATCH: a warning', () => {
    const run = validate('generic', withTenantUrl(recommendedSet('generic'), 'https://scim.example.com/scim/v2'));
    expect(withCode(run.findings, 'VENDOR_PATCH_DIALECT')).toEqual([expect.objectContaining({ severity: 'warning', fix: 'Append ?aadOptscim062020 to the Tenant URL.' })]);
  });
});

describe('an imported profile', () => {
  const profile = (parseVendorProfileText(readFileSync(fileURLToPath(new URL('../../fixtures/vendors/custom-profile.json', import.meta.url)), 'utf8')) as { ok: true; profile: VendorProfile }).profile;

  it('drives the same rules: groups unsupported, userName unique and email-shaped', () => {
    const run = validate(profile, defaultSet());
    expect(withCode(run.findings, 'VENDOR_GROUPS_UNSUPPORTED')[0]!.message).toMatch(/Source: Acme HR SCIM notes line 2\./);
    expect(withCode(run.findings, 'VENDOR_TOKEN_EXPIRES')).toHaveLength(1);
    expect(withCode(run.findings, 'VENDOR_FORMAT', 'userName')).toEqual([]);
  });
});
