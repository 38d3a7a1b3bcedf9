import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  dialectOfTenantUrl,
  exportMappingSet,
  findObjectMapping,
  importMappingSet,
  mappingTypeOf,
  objectActionsOf,
  scimBaseOf,
  sourceExpressionOf,
  targetAttributeList,
  tenantUrlOf,
  withTenantUrl,
  type MappingSet,
} from '../../../shared/mapping/model.ts';
import { TENANT_URL_ANNOTATION } from '../../../shared/mapping/schema.ts';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/graph-schema/scim-job-schema.json', import.meta.url), 'utf8'));

function load(json: unknown): MappingSet {
  const result = importMappingSet(json);
  if (!result.ok) throw new Error(result.issues.join('\n'));
  return result.set;
}

describe('Graph synchronization schema import and export', () => {
  it('import → export → import gives an equal set', () => {
    const first = load(fixture);
    const exported = exportMappingSet(first);
    const second = load(JSON.parse(JSON.stringify(exported)));
    expect(second).toEqual(first);
  });

  it('keeps every property the app does not model, byte for byte in JSON', () => {
    const exported = exportMappingSet(load(fixture));
    expect(JSON.parse(JSON.stringify(exported))).toEqual(fixture);
    expect(exported['@odata.context']).toBe(fixture['@odata.context']);
    const rule = exported.synchronizationRules[0]!;
    expect(rule.containerFilter).toEqual({ includedContainers: [] });
    expect(rule.objectMappings[0]!.attributeMappings[1]!.source!.parameters).toHaveLength(3);
    expect(exported.directories![1]!.discoverabilities).toBe('AttributeNames, AttributeDataTypes');
  });

  it('export is a copy: editing the set afterwards does not change the exported document', () => {
    const set = load(fixture);
    const exported = exportMappingSet(set);
    set.synchronizationRules[0]!.objectMappings[0]!.attributeMappings[0]!.targetAttributeName = 'externalId';
    expect(exported.synchronizationRules[0]!.objectMappings[0]!.attributeMappings[0]!.targetAttributeName).toBe('userName');
  });

  it('rejects a document that is not a synchronization schema, naming the path', () => {
    const result = importMappingSet({ synchronizationRules: [{ objectMappings: [{ sourceObjectName: 'User' }] }] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.join('\n')).toMatch(/synchronizationRules\.0\.objectMappings\.0/);
  });

  it('reads mapping types from the source: Attribute is Direct, Function is Expression, null is None', () => {
    const located = findObjectMapping(load(fixture), 'User')!;
    const types = located.objectMapping.attributeMappings.map((m) => [m.targetAttributeName, mappingTypeOf(m)]);
    expect(types).toEqual([
      ['userName', 'Direct'],
      ['active', 'Expression'],
      ['externalId', 'Direct'],
      ['urn:ietf:params:scim:schemas:extension:acme:2.0:User:costCenter', 'Direct'],
      ['userType', 'None'],
      ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager', 'Direct'],
    ]);
  });

  it('reads each source from its expression string, falling back to the name for hand-written rows', () => {
    const located = findObjectMapping(load(fixture), 'User')!;
    expect(sourceExpressionOf(located.objectMapping.attributeMappings[1]!)).toBe('Switch([IsSoftDeleted], , "False", "True", "True", "False")');
    expect(sourceExpressionOf({ targetAttributeName: 'x', source: { type: 'Attribute', name: 'mail' } })).toBe('[mail]');
    expect(sourceExpressionOf({ targetAttributeName: 'x', source: { type: 'Constant', name: 'say "hi"' } })).toBe('"say \\"hi\\""');
    expect(sourceExpressionOf({ targetAttributeName: 'x', source: null })).toBeNull();
  });

  it('reads the target attribute list of the rule target directory, with custom types and multi-value', () => {
    const set = load(fixture);
    const list = targetAttributeList(set, findObjectMapping(set, 'User')!);
    const skills = list.find((a) => a.name.endsWith(':skills'))!;
    expect(skills).toMatchObject({ type: 'String', multivalued: true });
    expect(list.find((a) => a.name === 'active')!.type).toBe('Boolean');
  });

  it('reads target object actions from Graph flowTypes', () => {
    const located = findObjectMapping(load(fixture), 'User')!;
    expect(objectActionsOf(located.objectMapping)).toEqual({ create: true, update: true, delete: true });
  });
});

describe('tenant URL and dialect', () => {
  it('the aadOptscim062020 flag on the tenant URL selects the flag dialect', () => {
    expect(dialectOfTenantUrl('https://scim.example.com/scim/v2?aadOptscim062020')).toBe('aadOptscim062020');
    expect(dialectOfTenantUrl('https://scim.example.com/scim/v2?foo=1&aadOptscim062020')).toBe('aadOptscim062020');
    expect(dialectOfTenantUrl('https://scim.example.com/scim/v2')).toBe('default');
    expect(dialectOfTenantUrl(null)).toBe('default');
  });

  it('the SCIM base drops the feature flags and trailing slash', () => {
    expect(scimBaseOf('https://api.contoso.com/scim/?aadOptscim062020')).toBe('https://api.contoso.com/scim');
  });

  it('the tenant URL travels in the file as an annotation and survives the round trip', () => {
    const set = withTenantUrl(load(fixture), 'https://api.contoso.com/scim?aadOptscim062020');
    const again = load(JSON.parse(JSON.stringify(exportMappingSet(set))));
    expect(tenantUrlOf(again)).toBe('https://api.contoso.com/scim?aadOptscim062020');
    expect(again[TENANT_URL_ANNOTATION]).toBe('https://api.contoso.com/scim?aadOptscim062020');
    expect(tenantUrlOf(withTenantUrl(again, null))).toBeNull();
  });
});
