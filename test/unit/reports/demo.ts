import users from '../../../resources/demo-tenant/users.json' with { type: 'json' };
import groups from '../../../resources/demo-tenant/groups.json' with { type: 'json' };
import { graphGroupToSource, graphUserToSource, type GraphGroup, type GraphUser } from '../../../shared/directory/graph-to-source.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { MappingSet } from '../../../shared/mapping/model.ts';
import { previewSnapshot } from '../../../shared/preview/run.ts';
import { entraDefaultSet } from '../../../shared/reports/index.ts';
import { applyFix, FixNotApplicableError, loadBuiltInProfile, vendorFindings } from '../../../shared/vendors/index.ts';

/** The demo tenant (resources/demo-tenant) as source objects, the way every report test reads it. */
export const demoUsers: SourceObject[] = (users as { value: GraphUser[] }).value.map((user) => graphUserToSource(user));
export const demoGroups: SourceObject[] = (groups as unknown as { value: GraphGroup[] }).value.map((group) => graphGroupToSource(group));
export const demoGraphUsers = (users as { value: Record<string, unknown>[] }).value;

/** Entra's defaults with every mechanical mapping-level fix the vendor's findings offer applied. */
export function vendorReadySet(vendorId: string): MappingSet {
  const profile = loadBuiltInProfile(vendorId);
  let set = entraDefaultSet();
  const findings = vendorFindings(profile, set, previewSnapshot({ set, users: [], vendor: vendorId }), { users: [], groups: [] });
  for (const finding of findings.filter((f) => f.userId === undefined)) {
    try {
      set = applyFix(set, finding, profile);
    } catch (error) {
      if (!(error instanceof FixNotApplicableError)) throw error;
    }
  }
  return set;
}

/**
 * Every personal value of the demo tenant a report must never show under redaction: names, UPNs, mails,
 * object ids, phone numbers, employee ids. Names shorter than 3 letters are checked too, except where a
 * single character would match ordinary text (none in the demo tenant: its short names are CJK).
 */
export function demoPersonalValues(): string[] {
  const values = new Set<string>();
  for (const user of demoGraphUsers) {
    for (const key of ['id', 'displayName', 'givenName', 'surname', 'userPrincipalName', 'mail', 'mailNickname', 'mobilePhone', 'employeeId', 'faxNumber']) {
      const value = user[key];
      if (typeof value === 'string' && value.trim() !== '') values.add(value);
    }
    for (const key of ['businessPhones', 'otherMails']) {
      const list = user[key];
      if (Array.isArray(list)) for (const item of list) if (typeof item === 'string') values.add(item);
    }
  }
  return [...values];
}

/** The personal values that occur in `text`: names compared with their exact casing, the rest ignoring case. */
export function leakedValues(text: string, values: readonly string[]): string[] {
  const lower = text.toLowerCase();
  return values.filter((value) => (/[@\d-]/.test(value) ? lower.includes(value.toLowerCase()) : text.includes(value)));
}
