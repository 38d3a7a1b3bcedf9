import { describe, expect, it } from 'vitest';
import { csvDocument, csvField, csvLine, unguardCsvFormula } from '../../shared/csv.ts';
import { exportUsersCsv, importUsersCsv, parseCsv } from '../../shared/directory/csv-import.ts';
import type { GraphUser } from '../../shared/directory/graph-to-source.ts';

describe('the CSV writer', () => {
  it('prefixes every formula start (= + - @ tab CR) with an apostrophe', () => {
    for (const value of ['=1+1', '+1 425 555 0100', '-2', '@SUM(A1)', '\t=1', '\r=1']) expect(csvField(value).replace(/^"/, '')).toMatch(/^'/);
    expect(csvField('plain')).toBe('plain');
  });

  it('quotes quotes, delimiters, line breaks and edge spaces', () => {
    expect(csvLine(['a,b', 'a;b', 'say "hi"', 'two\nlines', ' padded', 7, null])).toBe('"a,b","a;b","say ""hi""","two\nlines"," padded",7,');
  });

  it('ends every record with CRLF', () => {
    expect(csvDocument(['a', 'b'])).toBe('a\r\nb\r\n');
  });

  it('has an exact inverse for the guard, also for values that already start with apostrophes', () => {
    for (const value of ['=1', "'=1", "''@x", "'plain", 'plain', '-']) {
      const written = parseCsv(csvField(value), ',').rows[0]!.fields[0]!;
      expect(unguardCsvFormula(written)).toBe(value);
    }
  });
});

describe('the users CSV export', () => {
  const user: GraphUser = {
    id: '00000000-0000-0000-0000-000000000001',
    userPrincipalName: 'mallory@contoso.com',
    displayName: '=HYPERLINK("https://evil.example","Click")',
    jobTitle: '@SUM(1+1)',
    businessPhones: ['+1 425 555 0100'],
    accountEnabled: true,
  };

  it('guards cells a spreadsheet would run as a formula', () => {
    const [header, row] = parseCsv(exportUsersCsv([user]), ',').rows;
    const cell = (name: string) => row!.fields[header!.fields.indexOf(name)];
    expect(cell('displayName')).toBe(`'=HYPERLINK("https://evil.example","Click")`);
    expect(cell('jobTitle')).toBe("'@SUM(1+1)");
    expect(cell('businessPhones')).toBe("'+1 425 555 0100");
  });

  it('reads its own guarded export back unchanged', () => {
    const [back] = importUsersCsv(exportUsersCsv([user])).users;
    expect(back).toMatchObject({ displayName: user.displayName, jobTitle: user.jobTitle, businessPhones: user.businessPhones });
  });
});
