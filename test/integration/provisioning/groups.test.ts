import { afterEach, describe, expect, it } from 'vitest';
import { findObjectMapping, type MappingSet } from '../../../shared/mapping/model.ts';
import { compileMappingSet } from '../../../shared/preview/compile.ts';
import { previewGroups, type GroupPreviewResult } from '../../../shared/preview/groups.ts';
import { provisionedIds } from '../../../shared/preview/run.ts';
import { planCycle, runCycle, type CyclePlan } from '../../../electron/backend/provisioning/cycle.ts';
import { ScimClient } from '../../../electron/backend/provisioning/scim-client.ts';
import { MemoryProvisioningState, type DirectoryState, type ProvisioningState } from '../../../electron/backend/provisioning/types.ts';
import { demoDirectory, mappingSet, startMock, type MockTarget } from './helpers.ts';

const DEFAULT_SET = 'resources/templates/entra-scim-default.schema.json';

let mock: MockTarget | null = null;
afterEach(async () => {
  await mock?.stop();
  mock = null;
});

/** Entra's default mappings with a scoping filter on the group mapping: displayName must match `pattern`. */
function groupsScopedTo(pattern: string): MappingSet {
  const set = mappingSet(DEFAULT_SET);
  findObjectMapping(set, 'Group')!.objectMapping.scope = {
    groups: [{ name: 'Groups in scope', clauses: [{ operatorName: 'REGEX MATCH', sourceOperandName: 'displayName', targetOperand: { values: [pattern] } }] }],
  };
  return set;
}

/** The default mappings with the group's externalId mapped by an expression that fails for every group. */
function failingGroupExpression(): MappingSet {
  const set = mappingSet(DEFAULT_SET);
  const externalId = findObjectMapping(set, 'Group')!.objectMapping.attributeMappings.find((m) => m.targetAttributeName === 'externalId')!;
  externalId.source = { type: 'Function', name: 'CBool', expression: 'CBool([displayName])', parameters: [] };
  return set;
}

/** The demo tenant with a slice of its users: enough members for the groups, a cycle in a few seconds. */
function smallDirectory(): DirectoryState {
  const directory = demoDirectory();
  return { users: directory.users.slice(0, 40), groups: directory.groups! };
}

function groupPreview(set: MappingSet, directory: DirectoryState, previous?: DirectoryState): GroupPreviewResult {
  const compiled = compileMappingSet(set);
  const provisioned = (users: DirectoryState['users']) => provisionedIds(compiled, users, new Map());
  return previewGroups({
    set,
    groups: directory.groups!.map((g) => g.source),
    provisionedUsers: provisioned(directory.users),
    ...(previous ? { previousGroups: previous.groups!.map((g) => g.source), previousProvisionedUsers: provisioned(previous.users) } : {}),
  });
}

function plan(set: MappingSet, directory: DirectoryState, state: ProvisioningState = new MemoryProvisioningState()): CyclePlan {
  return planCycle({ kind: 'initial', set, current: directory, state });
}

/** Group id → [action, reason] */
function previewDecisions(preview: GroupPreviewResult): Map<string, [string, string | null]> {
  return new Map(preview.groups.map((g) => [g.id, [g.action, g.reason ?? null]]));
}

function planDecisions(cyclePlan: CyclePlan): Map<string, [string, string | null]> {
  return new Map(cyclePlan.objects.filter((o) => o.objectType === 'Group').map((o) => [o.sourceId, [o.action, o.reason]]));
}

function clientFor(target: MockTarget): ScimClient {
  return new ScimClient({ tenantUrl: target.server.url, auth: { kind: 'bearer', token: 'test-token' } });
}

function heldGroupNames(target: MockTarget): string[] {
  return target.server.listGroups({ count: 100 }).resources.map((g) => String(g.displayName)).sort();
}

describe('one group decision: the preview, the plan and the cycle agree', () => {
  it('with the group mapping scoped to no group, the preview and the plan skip all 17 groups and the cycle sends no group request', async () => {
    const set = groupsScopedTo('^No such group$');
    const directory = smallDirectory();
    const preview = groupPreview(set, directory);
    const planned = plan(set, directory);
    expect(preview.groups).toHaveLength(17);
    expect(preview.byAction.skip).toBe(17);
    expect(planDecisions(planned)).toEqual(previewDecisions(preview));
    expect([...planDecisions(planned).values()].map(([action]) => action)).toEqual(Array(17).fill('skip'));
    expect(planned.objects.filter((o) => o.objectType === 'Group').flatMap((o) => o.requests)).toEqual([]);

    mock = await startMock();
    const { entries } = await runCycle(clientFor(mock), { kind: 'initial', set, current: directory, state: new MemoryProvisioningState() });
    const groupEntries = entries.filter((e) => e.objectType === 'Group');
    expect(groupEntries.map((e) => [e.action, e.status])).toEqual(Array(17).fill(['skip', 'skipped']));
    expect(groupEntries[0]!.steps.find((s) => s.name === 'Scope')!.summary).toBe('Out of scope: outside the scoping filter (Groups in scope: displayName REGEX MATCH "^No such group$")');
    expect(groupEntries.flatMap((e) => e.steps.flatMap((s) => s.requests))).toEqual([]);
    expect(heldGroupNames(mock)).toEqual([]);
  });

  it('with a partial scope they agree group by group, requests included, and the target holds exactly the groups the preview creates', async () => {
    const set = groupsScopedTo('^(hector|Sales|Engineering)');
    const directory = smallDirectory();
    const preview = groupPreview(set, directory);
    const planned = plan(set, directory);
    expect(planDecisions(planned)).toEqual(previewDecisions(preview));
    expect(preview.byAction).toMatchObject({ create: 7, skip: 10 });
    const plannedRequests = new Map(planned.objects.filter((o) => o.objectType === 'Group').map((o) => [o.sourceId, o.requests.map((r) => [r.method, r.path, r.body])]));
    for (const group of preview.groups) {
      expect({ group: group.displayName, requests: plannedRequests.get(group.id) }).toEqual({ group: group.displayName, requests: group.requests.map((r) => [r.method, r.path, r.body]) });
    }

    mock = await startMock();
    const { entries } = await runCycle(clientFor(mock), { kind: 'initial', set, current: directory, state: new MemoryProvisioningState() });
    const created = preview.groups.filter((g) => g.action === 'create').map((g) => g.displayName!);
    expect(heldGroupNames(mock)).toEqual([...created].sort());
    const groupEntries = new Map(entries.filter((e) => e.objectType === 'Group').map((e) => [e.sourceId, e.action]));
    expect(groupEntries).toEqual(new Map(preview.groups.map((g) => [g.id, g.action])));
  });

  it('a provisioned group renamed out of the scope is deleted by the preview, the plan and the cycle alike', async () => {
    const set = groupsScopedTo('^(Sales|Engineering)');
    const before = smallDirectory();
    // Sales is renamed in Entra: it no longer passes the scoping filter.
    const after: DirectoryState = {
      users: before.users,
      groups: before.groups!.map((g) => (g.source.displayName === 'Sales' ? { ...g, source: { ...g.source, displayName: 'Former Sales' } } : g)),
    };
    mock = await startMock();
    const state = new MemoryProvisioningState();
    const first = await runCycle(clientFor(mock), { kind: 'initial', set, current: before, state });
    expect(first.summary.failed).toBe(0);
    expect(heldGroupNames(mock)).toEqual(['Engineering', 'Engineering Leads', 'Sales']);

    const preview = groupPreview(set, after, before);
    const planned = plan(set, after, state);
    expect(planDecisions(planned)).toEqual(previewDecisions(preview));
    expect(preview.byAction).toMatchObject({ delete: 1, none: 2, skip: 14 });
    expect(preview.groups.find((g) => g.action === 'delete')!.reason).toContain('outside the scoping filter');

    const second = await runCycle(clientFor(mock), { kind: 'initial', set, current: after, state });
    expect(second.summary).toMatchObject({ failed: 0, deleted: 1 });
    expect(heldGroupNames(mock)).toEqual(['Engineering', 'Engineering Leads']);
  });

  it('a failing group expression is the same error in the preview, the plan and the cycle, and nothing is sent for the group', async () => {
    const set = failingGroupExpression();
    const directory = smallDirectory();
    const preview = groupPreview(set, directory);
    const planned = plan(set, directory);
    expect(preview.byAction.error).toBe(17);
    expect(planDecisions(planned)).toEqual(previewDecisions(preview));
    const sales = preview.groups.find((g) => g.displayName === 'Sales')!;
    expect(sales.findings.map((f) => f.message)).toEqual(['Group externalId: CBool: "Sales" is neither True/False nor a number (NOT_A_BOOLEAN)']);

    mock = await startMock();
    const { entries } = await runCycle(clientFor(mock), { kind: 'initial', set, current: directory, state: new MemoryProvisioningState() });
    const groupEntries = entries.filter((e) => e.objectType === 'Group');
    expect(groupEntries.map((e) => [e.status, e.errorCode])).toEqual(Array(17).fill(['failure', 'ExpressionEvaluationFailed']));
    const salesEntry = groupEntries.find((e) => e.label === 'Sales')!;
    expect(salesEntry.reason).toMatch(/^Group externalId: CBool: "Sales" is neither True\/False nor a number \(NOT_A_BOOLEAN\)/);
    expect(groupEntries.flatMap((e) => e.steps.flatMap((s) => s.requests))).toEqual([]);
    expect(heldGroupNames(mock)).toEqual([]);
  });
});
