import { describe, expect, it } from 'vitest';
import { graphGroupToSource } from '../../../shared/directory/graph-to-source.ts';
import { findObjectMapping, type MappingSet } from '../../../shared/mapping/model.ts';
import { compileGroupMapping, decideGroup, groupPatchRequests, groupRequests, type CompiledGroupMapping, type HeldGroup } from '../../../shared/preview/group-decision.ts';
import { defaultTemplate } from './helpers.ts';

const SALES = '8aa1a0c0-0000-4000-8000-000000000001';
const sales = (displayName = 'Sales', members: string[] = ['u-1']) =>
  graphGroupToSource({ id: SALES, displayName, members: members.map((id) => ({ id, '@odata.type': '#microsoft.graph.user' })) } as never);
const provisionedUsers = new Map([
  ['u-1', 'target-1'],
  ['u-2', 'target-2'],
]);
const held: HeldGroup = {
  targetId: 'g-1',
  resource: { id: 'g-1', displayName: 'Sales', externalId: SALES, members: [{ value: 'target-1' }] },
  members: ['target-1'],
};

function compiled(edit: (set: MappingSet) => void = () => {}): CompiledGroupMapping {
  const set = defaultTemplate();
  edit(set);
  const mapping = compileGroupMapping(set);
  if ('disabled' in mapping) throw new Error(mapping.disabled);
  return mapping;
}

const withFlowTypes = (flowTypes: string) => (set: MappingSet) => {
  findObjectMapping(set, 'Group')!.objectMapping.flowTypes = flowTypes;
};
const scopedToEngineering = (set: MappingSet) => {
  findObjectMapping(set, 'Group')!.objectMapping.scope = {
    groups: [{ name: 'Engineering only', clauses: [{ operatorName: 'EQUALS', sourceOperandName: 'displayName', targetOperand: { values: ['Engineering'] } }] }],
  };
};

describe('decideGroup (entra-scim.md §1.10)', () => {
  it('a new group is a create: the POST body without members, the matching value, and an Add of the provisioned members', () => {
    const decision = decideGroup(compiled(), { source: sales('Sales', ['u-1', 'u-2', 'nested-group']), provisionedUsers });
    expect(decision).toMatchObject({ action: 'create', match: { attribute: 'displayName', value: 'Sales' }, members: ['target-1', 'target-2'], addMembers: ['target-1', 'target-2'] });
    expect(decision.post).not.toHaveProperty('members');
    expect(groupRequests(decision, 'new-id').map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /Groups?excludedAttributes=members&filter=displayName+eq+%22Sales%22',
      'POST /Groups',
      'PATCH /Groups/new-id',
    ]);
  });

  it('a group outside the scoping filter is skipped with the clause it failed, and nothing is sent', () => {
    const decision = decideGroup(compiled(scopedToEngineering), { source: sales(), provisionedUsers });
    expect(decision.action).toBe('skip');
    expect(decision.reason).toContain('Engineering only');
    expect(groupRequests(decision, 'x')).toEqual([]);
  });

  it('a provisioned group that left the scope is deleted, or kept unchanged when Delete is not a target action', () => {
    const deleted = decideGroup(compiled(scopedToEngineering), { source: sales(), held, provisionedUsers });
    expect(deleted.action).toBe('delete');
    expect(groupRequests(deleted, held.targetId).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /Groups?excludedAttributes=members&filter=displayName+eq+%22Sales%22',
      'DELETE /Groups/g-1',
    ]);
    const kept = decideGroup(compiled((set) => (scopedToEngineering(set), withFlowTypes('Add, Update')(set))), { source: sales(), held, provisionedUsers });
    expect(kept).toMatchObject({ action: 'none', target: held.resource });
    expect(kept.reason).toMatch(/the Delete target action is off$/);
  });

  it('a group gone from the directory is deleted when it was provisioned, and skipped when it never was', () => {
    expect(decideGroup(compiled(), { source: null, held, provisionedUsers })).toMatchObject({ action: 'delete', reason: 'deleted in Entra (no longer in the directory)' });
    expect(decideGroup(compiled(), { source: null, provisionedUsers }).action).toBe('skip');
  });

  it('a failing expression is an error with the finding, keeps what the target holds, and sends nothing', () => {
    const failing = compiled((set) => {
      const externalId = findObjectMapping(set, 'Group')!.objectMapping.attributeMappings.find((m) => m.targetAttributeName === 'externalId')!;
      externalId.source = { type: 'Function', name: 'CBool', expression: 'CBool([displayName])', parameters: [] };
    });
    const decision = decideGroup(failing, { source: sales(), held, provisionedUsers });
    expect(decision).toMatchObject({ action: 'error', target: held.resource, post: null, operations: [], memberOperations: [] });
    expect(decision.findings).toMatchObject([{ severity: 'error', code: 'EXPRESSION_RUNTIME_ERROR', attribute: 'externalId', userId: SALES }]);
    expect(groupRequests(decision, held.targetId)).toEqual([]);
  });

  it('a rename and a member change of a linked group: the attribute PATCH, then the member PATCH against what Entra added', () => {
    const decision = decideGroup(compiled(), { source: sales('Sales EMEA', ['u-2']), held, provisionedUsers });
    expect(decision).toMatchObject({ action: 'update', addMembers: ['target-2'], removeMembers: ['target-1'] });
    expect(groupPatchRequests(decision, 'g-1').map((r) => r.body!.Operations)).toEqual([
      [{ op: 'Replace', path: 'displayName', value: 'Sales EMEA' }],
      [
        { op: 'Add', path: 'members', value: [{ $ref: null, value: 'target-2' }] },
        { op: 'Remove', path: 'members', value: [{ $ref: null, value: 'target-1' }] },
      ],
    ]);
  });

  it('with Update off a linked group is left as the target holds it, members included', () => {
    const decision = decideGroup(compiled(withFlowTypes('Add, Delete')), { source: sales('Sales EMEA', ['u-2']), held, provisionedUsers });
    expect(decision).toMatchObject({ action: 'none', reason: 'the Update target action is off', target: held.resource, memberOperations: [] });
  });

  it('with Create off a new group is skipped', () => {
    expect(decideGroup(compiled(withFlowTypes('Update, Delete')), { source: sales(), provisionedUsers })).toMatchObject({ action: 'skip', reason: 'the Create target action is off' });
  });
});
