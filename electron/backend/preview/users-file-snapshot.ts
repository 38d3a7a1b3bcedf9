/**
 * A users file as a snapshot in a scratch workspace, for the commands that preview a file too large to hold
 * (`scim-planner preview --format ndjson|summary`): the file streams through its reader straight into the
 * workspace writer, and the preview's workers then read the snapshot by ordinal ranges as the app's path does,
 * so memory does not grow with the file. The scratch folder is removed by `dispose`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsersFileReader } from '../../../shared/directory/users-file.ts';
import { fileTextChunks, usersFileSource } from '../directory/snapshot.ts';
import { WorkspaceStore, type SnapshotUserInput } from '../workspace/store.ts';

export interface UsersFileSnapshot {
  workspacePath: string;
  snapshotId: number;
  userCount: number;
  /** removes the scratch workspace (the preview's session must be closed first) */
  dispose(): void;
}

/**
 * Writes the users file into a new scratch workspace; throws what the file's reader throws (a
 * UsersFileImportError naming line and column, a NeitherUsersFileError, a read error) with nothing left behind.
 */
export function usersFileSnapshot(path: string): UsersFileSnapshot {
  const folder = mkdtempSync(join(tmpdir(), 'scim-planner-preview-'));
  const dispose = () => rmSync(folder, { recursive: true, force: true });
  try {
    const workspacePath = join(folder, 'users.scimplan');
    const store = new WorkspaceStore(workspacePath);
    try {
      let queue: SnapshotUserInput[] = [];
      const reader = new UsersFileReader(path, (user, ordinal) => {
        queue.push({ raw: user as Record<string, unknown>, source: usersFileSource(user), ordinal });
      });
      const chunks = fileTextChunks(path)[Symbol.iterator]();
      // Pulled by the writer: one text chunk's users are held at a time.
      function* users(): Generator<SnapshotUserInput> {
        try {
          for (;;) {
            const batch = queue;
            queue = [];
            yield* batch;
            const next = reader.stopped ? null : chunks.next();
            if (!next || next.done) break;
            reader.push(next.value);
          }
          reader.end();
          yield* queue;
        } finally {
          chunks.return?.();
        }
      }
      const project = store.createProject('preview');
      const snapshot = store.addSnapshot({ projectId: project.id, label: path, origin: reader.format ?? 'json', users: users() });
      return { workspacePath, snapshotId: snapshot.id, userCount: snapshot.userCount, dispose };
    } finally {
      store.close();
    }
  } catch (error) {
    dispose();
    throw error;
  }
}
