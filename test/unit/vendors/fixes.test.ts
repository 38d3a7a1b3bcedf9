import { describe, expect, it } from 'vitest';
import { tenantUrlOf, withTenantUrl, type MappingSet } from '../../../shared/mapping/model.ts';
import type { Finding } from '../../../shared/preview/types.ts';
import {
  applyAllFixes,
  applyFix,
  FixNotApplicableError,
  isFixable,
  loadBuiltInProfile,
  planFix,
  whyNotFixable,
  sameExpression,
  wrapInDateOnly,
} from '../../../shared/vendors/index.ts';
import { defaultSet, errors, recommendedSet, row, signature, userRows, validate, withCode, withUserRows } from './support.ts';

const HT = 'urn:ietf:params:scim:schemas:extension:hithrive:1.0:User:';

/** Applies the fix of the first mapping-level finding with this code (and attribute) and checks it is gone. */
function fixRemoves(id: string, set: MappingSet, code: string, attribute?: string): MappingSet {
  const before = validate(id, set);
  const finding = withCode(before.findings, code, attribute).find((f) => f.userId === undefined);
  expect(finding, `${code} ${attribute ?? ''} is reported before the fix`).toBeDefined();
  expect(isFixable(finding!, before.profile)).toBe(true);
  const original = JSON.stringify(set);
  const fixed = applyFix(set, finding!, before.profile);
  expect(JSON.stringify(set), 'the input set is not changed').toBe(original);
  const after = validate(id, fixed).findings.filter((f) => f.code === code && f.attribute === finding!.attribute && f.source?.expression === finding!.source?.expression);
  expect(after.map(signature)).toEqual([]);
  return fixed;
}

describe('fix-its remove their finding', () => {
  it('HiThrive: each filtered default row is deleted', () => {
    const fixed = fixRemoves('hithrive', defaultSet(), 'VENDOR_FILTERED_DEFAULT', 'phoneNumbers[type eq "mobile"].value');
    expect(userRows(fixed).some((r) => r.targetAttributeName === 'phoneNumbers[type eq "mobile"].value')).toBe(false);
  });

  it('HiThrive and Hector: only the mailNickname → externalId row is deleted, the objectId row stays', () => {
    for (const id of ['hithrive', 'hector']) {
      const set = withUserRows(recommendedSet(id), (rows) => [...rows, row('externalId', '[mailNickname]')]);
      const fixed = fixRemoves(id, set, 'VENDOR_REMOVE_ROW', 'externalId');
      expect(userRows(fixed).filter((r) => r.targetAttributeName === 'externalId').map((r) => r.source?.expression)).toEqual(['[objectId]']);
    }
  });

  it('HiThrive: the objectId → externalId row is added at matching precedence 1, userName moves to 2', () => {
    const withoutExternalId = withUserRows(defaultSet(), (rows) => rows.filter((r) => r.targetAttributeName !== 'externalId'));
    const fixed = fixRemoves('hithrive', withoutExternalId, 'VENDOR_ROW_MISSING', 'externalId');
    const rows = userRows(fixed);
    expect(rows.find((r) => r.targetAttributeName === 'externalId')).toMatchObject({ source: { type: 'Attribute', name: 'objectId' }, matchingPriority: 1 });
    expect(rows.find((r) => r.targetAttributeName === 'userName')!.matchingPriority).toBe(2);
    expect(withCode(validate('hithrive', fixed).findings, 'VENDOR_MATCHING')).toEqual([]);
  });

  it('HiThrive: hire_date is added with the date conversion and put in the attribute list', () => {
    const fixed = fixRemoves('hithrive', defaultSet(), 'VENDOR_ROW_MISSING', `${HT}hire_date`);
    const hire = userRows(fixed).find((r) => r.targetAttributeName === `${HT}hire_date`)!;
    expect(hire.source?.expression).toBe('FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd")');
    const list = fixed.directories!.find((d) => d.name === 'customappsso')!.objects!.find((o) => o.name === 'User')!.attributes!;
    expect(list.find((a) => a.name === `${HT}hire_date`)).toMatchObject({ type: 'String', multivalued: false });
    const run = validate('hithrive', fixed);
    const hireDates = run.preview.users.flatMap((u) => {
      const ext = u.target?.['urn:ietf:params:scim:schemas:extension:hithrive:1.0:User'] as Record<string, unknown> | undefined;
      return ext?.hire_date ? [ext.hire_date] : [];
    });
    expect(hireDates.length).toBeGreaterThan(100);
    expect(hireDates.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(String(d)))).toBe(true);
  });

  it('HiThrive: a hire_date mapped straight from employeeHireDate is wrapped in FormatDateTime', () => {
    const set = withUserRows(recommendedSet('hithrive'), (rows) => rows.map((r) => (r.targetAttributeName === `${HT}hire_date` ? row(`${HT}hire_date`, '[employeeHireDate]') : r)));
    const fixed = fixRemoves('hithrive', set, 'VENDOR_FORMAT', `${HT}hire_date`);
    expect(userRows(fixed).find((r) => r.targetAttributeName === `${HT}hire_date`)!.source?.expression).toBe(wrapInDateOnly('[employeeHireDate]'));
    expect(validate('hithrive', fixed).findings.filter((f) => f.code === 'VENDOR_FORMAT')).toEqual([]);
  });

  it('HiThrive: the objectId → externalId row takes the place of the mailNickname row instead of mapping externalId twice', () => {
    const before = validate('hithrive', defaultSet());
    const finding = withCode(before.findings, 'VENDOR_ROW_MISSING', 'externalId').find((f) => f.userId === undefined)!;
    const planned = planFix(defaultSet(), finding, before.profile);
    expect(planned.description).toBe('Replace the mapping [mailNickname] → externalId with [objectId] → externalId, matched at matching precedence 1');
    expect(userRows(planned.set).filter((r) => r.targetAttributeName === 'externalId').map((r) => r.source?.expression)).toEqual(['[objectId]']);
    const after = validate('hithrive', planned.set);
    expect(after.preview.findings.filter((f) => f.code === 'DUPLICATE_TARGET')).toEqual([]);
    expect(errors(after.findings).length).toBeLessThan(errors(before.findings).length);
  });

  it('HiThrive: a hire_date already in FormatDateTime gets its output format replaced, not wrapped again (issue 20)', () => {
    const mapped = 'FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "dd.MM.yyyy")';
    const set = withUserRows(recommendedSet('hithrive'), (rows) => rows.map((r) => (r.targetAttributeName === `${HT}hire_date` ? row(`${HT}hire_date`, mapped) : r)));
    const before = validate('hithrive', set);
    const finding = withCode(before.findings, 'VENDOR_FORMAT', `${HT}hire_date`).find((f) => f.userId === undefined)!;
    // the advice says what the fix does to this expression
    expect(finding.fix).toBe('Change the output format of FormatDateTime to yyyy-MM-dd (was dd.MM.yyyy).');
    const planned = planFix(set, finding, before.profile);
    expect(planned.description).toBe('Change the output format of FormatDateTime to yyyy-MM-dd (was dd.MM.yyyy)');
    const fixed = fixRemoves('hithrive', set, 'VENDOR_FORMAT', `${HT}hire_date`);
    expect(JSON.stringify(fixed)).toBe(JSON.stringify(planned.set));
    expect(userRows(fixed).find((r) => r.targetAttributeName === `${HT}hire_date`)!.source?.expression).toBe(
      'FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd")',
    );
    const after = validate('hithrive', fixed);
    expect(after.preview.summary.errors).toBe(before.preview.summary.errors);
    expect(after.preview.summary.byAction.error).toBe(0);
  });

  it('HiThrive: a hire_date whose value comes from Join is not fixable, and says why', () => {
    const set = withUserRows(recommendedSet('hithrive'), (rows) =>
      rows.map((r) => (r.targetAttributeName === `${HT}hire_date` ? row(`${HT}hire_date`, 'Join(" ", [employeeHireDate], "")') : r)),
    );
    const run = validate('hithrive', set);
    const finding = withCode(run.findings, 'VENDOR_FORMAT', `${HT}hire_date`).find((f) => f.userId === undefined)!;
    expect(finding.fix).toBe(`Change the ${HT}hire_date mapping so it produces a date as YYYY-MM-DD: its value can come from Join(…), whose date format the fix cannot know.`);
    expect(isFixable(finding, run.profile, set)).toBe(false);
    expect(whyNotFixable(finding, run.profile, set)).toBe(
      `The ${HT}hire_date mapping cannot be converted mechanically: its value can come from Join(…), whose date format the fix cannot know.`,
    );
    expect(() => applyFix(set, finding, run.profile)).toThrow(FixNotApplicableError);
  });

  it('a recommended row whose expression does not compile is not offered', () => {
    const profile = structuredClone(loadBuiltInProfile('hithrive'));
    const hire = profile.recommendedMappings.add.find((item) => item.target === `${HT}hire_date`)!;
    hire.expression = 'FormatDateTime([employeeHireDate], "yyyy-MM-dd")';
    const finding: Finding = { severity: 'warning', code: 'VENDOR_ROW_MISSING', attribute: `${HT}hire_date`, message: 'missing' };
    expect(isFixable(finding, profile)).toBe(false);
    expect(isFixable(finding, profile, defaultSet())).toBe(false);
    expect(() => applyFix(defaultSet(), finding, profile)).toThrow(/does not compile \(FormatDateTime takes 4 arguments/);
  });

  it('HiThrive: a custom target is added to the attribute list', () => {
    const set = structuredClone(recommendedSet('hithrive'));
    const list = set.directories!.find((d) => d.name === 'customappsso')!.objects!.find((o) => o.name === 'User')!;
    list.attributes = list.attributes!.filter((a) => a.name !== `${HT}employee_id`);
    fixRemoves('hithrive', set, 'VENDOR_CUSTOM_TARGET_NOT_IN_LIST', `${HT}employee_id`);
  });

  it('HiThrive: userName sharing precedence 1 with externalId is renumbered', () => {
    const set = withUserRows(recommendedSet('hithrive'), (rows) => rows.map((r) => (r.targetAttributeName === 'userName' ? { ...r, matchingPriority: 1 } : r)));
    const fixed = fixRemoves('hithrive', set, 'VENDOR_MATCHING', 'externalId');
    expect(validate('hithrive', fixed).preview.findings.filter((f) => f.code === 'DUPLICATE_MATCHING_PRECEDENCE')).toEqual([]);
  });

  it('HiThrive and Haiilo: group provisioning is turned off', () => {
    for (const id of ['hithrive', 'haiilo']) {
      const fixed = fixRemoves(id, defaultSet(), 'VENDOR_GROUPS_UNSUPPORTED');
      expect(fixed.synchronizationRules[0]!.objectMappings.find((m) => m.sourceObjectName === 'Group')!.enabled).toBe(false);
    }
  });

  it('Haiilo: an unsupported default row is deleted', () => {
    fixRemoves('haiilo', defaultSet(), 'VENDOR_TARGET_UNSUPPORTED', 'title');
  });

  it('Thrive: matching moves from externalId to userName', () => {
    const set = withUserRows(recommendedSet('thrive'), (rows) => [
      ...rows.map((r) => (r.targetAttributeName === 'userName' ? { ...r, matchingPriority: 2 } : r)),
      row('externalId', '[objectId]', { matchingPriority: 1 }),
    ]);
    const fixed = fixRemoves('thrive', set, 'VENDOR_MATCHING_NOT_FILTERABLE', 'externalId');
    const rows = userRows(fixed);
    expect(rows.find((r) => r.targetAttributeName === 'externalId')!.matchingPriority).toBe(0);
    expect(rows.find((r) => r.targetAttributeName === 'userName')!.matchingPriority).toBe(1);
    expect(errors(validate('thrive', fixed).findings).map(signature)).toEqual([]);
  });

  it('Thrive: a date-time sent to a custom field is wrapped in the date conversion', () => {
    const set = withUserRows(recommendedSet('thrive'), (rows) => [...rows, row('hireDate', '[employeeHireDate]')]);
    fixRemoves('thrive', set, 'VENDOR_FORMAT', 'hireDate');
  });

  it('Hector: a required row re-sourced (userName from mail) is restored to userPrincipalName', () => {
    const set = withUserRows(recommendedSet('hector'), (rows) => rows.map((r) => (r.targetAttributeName === 'userName' ? { ...row('userName', '[mail]'), matchingPriority: 1 } : r)));
    const fixed = fixRemoves('hector', set, 'VENDOR_ROW_SOURCE', 'userName');
    const userName = userRows(fixed).find((r) => r.targetAttributeName === 'userName')!;
    expect(sameExpression(userName.source?.expression, '[userPrincipalName]')).toBe(true);
    expect(userName.matchingPriority).toBe(1);
  });

  it('Hector: a deleted required row is restored', () => {
    const set = withUserRows(recommendedSet('hector'), (rows) => rows.filter((r) => r.targetAttributeName !== 'active'));
    fixRemoves('hector', set, 'VENDOR_ROW_MISSING', 'active');
  });

  it('generic: the aadOptscim062020 flag is appended to the tenant URL', () => {
    const set = withTenantUrl(defaultSet(), 'https://scim.example.com/scim/v2?tenant=contoso');
    const fixed = fixRemoves('generic', set, 'VENDOR_PATCH_DIALECT', 'active');
    expect(tenantUrlOf(fixed)).toBe('https://scim.example.com/scim/v2?tenant=contoso&aadOptscim062020');
    expect(validate('generic', fixed).preview.dialect).toBe('aadOptscim062020');
  });
});

describe('applying every recommended row at once', () => {
  it('turns Entra’s defaults into a HiThrive configuration without errors', () => {
    const run = validate('hithrive', defaultSet());
    const fixed = applyAllFixes(run.set, run.findings, run.profile);
    expect(errors(validate('hithrive', fixed).findings).map(signature)).toEqual([]);
  });

  it('turns Entra’s defaults into a Hector configuration without errors', () => {
    const run = validate('hector', defaultSet());
    const fixed = applyAllFixes(run.set, run.findings, run.profile);
    expect(errors(validate('hector', fixed).findings).map(signature)).toEqual([]);
    expect(userRows(fixed).filter((r) => r.targetAttributeName === 'externalId').map((r) => r.source?.expression)).toEqual(['[objectId]']);
  });
});

describe('findings without a mechanical fix', () => {
  it('are not fixable and applyFix says why', () => {
    const profile = loadBuiltInProfile('formsonfire');
    const userType: Finding = { severity: 'warning', code: 'VENDOR_ROW_MISSING', attribute: 'userType', message: 'No mapping sends userType.' };
    expect(isFixable(userType, profile)).toBe(false);
    expect(() => applyFix(defaultSet(), userType, profile)).toThrow(FixNotApplicableError);
    const duplicate: Finding = { severity: 'error', code: 'VENDOR_DUPLICATE_VALUE', attribute: 'userName', message: 'same value' };
    expect(isFixable(duplicate, profile)).toBe(false);
    expect(() => applyFix(defaultSet(), duplicate, profile)).toThrow(/no mechanical fix/);
  });

  it('a fix that needs the profile refuses to guess without it', () => {
    const finding: Finding = { severity: 'error', code: 'VENDOR_MATCHING', attribute: 'externalId', message: 'matching' };
    expect(isFixable(finding)).toBe(false);
    expect(() => applyFix(defaultSet(), finding)).toThrow(/needs the vendor profile/);
  });

  it('the dialect fix needs a tenant URL in the set', () => {
    const finding: Finding = { severity: 'warning', code: 'VENDOR_PATCH_DIALECT', attribute: 'active', message: 'dialect' };
    expect(() => applyFix(defaultSet(), finding)).toThrow(/no Tenant URL/);
    expect(isFixable(finding, undefined, defaultSet())).toBe(false);
    expect(isFixable(finding, undefined, withTenantUrl(defaultSet(), 'https://scim.example.com/scim'))).toBe(true);
  });

  it('applying every fix skips the dialect fix when the set has no Tenant URL', () => {
    const profile = loadBuiltInProfile('generic');
    const finding: Finding = { severity: 'warning', code: 'VENDOR_PATCH_DIALECT', attribute: 'active', message: 'dialect' };
    expect(() => applyAllFixes(defaultSet(), [finding], profile)).not.toThrow();
    expect(tenantUrlOf(applyAllFixes(defaultSet(), [finding], profile))).toBeNull();
  });
});
