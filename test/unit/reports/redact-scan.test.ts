import { describe, expect, it } from 'vitest';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { Redactor } from '../../../shared/reports/redact.ts';
import { RedactionScan, stringsOf } from '../../../shared/reports/redact-scan.ts';
import { demoPersonalValues, demoUsers, leakedValues } from './demo.ts';

const megan = demoUsers.find((u) => u.userPrincipalName === 'megan.bowen@contoso.com')!;
const emma = demoUsers.find((u) => u.userPrincipalName === 'emma.brown@contoso.com')!;
const guest = demoUsers.find((u) => String(u.originalUserPrincipalName).includes('#EXT#'))!;

/** A scan of the whole demo tenant over `texts`, keeping `wanted` whatever their values. */
function scanned(texts: string[], wanted: SourceObject[] = []): RedactionScan {
  const scan = new RedactionScan(texts, new Set(wanted.map((u) => String(u.objectId))));
  for (const user of demoUsers) scan.add(user);
  return scan;
}

describe('the redaction scan', () => {
  it('keeps only the sample users and the users the texts quote', () => {
    const texts = [`${megan.displayName} has no manager in scope`, 'nothing personal here'];
    const scan = scanned(texts, [emma]);
    expect(scan.keptUsers).toBe(2);
    const redactor = scan.redactor('pseudonymise');
    expect(redactor.lookup(String(megan.displayName))).toBeDefined();
    expect(redactor.lookup(String(emma.userPrincipalName))).toBeDefined();
    // a user neither sampled nor quoted is unknown: the report never names them
    const other = demoUsers.find((u) => u !== megan && u !== emma && u.displayName !== megan.displayName)!;
    expect(redactor.lookup(String(other.userPrincipalName))).toBeUndefined();
  });

  it('scrubs a value of a user outside the sample that a finding message or a constant quotes, URL-encoded too', () => {
    const texts = [
      `userName "${String(megan.userPrincipalName).toUpperCase()}" is sent twice`,
      `/Users?filter=userName+eq+%22${encodeURIComponent(String(guest.mail))}%22`,
      `Switch([mail], "", "${emma.mail}", "VIP")`,
    ];
    const redactor = scanned(texts).redactor('pseudonymise');
    const report = redactor.scrubDeep({ texts });
    expect(leakedValues(JSON.stringify(report), [String(megan.userPrincipalName), String(guest.mail), String(emma.mail)])).toEqual([]);
    expect(report.texts[0]).toBe(`userName "${redactor.lookup(String(megan.userPrincipalName))}" is sent twice`);
  });

  it('gives fake e-mails the tenant domains of every user, not only of the ones kept', () => {
    // the guest alone shows no member domain; contoso.com comes from the users the scan read and dropped
    const redactor = scanned([], [guest]).redactor('pseudonymise');
    const fake = redactor.pseudonymiseSource(guest);
    expect(fake.originalUserPrincipalName).toMatch(/_example\.com#EXT#@contoso\.onmicrosoft\.com$/);
    const member = scanned([], [megan]).redactor('pseudonymise').pseudonymiseSource(megan);
    expect(member.userPrincipalName).toMatch(/@contoso\.com$/);
  });

  it('scrubs texts that quote every personal value of the tenant as a redactor of every user does', () => {
    const texts = demoPersonalValues().map((value) => `quoted: ${value}.`);
    const scan = scanned(texts);
    for (const mode of ['pseudonymise', 'remove'] as const) {
      const left = leakedValues(JSON.stringify(scan.redactor(mode).scrubDeep(texts)), demoPersonalValues());
      // a second business phone is no provisioning attribute: neither redactor knows it, and no report holds it
      expect(left).toEqual(leakedValues(JSON.stringify(new Redactor(mode, demoUsers).scrubDeep(texts)), demoPersonalValues()));
      expect(left).toEqual(['+1 212 555 0143']);
    }
  });

  it('keeps one user for a value many users share, not every copy', () => {
    const copies = Array.from({ length: 50 }, (_, i) => ({ ...megan, objectId: `copy-${i}`, userPrincipalName: `megan.${i}@contoso.com` }));
    const scan = new RedactionScan([`Display name ${megan.displayName} is not unique`], new Set());
    for (const user of copies) scan.add(user);
    expect(scan.keptUsers).toBe(1);
  });

  it('gives, scanned in parts (the preview workers\' chunks) and merged in order, the very redactor one scan gives', () => {
    // copies sharing values across the parts' boundaries, and a guest whose tenant domain only a later part shows
    const tenant = [...demoUsers, ...demoUsers.map((u, i) => ({ ...u, objectId: `copy-${i}`, userPrincipalName: `copy.${i}@fabrikam.com` }))];
    const texts = [`${megan.displayName} and ${emma.mail} are quoted`, `so is ${guest.mail}`, 'copy.3@fabrikam.com too'];
    const wanted = new Set([String(emma.objectId), 'copy-7']);
    const whole = new RedactionScan(texts, wanted);
    for (const user of tenant) whole.add(user);
    for (const cuts of [[1], [5, 40], [tenant.length >> 1], [0, 3, 9, 27]]) {
      const bounds = [0, ...cuts, tenant.length];
      const merged = new RedactionScan(texts, wanted);
      for (let i = 0; i + 1 < bounds.length; i++) {
        const part = new RedactionScan(texts, wanted);
        for (const user of tenant.slice(bounds[i], bounds[i + 1])) part.add(user);
        merged.addFound(part.found());
      }
      expect(merged.found()).toEqual(whole.found());
      const sample = tenant[tenant.length - 1]!;
      expect(merged.redactor('pseudonymise').pseudonymiseSource(sample)).toEqual(whole.redactor('pseudonymise').pseudonymiseSource(sample));
    }
    expect(whole.keptUsers).toBeGreaterThan(2);
  });

  it('reads every string of a report model, keys included', () => {
    expect([...stringsOf({ a: ['x', { [String(megan.objectId)]: 1, b: null }], c: 'y' })]).toEqual(['a', 'x', String(megan.objectId), 'b', 'c', 'y']);
  });
});
