import type { SourceObject } from '../directory/source-object.ts';
import type { MappingSet, ScimDialect } from '../mapping/model.ts';
import { compileMappingSet, type CompiledMappingSet } from './compile.ts';
import {
  countRequests,
  newRowStats,
  previewLeaver,
  previewUser,
  provisionedTargetId,
  type PreviewContext,
  type RowStats,
} from './engine.ts';
import { coverageOf, FindingGroups } from './summary.ts';
import { USER_ACTIONS, type Finding, type PreviewResult, type PreviewSummary, type PreviousState, type PreviousTarget, type UserPreview } from './types.ts';

/** A row empty for at least this share of evaluated users is reported ("null or empty for many users"). */
const OFTEN_EMPTY_SHARE = 0.2;

interface SnapshotPreviewInput {
  readonly set: MappingSet;
  readonly users: readonly SourceObject[];
  /** an earlier snapshot: makes the preview incremental; without it the target is assumed empty */
  readonly previousUsers?: readonly SourceObject[];
  readonly vendor?: string | null;
  readonly dialect?: ScimDialect;
  readonly baseUrl?: string;
  readonly skipOutOfScopeDeletions?: boolean;
}

const NO_PREVIOUS: PreviousState = new Map();

function objectIdOf(source: SourceObject): string {
  return String(source.objectId ?? '');
}

/** Ids of the users that exist in the target after this cycle (manager links need both ends provisioned). */
export function provisionedIds(compiled: CompiledMappingSet, users: readonly SourceObject[], previous: PreviousState): Map<string, string> {
  const provisioned = new Map<string, string>();
  for (const source of users) {
    const id = objectIdOf(source);
    const targetId = provisionedTargetId(compiled, source, previous.get(id));
    if (targetId !== undefined) provisioned.set(id, targetId);
  }
  return provisioned;
}

/**
 * What the target holds after an earlier cycle: the earlier snapshot previewed against an empty target, keeping
 * every user it would have created (with the resource as the vendor holds it).
 */
export function previousStateFrom(compiled: CompiledMappingSet, previousUsers: readonly SourceObject[]): PreviousState {
  const context: PreviewContext = { previous: NO_PREVIOUS, provisioned: provisionedIds(compiled, previousUsers, NO_PREVIOUS) };
  const state = new Map<string, PreviousTarget>();
  for (const source of previousUsers) {
    const preview = previewUser(compiled, source, context);
    if (preview.action !== 'create' || !preview.target) continue;
    state.set(preview.id, { targetId: String(preview.target.id), resource: preview.target, source });
  }
  return state;
}

export function previewSnapshot(input: SnapshotPreviewInput): PreviewResult {
  const compiled = compileMappingSet(input.set, {
    ...(input.dialect ? { dialect: input.dialect } : {}),
    ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}),
  });
  const previous = input.previousUsers ? previousStateFrom(compiled, input.previousUsers) : NO_PREVIOUS;
  const context: PreviewContext = {
    previous,
    provisioned: provisionedIds(compiled, input.users, previous),
    skipOutOfScopeDeletions: input.skipOutOfScopeDeletions ?? false,
  };
  const stats = newRowStats(compiled.rows.length);
  const users = input.users.map((source) => previewUser(compiled, source, context, stats));
  users.push(...previewLeavers(compiled, input.users, context));
  for (const user of users) countRequests(stats, user);
  return finishPreview(compiled, users, stats, input.vendor ?? null);
}

/**
 * Users the target holds that are gone from the directory (recycle bin): deactivated (Microsoft Learn "How Application
 * Provisioning works", "Deprovisioning").
 */
function previewLeavers(compiled: CompiledMappingSet, users: readonly SourceObject[], context: PreviewContext): UserPreview[] {
  if (context.previous.size === 0) return [];
  const present = new Set(users.map(objectIdOf));
  const leavers: UserPreview[] = [];
  for (const [id, previous] of context.previous) if (!present.has(id)) leavers.push(previewLeaver(compiled, previous, context));
  return leavers;
}

/** Mapping-level findings that need every user (often-empty rows, users without userName) and the summary. */
function finishPreview(compiled: CompiledMappingSet, users: UserPreview[], stats: RowStats, vendor: string | null): PreviewResult {
  const missingUserName = users.filter((u) => u.findings.some((f) => f.code === 'USERNAME_MISSING')).length;
  const findings = snapshotFindings(compiled, stats, missingUserName);
  return { vendor, dialect: compiled.dialect, findings, users, summary: summarise(findings, users), coverage: coverageOf(compiled, stats) };
}

/** The mapping-level findings of a whole snapshot: the compiled set's own, then those the row counters reveal. */
export function snapshotFindings(compiled: CompiledMappingSet, stats: RowStats, missingUserName: number): Finding[] {
  const findings: Finding[] = [...compiled.findings];
  if (stats.evaluated > 0) {
    for (const row of compiled.rows) {
      const empty = stats.empty[row.index] ?? 0;
      if (empty === 0 || empty / stats.evaluated < OFTEN_EMPTY_SHARE || row.program === null) continue;
      const share = Math.round((empty / stats.evaluated) * 100);
      const important = row.isUserName || row.matchingPriority > 0;
      findings.push({
        severity: important ? 'warning' : 'info',
        code: 'VALUE_OFTEN_EMPTY',
        attribute: row.target,
        message: `${row.target} (${row.expression}) is null or empty for ${empty} of ${stats.evaluated} users (${share}%); Entra sends nothing for them${row.defaultValue ? ' except the default value on create' : ''}.`,
        fix: important
          ? 'Every user needs a value here; fill the source attribute or map a fallback with Coalesce.'
          : 'Check the source attribute is filled in Entra, or remove the mapping if the vendor does not need it.',
      });
    }
  }
  if (missingUserName > 0) {
    findings.push({
      severity: 'error',
      code: 'USERNAME_MISSING',
      attribute: 'userName',
      message: `userName, a required SCIM core attribute, has no value for ${missingUserName} user(s); their creates would fail.`,
      fix: 'Make sure the userName mapping produces a value for every user in scope.',
    });
  }
  return findings;
}

export function summarise(findings: readonly Finding[], users: readonly UserPreview[]): PreviewSummary {
  const byAction = Object.fromEntries(USER_ACTIONS.map((action) => [action, 0])) as PreviewSummary['byAction'];
  const groups = new FindingGroups();
  groups.addAll(findings);
  for (const user of users) {
    byAction[user.action]++;
    groups.addAll(user.findings);
  }
  const { errors, warnings } = groups.totals();
  return { users: users.length, byAction, errors, warnings };
}
