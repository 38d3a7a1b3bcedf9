import { readFileSync } from 'node:fs';
import { graphUserToSource, type GraphUser } from '../../../shared/directory/graph-to-source.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { importMappingSet, type MappingSet } from '../../../shared/mapping/model.ts';

export function defaultTemplate(): MappingSet {
  const json = JSON.parse(readFileSync(new URL('../../../resources/templates/entra-scim-default.schema.json', import.meta.url), 'utf8'));
  const result = importMappingSet(json);
  if (!result.ok) throw new Error(result.issues.join('\n'));
  return result.set;
}

/** A user with every attribute the default mappings read (the §1.6 example's Adele, plus a manager). */
export const adele: GraphUser = {
  id: '11111111-1111-4111-8111-111111111111',
  accountEnabled: true,
  userPrincipalName: 'adele.vance@contoso.com',
  mailNickname: 'adele',
  displayName: 'Adele Vance',
  givenName: 'Adele',
  surname: 'Vance',
  mail: 'adele.vance@contoso.com',
  jobTitle: 'Retail Manager',
  preferredLanguage: 'en-US',
  officeLocation: 'Building 40',
  streetAddress: '1 Main St',
  city: 'Redmond',
  state: 'WA',
  postalCode: '98052',
  country: 'US',
  businessPhones: ['+1 425 555 0109'],
  mobilePhone: '+1 425 555 0110',
  faxNumber: '+1 425 555 0111',
  employeeId: 'E1234',
  department: 'Retail',
  manager: { id: '22222222-2222-4222-8222-222222222222', userPrincipalName: 'megan.bowen@contoso.com' },
};

export const megan: GraphUser = {
  id: '22222222-2222-4222-8222-222222222222',
  accountEnabled: true,
  userPrincipalName: 'megan.bowen@contoso.com',
  mailNickname: 'megan.bowen',
  displayName: 'Megan Bowen',
  givenName: 'Megan',
  surname: 'Bowen',
  mail: 'megan.bowen@contoso.com',
};

export function source(user: GraphUser, options: Parameters<typeof graphUserToSource>[1] = {}): SourceObject {
  return graphUserToSource(user, options);
}
