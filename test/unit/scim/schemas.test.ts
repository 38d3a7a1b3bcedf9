import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../shared/scim/errors.ts';
import { resolveAttribute, schemaDocument, USER_RESOURCE_TYPE, USER_SCHEMA, splitAttributeToken } from '../../../shared/scim/schemas.ts';
import { normalizeResource, projectResource } from '../../../shared/scim/schemas-values.ts';

const entra = { stringBooleans: true, plainStringManager: true, lenientMultiValued: true, unsupportedAttributes: 'ignore', customExtensions: 'store' } as const;
const strict = { ...entra, stringBooleans: false, plainStringManager: false, lenientMultiValued: false, unsupportedAttributes: 'reject' } as const;

describe('schema model', () => {
  it('describes userName as required, case-insensitive and server-unique (RFC 7643 §4.1)', () => {
    const userName = schemaDocument(USER_SCHEMA, 'http://x').attributes.find((a) => a.name === 'userName')!;
    expect(userName).toMatchObject({ required: true, caseExact: false, uniqueness: 'server', mutability: 'readWrite' });
  });

  it('resolves names case-insensitively across core, common and extension attributes', () => {
    expect(resolveAttribute(USER_RESOURCE_TYPE, { attr: 'USERNAME' })?.def.name).toBe('userName');
    expect(resolveAttribute(USER_RESOURCE_TYPE, { attr: 'id' })?.def.caseExact).toBe(true);
    expect(resolveAttribute(USER_RESOURCE_TYPE, { attr: 'employeenumber' })?.topLevel).toBe(false);
    expect(splitAttributeToken('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value')).toEqual({
      schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      attr: 'manager',
      sub: 'value',
    });
  });
});

describe('resource normalization', () => {
  it('canonicalizes mixed-case names, drops nulls and read-only attributes, keeps custom extensions', () => {
    const resource = normalizeResource(
      {
        UserName: 'bob@contoso.com',
        Active: 'True',
        id: 'client-chosen',
        preferredLanguage: null,
        emails: [{ Primary: true, type: 'work', value: 'bob@contoso.com' }],
        'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User': { tag: 'T1', gone: null },
      },
      USER_RESOURCE_TYPE,
      entra,
    );
    expect(resource).toEqual({
      userName: 'bob@contoso.com',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'bob@contoso.com' }],
      'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User': { tag: 'T1' },
    });
  });

  it('rejects string booleans and unsupported attributes in strict mode', () => {
    expect(() => normalizeResource({ userName: 'a', active: 'True' }, USER_RESOURCE_TYPE, strict)).toThrow(ScimError);
    expect(() => normalizeResource({ userName: 'a', adreses: [] }, USER_RESOURCE_TYPE, strict)).toThrow(/adreses/);
  });

  it('projects attributes and excludedAttributes, always keeping id and never password', () => {
    const full = { schemas: ['s'], id: '1', userName: 'u', password: 'p', name: { givenName: 'G', familyName: 'F' }, emails: [{ value: 'e' }] };
    expect(projectResource(full, USER_RESOURCE_TYPE, ['name.givenName'])).toEqual({ schemas: ['s'], id: '1', name: { givenName: 'G' } });
    expect(projectResource(full, USER_RESOURCE_TYPE, undefined, ['emails', 'id'])).toEqual({ schemas: ['s'], id: '1', userName: 'u', name: { givenName: 'G', familyName: 'F' } });
  });
});
