import { existsSync } from 'node:fs';
import { defaultWorkspacePath } from '../backend/paths.ts';
import { snapshotDirectory } from '../backend/provisioning/service.ts';
import type { DirectoryState } from '../backend/provisioning/types.ts';
import { withWorkspace } from '../backend/session/workspace-session.ts';
import { BackupStore } from '../backend/go-live/backups.ts';
import { applyPlan, describeTarget, previewApply, type ApplyPreview, type JobTarget, type WriteResult } from '../backend/go-live/go-live.ts';
import { describeImpact } from '../backend/go-live/impact.ts';
import { RESET_SCOPES, restartJob, startJob, type ResetScope } from '../backend/go-live/job-api.ts';
import { describeChange } from '../../shared/go-live/schema-diff.ts';
import { describeForecast } from '../../shared/go-live/forecast.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT_OK, EXIT_PROBLEMS, UsageError, type CliCommand, type CliIO } from './command.ts';
import { GRAPH_SIGN_IN_USAGE, graphClientFromFlags } from './graph-sign-in.ts';
import { JOB_OPTIONS, JOB_USAGE, graphFailureExit, jobRefFrom, targetLine } from './go-live-flags.ts';
import { readMappingSetFile, readUsersSources, resolveProfile } from './input-files.ts';
import { readGroups } from './provision.ts';

const USAGE = `Usage: scim-planner apply --mappings FILE --service-principal ID --job ID [--users FILE [--groups FILE]] [--vendor ID]
                          [--dry-run] [--yes [--start | --restart SCOPE]] [--workspace FILE] [--format json|table]
                          (sign-in flags as for fetch)

Applies a planned mapping set to an enterprise app's provisioning job. It reads the job's live schema and prints,
in the portal's words, what the plan changes (rows added, removed, changed; scoping filters; object mappings
enabled or disabled), the impact of the cycle that follows (creates, updates, disables, deletes, who falls out of
scope and by which rule, the accidental-deletion and quarantine thresholds) and a forecast of that first cycle.

Without --yes (or with --dry-run) nothing is changed. With --yes it backs the live schema up into the workspace,
PUTs the plan merged into it (the plan's object mappings replace their live counterparts whole; everything else is
sent back as it came), reads the schema back and checks it is what was planned. Saving a schema makes Entra run an
initial cycle over every assigned user. Needs Synchronization.ReadWrite.All.

  --mappings FILE   the planned mapping set (Graph synchronization schema JSON)
${JOB_USAGE}
  --users FILE      the users (Graph users JSON or CSV) the impact and forecast are computed for;
                    without it, the workspace's newest snapshot fetched or imported from a tenant
  --groups FILE     their groups (Graph groups JSON with members inline), for the forecast
  --vendor ID       the vendor profile whose rate limits the forecast checks
  --dry-run         print the diff and the impact; change nothing (the same as leaving out --yes)
  --yes             confirm: back up, PUT, read back and verify
  --start           after a verified apply, start the job (POST …/start)
  --restart SCOPE   after a verified apply, restart the job with this reset scope, a comma list of
                    ${RESET_SCOPES.join(', ')}
  --format NAME     table (default) or json:
                    {"changes": [{"objectMapping", "targetAttribute", "change", "before", "after"}],
                     "impact": {"creates", "updates", "disables", "deletes", "outOfScope": [...]},
                     "forecast": {"objects", "minutes": {"low", "high"}}, "backup": {"id"}, "applied"}

${GRAPH_SIGN_IN_USAGE}

Exit codes: 0 nothing applied, or applied and read back as planned; 1 the read-back differs from the plan (or Graph
failed); 2 bad input or usage.`;

function parseResetScope(raw: string): ResetScope[] {
  const parts = raw.split(',').map((p) => p.trim()).filter(Boolean);
  const bad = parts.filter((p) => !(RESET_SCOPES as readonly string[]).includes(p));
  if (parts.length === 0 || bad.length > 0) throw new UsageError(`--restart takes a comma list of ${RESET_SCOPES.join(', ')}; got "${raw}"`);
  return parts as ResetScope[];
}

function report(target: JobTarget, preview: ApplyPreview, write: WriteResult | null) {
  return {
    tenant: target.tenant,
    app: target.appName,
    servicePrincipalId: target.servicePrincipalId,
    jobId: target.jobId,
    changes: preview.changes,
    impact: preview.impact,
    forecast: preview.forecast,
    backup: write ? { id: write.backup.id, takenAt: write.backup.takenAt } : null,
    applied: write !== null,
    verified: write ? write.check.verified : null,
    differences: write ? write.check.differences : [],
  };
}

/**
 * Without --users the impact comes from the workspace's newest snapshot read from a tenant or a file (never the demo
 * tenant's); null when there is none.
 */
async function latestTenantSnapshot(path: string, io: CliIO): Promise<DirectoryState | null> {
  if (!existsSync(path)) return null;
  return withWorkspace(path, ({ store, projectId }) => {
    const snapshot = store.listSnapshots(projectId).find((s) => s.origin !== 'demo');
    if (!snapshot) return null;
    io.err(`Impact and forecast from snapshot ${snapshot.id} (${snapshot.label}, ${snapshot.fetchedAt}) of ${store.path}.`);
    return snapshotDirectory(store, snapshot.id);
  }, { readOnly: true });
}

function printTable(io: CliIO, target: JobTarget, preview: ApplyPreview): void {
  io.out(`Plan for ${targetLine(target)}:`);
  if (preview.changes.length === 0) io.out('  The live schema already has every planned row; nothing to change.');
  for (const change of preview.changes) io.out(`  ${describeChange(change)}`);
  if (preview.impact) for (const line of describeImpact(preview.impact)) io.out(line);
  else io.out('Impact: give --users FILE (or fetch the tenant into the workspace) to see who is created, updated, disabled or deleted.');
  if (preview.forecast) for (const line of describeForecast(preview.forecast)) io.out(line);
}

export const command: CliCommand = {
  name: 'apply',
  summary: "apply planned mappings to an app's provisioning job: diff, impact, backup, PUT, verified read-back",
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(args, {
      ...JOB_OPTIONS,
      mappings: { type: 'string' },
      users: { type: 'string' },
      groups: { type: 'string' },
      vendor: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      start: { type: 'boolean', default: false },
      restart: { type: 'string' },
      format: { type: 'string', default: 'table' },
    });
    const job = jobRefFrom(values);
    if (!values.mappings) throw new UsageError('--mappings FILE is required (the planned mapping set)');
    if (values.format !== 'table' && values.format !== 'json') throw new UsageError(`--format must be table or json, got "${values.format}"`);
    if (values.groups && !values.users) throw new UsageError('--groups needs --users (the members are users)');
    if (values.start && values.restart) throw new UsageError('use either --start or --restart, not both');
    if ((values.start || values.restart) && (!values.yes || values['dry-run'])) throw new UsageError('--start and --restart act after an apply: add --yes (and leave out --dry-run)');
    const resetScope = values.restart ? parseResetScope(values.restart) : null;
    const plan = await readMappingSetFile(values.mappings);
    const workspace = values.workspace ?? defaultWorkspacePath(io.env);
    const directory = values.users
      ? { users: await readUsersSources(values.users), ...(values.groups ? { groups: await readGroups(values.groups, 'groups') } : {}) }
      : await latestTenantSnapshot(workspace, io);
    const users = directory?.users;
    const groups = directory?.groups;
    const rateLimits = values.vendor ? (await resolveProfile(values.vendor)).rateLimits : null;
    const confirmed = values.yes && !values['dry-run'];

    try {
      const client = await graphClientFromFlags(values, io, 'apply', { synchronization: 'write' });
      const target = await describeTarget(client, job, values.tenant);
      const preview = await previewApply(client, job, { plan, ...(users ? { users } : {}), ...(groups ? { groups } : {}), rateLimits });
      const json = values.format === 'json';
      if (!json) printTable(io, target, preview);
      if (!confirmed || preview.changes.length === 0) {
        if (json) io.out(JSON.stringify(report(target, preview, null), null, 2));
        else if (preview.changes.length > 0) io.out(`Nothing was changed. To apply this to ${targetLine(target)}, re-run with --yes.`);
        return EXIT_OK;
      }
      const write = await withWorkspace(workspace, (session) =>
        applyPlan(client, target, new BackupStore(session.store.db), preview, plan),
      );
      if (json) io.out(JSON.stringify(report(target, preview, write), null, 2));
      else {
        io.out(`Backed up the live schema as backup ${write.backup.id}; applied ${preview.changes.length} change(s) to ${targetLine(target)}.`);
        if (write.check.verified) io.out('Read back: the job\'s schema is what was planned.');
        for (const difference of write.check.differences) io.err(difference);
      }
      if (!write.check.verified) {
        io.err(`Exit code 1: the schema read back differs from the plan. Roll back with: scim-planner rollback --service-principal ${job.servicePrincipalId} --job ${job.jobId} --backup ${write.backup.id} --yes`);
        return EXIT_PROBLEMS;
      }
      if (values.start) {
        await startJob(client, job);
        io.err('Started the provisioning job.');
      } else if (resetScope) {
        await restartJob(client, job, resetScope);
        io.err(`Restarted the provisioning job (reset: ${resetScope.join(', ')}).`);
      }
      return EXIT_OK;
    } catch (error) {
      return graphFailureExit(error, io, 'apply');
    }
  },
};
