import { readJobHealth, type JobHealth } from '../backend/synchronization/job-health.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT_OK, EXIT_PROBLEMS, type CliCommand } from './command.ts';
import { GRAPH_SIGN_IN_OPTIONS, GRAPH_SIGN_IN_USAGE, graphClientFromFlags, graphTarget } from './graph-sign-in.ts';
import { formatOf, jobOf, JOB_OPTIONS, JOB_USAGE, withGraphCall } from './job-flags.ts';

const usage = `Usage: scim-planner job --service-principal ID --job ID [--format json|table] [sign-in flags]

Shows a provisioning job's health as Entra reports it (GET …/synchronization/jobs/{jobId}): its status
(NotConfigured, NotRun, Active, Paused, Quarantine) and what it means, a quarantine's reason with what to
do, since when and the next attempt, and the last cycle's counts and error. It only reads.

${JOB_USAGE}
  --format NAME           json (default) or table
${GRAPH_SIGN_IN_USAGE}
Exit codes: 0 the job is Active or has not finished its first cycle; 1 it is paused, in quarantine, not
configured, or Graph failed; 2 bad input or a refused token.`;

function table(health: JobHealth): string {
  const lines = [`Job ${health.jobId}${health.templateId ? ` (${health.templateId})` : ''}: ${health.code}`, `  ${health.meaning}`];
  if (health.quarantine) {
    const q = health.quarantine;
    lines.push(
      `Quarantine: ${q.reason}, since ${q.since ?? 'unknown'} (series began ${q.seriesBegan ?? 'unknown'}, ${q.seriesCount} re-evaluations), next attempt ${q.nextAttempt ?? 'unknown'}`,
      `  ${q.meaning}`,
      `  What to do: ${q.fix}`,
    );
    if (q.error) lines.push(`  Error: ${q.error.code}: ${q.error.message}`);
  }
  const last = health.lastExecution;
  if (last) {
    lines.push(`Last cycle: ${last.state ?? 'unknown'} ${last.timeBegan ?? ''} → ${last.timeEnded ?? ''}`);
    lines.push(`  ${Object.entries(last.counts).map(([name, count]) => `${name.replace(/^count/, '')} ${count}`).join(', ')}`);
    if (last.error) lines.push(`  Error: ${last.error.code}: ${last.error.message}`);
  }
  if (health.countSuccessiveCompleteFailures > 0) lines.push(`Failed ${health.countSuccessiveCompleteFailures} times in a row.`);
  return lines.join('\n');
}

export const command: CliCommand = {
  name: 'job',
  summary: "show a provisioning job's health: status, quarantine and what to do, last cycle's counts",
  usage,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { ...GRAPH_SIGN_IN_OPTIONS, ...JOB_OPTIONS });
    const job = jobOf(values);
    const format = formatOf(values);
    graphTarget(values, io);
    return withGraphCall(io, 'job', async (signal) => {
      const client = await graphClientFromFlags(values, io, 'job', { synchronization: true });
      const health = await readJobHealth(client, job.servicePrincipalId, job.jobId, signal);
      io.out(format === 'table' ? `${table(health)}\n` : `${JSON.stringify(health, null, 2)}\n`);
      if (health.healthy) return EXIT_OK;
      io.err(`Exit code 1: the job is ${health.code} (0 means Active or still on its first cycle).`);
      return EXIT_PROBLEMS;
    });
  },
};
