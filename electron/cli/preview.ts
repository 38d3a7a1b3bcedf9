import type { ScimDialect } from '../../shared/mapping/model.ts';
import type { GroupPreviewResult } from '../../shared/preview/groups.ts';
import type { PreviewResult, UserPreview } from '../../shared/preview/types.ts';
import { BUILT_IN_PROFILE_IDS } from '../../shared/vendors/index.ts';
import { previewUsers, withVendorFindings } from '../backend/services/preview.ts';
import { parseCommandArgs } from './args.ts';
import { exitForErrors, UsageError, type CliCommand, type CliIO } from './command.ts';
import { graphGroupsToSources, readJson, readMappingSetFile, readUsersSources, resolveProfile } from './input-files.ts';

/** `scim-planner provision` reads its users files the same way (electron/cli/provision.ts imports it from here). */

const USAGE = `Usage: scim-planner preview --mappings FILE --users FILE [--previous FILE] [--groups FILE]
                            [--previous-groups FILE] [--vendor ID|FILE]
                            [--dialect default|aadOptscim062020] [--format json|table]

Shows, for every user (and group), the exact SCIM requests Microsoft Entra would send.

  --mappings FILE   Graph synchronization schema JSON (GET …/synchronization/jobs/{id}/schema),
                    or a mapping-set file saved by SCIM Planner (the same JSON)
  --users FILE      Graph users JSON ({"value": [...]} from GET /users, managers expanded),
                    or a users CSV (Entra's download or the import template)
  --previous FILE   an earlier users file: the preview becomes incremental (movers, leavers);
                    without it the target is assumed empty, so in-scope users are creates
  --groups FILE     Graph groups JSON with members inline ({"value": [{..., "members": [...]}]}):
                    adds the group creates, member PATCHes, renames and deletes (skipped when
                    group provisioning is disabled in the mapping set)
  --previous-groups FILE  the groups of the earlier snapshot (with --previous)
  --vendor ID|FILE  a built-in vendor profile (${BUILT_IN_PROFILE_IDS.join(', ')}) or a profile
                    file: adds the vendor's findings
  --dialect NAME    PATCH dialect what-if; by default the tenant URL's aadOptscim062020 flag decides
  --format NAME     json (default) or table (one line per user)

Exit codes: 0 no errors, 1 the preview found errors, 2 bad input.`;

function requestSummary(user: UserPreview): string {
  return user.requests.map((r) => r.method).join(' → ');
}

/** The CLI's JSON: the issue's shape, plus `groups` when a groups file was given. */
type CliPreviewResult = PreviewResult & { groups?: GroupPreviewResult };

function formatTable(result: CliPreviewResult): string {
  const rows = result.users.map((user) => {
    const detail = [requestSummary(user), user.reason].filter(Boolean).join('  ');
    const problems = user.findings.filter((f) => f.severity !== 'info').map((f) => `${f.severity}: ${f.code}`);
    return [user.action.padEnd(10), (user.userPrincipalName ?? user.id).padEnd(40), detail, problems.length ? `[${problems.join(', ')}]` : '']
      .join(' ')
      .trimEnd();
  });
  const counts = Object.entries(result.summary.byAction)
    .filter(([, n]) => n > 0)
    .map(([action, n]) => `${action} ${n}`)
    .join(', ');
  const mapping = result.findings
    .filter((f) => f.severity !== 'info')
    .map((f) => `${f.severity.toUpperCase()} ${f.code}: ${f.message}`);
  const groupLines: string[] = [];
  if (result.groups) {
    groupLines.push('');
    if (!result.groups.enabled) groupLines.push(`Groups: not provisioned (${result.groups.reason}).`);
    for (const group of result.groups.groups) {
      const detail = [group.requests.map((r) => r.method).join(' → '), group.reason].filter(Boolean).join('  ');
      groupLines.push(`${group.action.padEnd(10)} ${`group ${group.displayName ?? group.id}`.padEnd(40)} ${detail}`.trimEnd());
    }
  }
  return [
    `Dialect: ${result.dialect}${result.vendor ? `   Vendor: ${result.vendor}` : ''}`,
    ...mapping,
    '',
    ...rows,
    ...groupLines,
    '',
    `${result.summary.users} users: ${counts}. ${result.summary.errors} errors, ${result.summary.warnings} warnings.`,
  ].join('\n');
}

export const command: CliCommand = {
  name: 'preview',
  summary: 'show the exact SCIM requests Entra would send for every user',
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(args, {
      mappings: { type: 'string' },
      users: { type: 'string' },
      previous: { type: 'string' },
      groups: { type: 'string' },
      'previous-groups': { type: 'string' },
      vendor: { type: 'string' },
      dialect: { type: 'string' },
      format: { type: 'string' },
    });
    if (!values.mappings) throw new UsageError('--mappings FILE is required');
    if (!values.users) throw new UsageError('--users FILE is required');
    const format = values.format ?? 'json';
    if (format !== 'json' && format !== 'table') throw new UsageError(`--format must be json or table, got "${format}"`);
    const dialect = values.dialect;
    if (dialect !== undefined && dialect !== 'default' && dialect !== 'aadOptscim062020') {
      throw new UsageError(`--dialect must be default or aadOptscim062020, got "${dialect}"`);
    }
    if (values['previous-groups'] && !values.previous) throw new UsageError('--previous-groups needs --previous (the users of the same earlier snapshot)');
    const profile = values.vendor ? await resolveProfile(values.vendor) : null;
    const set = await readMappingSetFile(values.mappings);
    const users = await readUsersSources(values.users, 'users');
    const previousUsers = values.previous ? await readUsersSources(values.previous, 'previous users') : undefined;
    const groups = values.groups ? graphGroupsToSources(await readJson(values.groups, 'groups'), values.groups) : undefined;
    const previousGroups = values['previous-groups'] ? graphGroupsToSources(await readJson(values['previous-groups'], 'previous groups'), values['previous-groups']) : undefined;

    // The same preview and vendor findings `scim-planner validate` reads (electron/backend/services/preview.ts).
    const run = await previewUsers({ set, users, previousUsers, groups, previousGroups, profile, dialect: dialect as ScimDialect | undefined });
    let result: CliPreviewResult = profile ? withVendorFindings(run.preview, run.vendor) : run.preview;
    if (run.groups) result = { ...result, groups: run.groups };
    // The JSON keeps the shape the preview command has always printed; the coverage is the report's (scim-planner report).
    const { coverage: _coverage, ...printed } = result;
    io.out(format === 'table' ? `${formatTable(result)}\n` : `${JSON.stringify(printed, null, 2)}\n`);
    return exitForErrors(io, result.summary.errors, 'the preview');
  },
};
