/**
 * A users file into the open workspace, for every door: the JSON API (a small file's text), the browser bridge's
 * streaming upload and Electron's native file dialog (a path read as a stream). A refused file is an answer
 * (`status: 'rejected'` with its first problems by line and column), not a failure.
 */
import type { ImportResult } from '../../../shared/api.ts';
import { UsersFileImportError } from '../../../shared/directory/import-problems.ts';
import type { BackendContext } from '../context.ts';
import { importUsersFile } from './snapshot.ts';

export function rejectedImport(error: UsersFileImportError): Extract<ImportResult, { status: 'rejected' }> {
  return {
    status: 'rejected',
    format: error.format,
    message: error.message.split('\n')[0]!,
    issues: error.issues.map((i) => ({ line: i.line, column: i.column, columnName: i.columnName ?? null, message: i.message })),
    ...(error.stoppedAtLine !== null ? { stoppedAtLine: error.stoppedAtLine } : {}),
  };
}

export function importUsersIntoWorkspace(
  ctx: BackendContext,
  input: { fileName: string; label?: string | undefined; chunks: Iterable<string> },
): ImportResult {
  const workspace = ctx.session();
  try {
    const { snapshot, format, warnings } = importUsersFile(workspace.store, {
      projectId: workspace.projectId,
      label: input.label ?? input.fileName,
      fileName: input.fileName,
      chunks: input.chunks,
    });
    ctx.changed(workspace, { change: 'snapshot-added', snapshotId: snapshot.id });
    return { status: 'imported', snapshot, format, warnings };
  } catch (error) {
    if (error instanceof UsersFileImportError) return rejectedImport(error);
    throw error;
  }
}

