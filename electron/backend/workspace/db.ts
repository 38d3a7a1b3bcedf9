import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { assertMigrationOrder, LATEST_VERSION, migrations, type Migration } from './migrations.ts';

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

const SQLITE_HEADER = 'SQLite format 3\0';

/**
 * Refuses, before SQLite touches it, a file that is not a SQLite database: opening it read-write
 * could otherwise leave journal files beside it, and the admin's file must stay exactly as it was.
 */
function assertLooksLikeSqlite(path: string): void {
  if (!existsSync(path)) return;
  const size = statSync(path).size;
  if (size === 0) return;
  const header = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (size < 100 || header.toString('latin1') !== SQLITE_HEADER) {
    throw new WorkspaceError(
      `${path} is not a SCIM Planner workspace (it is not a SQLite database). The file was left untouched; choose another file or create a new workspace.`,
      path,
    );
  }
}

export interface OpenOptions {
  readonly?: boolean;
  /** for tests of the migration runner */
  migrations?: readonly Migration[];
}

export function openWorkspaceDatabase(path: string, options: OpenOptions = {}): Database.Database {
  const list = options.migrations ?? migrations;
  assertMigrationOrder(list);
  const latest = options.migrations ? list.reduce((v, m) => Math.max(v, m.version), 0) : LATEST_VERSION;
  if (path !== ':memory:') {
    assertLooksLikeSqlite(path);
    if (!options.readonly) mkdirSync(dirname(path), { recursive: true });
  }
  let db: Database.Database;
  try {
    db = new Database(path, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
      // In Electron, main.ts points this at the build made for Electron's ABI; Node uses the default build.
      nativeBinding: process.env.SCIM_PLANNER_SQLITE_BINDING,
    });
  } catch (error) {
    throw new WorkspaceError(`Cannot open workspace ${path}: ${(error as Error).message}`, path);
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > latest) {
      throw new WorkspaceError(
        `${path} was written by a newer SCIM Planner (workspace version ${version}; this build knows up to ${latest}). Update SCIM Planner to open it; the file was left untouched.`,
        path,
      );
    }
    // Reading the schema parses page 1 and the catalogue: a scribbled header fails here, cheaply,
    // instead of a full integrity check on every start of a large workspace.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode keeps every committed transaction across a process crash (SIGKILL);
      // only a power loss can drop the last commits, which FULL would protect at twice the fsyncs.
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    if (!options.readonly) migrate(db, list, version);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof WorkspaceError) throw error;
    const message = (error as Error).message;
    if (/file is not a database|malformed/i.test(message)) {
      throw new WorkspaceError(`${path} is not a readable SCIM Planner workspace (${message}). The file was left untouched.`, path);
    }
    throw error;
  }
}

function migrate(db: Database.Database, list: readonly Migration[], from: number): void {
  const pending = list.filter((m) => m.version > from);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const m of pending) m.up(db);
    db.pragma(`user_version = ${pending[pending.length - 1]!.version}`);
  }).immediate();
}
