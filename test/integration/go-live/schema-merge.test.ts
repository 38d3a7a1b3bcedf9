import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importMappingSet, type MappingSet } from '../../../shared/mapping/model.ts';
import { diffSchemas } from '../../../shared/go-live/schema-diff.ts';
import { mergeForPut, verifyReadBack } from '../../../shared/go-live/schema-merge.ts';
import { liveSchema, planSchema } from './fixtures.ts';

function set(json: unknown): MappingSet {
  const imported = importMappingSet(json);
  if (!imported.ok) throw new Error(imported.issues.join('; '));
  return imported.set;
}

const template = () => set(JSON.parse(readFileSync('resources/templates/entra-scim-default.schema.json', 'utf8')));

describe('merging a plan into the live schema', () => {
  it('replaces the live Users and Groups mappings even when the template names their targets differently', () => {
    const merged = mergeForPut(set(liveSchema()), template());
    const rule = merged.synchronizationRules[0]!;
    expect(rule.objectMappings.map((m) => `${m.sourceObjectName}→${m.targetObjectName}`)).toEqual(['User→User', 'Group→Group']);
    // The rule keeps its live id and settings; the second rule is untouched.
    expect(rule.id).toBe('e5c2b1a0-0000-4000-8000-00000000aaaa');
    expect(rule.unmodelledRuleSetting).toEqual({ containerFilter: { includedContainers: ['OU=Sales'] }, flags: [1, 2, 3] });
    expect(merged.synchronizationRules[1]).toEqual(set(liveSchema()).synchronizationRules[1]);
  });

  it('reports a live object mapping a rollback target lacks as removed', () => {
    const live = set(liveSchema());
    const backup = set(planSchema());
    const changes = diffSchemas(live, backup, { whole: true });
    expect(changes).toContainEqual(expect.objectContaining({ objectMapping: 'Provision Azure Active Directory Groups', change: 'removed', kind: 'objectMapping' }));
    expect(diffSchemas(live, backup).some((c) => c.kind === 'objectMapping')).toBe(false);
  });

  it('accepts a read-back whose only difference is the version Graph stamps on a save', () => {
    const plan = set(planSchema());
    const sent = mergeForPut(set(liveSchema()), plan);
    const readBack = { ...structuredClone(sent), version: 'Date:2026-12-05T10:00:00Z~Version:2' };
    expect(verifyReadBack(readBack, sent, plan)).toEqual({ verified: true, differences: [] });
  });

  it('catches a read-back that changed a part the plan does not model', () => {
    const plan = set(planSchema());
    const sent = mergeForPut(set(liveSchema()), plan);
    const readBack = structuredClone(sent);
    readBack.synchronizationRules[1]!.editable = true;
    expect(verifyReadBack(readBack, sent, plan).verified).toBe(false);
  });
});
