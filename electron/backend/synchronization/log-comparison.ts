/**
 * Planned vs actual (issue 14): each provisioning-log entry matched to the snapshot's user by sourceIdentity.id, what
 * Entra sent (modifiedProperties) compared attribute by attribute with what the current plan sends for that user, a
 * likely cause per difference, and failures grouped by error code with the explanation and the fix.
 */
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { MappingSet } from '../../../shared/mapping/model.ts';
import { compileMappingSet, type CompiledMappingSet, type CompiledRow } from '../../../shared/preview/compile.ts';
import { evaluateRow } from '../../../shared/preview/engine.ts';
import type { VendorProfile } from '../../../shared/vendors/index.ts';
import { explainErrorCode, isConflict } from './error-codes.ts';
import { entraForm } from './expression-check.ts';
import type { LogEntry } from './provisioning-logs.ts';

type DifferenceCause = 'mapping-changed' | 'source-changed' | 'preview-disagrees';

interface LogDifference {
  userPrincipalName: string | null;
  sourceId: string;
  changeId: string;
  attribute: string;
  entraSent: string | null;
  planned: string | string[] | null;
  cause: DifferenceCause;
  /** the cause in words */
  why: string;
}

interface FailureGroup {
  errorCode: string;
  count: number;
  explanation: string;
  fix: string;
  /** Entra's own reason, from the first entry */
  reason: string | null;
  users: string[];
  /** the users' source ids, in the same order (the app's replay acts on these) */
  sourceIds: string[];
  /** replays the first user's requests against the mock server with the vendor's profile (when a vendor was given) */
  replay?: string;
}

export interface LogComparison {
  entries: number;
  matched: number;
  agreed: number;
  /** entries whose source id is not a user of the snapshot (other users, groups) */
  unmatched: number;
  skipped: number;
  differences: LogDifference[];
  failures: FailureGroup[];
}

interface LogComparisonInput {
  entries: readonly LogEntry[];
  set: MappingSet;
  users: readonly SourceObject[];
  /** when the users were read; a log entry older than that may have seen other source values */
  snapshotTime?: string | null;
  /** the job's schema as Entra runs it: a row whose expression differs there is a mapping change */
  jobSchema?: MappingSet | null;
  vendor?: VendorProfile | null;
  /** the files the CLI was given, for the replay command */
  files?: { mappings: string; users: string };
}

type Planned = string[];

/** What the plan sends for this row and user, in Entra's log form; null when the row is not sent for this action. */
function plannedFor(row: CompiledRow, user: SourceObject, action: string | null): Planned | null {
  const creating = action === null || action.toLowerCase() === 'create';
  // "Only during object creation" rows are not sent on updates (Microsoft Learn "Customize user provisioning
  // attribute-mappings", "Apply this mapping").
  if (!creating && row.createOnly) return null;
  const result = evaluateRow(row, user);
  const values = entraForm(result);
  if (values === null) return null;
  if (values.length === 0 && creating && row.defaultValue) return [row.defaultValue];
  return values;
}

/** Entra logs a multi-valued attribute comma-separated, Booleans as True/False in any casing. */
function sameValue(sent: string | null, planned: Planned): boolean {
  if (planned.length === 0) return sent === null || sent === '';
  if (sent === null) return false;
  if (planned.length === 1) {
    const one = planned[0]!;
    return sent === one || (/^(true|false)$/i.test(one) && sent.toLowerCase() === one.toLowerCase());
  }
  const parts = sent.split(',').map((part) => part.trim());
  return parts.length === planned.length && parts.every((part, i) => part === planned[i]);
}

function plannedShape(planned: Planned): string | string[] | null {
  return planned.length === 0 ? null : planned.length === 1 ? planned[0]! : planned;
}

function causeOf(row: CompiledRow, entry: LogEntry, input: LogComparisonInput, jobRows: ReadonlyMap<string, CompiledRow> | null): { cause: DifferenceCause; why: string } {
  if (jobRows) {
    const running = jobRows.get(row.target.toLowerCase());
    if (!running || running.expression !== row.expression) {
      return { cause: 'mapping-changed', why: `The job maps ${row.target} from ${running?.expression ?? 'nothing'}; the plan maps it from ${row.expression ?? 'nothing'}.` };
    }
  }
  if (row.mappingType === 'Direct' || row.mappingType === 'Constant') {
    return { cause: 'source-changed', why: `${row.target} is a ${row.mappingType.toLowerCase()} mapping, so Entra sent an earlier source value than the users file holds.` };
  }
  const logged = entry.activityDateTime ? Date.parse(entry.activityDateTime) : NaN;
  const snapshot = input.snapshotTime ? Date.parse(input.snapshotTime) : NaN;
  if (!Number.isNaN(logged) && !Number.isNaN(snapshot) && logged >= snapshot) {
    return {
      cause: 'preview-disagrees',
      why: `Entra sent this after the users were read (${entry.activityDateTime} ≥ ${input.snapshotTime}) with the same mapping: the preview evaluates ${row.expression} differently. Check it with \`scim-planner verify\` and export the vectors.`,
    };
  }
  return {
    cause: 'source-changed',
    why: `The log (${entry.activityDateTime ?? 'unknown time'}) is older than the users file (${input.snapshotTime ?? 'unknown time'}): a source value ${row.program?.referencedAttributes.join(', ') || ''} may have changed since.`,
  };
}

function failureGroups(failed: readonly { entry: LogEntry; user: SourceObject | undefined }[], compiled: CompiledMappingSet, input: LogComparisonInput): FailureGroup[] {
  const groups = new Map<string, { entry: LogEntry; user: SourceObject | undefined }[]>();
  for (const item of failed) {
    const code = item.entry.errorCode ?? 'Unknown';
    groups.set(code, [...(groups.get(code) ?? []), item]);
  }
  return [...groups].map(([errorCode, items]) => {
    const known = explainErrorCode(errorCode);
    const first = items[0]!;
    let fix = known?.fix ?? 'Read the reason Entra gives, and the provisioning steps of one entry in the portal.';
    if (isConflict(known?.known)) {
      const matching = compiled.matching.map((row) => `${row.target} (precedence ${row.matchingPriority})`).join(', ') || 'none';
      fix += ` Matching attribute in this mapping: ${matching}.`;
      const unique = input.vendor?.attributes.filter((rule) => rule.unique).map((rule) => rule.target) ?? [];
      if (unique.length > 0) fix += ` ${input.vendor!.name} requires these to be unique: ${unique.join(', ')}.`;
    }
    const users = items.map(({ entry, user }) => String(user?.userPrincipalName ?? entry.sourceDisplayName ?? entry.sourceId));
    const group: FailureGroup = {
      errorCode,
      count: items.length,
      explanation: known?.explanation ?? first.entry.reason ?? 'Entra gives no explanation for this code.',
      fix,
      reason: first.entry.reason,
      users,
      sourceIds: items.map(({ entry }) => entry.sourceId),
    };
    if (input.vendor && input.files) {
      group.replay =
        `scim-planner mock-server --vendor ${input.vendor.id} --port 0   # prints {"url","token"}, then:\n` +
        `scim-planner provision --target URL --token TOKEN --mappings ${input.files.mappings} --users ${input.files.users} --user ${users[0]}`;
    }
    return group;
  });
}

export function compareWithLogs(input: LogComparisonInput): LogComparison {
  const compiled = compileMappingSet(input.set);
  const rowsByTarget = new Map(compiled.rows.filter((row) => !row.isManager).map((row) => [row.target.toLowerCase(), row]));
  const jobRows = input.jobSchema ? new Map(compileMappingSet(input.jobSchema).rows.map((row) => [row.target.toLowerCase(), row])) : null;
  const usersById = new Map(input.users.map((user) => [String(user.objectId ?? '').toLowerCase(), user]));
  const differences: LogDifference[] = [];
  const failed: { entry: LogEntry; user: SourceObject | undefined }[] = [];
  let matched = 0;
  let agreed = 0;
  let skipped = 0;
  for (const entry of input.entries) {
    const user = usersById.get(entry.sourceId.toLowerCase());
    if (entry.status === 'failure') {
      failed.push({ entry, user });
      continue;
    }
    if (entry.status === 'skipped') {
      skipped++;
      continue;
    }
    if (!user) continue;
    matched++;
    let same = true;
    for (const property of entry.modified) {
      const row = rowsByTarget.get(property.attribute.toLowerCase());
      if (!row) continue;
      const planned = plannedFor(row, user, entry.action);
      if (planned !== null && sameValue(property.newValue, planned)) continue;
      same = false;
      differences.push({
        userPrincipalName: typeof user.userPrincipalName === 'string' ? user.userPrincipalName : null,
        sourceId: entry.sourceId,
        changeId: entry.changeId,
        attribute: row.target,
        entraSent: property.newValue,
        planned: planned === null ? null : plannedShape(planned),
        ...causeOf(row, entry, input, jobRows),
      });
    }
    if (same) agreed++;
  }
  const unmatched = input.entries.filter((entry) => entry.status !== 'failure' && entry.status !== 'skipped' && !usersById.has(entry.sourceId.toLowerCase())).length;
  return { entries: input.entries.length, matched, agreed, unmatched, skipped, differences, failures: failureGroups(failed, compiled, input) };
}
