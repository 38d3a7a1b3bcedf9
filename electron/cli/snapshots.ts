import { defaultWorkspacePath } from '../backend/paths.ts';
import { WorkspaceStore } from '../backend/workspace/store.ts';
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
    const store = WorkspaceStore.open(values.workspace ?? defaultWorkspacePath(io.env), deleting ? { create: 'never' } : { readOnly: true });
    try {
      if (deleting) {
        if (!store.deleteSnapshot(id)) {
          io.err(`No snapshot ${id} in ${store.path}`);
          return EXIT_USAGE;
        }
        io.out(`Deleted snapshot ${id} and everything derived from it.`);
        return EXIT_OK;
      }
      const project = store.listProjects()[0];
      const snapshots = project ? store.listSnapshots(project.id) : [];
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
    } finally {
      store.close();
    }
  },
};
