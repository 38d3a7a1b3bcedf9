import { extname } from 'node:path';
import { graphGroupToSource, graphUserToSource, type GraphGroup, type GraphUser } from '../../shared/directory/graph-to-source.ts';
import type { SourceObject } from '../../shared/directory/source-object.ts';
import { importMappingSet, type ScimDialect } from '../../shared/mapping/model.ts';
import { compileMappingSet } from '../../shared/preview/compile.ts';
import { previewGroups, type GroupPreviewResult } from '../../shared/preview/groups.ts';
import { previousStateFrom, provisionedIds, summarise } from '../../shared/preview/run.ts';
import type { Finding, PreviewResult, PreviousTarget, UserPreview } from '../../shared/preview/types.ts';
import { BUILT_IN_PROFILE_IDS, vendorFindings } from '../../shared/vendors/index.ts';
import { readUsersFile } from '../backend/directory/snapshot.ts';
import { PreviewRunner } from '../backend/preview/runner.ts';
import { resolveProfile } from './validate.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT_OK, EXIT_PROBLEMS, UsageError, type CliCommand, type CliIO } from './command.ts';
import { readText, parseJson, readJson } from './input-files.ts';

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

/** Graph groups JSON with members inline, as resources/demo-tenant/groups.json. */
export function graphGroupsToSources(json: unknown, path: string): SourceObject[] {
  const list = Array.isArray(json) ? json : (json as { value?: unknown } | null)?.value;
  if (!Array.isArray(list)) throw new UsageError(`The groups file "${path}" must be Graph groups JSON: {"value": [...]}`);
  return list.map((group, index) => {
    if (!group || typeof group !== 'object' || typeof (group as GraphGroup).id !== 'string') {
      throw new UsageError(`The groups file "${path}": entry ${index} is not a Graph group (it has no "id")`);
    }
    return graphGroupToSource(group as GraphGroup);
  });
}

/** A users file for --users: CSV (Entra's "Download users" columns or the template) or Graph users JSON. */
export async function readUsersSources(path: string, what = 'users'): Promise<SourceObject[]> {
  const text = await readText(path, what);
  if (extname(path).toLowerCase() === '.csv' || !/^\uFEFF?\s*[[{]/.test(text)) {
    let file: ReturnType<typeof readUsersFile>;
    try {
      file = readUsersFile(path);
    } catch (error) {
      throw new UsageError(`The ${what} file "${path}" is not a users CSV: ${(error as Error).message}`);
    }
    return file.users.map((user) => graphUserToSource(user));
  }
  return graphUsersToSources(parseJson(text, path, what), path);
}

/** Graph users JSON: `{"value": [...]}` as GET /users returns it, or a bare array. */
export function graphUsersToSources(json: unknown, path: string): SourceObject[] {
  const list = Array.isArray(json) ? json : (json as { value?: unknown } | null)?.value;
  if (!Array.isArray(list)) throw new UsageError(`The users file "${path}" must be Graph users JSON: {"value": [...]}`);
  return list.map((user, index) => {
    if (!user || typeof user !== 'object' || typeof (user as GraphUser).id !== 'string') {
      throw new UsageError(`The users file "${path}": entry ${index} is not a Graph user (it has no "id")`);
    }
    const graphUser = user as GraphUser;
    // A user listed with deletedDateTime comes from /directory/deletedItems: in the recycle bin.
    return graphUserToSource(graphUser, { softDeleted: typeof graphUser.deletedDateTime === 'string' });
  });
}

function requestSummary(user: UserPreview): string {
  return user.requests.map((r) => r.method).join(' → ');
}

/** The CLI's JSON: the issue's shape, plus `groups` when a groups file was given. */
export type CliPreviewResult = PreviewResult & { groups?: GroupPreviewResult };

export function formatTable(result: CliPreviewResult): string {
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
    const imported = importMappingSet(await readJson(values.mappings, 'mappings'));
    if (!imported.ok) {
      throw new UsageError(`The mappings file "${values.mappings}" is not a Graph synchronization schema:\n  ${imported.issues.slice(0, 10).join('\n  ')}`);
    }
    const set = imported.set;
    const users = await readUsersSources(values.users, 'users');
    const previousUsers = values.previous ? await readUsersSources(values.previous, 'previous users') : undefined;
    const groups = values.groups ? graphGroupsToSources(await readJson(values.groups, 'groups'), values.groups) : undefined;
    const previousGroups = values['previous-groups'] ? graphGroupsToSources(await readJson(values['previous-groups'], 'previous groups'), values['previous-groups']) : undefined;

    const runner = new PreviewRunner({ cacheSize: 0 });
    let result: CliPreviewResult = await runner.run({
      set,
      users,
      ...(previousUsers ? { previousUsers } : {}),
      vendor: profile?.id ?? null,
      ...(dialect ? { dialect: dialect as ScimDialect } : {}),
    });
    if (profile) {
      // Source users and groups let the vendor rules check guests (#EXT#) and group names and nesting.
      result = withVendorFindings(result, vendorFindings(profile, set, result, { users, ...(groups ? { groups } : {}) }));
    }
    if (groups) {
      const compiled = compileMappingSet(set, dialect ? { dialect: dialect as ScimDialect } : {});
      const previous = previousUsers ? previousStateFrom(compiled, previousUsers) : new Map<string, PreviousTarget>();
      result = {
        ...result,
        groups: previewGroups({
          set,
          groups,
          ...(previousGroups ? { previousGroups } : {}),
          provisionedUsers: provisionedIds(compiled, users, previous),
          ...(previousUsers ? { previousProvisionedUsers: new Map([...previous].map(([id, target]) => [id, target.targetId])) } : {}),
          ...(dialect ? { dialect: dialect as ScimDialect } : {}),
        }),
      };
    }
    io.out(format === 'table' ? `${formatTable(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
    return result.summary.errors > 0 ? EXIT_PROBLEMS : EXIT_OK;
  },
};
