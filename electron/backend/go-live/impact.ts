/**
 * What the cycle after applying a plan does to the vendor. A schema PUT makes the next cycle an initial one over every
 * assigned user (Microsoft Learn "How Application Provisioning works"), so the vendor is taken to hold what the live
 * schema provisioned (the preview of the snapshot under the live schema) and the plan's cycle is played against that
 * with the provisioning rehearsal's planCycle: who is created, updated, disabled or deleted is decided there.
 */
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { MappingSet } from '../../../shared/mapping/model.ts';
import { compileMappingSet, type CompiledMappingSet } from '../../../shared/preview/compile.ts';
import { previewUser, type PreviewContext } from '../../../shared/preview/engine.ts';
import { compileGroupMapping } from '../../../shared/preview/group-decision.ts';
import { heldGroups } from '../../../shared/preview/groups.ts';
import { provisionedIds } from '../../../shared/preview/run.ts';
import { mergeForPut } from '../../../shared/go-live/schema-merge.ts';
import { CycleForecastTally, type Forecast, type VendorRateLimits } from '../../../shared/go-live/forecast.ts';
import { ACCIDENTAL_DELETION_THRESHOLD, ESCROW_THRESHOLDS, escrowThresholdReached } from '../../../shared/go-live/thresholds.ts';
import { planCycleObjects, type CyclePlanTotals, type PlannedObject } from '../provisioning/cycle.ts';
import { directoryUsers, type DirectoryUsers } from '../provisioning/directory-users.ts';
import { MemoryProvisioningState, type GroupSource, type ObjectType, type TargetLink } from '../provisioning/types.ts';

interface OutOfScopeUser {
  id: string;
  userPrincipalName: string;
  /** what Entra does to the vendor's account: disable (PATCH active false) or delete */
  action: 'deactivate' | 'delete';
  /** the scoping rule that drops the user, as the preview explains it */
  rule: string;
}

/** Users the impact names; past this it counts them ("and N more"), so a million-user impact stays small. */
const OUT_OF_SCOPE_NAMED = 10_000;

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
  /** the first OUT_OF_SCOPE_NAMED users the plan's scoping drops */
  outOfScope: OutOfScopeUser[];
  /** how many users the plan's scoping drops in all */
  outOfScopeCount: number;
  accidentalDeletions: { threshold: number; count: number; exceeded: boolean };
  quarantine: { evaluatedFrom: number; failures: number; reached: boolean };
}

interface ImpactInput {
  live: MappingSet;
  plan: MappingSet;
  /** in memory (a users file) or read from a snapshot in batches */
  users: readonly SourceObject[] | DirectoryUsers;
  groups?: readonly GroupSource[];
  rateLimits?: VendorRateLimits | null;
}

const NO_PREVIOUS: PreviewContext['previous'] = new Map();

/**
 * What the vendor holds under the live schema, as the provisioning state a cycle reads: each user's link is the
 * live schema's create for that user (the earlier snapshot previewed against an empty target), worked out when the
 * cycle asks for it rather than for the whole tenant up front.
 */
class HeldUnderLiveSchema extends MemoryProvisioningState {
  private readonly recent = new Map<string, TargetLink | undefined>();

  constructor(
    private readonly live: CompiledMappingSet,
    private readonly users: DirectoryUsers,
    /** the users the live schema provisioned, with their target ids (manager references) */
    private readonly liveProvisioned: ReadonlyMap<string, string>,
  ) {
    super();
  }

  override getLink(objectType: ObjectType, sourceId: string): TargetLink | undefined {
    if (objectType !== 'User') return super.getLink(objectType, sourceId);
    if (this.recent.has(sourceId)) return this.recent.get(sourceId);
    const source = this.users.byId(sourceId);
    const link = source && this.linkOf(sourceId, source);
    // a cycle asks for the same users a few times within one batch: keep about two batches
    if (this.recent.size >= 4_000) this.recent.clear();
    this.recent.set(sourceId, link);
    return link;
  }

  override allLinks(objectType: ObjectType): TargetLink[] {
    if (objectType !== 'User') return super.allLinks(objectType);
    const links: TargetLink[] = [];
    for (const batch of this.users.batches()) for (const source of batch) {
      const link = this.linkOf(String(source.objectId ?? ''), source);
      if (link) links.push(link);
    }
    return links;
  }

  override linkTargets(objectType: ObjectType): Map<string, string> {
    if (objectType !== 'User') return super.linkTargets(objectType);
    const targets = new Map<string, string>();
    for (const batch of this.users.batches()) for (const source of batch) {
      const link = this.linkOf(String(source.objectId ?? ''), source);
      if (link) targets.set(link.sourceId, link.targetId);
    }
    return targets;
  }

  /** The live schema's create for this user, as previousStateFrom keeps it, against the whole snapshot's provisioned ids. */
  private linkOf(sourceId: string, source: SourceObject): TargetLink | undefined {
    const preview = previewUser(this.live, source, { previous: NO_PREVIOUS, provisioned: this.liveProvisioned });
    if (preview.action !== 'create' || !preview.target) return undefined;
    return { objectType: 'User', sourceId, targetId: String(preview.target.id), resource: preview.target, source };
  }
}

/** The users the live schema provisioned (ids only), read batch by batch. */
function provisionedUnder(live: CompiledMappingSet, users: DirectoryUsers): Map<string, string> {
  const provisioned = new Map<string, string>();
  for (const batch of users.batches()) for (const [id, targetId] of provisionedIds(live, batch, NO_PREVIOUS)) provisioned.set(id, targetId);
  return provisioned;
}

/** The cycle the plan starts, as planCycle decides it against what the live schema provisioned; objects go to onObject. */
function planAfterApply(input: ImpactInput, users: DirectoryUsers, onObject: (object: PlannedObject) => void): CyclePlanTotals {
  const live = compileMappingSet(input.live);
  const liveProvisioned = provisionedUnder(live, users);
  const state = new HeldUnderLiveSchema(live, users, liveProvisioned);
  // The groups the live schema provisioned, with their members, as the preview's group half decides them.
  const liveGroups = compileGroupMapping(input.live);
  if (input.groups && !('disabled' in liveGroups)) {
    const sources = new Map(input.groups.map((g) => [String(g.source.objectId ?? ''), { ...g.source, members: [...g.memberIds] }]));
    const held = heldGroups(liveGroups, [...sources.values()], liveProvisioned);
    for (const [sourceId, group] of held) state.putLink({ objectType: 'Group', sourceId, targetId: group.targetId, resource: group.resource, source: sources.get(sourceId)!, members: [...group.members] });
  }
  // After the PUT the job runs the merged schema: the plan's object mappings and the live ones it left alone.
  return planCycleObjects({ kind: 'initial', set: mergeForPut(input.live, input.plan), current: { users, ...(input.groups ? { groups: input.groups } : {}) }, state }, onObject);
}

export function impactOf(input: ImpactInput): { impact: Impact; forecast: Forecast } {
  const users = directoryUsers(input.users);
  const forecast = forecastTallyOf(input.groups ?? []);
  const outOfScope: OutOfScopeUser[] = [];
  let outOfScopeCount = 0;
  let objects = 0;
  const inScope = { User: 0, Group: 0 };
  const plan = planAfterApply(input, users, (object) => {
    objects++;
    if (object.action !== 'skip') inScope[object.objectType]++;
    forecast.add(object);
    if (object.objectType !== 'User' || (object.action !== 'deactivate' && object.action !== 'delete')) return;
    const source = users.byId(object.sourceId);
    // Only users the plan's scoping drops; disabled or deleted accounts leave under either schema.
    if (!source || source.accountEnabled === false || source.IsSoftDeleted === true) return;
    outOfScopeCount++;
    if (outOfScope.length < OUT_OF_SCOPE_NAMED) {
      outOfScope.push({ id: object.sourceId, userPrincipalName: object.label, action: object.action, rule: object.reason ?? 'outside the scoping filter' });
    }
  });
  const count = plan.counts;
  const removals = count.deactivate + count.delete;
  const failures = count.error;
  const impact: Impact = {
    users: inScope.User,
    groups: inScope.Group,
    creates: count.create,
    updates: count.update,
    disables: count.deactivate,
    deletes: count.delete,
    unchanged: count.none,
    skipped: count.skip,
    errors: failures,
    outOfScope,
    outOfScopeCount,
    accidentalDeletions: { threshold: ACCIDENTAL_DELETION_THRESHOLD, count: removals, exceeded: removals > ACCIDENTAL_DELETION_THRESHOLD },
    quarantine: { evaluatedFrom: ESCROW_THRESHOLDS.evaluatedFrom, failures, reached: escrowThresholdReached(failures, 0, objects) },
  };
  return { impact, forecast: forecast.forecast(mergeForPut(input.live, input.plan), input.rateLimits ?? null) };
}

/** The forecast of a planned cycle, counted as its objects are planned: users, groups (with their members) and requests. */
export function forecastTallyOf(groups: readonly GroupSource[]): { add(object: PlannedObject): void; forecast(set: MappingSet, rateLimits: VendorRateLimits | null): Forecast } {
  const members = new Map(groups.map((g) => [String(g.source.objectId ?? ''), g.memberIds.length]));
  const tally = new CycleForecastTally();
  return {
    add: (object) => tally.add(object.objectType, object.objectType === 'Group' ? { ...object, members: members.get(object.sourceId) ?? 0 } : object),
    forecast: (set, rateLimits) => tally.forecast(set, rateLimits),
  };
}

/** The impact in a few lines, naming who leaves the vendor and why. */
export function describeImpact(impact: Impact): string[] {
  const lines = [
    `The next cycle touches ${impact.users} users and ${impact.groups} groups: ${impact.creates} to create, ${impact.updates} to update, ` +
      `${impact.disables} to disable, ${impact.deletes} to delete, ${impact.unchanged} unchanged, ${impact.skipped} skipped${impact.errors ? `, ${impact.errors} with errors` : ''}.`,
  ];
  for (const user of impact.outOfScope.slice(0, 50)) lines.push(`  ${user.action === 'delete' ? 'deleted' : 'disabled'} in the vendor: ${user.userPrincipalName} (${user.rule})`);
  if (impact.outOfScopeCount > 50) lines.push(`  … and ${impact.outOfScopeCount - 50} more`);
  if (impact.accidentalDeletions.exceeded)
    lines.push(
      `${impact.accidentalDeletions.count} disables and deletes exceed the accidental-deletion threshold (${impact.accidentalDeletions.threshold}): ` +
        'Entra stops the cycle and quarantines the job until you allow the deletes.',
    );
  if (impact.quarantine.reached) lines.push(`${impact.quarantine.failures} objects would fail: enough to put the job in quarantine.`);
  return lines;
}
