import { defaultWorkspacePath } from '../backend/paths.ts';
import { withWorkspace } from '../backend/session/workspace-session.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliCommand } from './command.ts';

const usage = `Usage: scim-planner snapshots [--workspace FILE] [--delete ID] [--json]

Lists the directory snapshots of the workspace (newest first) with their user and group counts.
  --workspace FILE  the workspace (default: the app's default workspace); it must exist, listing never creates one
  --delete ID       delete snapshot ID and everything derived from it
  --json            print JSON instead of a table`;

export const command: CliCommand = {
  name: 'snapshots',
  summary: 'list (or delete) the directory snapshots in a workspace',
  usage,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      workspace: { type: 'string' },
      delete: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    const deleting = values.delete !== undefined;
    const id = Number(values.delete);
    if (deleting && (!Number.isInteger(id) || id <= 0)) throw new UsageError(`--delete expects a snapshot id, got "${values.delete}"`);
    // Listing only reads: it never creates, converts or fills a workspace; deleting needs one that exists.
    const open = deleting ? { create: 'never' as const } : { readOnly: true };
    return withWorkspace(values.workspace ?? defaultWorkspacePath(io.env), ({ store, projectId }) => {
      if (deleting) {
        if (!store.deleteSnapshot(id)) {
          io.err(`No snapshot ${id} in ${store.path}`);
          return EXIT_USAGE;
        }
        io.out(`Deleted snapshot ${id} and everything derived from it.`);
        return EXIT_OK;
      }
      const snapshots = store.listSnapshots(projectId);
      if (values.json) {
        io.out(JSON.stringify(snapshots, null, 2));
        return EXIT_OK;
      }
      io.out(`Workspace ${store.path}`);
      for (const s of snapshots) {
        io.out(`${String(s.id).padStart(4)}  ${s.fetchedAt}  ${s.origin.padEnd(5)} ${String(s.userCount).padStart(7)} users ${String(s.groupCount).padStart(5)} groups  ${s.label}`);
      }
      if (snapshots.length === 0) io.out('No snapshots: fetch or import users first.');
      return EXIT_OK;
    }, open);
  },
};
