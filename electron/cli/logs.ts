import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { MappingSet } from '../../shared/mapping/model.ts';
import type { VendorProfile } from '../../shared/vendors/index.ts';
import { compareWithLogs, type LogComparison } from '../backend/synchronization/log-comparison.ts';
import { isJsonDownload } from '../backend/synchronization/log-files.ts';
import { readJobDefinitions } from '../backend/synchronization/parse-expression.ts';
import { entriesOfCsv, entriesOfJson, LogFileError, modifiedPropertiesFileName, readProvisioningLogs, type LogEntry } from '../backend/synchronization/provisioning-logs.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT_OK, EXIT_PROBLEMS, UsageError, type CliCommand, type CliIO } from './command.ts';
import { GRAPH_SIGN_IN_OPTIONS, GRAPH_SIGN_IN_USAGE, graphClientFromFlags, graphTarget } from './graph-sign-in.ts';
import { readJson, readMappingSetFile, readUsersSources, resolveProfile } from './input-files.ts';
import { formatOf, JOB_OPTIONS, JOB_USAGE, withGraphCall } from './job-flags.ts';

const usage = `Usage: scim-planner logs (--service-principal ID --job ID [--since ISO] [--until ISO] | --file FILE)
                         --mappings FILE --users FILE [--vendor ID] [--format json|table] [sign-in flags]

Compares what Entra actually sent (its provisioning logs) with what the current plan sends. Each log
entry is matched to a user of --users by its source id; every attribute Entra sent is compared with
the plan's value and each difference gets a likely cause: mapping-changed, source-changed or
preview-disagrees. Failed entries are grouped by error code with what it means and the fix.

${JOB_USAGE}
  --since ISO             only entries after this instant (default: everything Entra keeps, up to 30 days)
  --until ISO             only entries before this instant
  --file FILE             the logs the portal downloads instead of Graph: the JSON download, or the CSV
                          download's ProvisioningLogs file (its ProvisioningLogs_ModifiedProperties file
                          is read from the same folder, or give it with --modified-properties FILE)
  --modified-properties FILE  the CSV download's modified-properties file
  --job-schema FILE       with --file: the job's schema as Entra runs it (GET …/jobs/{id}/schema), so a
                          row the plan maps differently is named mapping-changed (Graph mode reads it)
  --mappings FILE         the mapping set the plan uses
  --users FILE            the users (Graph users JSON or CSV)
  --snapshot-time ISO     when the users were read (default: the users file's modification time)
  --vendor ID|FILE        the vendor profile: its knowledge in the fixes, and a command per error code
                          that replays the first user against the mock server with that profile
  --format NAME           json (default) or table
${GRAPH_SIGN_IN_USAGE}
Reading the logs from Graph only reads; it stays within the reporting API's 5 requests per 10 seconds.
Exit codes: 0 the plan matches every matched entry and nothing failed; 1 a difference, a failed entry,
or Graph failed; 2 bad input or a refused token.`;

function table(result: LogComparison): string {
  const lines = [`${result.entries} entries: ${result.matched} matched, ${result.agreed} agree, ${result.unmatched} not in the users file, ${result.skipped} skipped.`];
  if (result.differences.length > 0) lines.push('', 'Differences:');
  for (const d of result.differences) {
    lines.push(`  ${(d.userPrincipalName ?? d.sourceId).padEnd(36)} ${d.attribute.padEnd(28)} Entra sent ${JSON.stringify(d.entraSent)}, plan ${JSON.stringify(d.planned)}  [${d.cause}]`, `    ${d.why}`);
  }
  if (result.failures.length > 0) lines.push('', 'Failures:');
  for (const f of result.failures) {
    lines.push(`  ${f.errorCode} × ${f.count}: ${f.explanation}`, `    Fix: ${f.fix}`, `    Users: ${f.users.join(', ')}`);
    if (f.replay) lines.push(`    Replay: ${f.replay.replace(/\n/g, '\n            ')}`);
  }
  return lines.join('\n');
}

async function readLogFiles(values: { file?: string; 'modified-properties'?: string }): Promise<LogEntry[]> {
  const path = values.file!;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read the provisioning-log file "${path}": ${(error as Error).message}`);
  }
  try {
    if (isJsonDownload(text)) return entriesOfJson(await readJson(path, 'provisioning-log'), path);
    const propsPath = values['modified-properties'] ?? join(dirname(path), modifiedPropertiesFileName(basename(path)));
    if (propsPath === path) throw new UsageError(`"${path}" is not named ProvisioningLogs…: give its modified-properties file with --modified-properties FILE`);
    let props: string;
    try {
      props = await readFile(propsPath, 'utf8');
    } catch {
      throw new UsageError(`The CSV download has a second file with the attributes Entra sent; "${propsPath}" cannot be read. Give it with --modified-properties FILE.`);
    }
    return entriesOfCsv({ path, text }, { path: propsPath, text: props });
  } catch (error) {
    if (error instanceof LogFileError) throw new UsageError(error.message);
    throw error;
  }
}

async function snapshotTimeOf(values: { 'snapshot-time'?: string; users?: string }): Promise<string | null> {
  if (values['snapshot-time']) {
    if (Number.isNaN(Date.parse(values['snapshot-time']))) throw new UsageError(`--snapshot-time expects an ISO date-time, got "${values['snapshot-time']}"`);
    return values['snapshot-time'];
  }
  return (await stat(values.users!)).mtime.toISOString();
}

function exitFor(result: LogComparison, io: CliIO): number {
  const failed = result.failures.reduce((sum, f) => sum + f.count, 0);
  if (result.differences.length === 0 && failed === 0) return EXIT_OK;
  io.err(`Exit code 1: ${result.differences.length} difference${result.differences.length === 1 ? '' : 's'} and ${failed} failed entr${failed === 1 ? 'y' : 'ies'} (0 means the plan matches and nothing failed, 2 bad input).`);
  return EXIT_PROBLEMS;
}

export const command: CliCommand = {
  name: 'logs',
  summary: "compare what Entra actually sent (its provisioning logs) with the plan; group failures by error code",
  usage,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      ...GRAPH_SIGN_IN_OPTIONS,
      ...JOB_OPTIONS,
      since: { type: 'string' },
      until: { type: 'string' },
      file: { type: 'string' },
      'modified-properties': { type: 'string' },
      'job-schema': { type: 'string' },
      mappings: { type: 'string' },
      users: { type: 'string' },
      'snapshot-time': { type: 'string' },
      vendor: { type: 'string' },
    });
    const fromGraph = values['service-principal'] !== undefined || values.job !== undefined;
    if (fromGraph === (values.file !== undefined)) throw new UsageError('give either --service-principal ID --job ID (read the logs from Graph) or --file FILE (the portal\'s download)');
    if (fromGraph && (!values['service-principal'] || !values.job)) throw new UsageError('reading the logs from Graph needs both --service-principal ID and --job ID');
    if (!values.mappings) throw new UsageError('--mappings FILE is required');
    if (!values.users) throw new UsageError('--users FILE is required');
    for (const flag of ['since', 'until'] as const) {
      const value = values[flag];
      if (value === undefined) continue;
      if (Number.isNaN(Date.parse(value))) throw new UsageError(`--${flag} expects an ISO date-time such as 2026-11-30T00:00:00Z, got "${value}"`);
      if (!fromGraph) throw new UsageError(`--${flag} filters the Graph read; the portal download is filtered when you download it`);
    }
    if (values['job-schema'] && fromGraph) throw new UsageError('--job-schema goes with --file; reading from Graph reads the job\'s schema itself');
    const format = formatOf(values);
    if (fromGraph) graphTarget(values, io);

    const set = await readMappingSetFile(values.mappings);
    const users = await readUsersSources(values.users, 'users');
    const snapshotTime = await snapshotTimeOf(values);
    const vendor: VendorProfile | null = values.vendor ? await resolveProfile(values.vendor) : null;
    const files = { mappings: values.mappings, users: values.users };
    const print = (result: LogComparison) => {
      io.out(format === 'table' ? `${table(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
      return exitFor(result, io);
    };

    if (!fromGraph) {
      const entries = await readLogFiles(values);
      const jobSchema: MappingSet | null = values['job-schema'] ? await readMappingSetFile(values['job-schema']) : null;
      return print(compareWithLogs({ entries, set, users, snapshotTime, jobSchema, vendor, files }));
    }
    return withGraphCall(io, 'logs', async (signal) => {
      const client = await graphClientFromFlags(values, io, 'logs', { synchronization: true, auditLog: true });
      const job = { servicePrincipalId: values['service-principal']!, jobId: values.job! };
      const { schema } = await readJobDefinitions(client, job, set, signal);
      const entries = await readProvisioningLogs(client, {
        jobId: job.jobId,
        since: values.since,
        until: values.until,
        signal,
        onWait: (seconds) => io.err(`Waiting ${Math.ceil(seconds)} s for Graph's reporting limits.`),
      });
      return print(compareWithLogs({ entries, set, users, snapshotTime, jobSchema: schema, vendor, files }));
    });
  },
};
