import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { MappingSet, ScimDialect } from '../../../shared/mapping/model.ts';
import { compileMappingSet } from '../../../shared/preview/compile.ts';
import { previewGroups, type GroupPreviewResult } from '../../../shared/preview/groups.ts';
import { previousStateFrom, provisionedIds, summarise } from '../../../shared/preview/run.ts';
import type { Finding, PreviewResult, PreviousTarget } from '../../../shared/preview/types.ts';
import { vendorFindings, type VendorProfile } from '../../../shared/vendors/index.ts';
import { PreviewRunner } from '../preview/runner.ts';

export interface UsersPreviewInput {
  set: MappingSet;
  users: SourceObject[];
  /** the users of an earlier snapshot: the preview becomes incremental (movers, leavers) */
  previousUsers?: SourceObject[] | undefined;
  /** with them, the group creates, member PATCHes, renames and deletes */
  groups?: SourceObject[] | undefined;
  previousGroups?: SourceObject[] | undefined;
  /** adds the vendor's findings */
  profile?: VendorProfile | null | undefined;
  dialect?: ScimDialect | undefined;
}

export interface UsersPreview {
  preview: PreviewResult;
  /** the vendor profile's findings, mapping-level and per user (none without a profile) */
  vendor: Finding[];
  groups?: GroupPreviewResult;
}

/**
 * The preview of a set of users with the vendor's findings, off the main thread for large inputs: what
 * `scim-planner preview` and `scim-planner validate` both show, built once here.
 */
export async function previewUsers(input: UsersPreviewInput, runner = new PreviewRunner({ cacheSize: 0 })): Promise<UsersPreview> {
  const { set, users, previousUsers, groups, previousGroups, profile, dialect } = input;
  const preview = await runner.run({
    set,
    users,
    ...(previousUsers ? { previousUsers } : {}),
    vendor: profile?.id ?? null,
    ...(dialect ? { dialect } : {}),
  });
  // Source users and groups let the vendor rules check guests (#EXT#) and group names and nesting.
  const vendor = profile ? vendorFindings(profile, set, preview, { users, ...(groups ? { groups } : {}) }) : [];
  if (!groups) return { preview, vendor };
  const compiled = compileMappingSet(set, dialect ? { dialect } : {});
  const previous = previousUsers ? previousStateFrom(compiled, previousUsers) : new Map<string, PreviousTarget>();
  const groupPreview = previewGroups({
    set,
    groups,
    ...(previousGroups ? { previousGroups } : {}),
    provisionedUsers: provisionedIds(compiled, users, previous),
    ...(previousUsers ? { previousProvisionedUsers: new Map([...previous].map(([id, target]) => [id, target.targetId])) } : {}),
    ...(dialect ? { dialect } : {}),
  });
  return { preview, vendor, groups: groupPreview };
}

/**
 * Adds the vendor's findings to a preview: mapping-level ones to the preview's findings, per-user ones to their
 * user, and the summary counts with them.
 */
export function withVendorFindings(result: PreviewResult, vendor: readonly Finding[]): PreviewResult {
  const byUser = new Map<string, Finding[]>();
  const mapping: Finding[] = [];
  for (const finding of vendor) {
    if (finding.userId === undefined) mapping.push(finding);
    else byUser.set(finding.userId, [...(byUser.get(finding.userId) ?? []), finding]);
  }
  const users = result.users.map((user) => {
    const extra = byUser.get(user.id);
    return extra ? { ...user, findings: [...user.findings, ...extra] } : user;
  });
  const findings = [...result.findings, ...mapping];
  return { ...result, findings, users, summary: summarise(findings, users) };
}
