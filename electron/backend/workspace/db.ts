import type Database from 'better-sqlite3';
import { readOlderSnapshotsAsCurrent } from './migrations/snapshot-layout.ts';
import { APPLICATION_IDS, openDatabaseFile, type DatabaseKind, type DatabaseOpenOptions } from '../sqlite-file.ts';
import { migrations } from './migrations.ts';

/** A workspace that cannot be opened; the message names the file and what to do. */
export class WorkspaceError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'WorkspaceError';
  }
}

const WORKSPACE_DATABASE: DatabaseKind = {
  noun: 'SCIM Planner workspace',
  applicationId: APPLICATION_IDS.workspace,
  migrations,
  // Workspaces from before the application_id stamp: migration 1's tables and a version stamp.
  isLegacy: (tables, userVersion) => userVersion >= 1 && tables.has('projects') && tables.has('snapshots') && tables.has('mapping_revisions'),
  configure(db) {
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode keeps every committed transaction across a process crash (SIGKILL);
    // only a power loss can drop the last commits, which FULL would protect at twice the fsyncs.
    db.pragma('synchronous = NORMAL');
  },
  refuse: (message, path) => new WorkspaceError(message, path),
};

export type OpenOptions = DatabaseOpenOptions;

export function openWorkspaceDatabase(path: string, options: OpenOptions = {}): Database.Database {
  const db = openDatabaseFile(path, WORKSPACE_DATABASE, options);
  if (options.readOnly) readOlderSnapshotsAsCurrent(db);
  return db;
}
