import { basename } from 'node:path';
import { defaultWorkspacePath } from '../backend/paths.ts';
import { readUsersFile, storeDirectorySnapshot } from '../backend/directory/snapshot.ts';
import { withWorkspace } from '../backend/session/workspace-session.ts';
import { CsvImportError } from '../../shared/directory/csv-import.ts';
import { JsonImportError } from '../../shared/directory/graph-json-import.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliCommand } from './command.ts';

const usage = `Usage: scim-planner import FILE [--workspace FILE] [--label TEXT] [--json]

Imports users into a new directory snapshot of the workspace. FILE is either
  - a CSV: Entra's "Download users" export, or the template in docs/tenant-setup.md
    (RFC 4180; UTF-8 with or without BOM; "," or ";" between fields), or
  - Graph users JSON ({"value": [...]}, as "scim-planner fetch --out" writes it).
A file with any error is refused whole: every problem is listed with its line and column,
nothing is imported, and the exit code is 2.

  --workspace FILE  the workspace (default: the app's default workspace)
  --label TEXT      the snapshot's name (default: the file name)
  --json            print the new snapshot as JSON`;

export const command: CliCommand = {
  name: 'import',
  summary: 'import users from a CSV or Graph users JSON file into a snapshot',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      { workspace: { type: 'string' }, label: { type: 'string' }, json: { type: 'boolean', default: false } },
      true,
    );
    if (positionals.length !== 1) throw new UsageError('import expects exactly one FILE');
    const file = positionals[0]!;

    let parsed;
    try {
      parsed = readUsersFile(file);
    } catch (error) {
      if (error instanceof CsvImportError || error instanceof JsonImportError) {
        io.err(`${file}: ${error.message}`);
        return EXIT_USAGE;
      }
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        io.err(`${file}: no such file`);
        return EXIT_USAGE;
      }
      throw error;
    }
    for (const warning of parsed.warnings) io.err(`${file}: ${warning}`);

    return withWorkspace(values.workspace ?? defaultWorkspacePath(io.env), (session) => {
      const snapshot = storeDirectorySnapshot(session.store, {
        projectId: session.projectId,
        label: values.label ?? basename(file),
        origin: parsed.origin,
        users: parsed.users,
      });
      if (values.json) io.out(JSON.stringify(snapshot, null, 2));
      else io.out(`Imported ${snapshot.userCount} users from ${file} into snapshot ${snapshot.id} of ${session.path}.`);
      return EXIT_OK;
    });
  },
};
