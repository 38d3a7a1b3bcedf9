import { ON_DEMAND_GROUP_MEMBER_LIMIT } from '../../shared/go-live/on-demand.ts';
import {
  CanaryGroupError,
  ON_DEMAND_DIALECT_NOTE,
  canaryMembers,
  findGroup,
  findUser,
  previewForCanary,
  runCanary,
  runGroupCanary,
  type CanaryResult,
  type GroupCanaryResult,
} from '../backend/go-live/canary.ts';
import { describeTarget } from '../backend/go-live/go-live.ts';
import { OnDemandPacer } from '../backend/go-live/job-api.ts';
import type { OnDemandResult } from '../../shared/go-live/on-demand.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError, type CliCommand, type CliIO } from './command.ts';
import { GRAPH_SIGN_IN_USAGE, graphClientFromFlags } from './graph-sign-in.ts';
import { JOB_OPTIONS, graphFailureExit, jobRefFrom, targetLine } from './go-live-flags.ts';
import { graphGroupsToSources, readJson, readMappingSetFile, readUsersSources } from './input-files.ts';
import type { SourceObject } from '../../shared/directory/source-object.ts';

const USAGE = `Usage: scim-planner canary --service-principal ID --job ID (--user UPN|ID | --group NAME|ID --groups FILE)
                           --mappings FILE --users FILE --yes [--format table|json] (sign-in flags as for fetch)

Provisions one user, or one group with its members (at most ${ON_DEMAND_GROUP_MEMBER_LIMIT}), on demand through the app's
live provisioning job (POST …/provisionOnDemand) and prints Entra's answer (result, action, steps) beside the
preview of each user, attribute by attribute. A group's members go first, one call each, then the group with them
as its linked members.
This WRITES to the vendor: the user is created or updated there for real. Without --yes it only says what it
would do and calls nothing. Graph allows 5 such calls per 10 seconds. ${ON_DEMAND_DIALECT_NOTE}
Needs Synchronization.ReadWrite.All.

  --service-principal ID  the enterprise app's service principal object id
  --job ID                the provisioning job id
  --user UPN|ID           the user to provision (userPrincipalName or object id, from --users)
  --group NAME|ID         or the group to provision with its members (displayName or object id, from --groups)
  --groups FILE           the groups file the group comes from (Graph groups JSON with members inline)
  --mappings FILE         the mapping set the preview uses (the one you applied)
  --users FILE            the users file the user comes from (Graph users JSON or CSV)
  --yes                   confirm: provision this user in the vendor now
  --format NAME           table (default) or json

${GRAPH_SIGN_IN_USAGE}

Exit codes: 0 Entra's answer agrees with the preview; 1 they differ or Entra failed; 2 bad input, or no --yes.`;

function printEntra(io: CliIO, entra: OnDemandResult, who = ''): void {
  io.out(`Entra${who}: ${entra.result}${entra.action ? `, action ${entra.action}` : ''}${entra.errorCode ? ` (${entra.errorCode}: ${entra.errorMessage ?? ''})` : ''}`);
  for (const step of entra.steps) io.out(`  ${step.type.padEnd(9)} ${step.status.padEnd(8)} ${step.description}`);
}

function printResult(io: CliIO, result: CanaryResult): void {
  printEntra(io, result.entra);
  io.out(`Preview: ${result.preview.action}${result.preview.reason ? ` (${result.preview.reason})` : ''}`);
  const width = Math.max(9, ...result.attributes.map((a) => a.attribute.length));
  io.out(`  ${'attribute'.padEnd(width)}  ${'preview'.padEnd(30)}  Entra`);
  for (const row of result.attributes) {
    io.out(`${row.same ? ' ' : '≠'} ${row.attribute.padEnd(width)}  ${String(row.preview ?? '(none)').padEnd(30)}  ${row.entra ?? '(none)'}`);
  }
}

function printGroupResult(io: CliIO, result: GroupCanaryResult): void {
  for (const member of result.members) {
    io.out(`── ${member.userPrincipalName}`);
    printResult(io, member);
  }
  io.out(`── group ${result.group.displayName ?? result.group.objectId} with ${result.members.length} member(s)`);
  printEntra(io, result.entra);
}

/** Who the canary runs for: one user, or a group with its members (the members are checked before anything is sent). */
type Subject = { kind: 'user'; user: SourceObject } | { kind: 'group'; group: SourceObject; members: SourceObject[] };

async function readSubject(values: { user?: string | undefined; group?: string | undefined; groups?: string | undefined; users: string }): Promise<Subject> {
  if (!values.user === !values.group) throw new UsageError('Give exactly one of --user UPN|ID and --group NAME|ID');
  const users = await readUsersSources(values.users);
  if (values.user) {
    const user = findUser(users, values.user);
    if (!user) throw new UsageError(`--user ${values.user}: no user with that userPrincipalName or object id in ${values.users}`);
    return { kind: 'user', user };
  }
  if (!values.groups) throw new UsageError('--group needs --groups FILE (the groups file the group and its members come from)');
  const group = findGroup(graphGroupsToSources(await readJson(values.groups, 'groups'), values.groups), values.group!);
  if (!group) throw new UsageError(`--group ${values.group}: no group with that displayName or object id in ${values.groups}`);
  const byId = new Map(users.map((u) => [String(u.objectId), u]));
  try {
    return { kind: 'group', group, members: canaryMembers(group, (id) => byId.get(id)) };
  } catch (error) {
    if (error instanceof CanaryGroupError) throw new UsageError(error.message);
    throw error;
  }
}

function describeSubject(subject: Subject): string {
  if (subject.kind === 'user') return String(subject.user.userPrincipalName ?? subject.user.objectId);
  const names = subject.members.map((m) => String(m.userPrincipalName ?? m.objectId)).join(', ');
  return `group ${String(subject.group.displayName ?? subject.group.objectId)} with its ${subject.members.length} member(s) (${names || 'none'})`;
}

export const command: CliCommand = {
  name: 'canary',
  summary: 'provision one user or one small group on demand and compare Entra\'s answer with the preview, attribute by attribute',
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(args, {
      ...JOB_OPTIONS,
      user: { type: 'string' },
      group: { type: 'string' },
      groups: { type: 'string' },
      mappings: { type: 'string' },
      users: { type: 'string' },
      format: { type: 'string', default: 'table' },
    });
    const job = jobRefFrom(values);
    if (!values.user && !values.group) throw new UsageError('--user UPN|ID or --group NAME|ID is required (who to provision)');
    if (!values.mappings) throw new UsageError('--mappings FILE is required (the mapping set to compare with)');
    if (!values.users) throw new UsageError('--users FILE is required (the users file the user or the members come from)');
    if (values.format !== 'table' && values.format !== 'json') throw new UsageError(`--format must be table or json, got "${values.format}"`);
    const plan = await readMappingSetFile(values.mappings);
    const subject = await readSubject({ ...values, users: values.users });
    const who = describeSubject(subject);
    if (!values.yes) {
      // No Graph call at all without the confirmation: not even the sign-in.
      const expected = (subject.kind === 'user' ? [subject.user] : subject.members).map((u) => {
        const preview = previewForCanary(plan, u);
        return `${String(u.userPrincipalName ?? u.objectId)}: ${preview.action}${preview.reason ? `, ${preview.reason}` : ''}`;
      });
      io.err(
        `canary provisions ${who} in the vendor for real (the preview expects: ${expected.join('; ') || 'no user'}) ` +
          `through job ${job.jobId} of service principal ${job.servicePrincipalId}. Nothing was sent. Re-run with --yes to confirm.\n${ON_DEMAND_DIALECT_NOTE}`,
      );
      return EXIT_USAGE;
    }
    try {
      const client = await graphClientFromFlags(values, io, 'canary', { synchronization: 'write' });
      const target = await describeTarget(client, job, values.tenant);
      io.err(`Provisioning ${who} on demand in ${targetLine(target)}. ${ON_DEMAND_DIALECT_NOTE}`);
      const pacer = new OnDemandPacer();
      const result =
        subject.kind === 'user' ? await runCanary(client, job, plan, subject.user, pacer) : await runGroupCanary(client, job, plan, subject.group, subject.members, pacer);
      if (values.format === 'json') io.out(JSON.stringify({ tenant: target.tenant, app: target.appName, ...result, note: ON_DEMAND_DIALECT_NOTE }, null, 2));
      else if ('members' in result) printGroupResult(io, result);
      else printResult(io, result);
      if (result.agrees) return EXIT_OK;
      const users = 'members' in result ? result.members : [result];
      const failed = [...users.map((u) => u.entra), ...('members' in result ? [result.entra] : [])].find((e) => e.result === 'Failure');
      const differing = users.reduce((n, u) => n + u.attributes.filter((a) => !a.same).length, 0);
      io.err(
        failed
          ? `Exit code 1: Entra's on-demand run failed (${failed.errorCode ?? 'no code'}).`
          : `Exit code 1: ${differing} attribute(s) differ between Entra's answer and the preview.`,
      );
      return EXIT_PROBLEMS;
    } catch (error) {
      return graphFailureExit(error, io, 'canary');
    }
  },
};
