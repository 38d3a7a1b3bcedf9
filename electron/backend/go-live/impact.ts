/**
 * What the cycle after applying a plan does to the vendor. A schema PUT makes the next cycle an initial one over every
 * assigned user (Microsoft Learn "How Application Provisioning works"), so the vendor is taken to hold what the live
 * schema provisioned (the preview of the snapshot under the live schema) and the plan's cycle is played against that
 * with the provisioning rehearsal's planCycle: who is created, updated, disabled or deleted is decided there.
 */
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { MappingSet } from '../../../shared/mapping/model.ts';
import { compileMappingSet } from '../../../shared/preview/compile.ts';
import { compileGroupMapping } from '../../../shared/preview/group-decision.ts';
import { heldGroups } from '../../../shared/preview/groups.ts';
import { previousStateFrom, provisionedIds } from '../../../shared/preview/run.ts';
import { mergeForPut } from '../../../shared/go-live/schema-merge.ts';
import { forecastOfCycle, type Forecast, type VendorRateLimits } from '../../../shared/go-live/forecast.ts';
import { ACCIDENTAL_DELETION_THRESHOLD, ESCROW_THRESHOLDS, escrowThresholdReached } from '../../../shared/go-live/thresholds.ts';
import { planCycle, type CyclePlan } from '../provisioning/cycle.ts';
import { MemoryProvisioningState, type GroupSource } from '../provisioning/types.ts';

interface OutOfScopeUser {
  id: string;
  userPrincipalName: string;
  /** what Entra does to the vendor's account: disable (PATCH active false) or delete */
  action: 'deactivate' | 'delete';
  /** the scoping rule that drops the user, as the preview explains it */
  rule: string;
}

export interface Impact {
  users: number;
  groups: number;
  creates: number;
  updates: number;
  disables: number;
  deletes: number;
  unchanged: number;
  skipped: number;
  errors: number;
  outOfScope: OutOfScopeUser[];
  accidentalDeletions: { threshold: number; count: number; exceeded: boolean };
  quarantine: { evaluatedFrom: number; failures: number; reached: boolean };
}

interface ImpactInput {
  live: MappingSet;
  plan: MappingSet;
  users: readonly SourceObject[];
  groups?: readonly GroupSource[];
  rateLimits?: VendorRateLimits | null;
}

/** The cycle the plan starts, as planCycle decides it against what the live schema provisioned. */
function planAfterApply(input: ImpactInput): CyclePlan {
  const live = compileMappingSet(input.live);
  const state = new MemoryProvisioningState();
  for (const [sourceId, target] of previousStateFrom(live, input.users)) state.putLink({ objectType: 'User', sourceId, ...target });
  // The groups the live schema provisioned, with their members, as the preview's group half decides them.
  const liveGroups = compileGroupMapping(input.live);
  if (input.groups && !('disabled' in liveGroups)) {
    const sources = new Map(input.groups.map((g) => [String(g.source.objectId ?? ''), { ...g.source, members: [...g.memberIds] }]));
    const held = heldGroups(liveGroups, [...sources.values()], provisionedIds(live, input.users, new Map()));
    for (const [sourceId, group] of held) state.putLink({ objectType: 'Group', sourceId, targetId: group.targetId, resource: group.resource, source: sources.get(sourceId)!, members: [...group.members] });
  }
  // After the PUT the job runs the merged schema: the plan's object mappings and the live ones it left alone.
  return planCycle({ kind: 'initial', set: mergeForPut(input.live, input.plan), current: { users: input.users, ...(input.groups ? { groups: input.groups } : {}) }, state });
}

export function impactOf(input: ImpactInput): { impact: Impact; forecast: Forecast } {
  const plan = planAfterApply(input);
  const users = plan.objects.filter((o) => o.objectType === 'User');
  const groups = plan.objects.filter((o) => o.objectType === 'Group');
  const count = (action: string) => plan.objects.filter((o) => o.action === action).length;
  const byId = new Map(input.users.map((u) => [String(u.objectId ?? ''), u]));
  const outOfScope: OutOfScopeUser[] = [];
  for (const object of users) {
    if (object.action !== 'deactivate' && object.action !== 'delete') continue;
    const source = byId.get(object.sourceId);
    // Only users the plan's scoping drops; disabled or deleted accounts leave under either schema.
    if (!source || source.accountEnabled === false || source.IsSoftDeleted === true) continue;
    outOfScope.push({ id: object.sourceId, userPrincipalName: object.label, action: object.action, rule: object.reason ?? 'outside the scoping filter' });
  }
  const removals = count('deactivate') + count('delete');
  const failures = count('error');
  const impact: Impact = {
    users: users.filter((o) => o.action !== 'skip').length,
    groups: groups.filter((o) => o.action !== 'skip').length,
    creates: count('create'),
    updates: count('update'),
    disables: count('deactivate'),
    deletes: count('delete'),
    unchanged: count('none'),
    skipped: count('skip'),
    errors: failures,
    outOfScope,
    accidentalDeletions: { threshold: ACCIDENTAL_DELETION_THRESHOLD, count: removals, exceeded: removals > ACCIDENTAL_DELETION_THRESHOLD },
    quarantine: { evaluatedFrom: ESCROW_THRESHOLDS.evaluatedFrom, failures, reached: escrowThresholdReached(failures, 0, plan.objects.length) },
  };
  return { impact, forecast: forecastOfPlan(plan, input.groups ?? [], mergeForPut(input.live, input.plan), input.rateLimits ?? null) };
}

/** The forecast of a planned cycle: its objects in scope (users, groups, their members) and its requests. */
export function forecastOfPlan(plan: CyclePlan, groups: readonly GroupSource[], set: MappingSet, rateLimits: VendorRateLimits | null): Forecast {
  const members = new Map(groups.map((g) => [String(g.source.objectId ?? ''), g.memberIds.length]));
  const of = (objectType: 'User' | 'Group') => plan.objects.filter((o) => o.objectType === objectType);
  return forecastOfCycle(of('User'), of('Group').map((o) => ({ ...o, members: members.get(o.sourceId) ?? 0 })), set, rateLimits);
}

/** The impact in a few lines, naming who leaves the vendor and why. */
export function describeImpact(impact: Impact): string[] {
  const lines = [
    `The next cycle touches ${impact.users} users and ${impact.groups} groups: ${impact.creates} to create, ${impact.updates} to update, ` +
      `${impact.disables} to disable, ${impact.deletes} to delete, ${impact.unchanged} unchanged, ${impact.skipped} skipped${impact.errors ? `, ${impact.errors} with errors` : ''}.`,
  ];
  for (const user of impact.outOfScope.slice(0, 50)) lines.push(`  ${user.action === 'delete' ? 'deleted' : 'disabled'} in the vendor: ${user.userPrincipalName} (${user.rule})`);
  if (impact.outOfScope.length > 50) lines.push(`  … and ${impact.outOfScope.length - 50} more`);
  if (impact.accidentalDeletions.exceeded)
    lines.push(
      `${impact.accidentalDeletions.count} disables and deletes exceed the accidental-deletion threshold (${impact.accidentalDeletions.threshold}): ` +
        'Entra stops the cycle and quarantines the job until you allow the deletes.',
    );
  if (impact.quarantine.reached) lines.push(`${impact.quarantine.failures} objects would fail: enough to put the job in quarantine.`);
  return lines;
}
