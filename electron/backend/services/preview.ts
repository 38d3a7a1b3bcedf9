import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { MappingSet, ScimDialect } from '../../../shared/mapping/model.ts';
import { compileMappingSet } from '../../../shared/preview/compile.ts';
import { previewGroups, type GroupPreviewResult } from '../../../shared/preview/groups.ts';
import { previousStateFrom, provisionedIds, summarise } from '../../../shared/preview/run.ts';
import type { ProvisionedLookup } from '../../../shared/preview/engine.ts';
import { FindingGroups, type FindingGroupData } from '../../../shared/preview/summary.ts';
import type { Finding, PreviewResult, PreviewSummary, PreviousTarget, UserPreview } from '../../../shared/preview/types.ts';
import { vendorMappingFindings, type VendorProfile } from '../../../shared/vendors/index.ts';
import { PreviewRunner, type PreviewJob, type PreviewSession } from '../preview/runner.ts';

interface UsersPreviewInput {
  set: MappingSet;
  /** the users as objects, or a snapshot the workers read a range at a time (a file too large to hold) */
  users: SourceObject[] | NonNullable<PreviewJob['workspace']>;
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
 * A preview of a set of users whose per-user results stay in the session (paged with `session.users(ids)`), with the
 * vendor's half and the groups: what `previewUsers` materialises and `scim-planner preview --format ndjson|summary`
 * streams. Close it when done.
 */
export interface UsersPreviewRun {
  session: PreviewSession;
  /** as UsersPreview.vendor: mapping-level findings, aggregates, then the duplicates found across users */
  vendor: Finding[];
  groups?: GroupPreviewResult;
  close(): Promise<void>;
}

/**
 * Starts the preview of a set of users, off the main thread for large inputs, through the runner and vendor rules the
 * Preview screen uses (electron/backend/preview/service.ts). The input's users are not kept once the workers have them.
 */
export async function startUsersPreview(input: UsersPreviewInput, runner = new PreviewRunner({ cacheSize: 0 })): Promise<UsersPreviewRun> {
  const { set, users, previousUsers, groups, previousGroups, profile, dialect } = input;
  const session = await runner.start({
    set,
    ...(Array.isArray(users) ? { users } : { workspace: users }),
    ...(previousUsers ? { previousUsers } : {}),
    vendor: profile?.id ?? null,
    ...(profile ? { vendorProfile: profile } : {}),
    ...(dialect ? { dialect } : {}),
  });
  try {
    let vendor: Finding[] = [];
    if (profile) {
      const { mapping, duplicates } = vendorFindingsOfRun(session, profile, set, groups ?? []);
      vendor = [...mapping, ...duplicates];
    }
    const run: UsersPreviewRun = { session, vendor, close: () => session.close() };
    // A snapshot's users are not held here: its group members link through the session's provisioned users.
    if (groups) run.groups = groupsPreviewOf(set, Array.isArray(users) ? users : session.provisioned, groups, { previousUsers, previousGroups, dialect });
    return run;
  } catch (error) {
    await session.close();
    throw error;
  }
}

function groupsPreviewOf(
  set: MappingSet,
  users: SourceObject[] | ProvisionedLookup,
  groups: SourceObject[],
  { previousUsers, previousGroups, dialect }: Pick<UsersPreviewInput, 'previousUsers' | 'previousGroups' | 'dialect'>,
): GroupPreviewResult {
  const compiled = compileMappingSet(set, dialect ? { dialect } : {});
  const previous = previousUsers ? previousStateFrom(compiled, previousUsers) : new Map<string, PreviousTarget>();
  return previewGroups({
    set,
    groups,
    ...(previousGroups ? { previousGroups } : {}),
    provisionedUsers: Array.isArray(users) ? provisionedIds(compiled, users, previous) : users,
    ...(previousUsers ? { previousProvisionedUsers: new Map([...previous].map(([id, target]) => [id, target.targetId])) } : {}),
    ...(dialect ? { dialect } : {}),
  });
}

/**
 * The preview of a set of users with the vendor's findings, materialised: what `scim-planner preview` (json, table)
 * and `scim-planner validate` show.
 */
export async function previewUsers(input: UsersPreviewInput, runner = new PreviewRunner({ cacheSize: 0 })): Promise<UsersPreview> {
  const run = await startUsersPreview(input, runner);
  let preview: PreviewResult;
  try {
    preview = await run.session.result();
  } finally {
    await run.close();
  }
  return { preview, vendor: run.vendor, ...(run.groups ? { groups: run.groups } : {}) };
}

/** The vendor's findings as a preview places them: about the mapping set, or on their user (duplicates among them). */
export function placeVendorFindings(vendor: readonly Finding[]): { mapping: Finding[]; byUser: Map<string, Finding[]> } {
  const byUser = new Map<string, Finding[]>();
  const mapping: Finding[] = [];
  for (const finding of vendor) {
    if (finding.userId === undefined) mapping.push(finding);
    else byUser.set(finding.userId, [...(byUser.get(finding.userId) ?? []), finding]);
  }
  return { mapping, byUser };
}

/** A user's preview with the vendor's findings about that user added after its own. */
export function withUserVendorFindings(user: UserPreview, byUser: ReadonlyMap<string, Finding[]>): UserPreview {
  const extra = byUser.get(user.id);
  return extra ? { ...user, findings: [...user.findings, ...extra] } : user;
}

/**
 * Adds the vendor's findings to a preview: mapping-level ones to the preview's findings, per-user ones to their
 * user, and the summary counts with them.
 */
export function withVendorFindings(result: PreviewResult, vendor: readonly Finding[]): PreviewResult {
  const { mapping, byUser } = placeVendorFindings(vendor);
  const users = result.users.map((user) => withUserVendorFindings(user, byUser));
  const findings = [...result.findings, ...mapping];
  return { ...result, findings, users, summary: summarise(findings, users) };
}

/**
 * A run's headline without its users: the summary, the mapping-level findings and the finding groups, the vendor's
 * findings included. The session's groups already hold every user's own findings, so with the vendor's added the
 * counts are those `withVendorFindings` gives the materialised result (one counting rule: severityTotals).
 */
export function summaryOfRun(run: UsersPreviewRun): { findings: Finding[]; findingGroups: FindingGroupData[]; summary: PreviewSummary } {
  const { session, vendor } = run;
  const groups = new FindingGroups();
  groups.merge(session.groups.partials());
  groups.addAll(vendor);
  const { errors, warnings } = groups.totals();
  return {
    findings: [...session.findings, ...placeVendorFindings(vendor).mapping],
    findingGroups: groups.list(),
    summary: { ...session.summary, errors, warnings },
  };
}
