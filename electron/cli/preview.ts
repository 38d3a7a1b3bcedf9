import type { MappingSet, ScimDialect } from '../../shared/mapping/model.ts';
import type { GroupPreviewResult } from '../../shared/preview/groups.ts';
import type { PreviewResult, UserPreview } from '../../shared/preview/types.ts';
import { BUILT_IN_PROFILE_IDS, type VendorProfile } from '../../shared/vendors/index.ts';
import { placeVendorFindings, startUsersPreview, type UsersPreviewRun, summaryOfRun, withUserVendorFindings, withVendorFindings } from '../backend/services/preview.ts';
import { parseCommandArgs } from './args.ts';
import { exitForErrors, UsageError, type CliCommand, type CliIO } from './command.ts';
import { graphGroupsToSources, readJson, readMappingSetFile, readUsersSources, resolveProfile, usersFileSnapshotOf } from './input-files.ts';

/** `scim-planner provision` reads its users files the same way (electron/cli/provision.ts imports it from here). */

const USAGE = `Usage: scim-planner preview --mappings FILE --users FILE [--previous FILE] [--groups FILE]
                            [--previous-groups FILE] [--vendor ID|FILE]
                            [--dialect default|aadOptscim062020] [--format json|table|ndjson|summary]

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
  --format NAME     json (default): the findings, every user and the summary in one document;
                    table: one line per user;
                    ndjson: one JSON object per user per line, as the json's users, written as they
                    are produced (for the largest tenants: the output is never held whole; no groups);
                    summary: the json without its users: the summary, the findings and the
                    findings grouped by code with the users each reaches

Exit codes: 0 no errors, 1 the preview found errors, 2 bad input.`;

const FORMATS = ['json', 'table', 'ndjson', 'summary'] as const;

function isFormat(name: string): name is (typeof FORMATS)[number] {
  return (FORMATS as readonly string[]).includes(name);
}

/** Users written per page of `--format ndjson`: the output holds at most one page at a time. */
const NDJSON_PAGE = 1000;

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
    if (!isFormat(format)) throw new UsageError(`--format must be json, table, ndjson or summary, got "${format}"`);
    const dialect = values.dialect;
    if (dialect !== undefined && dialect !== 'default' && dialect !== 'aadOptscim062020') {
      throw new UsageError(`--dialect must be default or aadOptscim062020, got "${dialect}"`);
    }
    if (values['previous-groups'] && !values.previous) throw new UsageError('--previous-groups needs --previous (the users of the same earlier snapshot)');
    if (format === 'ndjson' && values.groups) throw new UsageError('--format ndjson prints one line per user and no groups: leave out --groups, or use --format json or summary');
    const profile = values.vendor ? await resolveProfile(values.vendor) : null;
    const set = await readMappingSetFile(values.mappings);
    const run = await startPreviewOfFiles(
      { users: values.users, previous: values.previous, groups: values.groups, previousGroups: values['previous-groups'] },
      { set, profile, dialect: dialect as ScimDialect | undefined, streamed: format === 'ndjson' || format === 'summary' },
    );
    try {
      if (format === 'ndjson') {
        try {
          await writeUsersNdjson(run, io.write?.bind(io) ?? (async (text) => io.out(text)));
        } catch (error) {
          // The reader stopped reading (`| head`): no more pages, as any Unix filter would.
          if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
        }
        return exitForErrors(io, summaryOfRun(run).summary.errors, 'the preview');
      }
      if (format === 'summary') {
        const { findings, findingGroups, summary } = summaryOfRun(run);
        const groups = run.groups && { enabled: run.groups.enabled, reason: run.groups.reason ?? null, total: run.groups.groups.length, byAction: run.groups.byAction };
        const printed = { vendor: run.session.vendor, dialect: run.session.dialect, findings, findingGroups, summary, ...(groups ? { groups } : {}) };
        io.out(`${JSON.stringify(printed, null, 2)}\n`);
        return exitForErrors(io, summary.errors, 'the preview');
      }
      // The same preview and vendor findings `scim-planner validate` reads (electron/backend/services/preview.ts).
      const preview = await run.session.result();
      let result: CliPreviewResult = profile ? withVendorFindings(preview, run.vendor) : preview;
      if (run.groups) result = { ...result, groups: run.groups };
      // The JSON keeps the shape the preview command has always printed; the coverage is the report's (scim-planner report).
      const { coverage: _coverage, ...printed } = result;
      io.out(format === 'table' ? `${formatTable(result)}\n` : `${JSON.stringify(printed, null, 2)}\n`);
      return exitForErrors(io, result.summary.errors, 'the preview');
    } finally {
      await run.close();
    }
  },
};

/**
 * Reads the users (and groups) files and starts the preview. Its own function so the source objects read here are
 * garbage once the workers hold them: nothing of the caller's keeps them. `streamed`: the users file goes into a
 * scratch workspace snapshot the workers read a range at a time (ndjson and summary hold no list of users, so
 * their memory does not grow with the file); the scratch goes when the run is closed.
 */
async function startPreviewOfFiles(
  files: { users: string; previous?: string | undefined; groups?: string | undefined; previousGroups?: string | undefined },
  options: { set: MappingSet; profile: VendorProfile | null; dialect: ScimDialect | undefined; streamed: boolean },
): Promise<UsersPreviewRun> {
  const { streamed, ...previewOptions } = options;
  const snapshot = streamed ? await usersFileSnapshotOf(files.users, 'users') : null;
  try {
    const users = snapshot ?? (await readUsersSources(files.users, 'users'));
    const previousUsers = files.previous ? await readUsersSources(files.previous, 'previous users') : undefined;
    const groups = files.groups ? graphGroupsToSources(await readJson(files.groups, 'groups'), files.groups) : undefined;
    const previousGroups = files.previousGroups ? graphGroupsToSources(await readJson(files.previousGroups, 'previous groups'), files.previousGroups) : undefined;
    const run = await startUsersPreview({ users, previousUsers, groups, previousGroups, ...previewOptions });
    if (!snapshot) return run;
    return {
      ...run,
      close: async () => {
        try {
          await run.close();
        } finally {
          snapshot.dispose();
        }
      },
    };
  } catch (error) {
    snapshot?.dispose();
    throw error;
  }
}

/**
 * `--format ndjson`: the users in snapshot order, a page at a time from the session, each line as the json format's
 * user (the vendor's findings about the user, duplicates included, after its own); each page waits for the output.
 */
async function writeUsersNdjson(run: UsersPreviewRun, write: (text: string) => Promise<void>): Promise<void> {
  const { byUser } = placeVendorFindings(run.vendor);
  for (let from = 0; from < run.session.summary.users; from += NDJSON_PAGE) {
    const ids = run.session.indexRows(from, NDJSON_PAGE).map((row) => row.id);
    const page = await run.session.users(ids);
    await write(page.map((user) => `${JSON.stringify(withUserVendorFindings(user, byUser))}\n`).join(''));
  }
}
