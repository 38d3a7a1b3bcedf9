import type { SourceObject } from '../directory/source-object.ts';
import type { CompiledMappingSet } from './compile.ts';
import type { RowStats } from './engine.ts';
import type { CoverageData, Finding, Severity, UserAction, UserPreview } from './types.ts';

/**
 * What a screen needs to list and filter a previewed user without holding the preview itself: 100,000 of
 * these are a few megabytes, while the previews (bodies, targets, requests) stay where they were computed.
 */
export interface PreviewIndexRow {
  id: string;
  userPrincipalName: string | null;
  displayName: string | null;
  action: UserAction;
  reason: string | null;
  inScope: boolean;
  errors: number;
  warnings: number;
  requestCount: number;
  /** the distinct finding codes of the user, for "filter by finding" */
  codes: string[];
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function indexRowOf(preview: UserPreview, source: SourceObject | undefined): PreviewIndexRow {
  let errors = 0;
  let warnings = 0;
  const codes: string[] = [];
  for (const finding of preview.findings) {
    if (finding.severity === 'error') errors++;
    else if (finding.severity === 'warning') warnings++;
    if (!codes.includes(finding.code)) codes.push(finding.code);
  }
  return {
    id: preview.id,
    userPrincipalName: preview.userPrincipalName,
    displayName: text(source?.displayName),
    action: preview.action,
    reason: preview.reason ?? null,
    inScope: preview.inScope,
    errors,
    warnings,
    requestCount: preview.requests.length,
    codes,
  };
}

/** Adds findings that arrived later (the vendor's) to a row, keeping its counts in step. */
export function addFindingsToRow(row: PreviewIndexRow, findings: readonly Finding[]): void {
  for (const finding of findings) {
    if (finding.severity === 'error') row.errors++;
    else if (finding.severity === 'warning') row.warnings++;
    if (!row.codes.includes(finding.code)) row.codes.push(finding.code);
  }
}

/** Findings grouped by code and attribute, as the "findings by code" panel shows them. */
export interface FindingGroupData {
  code: string;
  severity: Severity;
  attribute: string | null;
  /** users with the finding, or 1 for a finding about the mapping set only */
  count: number;
  /** the mapping-level message when there is one (it summarises), otherwise the first user's */
  message: string;
  fix: string | null;
  exampleUserIds: string[];
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const EXAMPLES = 5;

interface GroupState {
  code: string;
  severity: Severity;
  attribute: string | null;
  users: number;
  mappingLevel: boolean;
  userMessage: string | null;
  mappingMessage: string | null;
  fix: string | null;
  examples: string[];
}

/** Accumulates finding groups; chunks computed in different workers merge into one. */
export class FindingGroups {
  private readonly groups = new Map<string, GroupState>();

  private state(code: string, attribute: string | null, severity: Severity): GroupState {
    const key = `${code}\u0000${attribute ?? ''}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { code, severity, attribute, users: 0, mappingLevel: false, userMessage: null, mappingMessage: null, fix: null, examples: [] };
      this.groups.set(key, group);
    } else if (RANK[severity] < RANK[group.severity]) group.severity = severity;
    return group;
  }

  add(finding: Finding): void {
    const group = this.state(finding.code, finding.attribute ?? null, finding.severity);
    group.fix ??= finding.fix ?? null;
    if (finding.userId === undefined) {
      group.mappingLevel = true;
      group.mappingMessage ??= finding.message;
      return;
    }
    group.users++;
    group.userMessage ??= finding.message;
    if (group.examples.length < EXAMPLES && !group.examples.includes(finding.userId)) group.examples.push(finding.userId);
  }

  addAll(findings: readonly Finding[]): void {
    for (const finding of findings) this.add(finding);
  }

  /** Merges partial groups from another chunk (their `count` is the chunk's user count). */
  merge(partials: readonly PartialFindingGroup[]): void {
    for (const partial of partials) {
      const group = this.state(partial.code, partial.attribute, partial.severity);
      group.users += partial.users;
      group.mappingLevel ||= partial.mappingLevel;
      group.userMessage ??= partial.userMessage;
      group.mappingMessage ??= partial.mappingMessage;
      group.fix ??= partial.fix;
      for (const id of partial.examples) if (group.examples.length < EXAMPLES && !group.examples.includes(id)) group.examples.push(id);
    }
  }

  partials(): PartialFindingGroup[] {
    return [...this.groups.values()].map((group) => ({ ...group, examples: [...group.examples] }));
  }

  /** The run's totals by the one counting rule (severityTotals), so the headline equals the sum of the list's counts. */
  totals(): SeverityTotals {
    return severityTotals(this.list());
  }

  /** Errors first, then by how many users are affected. */
  list(): FindingGroupData[] {
    return [...this.groups.values()]
      .map((group) => ({
        code: group.code,
        severity: group.severity,
        attribute: group.attribute,
        count: group.users > 0 ? group.users : 1,
        message: group.mappingMessage ?? group.userMessage ?? group.code,
        fix: group.fix,
        exampleUserIds: group.examples,
      }))
      .sort((a, b) => RANK[a.severity] - RANK[b.severity] || b.count - a.count || a.code.localeCompare(b.code));
  }
}

export type PartialFindingGroup = GroupState;

interface SeverityTotals {
  errors: number;
  warnings: number;
  infos: number;
}

/**
 * The one counting rule for "N errors, N warnings": each finding group counts the users it reaches, or 1 when it is
 * about the mapping set only. A mapping-level line that summarises per-user findings of the same code and attribute
 * is their group's message, not one more error, so the totals equal the sums of the counts the finding list shows.
 */
export function severityTotals(groups: Iterable<{ severity: Severity; count: number }>): SeverityTotals {
  const totals: SeverityTotals = { errors: 0, warnings: 0, infos: 0 };
  for (const group of groups) {
    if (group.severity === 'error') totals.errors += group.count;
    else if (group.severity === 'warning') totals.warnings += group.count;
    else totals.infos += group.count;
  }
  return totals;
}

/** The totals of a list of findings (mapping-level and per user) by the same rule. */
export function severityTotalsOf(findings: Iterable<Finding>): SeverityTotals {
  const groups = new FindingGroups();
  for (const finding of findings) groups.add(finding);
  return groups.totals();
}


export function coverageOf(compiled: CompiledMappingSet, stats: RowStats): CoverageData[] {
  return compiled.rows.map((row) => {
    const blank = stats.blank[row.index] ?? 0;
    return {
      target: row.target,
      value: stats.values[row.index] ?? 0,
      empty: blank,
      null: (stats.empty[row.index] ?? 0) - blank,
      error: stats.errors[row.index] ?? 0,
    };
  });
}
