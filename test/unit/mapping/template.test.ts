import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findObjectMapping, importMappingSet, mappingTypeOf, sourceExpressionOf, targetAttributeList } from '../../../shared/mapping/model.ts';

const templateUrl = new URL('../../../resources/templates/entra-scim-default.schema.json', import.meta.url);
const sharedDefaults = new URL('../../../../shared/data/entra-default-mappings.json', import.meta.url);

function template() {
  const result = importMappingSet(JSON.parse(readFileSync(templateUrl, 'utf8')));
  if (!result.ok) throw new Error(result.issues.join('\n'));
  return result.set;
}

describe('Entra default mappings template', () => {
  it('is a valid synchronization schema with the 22 default user rows and 3 group rows', () => {
    const set = template();
    expect(findObjectMapping(set, 'User')!.objectMapping.attributeMappings).toHaveLength(22);
    expect(findObjectMapping(set, 'Group')!.objectMapping.attributeMappings).toHaveLength(3);
  });

  it('matches users on userName ← userPrincipalName at precedence 1 and only there', () => {
    const rows = findObjectMapping(template(), 'User')!.objectMapping.attributeMappings;
    expect(rows.filter((r) => (r.matchingPriority ?? 0) > 0).map((r) => [r.targetAttributeName, r.matchingPriority, sourceExpressionOf(r)])).toEqual([
      ['userName', 1, '[userPrincipalName]'],
    ]);
  });

  it('types every target from the attribute list: active Boolean, manager Reference, the rest String', () => {
    const set = template();
    const list = targetAttributeList(set, findObjectMapping(set, 'User')!);
    const rows = findObjectMapping(set, 'User')!.objectMapping.attributeMappings;
    const typeOf = (name: string) => list.find((a) => a.name === name)?.type;
    expect(rows.every((r) => typeOf(r.targetAttributeName) !== undefined)).toBe(true);
    expect(typeOf('active')).toBe('Boolean');
    expect(typeOf('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager')).toBe('Reference');
  });

  it.skipIf(!existsSync(sharedDefaults))('agrees row by row with ../shared/data/entra-default-mappings.json (skipped without ../shared)', () => {
    const data = JSON.parse(readFileSync(sharedDefaults, 'utf8'));
    const rows = findObjectMapping(template(), 'User')!.objectMapping.attributeMappings;
    const expected = data.users.attributeMappings.map((m: { targetAttributeName: string; mappingType: string; source: string; matchingPriority: number; flowType: string }) => [
      m.targetAttributeName,
      m.mappingType,
      m.mappingType === 'Direct' ? `[${m.source}]` : m.source,
      m.matchingPriority,
      m.flowType,
    ]);
    expect(rows.map((r) => [r.targetAttributeName, mappingTypeOf(r), sourceExpressionOf(r), r.matchingPriority, r.flowType])).toEqual(expected);
  });
});
