import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { MappingSet, ScimDialect } from '../../../shared/mapping/model.ts';
import { compileMappingSet } from '../../../shared/preview/compile.ts';
import { previewGroups, type GroupPreviewResult } from '../../../shared/preview/groups.ts';
import { previousStateFrom, provisionedIds, summarise } from '../../../shared/preview/run.ts';
import type { Finding, PreviewResult, PreviousTarget } from '../../../shared/preview/types.ts';
import { vendorMappingFindings, type VendorProfile } from '../../../shared/vendors/index.ts';
import { PreviewRunner, type PreviewSession } from '../preview/runner.ts';

interface UsersPreviewInput {
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

interface UsersPreview {
  preview: PreviewResult;
  /**
   * The vendor profile's findings not yet in `preview`: mapping-level ones, aggregates, and the duplicate
   * values found across users (each user's own vendor findings are already on its preview).
   */
  vendor: Finding[];
  groups?: GroupPreviewResult;
}

/**
 * The vendor's half of a preview whose workers ran the profile's per-user rules: the mapping-level findings
 * and aggregates, and the duplicates found by merging the chunks. The Preview screen and the CLI both add
 * these, so a finding is the same whichever door asked.
 */
export function vendorFindingsOfRun(session: PreviewSession, profile: VendorProfile, set: MappingSet, groups: readonly SourceObject[]): { mapping: Finding[]; duplicates: Finding[] } {
  const merged = session.vendorUsers;
  if (!merged) throw new Error('The preview ran without the vendor profile: start it with vendorProfile');
  return {
    mapping: [...vendorMappingFindings(profile, set, { dialect: session.dialect, groups: [...groups], managerOutOfScope: merged.managerOutOfScope }), ...merged.aggregates],
    duplicates: merged.duplicates,
  };
}

/**
 * The preview of a set of users with the vendor's findings, off the main thread for large inputs: what
 * `scim-planner preview` and `scim-planner validate` show, through the runner and vendor rules the
 * Preview screen uses (electron/backend/preview/service.ts).
 */
export async function previewUsers(input: UsersPreviewInput, runner = new PreviewRunner({ cacheSize: 0 })): Promise<UsersPreview> {
  const { set, users, previousUsers, groups, previousGroups, profile, dialect } = input;
  const session = await runner.start({
    set,
    users,
    ...(previousUsers ? { previousUsers } : {}),
    vendor: profile?.id ?? null,
    ...(profile ? { vendorProfile: profile } : {}),
    ...(dialect ? { dialect } : {}),
  });
  let preview: PreviewResult;
  let vendor: Finding[] = [];
  try {
    preview = await session.result();
    if (profile) {
      const { mapping, duplicates } = vendorFindingsOfRun(session, profile, set, groups ?? []);
      vendor = [...mapping, ...duplicates];
    }
  } finally {
    await session.close();
  }
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
