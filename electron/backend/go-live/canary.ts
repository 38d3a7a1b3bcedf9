/**
 * The canary: one user provisioned on demand through the live job, its answer set beside the preview of that user
 * attribute by attribute. Provision on demand writes to the vendor, and it ignores the Tenant URL's aadOptscim062020
 * flag (Microsoft Learn "On-demand provisioning in Microsoft Entra ID", "Known limitations"), so the preview it is
 * compared with is built in the default dialect: a scheduled cycle's PATCH shapes may differ.
 */
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
class CanaryTargetError extends Error {
  override readonly name = 'CanaryTargetError';
}

export async function runCanary(
  client: GraphClient,
  job: JobRef,
  plan: MappingSet,
  source: SourceObject,
  pacer: OnDemandPacer,
): Promise<CanaryResult> {
  const live = await readLiveSchema(client, job);
  const ruleId = findObjectMapping(live, 'User')?.rule.id;
  if (!ruleId) throw new CanaryTargetError(`The job ${job.jobId} has no synchronization rule with a User mapping to provision on demand.`);
  const objectId = String(source.objectId ?? '');
  const answer = await provisionOnDemand(client, job, ruleId, { objectId, objectTypeName: 'User' }, pacer);
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
