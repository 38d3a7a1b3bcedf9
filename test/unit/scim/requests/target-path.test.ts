import { describe, expect, it } from 'vitest';
import { parseTargetPath, placeValue, readValue, type JsonObject } from '../../../../shared/scim/requests/target-path.ts';

describe('target attribute names', () => {
  it('splits extension names at the last colon', () => {
    expect(parseTargetPath('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department')).toMatchObject({
      urn: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      attribute: 'department',
      filter: null,
      subAttribute: null,
    });
  });

  it('reads typed and primary filters and sub-attributes', () => {
    expect(parseTargetPath('addresses[type eq "work"].postalCode')).toMatchObject({ urn: null, attribute: 'addresses', filter: { attribute: 'type', value: 'work' }, subAttribute: 'postalCode' });
    expect(parseTargetPath('roles[primary eq "True"].display')).toMatchObject({ attribute: 'roles', filter: { attribute: 'primary', value: 'True' }, subAttribute: 'display' });
    expect(parseTargetPath('name.givenName')).toMatchObject({ attribute: 'name', filter: null, subAttribute: 'givenName' });
  });

  it('reads back what it placed, case-insensitively', () => {
    const resource: JsonObject = {};
    placeValue(resource, parseTargetPath('phoneNumbers[type eq "fax"].value'), '+1 555');
    placeValue(resource, parseTargetPath('urn:x:2.0:User:tag'), 't');
    expect(readValue(resource, parseTargetPath('PhoneNumbers[type eq "fax"].Value'))).toBe('+1 555');
    expect(readValue(resource, parseTargetPath('urn:x:2.0:User:tag'))).toBe('t');
    expect(readValue(resource, parseTargetPath('phoneNumbers[type eq "work"].value'))).toBeUndefined();
  });
});
