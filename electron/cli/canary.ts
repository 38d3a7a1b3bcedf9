import { ON_DEMAND_DIALECT_NOTE, findUser, previewForCanary, runCanary, type CanaryResult } from '../backend/go-live/canary.ts';
import { describeTarget } from '../backend/go-live/go-live.ts';
import { OnDemandPacer } from '../backend/go-live/job-api.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError, type CliCommand, type CliIO } from './command.ts';
import { GRAPH_SIGN_IN_USAGE, graphClientFromFlags } from './graph-sign-in.ts';
import { JOB_OPTIONS, graphFailureExit, jobRefFrom, targetLine } from './go-live-flags.ts';
import { readMappingSetFile, readUsersSources } from './input-files.ts';

const USAGE = `Usage: scim-planner canary --service-principal ID --job ID --user UPN|ID --mappings FILE --users FILE --yes
                           [--format table|json] (sign-in flags as for fetch)

Provisions one user on demand through the app's live provisioning job (POST …/provisionOnDemand) and prints
Entra's answer (result, action, steps) beside the preview of that user, attribute by attribute.
This WRITES to the vendor: the user is created or updated there for real. Without --yes it only says what it
would do and calls nothing. Graph allows 5 such calls per 10 seconds. ${ON_DEMAND_DIALECT_NOTE}
Needs Synchronization.ReadWrite.All.

  --service-principal ID  the enterprise app's service principal object id
  --job ID                the provisioning job id
  --user UPN|ID           the user to provision (userPrincipalName or object id, from --users)
  --mappings FILE         the mapping set the preview uses (the one you applied)
  --users FILE            the users file the user comes from (Graph users JSON or CSV)
  --yes                   confirm: provision this user in the vendor now
  --format NAME           table (default) or json

${GRAPH_SIGN_IN_USAGE}

Exit codes: 0 Entra's answer agrees with the preview; 1 they differ or Entra failed; 2 bad input, or no --yes.`;

function printResult(io: CliIO, result: CanaryResult): void {
  const entra = result.entra;
  io.out(`Entra: ${entra.result}${entra.action ? `, action ${entra.action}` : ''}${entra.errorCode ? ` (${entra.errorCode}: ${entra.errorMessage ?? ''})` : ''}`);
  for (const step of entra.steps) io.out(`  ${step.type.padEnd(9)} ${step.status.padEnd(8)} ${step.description}`);
  io.out(`Preview: ${result.preview.action}${result.preview.reason ? ` (${result.preview.reason})` : ''}`);
  const width = Math.max(9, ...result.attributes.map((a) => a.attribute.length));
  io.out(`  ${'attribute'.padEnd(width)}  ${'preview'.padEnd(30)}  Entra`);
  for (const row of result.attributes) {
    io.out(`${row.same ? ' ' : '≠'} ${row.attribute.padEnd(width)}  ${String(row.preview ?? '(none)').padEnd(30)}  ${row.entra ?? '(none)'}`);
  }
}

export const command: CliCommand = {
  name: 'canary',
  summary: 'provision one user on demand and compare Entra\'s answer with the preview, attribute by attribute',
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(args, {
      ...JOB_OPTIONS,
      user: { type: 'string' },
      mappings: { type: 'string' },
      users: { type: 'string' },
      format: { type: 'string', default: 'table' },
    });
    const job = jobRefFrom(values);
    if (!values.user) throw new UsageError('--user UPN|ID is required (the one user to provision)');
    if (!values.mappings) throw new UsageError('--mappings FILE is required (the mapping set to compare with)');
    if (!values.users) throw new UsageError('--users FILE is required (the users file the user comes from)');
    if (values.format !== 'table' && values.format !== 'json') throw new UsageError(`--format must be table or json, got "${values.format}"`);
    const plan = await readMappingSetFile(values.mappings);
    const users = await readUsersSources(values.users);
    const source = findUser(users, values.user);
    if (!source) throw new UsageError(`--user ${values.user}: no user with that userPrincipalName or object id in ${values.users}`);
    if (!values.yes) {
      // No Graph call at all without the confirmation: not even the sign-in.
      const preview = previewForCanary(plan, source);
      io.err(
        `canary provisions ${String(source.userPrincipalName ?? values.user)} in the vendor for real (the preview expects: ${preview.action}` +
          `${preview.reason ? `, ${preview.reason}` : ''}) through job ${job.jobId} of service principal ${job.servicePrincipalId}. ` +
          `Nothing was sent. Re-run with --yes to confirm.\n${ON_DEMAND_DIALECT_NOTE}`,
      );
      return EXIT_USAGE;
    }
    try {
      const client = await graphClientFromFlags(values, io, 'canary', { synchronization: 'write' });
      const target = await describeTarget(client, job, values.tenant);
      io.err(`Provisioning ${String(source.userPrincipalName ?? values.user)} on demand in ${targetLine(target)}. ${ON_DEMAND_DIALECT_NOTE}`);
      const result = await runCanary(client, job, plan, source, new OnDemandPacer());
      if (values.format === 'json') io.out(JSON.stringify({ tenant: target.tenant, app: target.appName, ...result, note: ON_DEMAND_DIALECT_NOTE }, null, 2));
      else printResult(io, result);
      if (result.agrees) return EXIT_OK;
      const differing = result.attributes.filter((a) => !a.same).length;
      io.err(
        result.entra.result === 'Failure'
          ? `Exit code 1: Entra's on-demand run failed (${result.entra.errorCode ?? 'no code'}).`
          : `Exit code 1: ${differing} attribute(s) differ between Entra's answer and the preview.`,
      );
      return EXIT_PROBLEMS;
    } catch (error) {
      return graphFailureExit(error, io, 'canary');
    }
  },
};
