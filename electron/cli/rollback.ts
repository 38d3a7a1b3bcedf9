import { defaultWorkspacePath } from '../backend/paths.ts';
import { withWorkspace } from '../backend/session/workspace-session.ts';
import { BackupStore, type BackupRecord } from '../backend/go-live/backups.ts';
import { BackupChoiceError, describeTarget, previewRollback, rollback } from '../backend/go-live/go-live.ts';
import { describeChange } from '../../shared/go-live/schema-diff.ts';
import { intOption, parseCommandArgs } from './args.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, type CliCommand, type CliIO } from './command.ts';
import { GRAPH_SIGN_IN_USAGE, graphClientFromFlags } from './graph-sign-in.ts';
import { JOB_OPTIONS, JOB_USAGE, graphFailureExit, jobRefFrom, targetLine } from './go-live-flags.ts';

const USAGE = `Usage: scim-planner rollback --service-principal ID --job ID [--backup ID] [--list] [--yes] [--workspace FILE]
                             (sign-in flags as for fetch)

Puts a schema backup taken by \`scim-planner apply\` back on the job, exactly as it was taken. It prints the
backups of the job (newest first) and what restoring the chosen one changes; without --yes it changes nothing.
With --yes it backs up what is live now, PUTs the backup, reads it back and checks it. Saving a schema makes
Entra run an initial cycle over every assigned user. Needs Synchronization.ReadWrite.All.

${JOB_USAGE}
  --backup ID       the backup to restore (default: the newest backup of this job)
  --list            only list the job's backups (reads the workspace, calls no Graph)
  --yes             confirm: back up, PUT the backup, read back and verify

${GRAPH_SIGN_IN_USAGE}

Exit codes: 0 nothing restored, or restored and read back as the backup; 1 the read-back differs (or Graph failed);
2 bad input, no such backup, or usage.`;

function backupLine(backup: BackupRecord): string {
  return `${String(backup.id).padStart(4)}  ${backup.takenAt}  before ${backup.reason.padEnd(8)}  tenant ${backup.tenant}, app ${backup.appName ?? '(unnamed)'}`;
}

export const command: CliCommand = {
  name: 'rollback',
  summary: "put a schema backup back on an app's provisioning job, with the same diff and confirmation as apply",
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(args, { ...JOB_OPTIONS, backup: { type: 'string' }, list: { type: 'boolean', default: false } });
    const job = jobRefFrom(values);
    const backupId = values.backup === undefined ? undefined : intOption('backup', values.backup, 0);
    const workspace = values.workspace ?? defaultWorkspacePath(io.env);
    if (values.list) {
      return withWorkspace(workspace, ({ store }) => {
        const backups = new BackupStore(store.db).list(job.servicePrincipalId, job.jobId);
        if (backups.length === 0) io.out(`No backups of job ${job.jobId} in ${store.path}.`);
        for (const backup of backups) io.out(backupLine(backup));
        return EXIT_OK;
      }, { create: 'never' });
    }
    try {
      const client = await graphClientFromFlags(values, io, 'rollback', { synchronization: 'write' });
      return await withWorkspace(workspace, async ({ store }) => {
        const backups = new BackupStore(store.db);
        const target = await describeTarget(client, job, values.tenant);
        const preview = await previewRollback(client, job, backups, backupId);
        io.out(`Restore backup ${preview.backup.id} (taken ${preview.backup.takenAt} before ${preview.backup.reason}) on ${targetLine(target)}:`);
        if (preview.changes.length === 0) io.out('  The live schema already equals this backup in every row the app compares.');
        for (const change of preview.changes) io.out(`  ${describeChange(change)}`);
        if (!values.yes) {
          io.out(`Nothing was changed. To restore backup ${preview.backup.id} on ${targetLine(target)}, re-run with --yes.`);
          return EXIT_OK;
        }
        const write = await rollback(client, target, backups, preview);
        io.out(`Backed up the live schema as backup ${write.backup.id}; restored backup ${preview.backup.id}.`);
        if (write.check.verified) {
          io.out('Read back: the job\'s schema is the backup.');
          return EXIT_OK;
        }
        for (const difference of write.check.differences) io.err(difference);
        io.err('Exit code 1: the schema read back differs from the backup.');
        return EXIT_PROBLEMS;
      }, { create: 'never' });
    } catch (error) {
      if (error instanceof BackupChoiceError) {
        io.err(error.message);
        return EXIT_USAGE;
      }
      return graphFailureExit(error, io, 'rollback');
    }
  },
};
