import type { SourceObject } from '../directory/source-object.ts';
import type { MappingSet, ScimDialect } from '../mapping/model.ts';
import { renderRequest, type RenderedRequest } from '../scim/requests/render.ts';
import type { JsonObject } from '../scim/requests/target-path.ts';
import {
  GROUP_ACTIONS,
  compileGroupMapping,
  decideGroup,
  groupRequests,
  placeholderGroupId,
  type CompiledGroupMapping,
  type GroupAction,
  type GroupDecision,
  type HeldGroup,
} from './group-decision.ts';
import type { ProvisionedLookup } from './engine.ts';
import type { Finding } from './types.ts';

/**
 * The group half of the preview (Microsoft Learn "Develop a SCIM endpoint for user provisioning", "Group operations"):
 * every group decided by decideGroup, the same decision the provisioning cycle sends, against what an earlier snapshot
 * left in the target.
 */

interface GroupPreview {
  id: string;
  displayName: string | null;
  action: GroupAction;
  reason?: string;
  /** the group as the vendor holds it after the requests (members as target ids) */
  target: JsonObject | null;
  requests: RenderedRequest[];
  findings: Finding[];
}

export interface GroupPreviewResult {
  /** false when the set has no enabled group mapping: nothing is sent for groups */
  enabled: boolean;
  reason?: string;
  groups: GroupPreview[];
  byAction: Record<GroupAction, number>;
}

interface GroupPreviewInput {
  set: MappingSet;
  groups: readonly SourceObject[];
  /** the groups of an earlier snapshot: makes the preview incremental */
  previousGroups?: readonly SourceObject[];
  /** user objectId → target id, for the users that exist in the target after this cycle */
  provisionedUsers: ProvisionedLookup;
  /** the same for the earlier cycle (members the target holds already) */
  previousProvisionedUsers?: ReadonlyMap<string, string>;
  dialect?: ScimDialect;
  baseUrl?: string;
}

/** What the target holds after the earlier cycle: each earlier group Entra would have created then. */
export function heldGroups(compiled: CompiledGroupMapping, previousGroups: readonly SourceObject[], provisionedUsers: ProvisionedLookup): Map<string, HeldGroup> {
  const held = new Map<string, HeldGroup>();
  for (const source of previousGroups) {
    const earlier = decideGroup(compiled, { source, provisionedUsers });
    if (earlier.action !== 'create') continue;
    const targetId = placeholderGroupId(source);
    held.set(String(source.objectId ?? ''), { targetId, resource: { id: targetId, ...earlier.target }, members: earlier.members });
  }
  return held;
}

function toPreview(compiled: CompiledGroupMapping, base: { id: string; displayName: string | null }, decision: GroupDecision, targetId: string): GroupPreview {
  const render = compiled.baseUrl ? { baseUrl: compiled.baseUrl } : {};
  const target = decision.action === 'create' ? { id: targetId, ...decision.target } : decision.target;
  return {
    ...base,
    action: decision.action,
    ...(decision.reason !== undefined ? { reason: decision.reason } : {}),
    target,
    requests: groupRequests(decision, targetId).map((spec) => renderRequest(spec, render)),
    findings: decision.findings,
  };
}

export function previewGroups(input: GroupPreviewInput): GroupPreviewResult {
  const byAction = Object.fromEntries(GROUP_ACTIONS.map((action) => [action, 0])) as Record<GroupAction, number>;
  const compiled = compileGroupMapping(input.set, { ...(input.dialect ? { dialect: input.dialect } : {}), ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}) });
  if ('disabled' in compiled) return { enabled: false, reason: compiled.disabled, groups: [], byAction };
  const held = input.previousGroups ? heldGroups(compiled, input.previousGroups, input.previousProvisionedUsers ?? new Map<string, string>()) : new Map<string, HeldGroup>();

  const groups: GroupPreview[] = [];
  const present = new Set<string>();
  for (const source of input.groups) {
    const id = String(source.objectId ?? '');
    present.add(id);
    const previous = held.get(id);
    const decision = decideGroup(compiled, { source, held: previous, provisionedUsers: input.provisionedUsers });
    const displayName = typeof source.displayName === 'string' ? source.displayName : null;
    groups.push(toPreview(compiled, { id, displayName }, decision, previous?.targetId ?? placeholderGroupId(source)));
  }
  for (const [id, previous] of held) {
    if (present.has(id)) continue;
    const decision = decideGroup(compiled, { source: null, held: previous, provisionedUsers: input.provisionedUsers });
    const displayName = typeof previous.resource.displayName === 'string' ? previous.resource.displayName : null;
    groups.push(toPreview(compiled, { id, displayName }, decision, previous.targetId));
  }
  for (const group of groups) byAction[group.action]++;
  return { enabled: true, groups, byAction };
}
