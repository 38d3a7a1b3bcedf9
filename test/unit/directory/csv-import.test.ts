import { describe, expect, it } from 'vitest';
import { generateDemoTenant } from '../../../scripts/demo-tenant/generate.ts';
import { DEMO_COST_CENTER_EXTENSION, DEMO_SKILLS_EXTENSION } from '../../../scripts/demo-tenant/generate.ts';
import { CsvImportError, exportUsersCsv, importUsersCsv, parseCsv } from '../../../shared/directory/csv-import.ts';
import { graphUserToSource, type GraphUser } from '../../../shared/directory/graph-to-source.ts';

function issuesOf(text: string) {
  try {
    importUsersCsv(text);
  } catch (error) {
    if (error instanceof CsvImportError) return error.issues;
    throw error;
  }
  throw new Error('expected the import to fail');
}

describe('parseCsv (RFC 4180)', () => {
  it('reads quoted fields with delimiters, doubled quotes and line breaks inside', () => {
    const { rows, issues } = parseCsv('a,b,c\r\n"x, y","say ""hi""","two\nlines"\r\nlast,,\r\n');
    expect(issues).toEqual([]);
    expect(rows.map((r) => r.fields)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
      ['last', '', ''],
    ]);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('drops a UTF-8 byte order mark and reads a last row without a line break', () => {
    const { rows } = parseCsv('\uFEFFuserPrincipalName\nzoe@contoso.com');
    expect(rows.map((r) => r.fields)).toEqual([['userPrincipalName'], ['zoe@contoso.com']]);
  });

  it('detects ";" as the delimiter when the header uses it', () => {
    expect(parseCsv('a;b\n1;2\n').rows[1]!.fields).toEqual(['1', '2']);
  });

  it('reports an unclosed quote at the line and column where the field opened', () => {
    const { issues } = parseCsv('a,b\n1,"open\n2,3\n');
    expect(issues).toEqual([{ line: 2, column: 2, message: expect.stringMatching(/never closed/) }]);
  });
});

describe('importUsersCsv', () => {
  it("reads Entra's Download users columns into Graph properties", () => {
    const csv = [
      'userPrincipalName,displayName,surname,mail,givenName,objectId,userType,jobTitle,department,accountEnabled,usageLocation,streetAddress,state,country,physicalDeliveryOfficeName,city,postalCode,telephoneNumber,mobile,authenticationEmail,companyName,directorySynced,createdDateTime',
      'zoe.lefevre@contoso.com,Zoë Lefèvre,Lefèvre,zoe.lefevre@contoso.com,Zoë,6f1c0f0e-a7a9-4b1f-a0a1-b2c3d4e5f607,Member,Marketing Specialist,Marketing,True,CA,1000 rue De La Gauchetière O,QC,Canada,Montréal,Montréal,H3B 4W5,+1 514 555 0100,+1 514 555 0199,,Contoso Ltd.,False,2024-01-01T00:00:00Z',
    ].join('\r\n');
    const result = importUsersCsv(csv);
    expect(result.layout).toBe('entra-download');
    expect(result.warnings.join()).toMatch(/authenticationEmail.*createdDateTime/);
    const [user] = result.users;
    expect(user).toMatchObject({
      id: '6f1c0f0e-a7a9-4b1f-a0a1-b2c3d4e5f607',
      officeLocation: 'Montréal',
      businessPhones: ['+1 514 555 0100'],
      mobilePhone: '+1 514 555 0199',
      accountEnabled: true,
      onPremisesSyncEnabled: false,
    });
    const source = graphUserToSource(user!);
    expect(source).toMatchObject({
      objectId: '6f1c0f0e-a7a9-4b1f-a0a1-b2c3d4e5f607',
      physicalDeliveryOfficeName: 'Montréal',
      telephoneNumber: '+1 514 555 0100',
      mobile: '+1 514 555 0199',
      dirSyncEnabled: false,
    });
  });

  it("accepts the portal's display labels (Object Id, Office phone, Block sign in)", () => {
    const users = importUsersCsv(
      'User principal name,Object Id,Office phone,Block sign in\r\na@contoso.com,11111111-2222-4333-8444-555555555555,+1 425 555 0100,Yes\r\n',
    ).users;
    expect(users[0]).toMatchObject({
      id: '11111111-2222-4333-8444-555555555555',
      businessPhones: ['+1 425 555 0100'],
      accountEnabled: false,
    });
  });

  it('reads template rows: extension attributes, directory extensions, lists, org data and a manager by UPN', () => {
    const csv = [
      `userPrincipalName,displayName,proxyAddresses,employeeHireDate,employeeOrgData.costCenter,extensionAttribute3,${DEMO_COST_CENTER_EXTENSION},manager`,
      'boss@contoso.com,Boss,SMTP:boss@contoso.com;smtp:b@contoso.onmicrosoft.com,2019-03-04,CC-1,,3100,',
      'worker@contoso.com,Worker,,2023-01-15T08:00:00Z,,B123,,boss@contoso.com',
    ].join('\n');
    const { users, layout } = importUsersCsv(csv);
    expect(layout).toBe('template');
    const [boss, worker] = users as [NonNullable<(typeof users)[0]>, NonNullable<(typeof users)[0]>];
    expect(boss.proxyAddresses).toEqual(['SMTP:boss@contoso.com', 'smtp:b@contoso.onmicrosoft.com']);
    expect(boss.employeeHireDate).toBe('2019-03-04T00:00:00Z');
    expect(boss.employeeOrgData).toEqual({ costCenter: 'CC-1', division: null });
    expect(boss[DEMO_COST_CENTER_EXTENSION]).toBe('3100');
    expect(worker.onPremisesExtensionAttributes?.extensionAttribute3).toBe('B123');
    expect(worker.manager).toMatchObject({ id: boss.id, userPrincipalName: 'boss@contoso.com' });
    expect(boss.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(importUsersCsv(csv).users[0]!.id).toBe(boss.id);
  });

  it('reports every bad value with its line and column and imports nothing', () => {
    const csv = [
      'userPrincipalName,accountEnabled,employeeHireDate,manager',
      'a@contoso.com,maybe,2023-01-15,',
      ',True,,',
      'c@contoso.com,False,15/01/2023,nobody@contoso.com',
    ].join('\n');
    expect(issuesOf(csv)).toEqual([
      { line: 2, column: 2, columnName: 'accountEnabled', message: expect.stringMatching(/True or False/) },
      { line: 3, column: 1, columnName: 'userPrincipalName', message: 'userPrincipalName is empty' },
      { line: 4, column: 3, columnName: 'employeeHireDate', message: expect.stringMatching(/ISO 8601/) },
      { line: 4, column: 4, columnName: 'manager', message: expect.stringMatching(/neither an object id/) },
    ]);
  });

  it('reports a row with the wrong number of fields, a duplicate UPN and a missing UPN column', () => {
    expect(issuesOf('userPrincipalName,displayName\na@contoso.com\n')).toEqual([
      { line: 2, column: 0, message: 'has 1 fields, the header has 2' },
    ]);
    expect(issuesOf('userPrincipalName\na@contoso.com\nA@contoso.com\n')[0]).toMatchObject({
      line: 3,
      message: expect.stringMatching(/appears twice/),
    });
    expect(issuesOf('displayName\nx\n')[0]!.message).toMatch(/no userPrincipalName column/);
  });

  it('lists the problems in the error message', () => {
    expect(() => importUsersCsv('userPrincipalName,accountEnabled\na@contoso.com,perhaps\n')).toThrow(
      /line 2, column 2 \(accountEnabled\): expected True or False/,
    );
  });

  it('round-trips the demo tenant through the template layout', () => {
    const users = generateDemoTenant().users.value.map((user) => {
      // Multi-valued directory extensions have no single-cell form in the template.
      const copy: GraphUser = { ...user };
      delete copy[DEMO_SKILLS_EXTENSION];
      return copy;
    });
    const csv = exportUsersCsv(users, [DEMO_COST_CENTER_EXTENSION]);
    const back = importUsersCsv(csv).users;
    expect(back).toEqual(users);
  });
});
