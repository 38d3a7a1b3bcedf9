import type { MappingSet } from '../../shared/mapping/model.ts';
import type { Finding, PreviewResult } from '../../shared/preview/types.ts';
import { BUILT_IN_PROFILE_IDS, isFixable, type VendorProfile } from '../../shared/vendors/index.ts';
import { previewUsers } from '../backend/services/preview.ts';
import { parseCommandArgs } from './args.ts';
import { exitForErrors, UsageError, type CliCommand, type CliIO } from './command.ts';
import { graphGroupsToSources, readJson, readMappingSetFile, readUsersSources, resolveProfile } from './input-files.ts';

const USAGE = `Usage: scim-planner validate --mappings FILE --users FILE --vendor ID|FILE [--groups FILE]
                             [--format json|table]

Checks a mapping set against a vendor profile for the given users: what the vendor will reject,
user by user, with the fix and the line of the vendor's guide it comes from.

  --mappings FILE   Graph synchronization schema JSON (or a SCIM Planner mapping-set file)
  --users FILE      Graph users JSON ({"value": [...]} from GET /users, managers expanded)
  --vendor ID|FILE  a built-in profile (${BUILT_IN_PROFILE_IDS.join(', ')})
                    or the path of a vendor profile JSON file (docs/vendor-profiles.md)
  --groups FILE     Graph groups JSON with members (for group-name and nesting checks)
  --format NAME     table (default) or json

Exit codes: 0 no errors, 1 at least one error finding, 2 bad input.`;

interface ValidationReport {
  vendor: { id: string; name: string };
  summary: { errors: number; warnings: number; infos: number; fixable: number };
  /** the preview's own findings (mapping-level and per user) followed by the vendor's */
  findings: Array<Finding & { userPrincipalName?: string; fixable: boolean }>;
}

function buildReport(profile: VendorProfile, set: MappingSet, preview: PreviewResult, vendor: readonly Finding[]): ValidationReport {
  const upnById = new Map(preview.users.map((user) => [user.id, user.userPrincipalName ?? user.id]));
  // Whether a fix applies to this set depends on the finding's code and row, not its user: asked once per row.
  const fixableByRow = new Map<string, boolean>();
  const fixableOf = (finding: Finding) => {
    const key = `${finding.code}\u0000${finding.attribute ?? ''}\u0000${finding.source?.expression ?? ''}`;
    if (!fixableByRow.has(key)) fixableByRow.set(key, isFixable(finding, profile, set));
    return fixableByRow.get(key)!;
  };
  const all = [...preview.findings, ...preview.users.flatMap((user) => user.findings), ...vendor];
  const findings = all.map((finding) => {
    const upn = finding.userId === undefined ? undefined : upnById.get(finding.userId);
    return { ...finding, ...(upn !== undefined ? { userPrincipalName: upn } : {}), fixable: fixableOf(finding) };
  });
  const countOf = (severity: Finding['severity']) => findings.filter((f) => f.severity === severity).length;
  return {
    vendor: { id: profile.id, name: profile.name },
    summary: { errors: countOf('error'), warnings: countOf('warning'), infos: countOf('info'), fixable: findings.filter((f) => f.fixable).length },
    findings,
  };
}

const ORDER: Record<Finding['severity'], number> = { error: 0, warning: 1, info: 2 };

/** Mapping-level findings first (they carry the fixes), then per-user ones, errors before warnings. */
function formatReportTable(report: ValidationReport): string {
  const lines: string[] = [`Vendor: ${report.vendor.name} (${report.vendor.id})`, ''];
  const sorted = [...report.findings].sort(
    (a, b) => Number(a.userId !== undefined) - Number(b.userId !== undefined) || ORDER[a.severity] - ORDER[b.severity],
  );
  for (const finding of sorted) {
    const where = [finding.attribute, finding.userPrincipalName].filter(Boolean).join(' · ');
    lines.push(`${finding.severity.toUpperCase().padEnd(7)} ${finding.code}${where ? `  [${where}]` : ''}`);
    lines.push(`        ${finding.message}`);
    if (finding.fix) lines.push(`        Fix${finding.fixable ? ' (one click)' : ''}: ${finding.fix}`);
  }
  const { errors, warnings, infos, fixable } = report.summary;
  lines.push('', `${errors} errors, ${warnings} warnings, ${infos} infos; ${fixable} with a mechanical fix.`);
  return `${lines.join('\n')}\n`;
}

export const command: CliCommand = {
  name: 'validate',
  summary: "check a mapping set against a vendor profile (exit 1 on errors, for CI)",
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(args, {
      mappings: { type: 'string' },
      users: { type: 'string' },
      vendor: { type: 'string' },
      groups: { type: 'string' },
      format: { type: 'string' },
    });
    if (!values.mappings) throw new UsageError('--mappings FILE is required');
    if (!values.users) throw new UsageError('--users FILE is required');
    if (!values.vendor) throw new UsageError(`--vendor is required (${BUILT_IN_PROFILE_IDS.join(', ')}, or a profile file)`);
    const format = values.format ?? 'table';
    if (format !== 'json' && format !== 'table') throw new UsageError(`--format must be json or table, got "${format}"`);

    const profile = await resolveProfile(values.vendor);
    const set = await readMappingSetFile(values.mappings);
    const users = await readUsersSources(values.users);
    const groups = values.groups ? graphGroupsToSources(await readJson(values.groups, 'groups'), values.groups) : undefined;

    // The same preview and vendor findings `scim-planner preview` shows (electron/backend/services/preview.ts).
    const { preview, vendor: findings } = await previewUsers({ set, users, groups, profile });
    const report = buildReport(profile, set, preview, findings);
    io.out(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatReportTable(report));
    return exitForErrors(io, report.summary.errors, 'the validation');
  },
};
