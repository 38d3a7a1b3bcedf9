import { readFile } from 'node:fs/promises';
import { graphUserToSource, type GraphUser } from '../../shared/directory/graph-to-source.ts';
import type { SourceObject } from '../../shared/directory/source-object.ts';
import { importMappingSet, type ScimDialect } from '../../shared/mapping/model.ts';
import type { PreviewResult, UserPreview } from '../../shared/preview/types.ts';
import { PreviewRunner } from '../backend/preview/runner.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT_OK, EXIT_PROBLEMS, UsageError, type CliCommand, type CliIO } from './command.ts';

const USAGE = `Usage: scim-planner preview --mappings FILE --users FILE [--previous FILE] [--vendor ID]
                            [--dialect default|aadOptscim062020] [--format json|table]

Shows, for every user, the exact SCIM requests Microsoft Entra would send.

  --mappings FILE   Graph synchronization schema JSON (GET …/synchronization/jobs/{id}/schema),
                    or a mapping-set file saved by SCIM Planner (the same JSON)
  --users FILE      Graph users JSON ({"value": [...]} from GET /users, managers expanded)
  --previous FILE   an earlier users file: the preview becomes incremental (movers, leavers);
                    without it the target is assumed empty, so in-scope users are creates
  --vendor ID       the vendor profile the preview is for (recorded in the output)
  --dialect NAME    PATCH dialect what-if; by default the tenant URL's aadOptscim062020 flag decides
  --format NAME     json (default) or table (one line per user)

Exit codes: 0 no errors, 1 the preview found errors, 2 bad input.`;

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read the ${what} file "${path}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`The ${what} file "${path}" is not valid JSON: ${(error as Error).message}`);
  }
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

export function formatTable(result: PreviewResult): string {
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
  return [
    `Dialect: ${result.dialect}${result.vendor ? `   Vendor: ${result.vendor}` : ''}`,
    ...mapping,
    '',
    ...rows,
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
    const imported = importMappingSet(await readJson(values.mappings, 'mappings'));
    if (!imported.ok) {
      throw new UsageError(`The mappings file "${values.mappings}" is not a Graph synchronization schema:\n  ${imported.issues.slice(0, 10).join('\n  ')}`);
    }
    const users = graphUsersToSources(await readJson(values.users, 'users'), values.users);
    const previousUsers = values.previous ? graphUsersToSources(await readJson(values.previous, 'previous users'), values.previous) : undefined;

    const runner = new PreviewRunner({ cacheSize: 0 });
    const result = await runner.run({
      set: imported.set,
      users,
      ...(previousUsers ? { previousUsers } : {}),
      vendor: values.vendor ?? null,
      ...(dialect ? { dialect: dialect as ScimDialect } : {}),
    });
    io.out(format === 'table' ? `${formatTable(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
    return result.summary.errors > 0 ? EXIT_PROBLEMS : EXIT_OK;
  },
};
