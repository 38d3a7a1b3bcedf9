/**
 * The canary: one user provisioned on demand through the live job, its answer set beside the preview of that user
 * attribute by attribute. Provision on demand writes to the vendor, and it ignores the Tenant URL's aadOptscim062020
 * flag (Microsoft Learn "On-demand provisioning in Microsoft Entra ID", "Known limitations"), so the preview it is
 * compared with is built in the default dialect: a scheduled cycle's PATCH shapes may differ.
 */
import { ON_DEMAND_GROUP_MEMBER_LIMIT } from '../../../shared/go-live/on-demand.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { findObjectMapping, type MappingSet } from '../../../shared/mapping/model.ts';
import { compileMappingSet } from '../../../shared/preview/compile.ts';
import { previewUser } from '../../../shared/preview/engine.ts';
import { readValue, type JsonObject } from '../../../shared/scim/requests/target-path.ts';
import { compareWithPreview, parseOnDemandAnswer, type AttributeComparison, type OnDemandResult } from '../../../shared/go-live/on-demand.ts';
import type { GraphClient } from '../directory/graph-client.ts';
import { provisionOnDemand, readLiveSchema, type JobRef, type OnDemandPacer } from './job-api.ts';

export const ON_DEMAND_DIALECT_NOTE =
  'Provision on demand ignores the aadOptscim062020 flag of the Tenant URL: its PATCH shapes may differ from scheduled cycles.';


/** The user a --user value names: its object id or userPrincipalName (ignoring case). */
export function findUser(users: readonly SourceObject[], ref: string): SourceObject | undefined {
  const wanted = ref.toLowerCase();
  return users.find((u) => u.objectId === ref) ?? users.find((u) => String(u.userPrincipalName ?? '').toLowerCase() === wanted);
}

interface CanaryPreview {
  /** create, skip, error…: what the preview expects Entra to do to this user in an empty vendor */
  action: string;
  reason: string | null;
  attributes: { attribute: string; value: unknown }[];
}

/** What the plan sends for this user, row by row (manager links go in a later PATCH and are left out). */
export function previewForCanary(plan: MappingSet, source: SourceObject): CanaryPreview {
  const compiled = compileMappingSet(plan, { dialect: 'default' });
  const preview = previewUser(compiled, source, { previous: new Map(), provisioned: new Map() });
  const body = preview.requests.find((r) => r.method === 'POST')?.body;
  const attributes: { attribute: string; value: unknown }[] = [];
  for (const row of compiled.rows) {
    if (row.isManager || !body || typeof body !== 'object') continue;
    // the POST body is the resource as the vendor receives it; the row's path reads its value there
    attributes.push({ attribute: row.target, value: readValue(body as JsonObject, row.path) ?? null });
  }
  return { action: preview.action, reason: preview.reason ?? null, attributes };
}

export interface CanaryResult {
  userPrincipalName: string;
  objectId: string;
  ruleId: string;
  entra: OnDemandResult;
  preview: CanaryPreview;
  attributes: AttributeComparison[];
  /** true when Entra's answer and the preview agree on every attribute both know, and Entra did not fail */
  agrees: boolean;
}

/** Thrown when the live schema has no user mapping to run on demand. */
export class CanaryTargetError extends Error {
  override readonly name = 'CanaryTargetError';
}

/** The group cannot be provisioned on demand: too many members, or members the users given do not hold. */
export class CanaryGroupError extends Error {
  override readonly name = 'CanaryGroupError';
}

/** The group a --group value names: its object id or displayName (ignoring case). */
export function findGroup(groups: readonly SourceObject[], ref: string): SourceObject | undefined {
  const wanted = ref.toLowerCase();
  return groups.find((g) => g.objectId === ref) ?? groups.find((g) => String(g.displayName ?? '').toLowerCase() === wanted);
}

/** The group's direct members, as provision on demand takes them: at most 5, each a user the caller can preview. */
export function canaryMembers(group: SourceObject, userById: (id: string) => SourceObject | undefined): SourceObject[] {
  const name = String(group.displayName ?? group.objectId);
  const ids = Array.isArray(group.members) ? (group.members as unknown[]).map(String) : [];
  if (ids.length > ON_DEMAND_GROUP_MEMBER_LIMIT)
    throw new CanaryGroupError(
      `The group "${name}" has ${ids.length} members; provision on demand takes a group with at most ${ON_DEMAND_GROUP_MEMBER_LIMIT} ` +
        '(Microsoft Learn "On-demand provisioning in Microsoft Entra ID"). Pick a smaller group or one of its users.',
    );
  const members = ids.map((id) => ({ id, user: userById(id) }));
  const missing = members.filter((m) => !m.user).map((m) => m.id);
  // Entra does not expand nested groups, and a member missing from the users cannot be previewed
  if (missing.length > 0) throw new CanaryGroupError(`The group "${name}" has members that are not users of this directory: ${missing.join(', ')}.`);
  return members.map((m) => m.user!);
}

/** The synchronization rule that provisions this kind of object: its id is the ruleId provisionOnDemand needs. */
function ruleIdFor(live: MappingSet, job: JobRef, objectType: 'User' | 'Group'): string {
  const ruleId = findObjectMapping(live, objectType)?.rule.id;
  if (!ruleId) throw new CanaryTargetError(`The job ${job.jobId} has no synchronization rule with a ${objectType} mapping to provision on demand.`);
  return ruleId;
}

/** Entra's answer for one user set beside the preview of that user. */
function compareUser(plan: MappingSet, source: SourceObject, ruleId: string, answer: unknown): CanaryResult {
  const objectId = String(source.objectId ?? '');
  const entra = parseOnDemandAnswer(answer);
  const preview = previewForCanary(plan, source);
  let attributes = compareWithPreview(entra, preview.attributes);
  // An update exports only what changed: attributes Entra left alone say nothing about a difference.
  if (entra.action === 'Update') attributes = attributes.filter((a) => a.entra !== null);
  const failed = entra.result === 'Failure';
  return {
    userPrincipalName: String(source.userPrincipalName ?? objectId),
    objectId,
    ruleId,
    entra,
    preview,
    attributes,
    agrees: !failed && attributes.every((a) => a.same),
  };
}

export async function runCanary(
  client: GraphClient,
  job: JobRef,
  plan: MappingSet,
  source: SourceObject,
  pacer: OnDemandPacer,
): Promise<CanaryResult> {
  const ruleId = ruleIdFor(await readLiveSchema(client, job), job, 'User');
  const answer = await provisionOnDemand(client, job, ruleId, { objectId: String(source.objectId ?? ''), objectTypeName: 'User' }, pacer);
  return compareUser(plan, source, ruleId, answer);
}

export interface GroupCanaryResult {
  group: { objectId: string; displayName: string | null };
  /** the rule that provisions groups (the members ran with the users' rule) */
  ruleId: string;
  /** Entra's answer for the group itself (its steps; its members are linked) */
  entra: OnDemandResult;
  members: CanaryResult[];
  /** every member agrees with its preview, and neither the group nor a member failed */
  agrees: boolean;
}

/**
 * A group and its members on demand: each member first as a User (its answer is what the preview is compared with),
 * then the group with the members as links, the documented request shape, so the membership reaches the vendor with
 * the accounts already there. Up to 6 calls: the pacer keeps them within Graph's 5 per 10 seconds.
 */
export async function runGroupCanary(
  client: GraphClient,
  job: JobRef,
  plan: MappingSet,
  group: SourceObject,
  members: readonly SourceObject[],
  pacer: OnDemandPacer,
): Promise<GroupCanaryResult> {
  if (members.length > ON_DEMAND_GROUP_MEMBER_LIMIT) throw new CanaryGroupError(`At most ${ON_DEMAND_GROUP_MEMBER_LIMIT} members can be provisioned on demand with a group; got ${members.length}.`);
  const live = await readLiveSchema(client, job);
  const ruleId = ruleIdFor(live, job, 'User');
  const groupRuleId = ruleIdFor(live, job, 'Group');
  const results: CanaryResult[] = [];
  for (const member of members) {
    const answer = await provisionOnDemand(client, job, ruleId, { objectId: String(member.objectId ?? ''), objectTypeName: 'User' }, pacer);
    results.push(compareUser(plan, member, ruleId, answer));
  }
  const groupId = String(group.objectId ?? '');
  const links = { members: members.map((m) => ({ objectId: String(m.objectId ?? ''), objectTypeName: 'User' as const })) };
  const entra = parseOnDemandAnswer(await provisionOnDemand(client, job, groupRuleId, { objectId: groupId, objectTypeName: 'Group', links }, pacer));
  return {
    group: { objectId: groupId, displayName: group.displayName === undefined || group.displayName === null ? null : String(group.displayName) },
    ruleId: groupRuleId,
    entra,
    members: results,
    agrees: entra.result !== 'Failure' && results.every((r) => r.agrees),
  };
}
