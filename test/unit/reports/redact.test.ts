import { describe, expect, it } from 'vitest';
import { Redactor, REMOVED } from '../../../shared/reports/redact.ts';
import { demoUsers } from './demo.ts';

const megan = demoUsers.find((u) => u.userPrincipalName === 'megan.bowen@contoso.com')!;
const emma = demoUsers.find((u) => u.userPrincipalName === 'emma.brown@contoso.com')!;
const guest = demoUsers.find((u) => String(u.originalUserPrincipalName).includes('#EXT#'))!;

describe('pseudonymise', () => {
  const redactor = new Redactor('pseudonymise', demoUsers);

  it('gives a user consistent fake names, e-mails and ids with the same structure', () => {
    const fake = redactor.pseudonymiseSource(megan);
    expect(fake.givenName).not.toBe(megan.givenName);
    expect(fake.displayName).toBe(`${fake.givenName} ${fake.surname}`);
    expect(fake.userPrincipalName).toMatch(/^[a-z0-9.]+@contoso\.com$/);
    expect(fake.mail).toBe(fake.userPrincipalName);
    expect(fake.objectId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(fake.proxyAddresses).toEqual([`SMTP:${fake.mail}`, expect.stringMatching(/^smtp:.+@contoso\.onmicrosoft\.com$/)]);
    // non-personal attributes are kept so findings and payload structure stay true
    expect(fake.department).toBe(megan.department);
    expect(fake.jobTitle).toBe(megan.jobTitle);
  });

  it('keeps a manager reference pointing at the manager’s fake id', () => {
    const fakeEmma = redactor.pseudonymiseSource(emma);
    const manager = demoUsers.find((u) => u.objectId === emma.manager)!;
    expect(fakeEmma.manager).toBe(redactor.pseudonymiseSource(manager).objectId);
  });

  it('keeps a guest’s #EXT# form on the tenant domain and hides the home domain', () => {
    const fake = redactor.pseudonymiseSource(guest);
    expect(fake.originalUserPrincipalName).toMatch(/^[a-z0-9.]+_example\.com#EXT#@contoso\.onmicrosoft\.com$/);
    expect(fake.mail).toMatch(/@example\.com$/);
  });

  it('keeps a phone number’s country code and spacing', () => {
    const withPhone = demoUsers.find((u) => typeof u.mobile === 'string' && String(u.mobile).startsWith('+44'))!;
    const fake = redactor.pseudonymiseSource(withPhone).mobile as string;
    expect(fake).toMatch(/^\+44 \d{3} \d{3} \d{4}$/);
    expect(fake).not.toBe(withPhone.mobile);
  });

  it('gives different real values different fakes and the same value the same fake', () => {
    const upns = demoUsers.map((u) => redactor.lookup(String(u.userPrincipalName)));
    expect(new Set(upns).size).toBe(new Set(demoUsers.map((u) => String(u.userPrincipalName).toLowerCase())).size);
    expect(redactor.lookup(String(megan.mail).toUpperCase())).toBe(redactor.lookup(String(megan.mail)));
  });

  it('scrubs values inside free text, URL-encoded filters included, but only whole tokens', () => {
    const fakeUpn = redactor.lookup(String(megan.userPrincipalName))!;
    expect(redactor.scrub(`userName eq "${megan.userPrincipalName}"`)).toBe(`userName eq "${fakeUpn}"`);
    expect(redactor.scrub(`/Users?filter=userName+eq+%22megan.bowen%40contoso.com%22`)).toBe(`/Users?filter=userName+eq+%22${encodeURIComponent(fakeUpn)}%22`);
    const lee = demoUsers.find((u) => u.surname === 'Lee')!;
    expect(redactor.scrub('Leeway for Lee')).toBe(`Leeway for ${redactor.lookup('Lee')}`);
    expect(lee).toBeDefined();
  });

  it('scrubs the longest value at each place, in any case, next to non-Latin letters and astral characters', () => {
    const people = [
      { objectId: 'a', givenName: 'Mary', surname: 'Lee', displayName: 'Mary Ann Lee' },
      { objectId: 'b', givenName: 'Ζωή', surname: '李', displayName: 'Ζωή 李' },
    ];
    const small = new Redactor('pseudonymise', people);
    const fake = (value: string) => small.lookup(value)!;
    // the display name wins over the given name it starts with; case does not matter
    expect(small.scrub('MARY ANN LEE and mary')).toBe(`${fake('Mary Ann Lee')} and ${fake('Mary')}`);
    // a token boundary is any character that is not a letter or a digit, whatever the script
    expect(small.scrub('ΖωήΖωή, Ζωή李, (李)')).toBe(`ΖωήΖωή, Ζωή李, (${fake('李')})`);
    expect(small.scrub('😀Lee😀 x2Lee Lee2')).toBe(`😀${fake('Lee')}😀 x2Lee Lee2`);
    expect(small.scrub('nothing personal')).toBe('nothing personal');
  });

  it('gives the same pseudonyms for the same directory every time', () => {
    const again = new Redactor('pseudonymise', demoUsers);
    expect(again.pseudonymiseSource(megan)).toEqual(redactor.pseudonymiseSource(megan));
  });
});

describe('remove and off', () => {
  it('remove replaces every personal value with a marker', () => {
    const redactor = new Redactor('remove', demoUsers);
    const removed = redactor.pseudonymiseSource(megan);
    expect(removed.userPrincipalName).toBe(REMOVED);
    expect(removed.givenName).toBe(REMOVED);
    expect(redactor.scrub(`hello ${megan.displayName}`)).toBe(`hello ${REMOVED}`);
  });

  it('off changes nothing', () => {
    const redactor = new Redactor('off', demoUsers);
    expect(redactor.pseudonymiseSource(megan)).toBe(megan);
    expect(redactor.scrub(String(megan.mail))).toBe(megan.mail);
  });
});
