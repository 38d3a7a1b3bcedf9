import { graphUserToSource } from '../../../shared/directory/graph-to-source.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { MappingSet } from '../../../shared/mapping/model.ts';
import { defaultSet, demoGraphGroups, demoGraphUsers, demoUsers, recommendedSet, row, withUserRows } from './support.ts';

/**
 * Demo-tenant scenarios that reach every vendor finding code between them, for the tests that compare two
 * ways of running the rules: duplicates (a userName and a mail two users share), a value with spaces, a leaver
 * (deactivated), managers out of scope, guests, date-times, values outside an allowed set, matching on several
 * attributes, group provisioning off, and a switched-off User mapping.
 */
export interface VendorScenario {
  name: string;
  set: MappingSet;
  users: SourceObject[];
  previousUsers?: SourceObject[];
}

const FOLDERS = 'urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName:folders';
const HT = 'urn:ietf:params:scim:schemas:extension:hithrive:1.0:User:';

const members = demoGraphUsers.filter((u) => u.userType === 'Member' && u.accountEnabled !== false);
const [first, second, third] = members;
const leaver = members[10]!;
const pilot = new Set(demoGraphGroups.find((g) => g.displayName === 'HiThrive Pilot')!.members!.map((m) => m.id));
const mutated = demoGraphUsers.map((u) => {
  if (u.id === second!.id) return { ...u, userPrincipalName: first!.userPrincipalName!.toUpperCase(), mail: first!.mail };
  if (u.id === third!.id) return { ...u, mail: first!.mail, userPrincipalName: ` ${u.userPrincipalName} ` };
  if (u.id === leaver.id) return { ...u, accountEnabled: false };
  return u;
});
const allAssigned = mutated.map((u) => graphUserToSource(u));
const scoped = mutated.map((u) => graphUserToSource(u, { assignedToApp: pilot.has(u.id) || [first!.id, second!.id, leaver.id].includes(u.id) }));

/** Rows that break one rule each: guest user names, date-times, values outside a set, spaces, a second email. */
export function withMistakes(set: MappingSet): MappingSet {
  return withUserRows(set, (rows) => [
    ...rows.map((r) => {
      if (r.targetAttributeName === 'userName') return { ...row('userName', '[originalUserPrincipalName]'), matchingPriority: r.matchingPriority };
      if (r.targetAttributeName === `${HT}hire_date`) return row(`${HT}hire_date`, '[employeeHireDate]');
      if (r.targetAttributeName === 'userType') return row('userType', '[companyName]');
      return r;
    }),
    row('hireDate', '[employeeHireDate]'),
    row(FOLDERS, 'Split("Folder 1, Folder 2", ",")'),
    row('roles[primary eq "True"].value', '"Manager"'),
    row('emails[type eq "other"].value', '[mail]'),
  ]);
}

function withFoldersListed(set: MappingSet): MappingSet {
  const copy = structuredClone(set);
  copy.directories?.find((d) => d.name === 'customappsso')?.objects?.find((o) => o.name === 'User')?.attributes?.push({ name: FOLDERS, type: 'String', multivalued: true });
  return copy;
}

function matchingOnFour(set: MappingSet): MappingSet {
  return withUserRows(set, (rows) => rows.map((r, i) => ({ ...r, matchingPriority: i < 4 ? 4 - i : 0 })));
}

function switchedOff(set: MappingSet, object: 'User' | 'Group'): MappingSet {
  const copy = structuredClone(set);
  const mapping = copy.synchronizationRules[0]!.objectMappings.find((m) => m.sourceObjectName === object);
  if (mapping) mapping.enabled = false;
  return copy;
}

export function vendorScenarios(vendorId: string): VendorScenario[] {
  const recommended = recommendedSet(vendorId);
  return [
    { name: 'Entra defaults', set: defaultSet(), users: demoUsers },
    { name: 'recommended', set: recommended, users: demoUsers },
    { name: 'recommended, duplicates and a leaver', set: recommended, users: allAssigned, previousUsers: demoUsers },
    { name: 'recommended, scoped to the pilot group', set: recommended, users: scoped, previousUsers: demoUsers },
    { name: 'mistakes', set: withMistakes(recommended), users: allAssigned, previousUsers: demoUsers },
    { name: 'mistakes on Entra defaults, scoped', set: withMistakes(defaultSet()), users: scoped, previousUsers: demoUsers },
    { name: 'mistakes, folders listed', set: withFoldersListed(withMistakes(recommended)), users: allAssigned },
    { name: 'matching on four attributes', set: matchingOnFour(recommended), users: scoped },
    { name: 'matching on four, groups off', set: switchedOff(matchingOnFour(defaultSet()), 'Group'), users: allAssigned },
    { name: 'groups off', set: switchedOff(recommended, 'Group'), users: demoUsers },
    { name: 'User mapping off', set: switchedOff(withMistakes(recommended), 'User'), users: allAssigned },
  ];
}
