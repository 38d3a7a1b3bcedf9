import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { defaultWorkspacePath } from '../backend/paths.ts';
import { checkUsersFile, fileTextChunks, importUsersFile } from '../backend/directory/snapshot.ts';
import { withWorkspace } from '../backend/session/workspace-session.ts';
import { UsersFileImportError } from '../../shared/directory/import-problems.ts';
import { parseCommandArgs } from './args.ts';
import { fileProblem } from './input-files.ts';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliCommand } from './command.ts';

const usage = `Usage: scim-planner import FILE [--workspace FILE] [--label TEXT] [--json]

Imports users into a new directory snapshot of the workspace. FILE is either
  - a CSV: Entra's "Download users" export, or the template in docs/tenant-setup.md
    (RFC 4180; UTF-8 with or without BOM; "," or ";" between fields), or
  - Graph users JSON ({"value": [...]}, as "scim-planner fetch --out" writes it).
The file is read as a stream (any size). A file with any error is refused whole: its first
problems are listed with their line and column (and how many more were found), nothing is
imported, and the exit code is 2.

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

    const workspacePath = values.workspace ?? defaultWorkspacePath(io.env);
    const refused = (error: unknown): number => {
      if (error instanceof UsersFileImportError) {
        io.err(`${file}: ${error.message}`);
        return EXIT_USAGE;
      }
      if ((error as NodeJS.ErrnoException).code) {
        io.err(`Cannot read the users file "${file}": ${fileProblem(error as NodeJS.ErrnoException)}`);
        return EXIT_USAGE;
      }
      throw error;
    };
    // A refused file must not leave a new workspace behind: without one yet, the file is checked before it is created.
    if (!existsSync(workspacePath)) {
      try {
        checkUsersFile(file);
      } catch (error) {
        return refused(error);
      }
    }
    let chunks: Iterable<string>;
    try {
      chunks = fileTextChunks(file);
    } catch (error) {
      return refused(error);
    }
    return withWorkspace(workspacePath, (session) => {
      let imported;
      try {
        imported = importUsersFile(session.store, { projectId: session.projectId, label: values.label ?? basename(file), fileName: file, chunks });
      } catch (error) {
        return refused(error);
      }
      for (const warning of imported.warnings) io.err(`${file}: ${warning}`);
      const { snapshot } = imported;
      if (values.json) io.out(JSON.stringify(snapshot, null, 2));
      else io.out(`Imported ${snapshot.userCount} users from ${file} into snapshot ${snapshot.id} of ${session.path}.`);
      return EXIT_OK;
    });
  },
};
