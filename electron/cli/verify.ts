import { writeFileSync } from 'node:fs';
import type { SourceObject } from '../../shared/directory/source-object.ts';
import { compileMappingSet } from '../../shared/preview/compile.ts';
import { checkExpressions, rowsToCheck, type ExpressionCheckResult } from '../backend/synchronization/expression-check.ts';
import { readJobDefinitions } from '../backend/synchronization/parse-expression.ts';
import type { MappingSet } from '../../shared/mapping/model.ts';
import { readUsersFile } from '../backend/directory/snapshot.ts';
import { UserFacingError } from '../backend/errors.ts';
import { projectMappingSet } from '../backend/services/mapping-sets.ts';
import { withWorkspace } from '../backend/session/workspace-session.ts';
import { SynchronizationCheckStore } from '../backend/synchronization/store.ts';
import type { MappingRevision } from '../backend/workspace/store.ts';
import { chooseSample, DEFAULT_SAMPLE_SIZE, isGuestUser, namedUsers, UnknownUserError, type SampledUser } from '../backend/synchronization/sample.ts';
import { disagreementVectors, vectorLines } from '../backend/synchronization/vectors.ts';
import { intOption, parseCommandArgs } from './args.ts';
import { EXIT_OK, EXIT_PROBLEMS, UsageError, type CliCommand, type CliIO } from './command.ts';
import { GRAPH_SIGN_IN_OPTIONS, GRAPH_SIGN_IN_USAGE, graphClientFromFlags, graphTarget } from './graph-sign-in.ts';
import { readMappingSetFile, readUsersSources } from './input-files.ts';
import { formatOf, jobOf, JOB_OPTIONS, JOB_USAGE, withGraphCall } from './job-flags.ts';

const usage = `Usage: scim-planner verify (--mappings FILE | --workspace FILE [--revision N]) --users FILE
                           --service-principal ID --job ID [--sample N] [--user UPN (repeatable)]
                           [--all-rows] [--format json|table] [--export-vectors FILE [--with-values]]
                           [sign-in flags]

Checks the preview against Microsoft: every expression row of the mapping set is evaluated for a sample
of users by Entra itself (Graph parseExpression on the provisioning job) and by the preview, and each
row and user gets a verdict: agree, differ, entra-refused, ours-refused or both-refused.
parseExpression only evaluates: it changes nothing in the tenant.

  --mappings FILE         the mapping set (Graph synchronization schema JSON, as for preview)
  --workspace FILE        check a mapping revision of the workspace instead (its latest, or --revision N)
                          and keep the result with it: the Mappings screen shows it per row
  --users FILE            the users (Graph users JSON or a users CSV, as for preview)
${JOB_USAGE}
  --sample N              how many users (default ${DEFAULT_SAMPLE_SIZE}), chosen to cover what breaks expressions:
                          empty attributes, #EXT# guests, disabled, non-ASCII, long values, no manager
  --user UPN              check these users instead (repeatable; a UPN or object id)
  --all-rows              direct and constant rows too (expression rows are always checked)
  --concurrency N         parseExpression calls in flight at once (default 4)
  --format NAME           json (default) or table
  --export-vectors FILE   write the disagreements as expression vectors (the eval --jsonl format,
                          Entra's value as the expected one); the attributes involved are named,
  --with-values           and with this flag their real values are included
${GRAPH_SIGN_IN_USAGE}
Exit codes: 0 everything agrees; 1 a row differs, one side refused, a row could not be sent, the
check was cancelled (Ctrl+C) or Graph failed; 2 bad input or a refused token.`;

/** The mapping revision to check (the latest unless --revision N); checks are kept per revision, so one must be saved. */
async function workspaceRevision(path: string, revisionFlag: string | undefined): Promise<{ set: MappingSet; revision: MappingRevision }> {
  const wanted = revisionFlag === undefined ? undefined : intOption('revision', revisionFlag, 0);
  return withWorkspace(path, (session) => {
    let chosen: ReturnType<typeof projectMappingSet>;
    try {
      chosen = projectMappingSet(session.store, session.projectId, wanted);
    } catch (error) {
      if (error instanceof UserFacingError) throw new UsageError(`${error.message} (${path})`);
      throw error;
    }
    if (!chosen.revision) throw new UsageError(`The workspace ${path} has no saved mapping revision to check; save one on the Mappings screen, or give --mappings FILE.`);
    return { set: chosen.set, revision: chosen.revision };
  });
}

/** The source object no longer shows a guest (#EXT# is stripped from its UPN), so guests are read off the Graph users. */
async function guestIds(path: string): Promise<Set<string>> {
  const guests = new Set<string>();
  readUsersFile(path, (user) => {
    if (isGuestUser(user)) guests.add(user.id);
  });
  return guests;
}

function describeValue(value: readonly string[] | null): string {
  return value === null ? '(none)' : JSON.stringify(value);
}

function table(result: ExpressionCheckResult): string {
  const lines = result.rows.map((row) => {
    const detail =
      row.verdict === 'agree'
        ? describeValue(row.ours.value)
        : `ours ${row.ours.ok ? describeValue(row.ours.value) : `refused: ${row.ours.error}`}  entra ${row.entra.parsingSucceeded && row.entra.evaluationSucceeded ? describeValue(row.entra.value) : `refused: ${row.entra.error}`}`;
    return `${row.verdict.padEnd(13)} ${row.targetAttribute.padEnd(32)} ${(row.userPrincipalName ?? row.sourceId).padEnd(36)} ${detail}`;
  });
  for (const skipped of result.skipped) lines.push(`${'not sent'.padEnd(13)} ${skipped.targetAttribute.padEnd(32)} ${skipped.reason}`);
  lines.push('', `${result.checked} checked: ${result.agreed} agree, ${result.differed} differ, ${result.refused} refused.${result.cancelled ? ' Cancelled: these are the rows checked before.' : ''}`);
  return lines.join('\n');
}

/** The issue's JSON: the summary and per row the fields it names (plus sourceId, attributes and skipped). */
function json(result: ExpressionCheckResult): string {
  return JSON.stringify(result, null, 2);
}

function exitFor(result: ExpressionCheckResult, io: CliIO): number {
  const problems = result.differed + result.refused + result.skipped.length;
  if (result.cancelled) {
    io.err(`Exit code 1: the check was cancelled after ${result.checked} evaluations.`);
    return EXIT_PROBLEMS;
  }
  if (problems === 0) return EXIT_OK;
  io.err(`Exit code 1: ${result.differed} differ, ${result.refused} refused, ${result.skipped.length} not sent (0 means everything agrees, 2 bad input).`);
  return EXIT_PROBLEMS;
}

export const command: CliCommand = {
  name: 'verify',
  summary: 'check the preview against Entra itself (Graph parseExpression) for a sample of users',
  usage,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      ...GRAPH_SIGN_IN_OPTIONS,
      ...JOB_OPTIONS,
      mappings: { type: 'string' },
      users: { type: 'string' },
      sample: { type: 'string' },
      user: { type: 'string', multiple: true },
      'all-rows': { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      'export-vectors': { type: 'string' },
      'with-values': { type: 'boolean', default: false },
      workspace: { type: 'string' },
      revision: { type: 'string' },
    });
    if (values.mappings && values.workspace) throw new UsageError('give either --mappings FILE or --workspace FILE, not both');
    if (!values.mappings && !values.workspace) throw new UsageError('--mappings FILE is required (or --workspace FILE: a mapping revision of the workspace)');
    if (values.revision !== undefined && !values.workspace) throw new UsageError('--revision N picks a mapping revision of --workspace FILE');
    if (!values.users) throw new UsageError('--users FILE is required');
    const job = jobOf(values);
    const format = formatOf(values);
    const sampleSize = intOption('sample', values.sample, DEFAULT_SAMPLE_SIZE);
    if (sampleSize < 1 || sampleSize > 500) throw new UsageError('--sample must be between 1 and 500');
    if (values.sample !== undefined && values.user) throw new UsageError('use either --sample N or --user UPN, not both');
    const concurrency = intOption('concurrency', values.concurrency, 4);
    if (concurrency < 1 || concurrency > 16) throw new UsageError('--concurrency must be between 1 and 16');
    if (values['with-values'] && !values['export-vectors']) throw new UsageError('--with-values goes with --export-vectors FILE');
    // the sign-in flags alone: --user is a list, which the sign-in reader does not take
    const { user: namedUpns, ...signInValues } = values;
    graphTarget(signInValues, io);

    const { set, revision } = values.workspace ? await workspaceRevision(values.workspace, values.revision) : { set: await readMappingSetFile(values.mappings!), revision: null };
    const users = await readUsersSources(values.users, 'users');
    const allRows = values['all-rows'];
    const { rows } = rowsToCheck(compileMappingSet(set), allRows);
    let sample: SampledUser[];
    try {
      const read = [...new Set(rows.flatMap((row) => row.program?.referencedAttributes ?? []))];
      sample = namedUpns ? namedUsers(users, namedUpns) : chooseSample(users, read, sampleSize, await guestIds(values.users));
    } catch (error) {
      if (error instanceof UnknownUserError) throw new UsageError(error.message);
      throw error;
    }

    return withGraphCall(io, 'verify', async (signal) => {
      const client = await graphClientFromFlags(signInValues, io, 'verify', { synchronization: 'write' });
      const { definitions } = await readJobDefinitions(client, job, set, signal);
      let lastReport = 0;
      const result = await checkExpressions({
        client,
        ...job,
        set,
        sample,
        definitions,
        allRows,
        concurrency,
        signal,
        onWait: (seconds) => io.err(`Graph is throttling; waiting ${seconds} s as it asked (Retry-After).`),
        onProgress: (done, total) => {
          const now = performance.now();
          if (now - lastReport < 1000 && done !== total) return;
          lastReport = now;
          io.err(`checked ${done}/${total}`);
        },
      });
      if (values['export-vectors']) {
        const byId = new Map<string, SourceObject>(sample.map(({ user }) => [String(user.objectId ?? ''), user]));
        const vectors = disagreementVectors(result.rows, byId, values['with-values']);
        writeFileSync(values['export-vectors'], vectorLines(vectors), 'utf8');
        io.err(`Wrote ${vectors.length} vector${vectors.length === 1 ? '' : 's'} to ${values['export-vectors']}${values['with-values'] ? ' (with real values)' : ' (attribute names only)'}.`);
      }
      if (values.workspace && revision) {
        await withWorkspace(values.workspace, (session) => new SynchronizationCheckStore(session.store.db).save(revision.id, job, result));
        io.err(`Kept the check with mapping revision ${revision.revision} in ${values.workspace}.`);
      }
      io.out(format === 'table' ? `${table(result)}\n` : `${json(result)}\n`);
      return exitFor(result, io);
    });
  },
};
