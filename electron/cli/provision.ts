import type { SourceObject } from '../../shared/directory/source-object.ts';
import { importMappingSet } from '../../shared/mapping/model.ts';
import { planCycle, planCycleObjects, runCycle, type CyclePlan, type CyclePlanTotals, type PlannedObject } from '../backend/provisioning/cycle.ts';
import { AuditJsonFile } from '../backend/provisioning/export.ts';
import { ScimClient, TargetUrlError, isLoopbackUrl } from '../backend/provisioning/scim-client.ts';
import { MemoryProvisioningState, type AuditEntry, type CycleKind, type CycleSummary, type GroupSource } from '../backend/provisioning/types.ts';
import { intOption, parseCommandArgs } from './args.ts';
import { EXIT_OK, EXIT_PROBLEMS, UsageError, type CliCommand, type CliIO } from './command.ts';
import { graphGroupsToSources, readJson, readUsersSources } from './input-files.ts';

const USAGE = `Usage: scim-planner provision --target URL --token T --mappings FILE --users FILE [--groups FILE] [--vendor ID]
                              [--cycle initial|incremental --previous FILE [--previous-groups FILE]] [--user UPN]
                              [--dry-run [--format table|json]] [--yes] [--concurrency N] [--log FILE]

Plays Microsoft Entra's provisioning cycle against a SCIM endpoint: match, create, update, deprovision,
then manager links, then groups, sending exactly the requests \`scim-planner preview\` shows.

  --target URL      the Tenant URL as typed in Entra (a ?aadOptscim062020 suffix selects that PATCH dialect)
  --token T         the Secret Token (sent as Authorization: Bearer T; never printed or logged)
  --mappings FILE   Graph synchronization schema JSON (the same file as for preview)
  --users FILE      Graph users JSON ({"value": [...]}, the same file as for preview)
  --groups FILE     Graph groups JSON with members inline (the same file as for preview): adds the groups,
                    decided as the preview decides them; without it no group is provisioned
  --vendor ID       the vendor profile the run is for (recorded in the log)
  --cycle KIND      initial (default): every user; incremental: only what changed since --previous
  --previous FILE   the earlier users file an incremental cycle compares with
  --previous-groups FILE  the groups of that earlier snapshot (with --previous)
  --user UPN        provision on demand: one user, with Entra's steps (test connection, import, scope, match, action)
  --dry-run         print the plan and send nothing
  --format NAME     how --dry-run prints the plan: table (default), or json:
                    {"objects": [{"objectType", "sourceId", "displayName", "action", ...}], "summary": {...}}
                    with the preview's actions (create, update, deactivate, delete, none, skip, error)
  --yes             confirm sending to a target that is not on this machine (required for any non-loopback URL)
  --concurrency N   requests in flight at once (default 4)
  --log FILE        write the audit log (every step, request and response) as JSON

Prints one summary line. Exit codes: 0 every object succeeded, 1 any object failed, 2 bad input or not confirmed.`;

/** Failed objects named on stderr; the log has every one. */
const FAILURES_PRINTED = 20;

function planLine(plan: CyclePlanTotals): string {
  const c = plan.counts;
  return `${c.create} to create, ${c.update} to change, ${c.deactivate} to disable, ${c.delete} to delete, ${c.none} unchanged, ${c.skip + c.error} skipped`;
}

/** The dry run for scripts: one row per object in the preview's action vocabulary, and the counts. */
function planJson(plan: CyclePlan, target: string) {
  const countOf = (objectType: PlannedObject['objectType']) => {
    const byAction = Object.fromEntries(Object.keys(plan.counts).map((action) => [action, 0])) as CyclePlan['counts'];
    const objects = plan.objects.filter((o) => o.objectType === objectType);
    for (const object of objects) byAction[object.action]++;
    return { count: objects.length, byAction };
  };
  return {
    objects: plan.objects.map((o) => ({
      objectType: o.objectType,
      sourceId: o.sourceId,
      displayName: o.displayName,
      action: o.action,
      label: o.label,
      reason: o.reason,
      requests: o.requests.map((r) => ({ method: r.method, path: r.path })),
    })),
    summary: { kind: plan.kind, target, dialect: plan.dialect, byAction: plan.counts, users: countOf('User'), groups: countOf('Group') },
  };
}

function planTable(plan: CyclePlan, target: string): string {
  const lines = [`Plan (${plan.kind} cycle, ${plan.dialect} dialect) for ${target}:`];
  for (const object of plan.objects) {
    const label = object.objectType === 'Group' ? `group ${object.label}` : object.label;
    lines.push(`  ${object.action.padEnd(10)} ${label}${object.reason ? `  (${object.reason})` : ''}`);
    for (const request of object.requests) lines.push(`      ${request.method} ${request.path}`);
  }
  lines.push(`Dry run: ${planLine(plan)}. Nothing was sent.`);
  return `${lines.join('\n')}\n`;
}

/** Groups for the cycle: direct members as the snapshot keeps them (the preview reads the same ids). */
export async function readGroups(path: string, what: string): Promise<GroupSource[]> {
  return graphGroupsToSources(await readJson(path, what), path).map((source) => ({
    source,
    memberIds: Array.isArray(source.members) ? source.members : [],
  }));
}

function summaryLine(summary: CycleSummary): string {
  const seconds = (summary.durationMs / 1000).toFixed(1);
  const parts = [
    `${summary.kind} cycle ${summary.status}`,
    `${summary.created} created`,
    `${summary.updated} updated`,
    `${summary.disabled} disabled`,
    `${summary.deleted} deleted`,
    `${summary.unchanged} unchanged`,
    `${summary.skipped} skipped`,
    `${summary.failed} failed`,
  ];
  if (summary.notProcessed > 0) parts.push(`${summary.notProcessed} not reached`);
  const tail = summary.quarantine ? `; quarantine: ${summary.quarantine.reason} (${summary.quarantine.detail})` : '';
  return `${parts.join(', ')}; ${summary.requests} requests in ${seconds} s${tail}`;
}

export const command: CliCommand = {
  name: 'provision',
  summary: "play Entra's provisioning cycle against a SCIM endpoint, with an audit log",
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(args, {
      target: { type: 'string' },
      token: { type: 'string' },
      mappings: { type: 'string' },
      users: { type: 'string' },
      groups: { type: 'string' },
      'previous-groups': { type: 'string' },
      format: { type: 'string' },
      vendor: { type: 'string' },
      cycle: { type: 'string' },
      previous: { type: 'string' },
      user: { type: 'string' },
      'dry-run': { type: 'boolean' },
      yes: { type: 'boolean' },
      concurrency: { type: 'string' },
      log: { type: 'string' },
    });
    if (!values.target) throw new UsageError('--target URL is required (the Tenant URL)');
    if (!values.token) throw new UsageError('--token T is required (the Secret Token)');
    if (!values.mappings) throw new UsageError('--mappings FILE is required');
    if (!values.users) throw new UsageError('--users FILE is required');
    const cycle = values.cycle ?? 'initial';
    if (cycle !== 'initial' && cycle !== 'incremental') throw new UsageError(`--cycle must be initial or incremental, got "${cycle}"`);
    if (cycle === 'incremental' && !values.previous) throw new UsageError('--cycle incremental needs --previous FILE (the users file of the earlier cycle)');
    if (values.previous && cycle !== 'incremental') throw new UsageError('--previous only goes with --cycle incremental');
    if (values.user && values.cycle) throw new UsageError('--user provisions one user on demand; leave out --cycle');
    if (values['previous-groups'] && !values.previous) throw new UsageError('--previous-groups needs --previous (the users of the same earlier snapshot)');
    const format = values.format ?? 'table';
    if (format !== 'table' && format !== 'json') throw new UsageError(`--format must be table or json, got "${format}"`);
    if (values.format && !values['dry-run']) throw new UsageError('--format sets how --dry-run prints the plan; add --dry-run');
    const concurrency = intOption('concurrency', values.concurrency, 4);
    if (concurrency < 1 || concurrency > 64) throw new UsageError('--concurrency must be between 1 and 64');

    let client: ScimClient;
    try {
      client = new ScimClient({ tenantUrl: values.target, auth: { kind: 'bearer', token: values.token } });
    } catch (error) {
      if (error instanceof TargetUrlError) throw new UsageError(error.message);
      throw error;
    }
    const imported = importMappingSet(await readJson(values.mappings, 'mappings'));
    if (!imported.ok) {
      throw new UsageError(`The mappings file "${values.mappings}" is not a Graph synchronization schema:\n  ${imported.issues.slice(0, 10).join('\n  ')}`);
    }
    const users: SourceObject[] = await readUsersSources(values.users);
    const previous = values.previous ? await readUsersSources(values.previous, 'previous users') : undefined;
    const groups = values.groups ? await readGroups(values.groups, 'groups') : undefined;
    const previousGroups = values['previous-groups'] ? await readGroups(values['previous-groups'], 'previous groups') : undefined;
    const kind: CycleKind = values.user ? 'on-demand' : cycle;
    if (values.user && !users.some((u) => u.objectId === values.user || String(u.userPrincipalName ?? '').toLowerCase() === values.user!.toLowerCase())) {
      throw new UsageError(`--user ${values.user}: no user with that userPrincipalName or object id in ${values.users}`);
    }

    // The CLI keeps no state between runs: links and escrow live for this run only.
    const state = new MemoryProvisioningState();
    const options = {
      kind,
      set: imported.set,
      current: { users, ...(groups ? { groups } : {}) },
      ...(previous ? { previous: { users: previous, ...(previousGroups ? { groups: previousGroups } : {}) } } : {}),
      ...(values.user ? { user: values.user } : {}),
      state,
      tenantUrl: values.target,
      concurrency,
    };
    if (values['dry-run']) {
      const plan = planCycle(options);
      io.out(format === 'json' ? `${JSON.stringify(planJson(plan, client.base), null, 2)}\n` : planTable(plan, client.base));
      return EXIT_OK;
    }
    if (!isLoopbackUrl(client.base) && !values.yes) {
      // Safety (issue 9): a real endpoint is written to only with explicit confirmation.
      throw new UsageError(
        `${client.base} is not on this machine. This cycle would send: ${planLine(planCycleObjects(options, () => {}))}.\nRe-run with --yes to confirm, or --dry-run to see every request.`,
      );
    }
    // The log is written entry by entry as the cycle goes; only the first failures are kept to print.
    const log = values.log ? new AuditJsonFile(values.log) : null;
    const failures: AuditEntry[] = [];
    const onEntry = (entry: AuditEntry) => {
      log?.add(entry);
      if (entry.status === 'failure' && failures.length < FAILURES_PRINTED) failures.push(entry);
    };
    let result: Awaited<ReturnType<typeof runCycle>>;
    try {
      result = await runCycle(client, { ...options, onEntry });
    } catch (error) {
      await log?.finish({ kind, target: client.base, dialect: client.dialect, vendor: values.vendor ?? null, summary: null });
      throw error;
    }
    io.out(`${summaryLine(result.summary)}\n`);
    for (const entry of failures) io.err(`failed: ${entry.objectType} ${entry.label} ${entry.errorCode}: ${entry.reason}\n`);
    await log?.finish({ kind, target: client.base, dialect: client.dialect, vendor: values.vendor ?? null, summary: result.summary });
    return result.summary.failed > 0 || result.summary.notProcessed > 0 ? EXIT_PROBLEMS : EXIT_OK;
  },
};
