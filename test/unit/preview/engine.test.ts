import { describe, expect, it } from 'vitest';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { findObjectMapping, withTenantUrl, type MappingSet } from '../../../shared/mapping/model.ts';
import type { PreviewResult } from '../../../shared/preview/types.ts';
import { previewSnapshot } from '../../../shared/preview/run.ts';
import { adele, defaultTemplate, megan, source } from './helpers.ts';


const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function run(users: SourceObject[], options: { set?: MappingSet; previousUsers?: SourceObject[]; dialect?: 'default' | 'aadOptscim062020' } = {}): PreviewResult {
  return previewSnapshot({ set: options.set ?? defaultTemplate(), users, ...(options.previousUsers ? { previousUsers: options.previousUsers } : {}), ...(options.dialect ? { dialect: options.dialect } : {}) });
}

function userOf(result: PreviewResult, id: string) {
  const user = result.users.find((u) => u.id === id);
  if (!user) throw new Error(`no preview for ${id}`);
  return user;
}

function editRows(set: MappingSet, edit: (rows: NonNullable<ReturnType<typeof findObjectMapping>>['objectMapping']['attributeMappings']) => void): MappingSet {
  const copy = structuredClone(set);
  edit(findObjectMapping(copy, 'User')!.objectMapping.attributeMappings);
  return copy;
}

describe(`preview over a snapshot with Entra's default mappings`, () => {
  it('a new user gets the match GET, the POST built from every default row, then the manager PATCH', () => {
    const result = run([source(adele), source(megan)]);
    const user = userOf(result, adele.id);
    expect(user.action).toBe('create');
    expect(user.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /Users?filter=userName+eq+%22adele.vance%40contoso.com%22',
      'POST /Users',
      'PATCH /Users/{id:adele.vance@contoso.com}',
    ]);
    expect(user.requests[1]!.body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      userName: 'adele.vance@contoso.com',
      active: true,
      displayName: 'Adele Vance',
      title: 'Retail Manager',
      emails: [{ type: 'work', primary: true, value: 'adele.vance@contoso.com' }],
      preferredLanguage: 'en-US',
      name: { givenName: 'Adele', familyName: 'Vance', formatted: 'Adele Vance' },
      addresses: [{ type: 'work', primary: false, formatted: 'Building 40', streetAddress: '1 Main St', locality: 'Redmond', region: 'WA', postalCode: '98052', country: 'US' }],
      phoneNumbers: [
        { type: 'work', primary: true, value: '+1 425 555 0109' },
        { type: 'mobile', primary: false, value: '+1 425 555 0110' },
        { type: 'fax', primary: false, value: '+1 425 555 0111' },
      ],
      externalId: 'adele',
      [ENTERPRISE]: { employeeNumber: 'E1234', department: 'Retail' },
      meta: { resourceType: 'User' },
      roles: [],
    });
    expect(user.requests[2]!.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Add', path: `${ENTERPRISE}:manager`, value: '{id:megan.bowen@contoso.com}' }],
    });
    expect(user.target).toMatchObject({ id: '{id:adele.vance@contoso.com}', [ENTERPRISE]: { manager: { value: '{id:megan.bowen@contoso.com}' } } });
  });

  it('drops null and empty values: a user with only a few attributes gets only those', () => {
    const result = run([source({ id: '33333333-3333-4333-8333-333333333333', accountEnabled: true, userPrincipalName: 'min@contoso.com', displayName: '', givenName: 'Min' })]);
    const body = result.users[0]!.requests.at(-1)!.body!;
    expect(body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      userName: 'min@contoso.com',
      active: true,
      name: { givenName: 'Min', formatted: 'Min' },
      meta: { resourceType: 'User' },
      roles: [],
    });
  });

  it('does not create a disabled user, and says why', () => {
    const user = run([source({ ...adele, accountEnabled: false })]).users[0]!;
    expect(user).toMatchObject({ action: 'skip', inScope: true, requests: [], target: null });
    expect(user.reason).toMatch(/disabled/);
  });

  it('sends a B2B guest as alias@theirdomain, without #EXT#', () => {
    const guest = source({ id: '44444444-4444-4444-8444-444444444444', accountEnabled: true, userPrincipalName: 'kim_fabrikam.com#EXT#@contoso.onmicrosoft.com' });
    const user = run([guest]).users[0]!;
    expect(user.requests[0]!.path).toBe('/Users?filter=userName+eq+%22kim%40fabrikam.com%22');
    expect(user.requests.at(-1)!.body!.userName).toBe('kim@fabrikam.com');
  });

  it('does not link a manager who is not provisioned, and warns', () => {
    const user = userOf(run([source(adele), source({ ...megan, accountEnabled: false })]), adele.id);
    expect(user.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
    expect(user.findings.map((f) => f.code)).toContain('MANAGER_NOT_PROVISIONED');
  });

  it('skips a user without any matching value (ImportSkipped)', () => {
    const user = run([source({ id: '55555555-5555-4555-8555-555555555555', accountEnabled: true, displayName: 'No UPN' })]).users[0]!;
    expect(user.action).toBe('skip');
    expect(user.findings.map((f) => f.code)).toEqual(['NO_MATCHING_VALUE']);
  });

  it('uses a default value only on create', () => {
    const set = editRows(defaultTemplate(), (rows) => {
      rows.find((r) => r.targetAttributeName === 'title')!.defaultValue = 'Employee';
    });
    const noTitle = { ...adele, jobTitle: null };
    const created = userOf(run([source(noTitle)], { set }), adele.id);
    expect(created.requests.find((r) => r.method === 'POST')!.body!.title).toBe('Employee');
    const updated = userOf(run([source({ ...noTitle, displayName: 'Adele V.' })], { set, previousUsers: [source({ ...adele, jobTitle: null })] }), adele.id);
    // The target already holds "Employee" from the create; a null source sends nothing for title.
    expect(JSON.stringify(updated.requests.map((r) => r.body))).not.toContain('title');
    expect(updated.target!.title).toBe('Employee');
  });

  it('follows the tenant URL flag, and --dialect overrides it', () => {
    const flagged = withTenantUrl(defaultTemplate(), 'https://api.contoso.com/scim?aadOptscim062020');
    const result = run([source(adele)], { set: flagged });
    expect(result.dialect).toBe('aadOptscim062020');
    expect(result.users[0]!.requests[0]!.curl).toContain(`'https://api.contoso.com/scim/Users?filter=`);
    expect(run([source(adele)], { set: flagged, dialect: 'default' }).dialect).toBe('default');
  });
});

describe(`incremental preview`, () => {
  const before = [source(adele), source(megan)];

  it('sends nothing at all for an unchanged user', () => {
    const user = userOf(run(before, { previousUsers: before }), adele.id);
    expect(user).toMatchObject({ action: 'none', requests: [] });
  });

  it('a mover gets only the PATCH of what changed (default dialect)', () => {
    const moved = source({ ...adele, department: 'Sales', jobTitle: 'Sales Lead' });
    const user = userOf(run([moved, source(megan)], { previousUsers: before }), adele.id);
    expect(user.action).toBe('update');
    expect(user.requests.map((r) => r.method)).toEqual(['GET', 'PATCH']);
    expect(user.requests[1]!.path).toBe('/Users/{id:adele.vance@contoso.com}');
    expect(user.requests[1]!.body!.Operations).toEqual([
      { op: 'Replace', path: 'title', value: 'Sales Lead' },
      { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Sales' },
    ]);
    expect(user.target).toMatchObject({ title: 'Sales Lead', [ENTERPRISE]: { department: 'Sales', employeeNumber: 'E1234' } });
  });

  it('a mover in the flag dialect gets one path-less replace for single-valued changes', () => {
    const moved = source({ ...adele, department: 'Sales', jobTitle: 'Sales Lead', mail: 'adele@sales.contoso.com' });
    const user = userOf(run([moved, source(megan)], { previousUsers: before, dialect: 'aadOptscim062020' }), adele.id);
    expect(user.requests[1]!.body!.Operations).toEqual([
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'adele@sales.contoso.com' },
      { op: 'replace', value: { title: 'Sales Lead', [`${ENTERPRISE}:department`]: 'Sales' } },
    ]);
  });

  it('a new manager is linked by a separate Replace', () => {
    const nestor = source({ ...megan, id: '66666666-6666-4666-8666-666666666666', userPrincipalName: 'nestor@contoso.com' });
    const moved = source({ ...adele, manager: { id: '66666666-6666-4666-8666-666666666666' } });
    const user = userOf(run([moved, source(megan), nestor], { previousUsers: [...before, nestor] }), adele.id);
    expect(user.requests.at(-1)!.body!.Operations).toEqual([{ op: 'Replace', path: `${ENTERPRISE}:manager`, value: '{id:nestor@contoso.com}' }]);
  });

  it('a leaver (gone from the directory) is deactivated', () => {
    const user = userOf(run([source(megan)], { previousUsers: before }), adele.id);
    expect(user.action).toBe('deactivate');
    expect(user.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /Users?filter=userName+eq+%22adele.vance%40contoso.com%22',
      'PATCH /Users/{id:adele.vance@contoso.com}',
    ]);
    expect(user.requests[1]!.body!.Operations).toEqual([{ op: 'Replace', path: 'active', value: 'False' }]);
    expect(user.target!.active).toBe(false);
  });

  it('a user disabled since the last cycle is deactivated with a JSON boolean under the flag', () => {
    const user = userOf(run([source({ ...adele, accountEnabled: false }), source(megan)], { previousUsers: before, dialect: 'aadOptscim062020' }), adele.id);
    expect(user.action).toBe('deactivate');
    expect(user.requests[1]!.body!.Operations).toEqual([{ op: 'replace', path: 'active', value: false }]);
  });

  it('a user that left the scoping filter is deactivated', () => {
    const set = editRows(defaultTemplate(), () => {});
    findObjectMapping(set, 'User')!.objectMapping.scope = {
      groups: [{ name: 'Retail only', clauses: [{ operatorName: 'EQUALS', sourceOperandName: 'department', targetOperand: { values: ['Retail'] } }] }],
    };
    const moved = source({ ...adele, department: 'Sales' });
    const user = userOf(run([moved], { set, previousUsers: [source(adele)] }), adele.id);
    expect(user).toMatchObject({ action: 'deactivate', inScope: false });
    expect(user.reason).toContain('Retail only');
    expect(user.requests[1]!.body!.Operations).toEqual([{ op: 'Replace', path: 'active', value: 'False' }]);
  });

  it('without an active mapping, a deprovisioned user is deleted when Delete is a target action', () => {
    const set = editRows(defaultTemplate(), (rows) => {
      rows.splice(rows.findIndex((r) => r.targetAttributeName === 'active'), 1);
    });
    const user = userOf(run([source(megan)], { set, previousUsers: before }), adele.id);
    expect(user.action).toBe('delete');
    expect(user.requests.map((r) => r.method)).toEqual(['GET', 'DELETE']);
  });
});

describe(`mapping-level findings`, () => {
  const codes = (result: PreviewResult) => result.findings.map((f) => f.code);

  it('the default mappings have no errors', () => {
    expect(run([source(adele), source(megan)]).findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('reports two rows at one matching precedence, a target mapped twice and SelectUniqueValue on a matching row', () => {
    const set = editRows(defaultTemplate(), (rows) => {
      rows.find((r) => r.targetAttributeName === 'externalId')!.matchingPriority = 1;
      rows.push({ targetAttributeName: 'externalId', source: { type: 'Attribute', name: 'objectId', expression: '[objectId]' }, matchingPriority: 0, flowType: 'Always' });
      rows.find((r) => r.targetAttributeName === 'userName')!.source = {
        type: 'Function',
        name: 'SelectUniqueValue',
        expression: 'SelectUniqueValue([userPrincipalName], [mail])',
      };
    });
    const found = codes(run([source(adele)], { set }));
    expect(found).toEqual(expect.arrayContaining(['DUPLICATE_MATCHING_PRECEDENCE', 'DUPLICATE_TARGET', 'SELECT_UNIQUE_VALUE_ON_MATCHING']));
  });

  it('explains that a default value on an Always row is used on create only', () => {
    const set = editRows(defaultTemplate(), (rows) => {
      rows.find((r) => r.targetAttributeName === 'title')!.defaultValue = 'Employee';
    });
    const finding = run([source(adele)], { set }).findings.find((f) => f.code === 'DEFAULT_VALUE_CREATE_ONLY')!;
    expect(finding).toMatchObject({ severity: 'info', attribute: 'title' });
  });

  it('reports an expression error with its span', () => {
    const set = editRows(defaultTemplate(), (rows) => {
      rows.find((r) => r.targetAttributeName === 'displayName')!.source = { type: 'Function', name: 'Join', expression: 'Join(" ", [givenName], ' };
    });
    const finding = run([source(adele)], { set }).findings.find((f) => f.code === 'EXPRESSION_ERROR')!;
    expect(finding.attribute).toBe('displayName');
    expect(finding.source!.expression).toBe('Join(" ", [givenName], ');
    expect(finding.source!.end).toBeGreaterThanOrEqual(finding.source!.start);
  });

  it('reports a row that is empty for many users', () => {
    const users = [source(adele), source(megan), source({ ...megan, id: '77777777-7777-4777-8777-777777777777', userPrincipalName: 'x@contoso.com' })];
    const finding = run(users).findings.find((f) => f.code === 'VALUE_OFTEN_EMPTY' && f.attribute === 'title')!;
    expect(finding.message).toContain('2 of 3 users');
  });

  it('reports users without userName as errors', () => {
    const set = editRows(defaultTemplate(), (rows) => {
      rows.find((r) => r.targetAttributeName === 'userName')!.matchingPriority = 0;
      rows.find((r) => r.targetAttributeName === 'externalId')!.matchingPriority = 1;
      rows.find((r) => r.targetAttributeName === 'userName')!.source = { type: 'Attribute', name: 'mail', expression: '[mail]' };
    });
    const result = run([source({ ...adele, mail: null })], { set });
    expect(result.users[0]!.action).toBe('error');
    expect(codes(result)).toContain('USERNAME_MISSING');
    expect(result.summary.errors).toBeGreaterThan(0);
  });
});

describe(`runtime errors`, () => {
  it('a mapping that fails at run time makes the user an error with the failing attribute named', () => {
    const set = structuredClone(defaultTemplate());
    findObjectMapping(set, 'User')!.objectMapping.attributeMappings.find((r) => r.targetAttributeName === 'title')!.source = {
      type: 'Function',
      name: 'CDate',
      expression: 'CDate([jobTitle])',
    };
    const user = run([source(adele)], { set }).users[0]!;
    expect(user.action).toBe('error');
    expect(user.findings.find((f) => f.code === 'EXPRESSION_RUNTIME_ERROR')).toMatchObject({ attribute: 'title', userId: adele.id });
  });
});
