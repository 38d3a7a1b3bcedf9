/**
 * Opening a SQLite file the app owns (a workspace, the mock server's database) without ever writing to one
 * that is not ours. A file is recognised by PRAGMA application_id (the 32-bit value at offset 68 of the
 * database header, "Database File Format" on sqlite.org); files from before the stamp by their tables.
 * Nothing is written until the file is known to be ours, from this version or older, and sound.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateFolder, makePrivate } from './paths.ts';
import { VerifiedFiles } from './verified-files.ts';
import { assertMigrationOrder, type Migration } from './workspace/migrations.ts';

/** The application ids of the app's files, in one place so each kind can name the other when refusing it. */
export const APPLICATION_IDS = {
  workspace: 0x5343_5057, // "SCPW"
  mockServer: 0x5343_504d, // "SCPM"
} as const;

const KNOWN_FILES: Record<number, string> = {
  [APPLICATION_IDS.workspace]: 'a SCIM Planner workspace',
  [APPLICATION_IDS.mockServer]: 'a mock SCIM server database (scim-planner mock-server --db)',
};

/** One kind of file the app owns. */
export interface DatabaseKind {
  /** how messages name it: "SCIM Planner workspace" */
  readonly noun: string;
  readonly applicationId: number;
  readonly migrations: readonly Migration[];
  /** a file written before the application_id stamp, recognised by its tables and user_version */
  isLegacy(tables: ReadonlySet<string>, userVersion: number): boolean;
  /** pragmas of a read-write connection (journal mode, synchronous), set once the file is accepted */
  configure(db: Database.Database): void;
  /** the error thrown when a file is refused; its message names the file and why */
  refuse(message: string, path: string): Error;
}

export interface DatabaseOpenOptions {
  /** only read: the file must already be ours; nothing is created, stamped, migrated or written */
  readOnly?: boolean;
  /**
   * When there is no database yet. 'if-absent' (default): a missing file becomes a new one. 'new': a
   * zero-byte file too, because the caller is creating a database at that path. 'never': refuse both.
   */
  create?: 'if-absent' | 'new' | 'never';
  /** replaces the kind's migration list (tests of the runner) */
  migrations?: readonly Migration[];
  /** where large files closed cleanly are remembered (tests point it at a folder of their own) */
  verifiedFiles?: VerifiedFiles;
}

const SQLITE_HEADER = 'SQLite format 3\0';

type FileState = 'absent' | 'empty' | 'sqlite';

/** Reads only the header: a file that is not SQLite is refused before SQLite could leave journal files beside it. */
function fileState(path: string, kind: DatabaseKind): { state: FileState; headerApplicationId: number } {
  if (!existsSync(path)) return { state: 'absent', headerApplicationId: 0 };
  const size = statSync(path).size;
  if (size === 0) return { state: 'empty', headerApplicationId: 0 };
  const header = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (size < 100 || header.toString('latin1', 0, 16) !== SQLITE_HEADER) {
    throw kind.refuse(`${path} is not a ${kind.noun} (it is not a SQLite database). The file was left untouched; choose another file or create a new ${kind.noun}.`, path);
  }
  return { state: 'sqlite', headerApplicationId: header.readUInt32BE(68) };
}

function connect(path: string, readonly: boolean): Database.Database {
  return new Database(path, {
    readonly,
    fileMustExist: readonly,
    // In Electron, main.ts points this at the build made for Electron's ABI; Node uses the default build.
    nativeBinding: process.env.SCIM_PLANNER_SQLITE_BINDING,
  });
}

const latestOf = (list: readonly Migration[]) => list.reduce((v, m) => Math.max(v, m.version), 0);

/** The words of PRAGMA quick_check when it finds damage (or of the error it stops with), null when "ok". */
function integrityProblem(db: Database.Database): string | null {
  try {
    const words = (db.pragma('quick_check(5)') as { quick_check: string }[]).map((row) => row.quick_check);
    return words.length === 1 && words[0] === 'ok' ? null : words.join('; ');
  } catch (error) {
    if (/SQLITE_(CORRUPT|NOTADB)/.test(String((error as { code?: unknown }).code))) return (error as Error).message;
    throw error;
  }
}

/**
 * Checks that an open connection holds a database of this kind the build can read: ours (stamped), ours
 * from before the stamp, or empty. Returns what the caller still has to do. Reads only.
 */
function identify(db: Database.Database, kind: DatabaseKind, path: string, latest: number): { version: number; stamped: boolean } {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  if (applicationId !== kind.applicationId) {
    const known = KNOWN_FILES[applicationId];
    if (known) throw kind.refuse(`${path} is ${known}, not a ${kind.noun}. The file was left untouched.`, path);
    if (applicationId !== 0) {
      throw kind.refuse(`${path} is a SQLite database of another program (application_id ${applicationId}), not a ${kind.noun}. The file was left untouched.`, path);
    }
    const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    if (tables.size > 0 && !kind.isLegacy(tables, version)) {
      const names = [...tables].slice(0, 5).join(', ');
      throw kind.refuse(`${path} is a SQLite database of another program (tables ${names}${tables.size > 5 ? ', …' : ''}), not a ${kind.noun}. The file was left untouched.`, path);
    }
    if (tables.size === 0 && version !== 0) {
      throw kind.refuse(`${path} is an empty SQLite database of another program (user_version ${version}), not a ${kind.noun}. The file was left untouched.`, path);
    }
  }
  if (version > latest) {
    throw kind.refuse(
      `${path} was written by a newer SCIM Planner (${kind.noun} version ${version}; this build knows up to ${latest}). Update SCIM Planner to open it; the file was left untouched.`,
      path,
    );
  }
  return { version, stamped: applicationId === kind.applicationId };
}

/** Applies the pending migrations and the application_id stamp in one transaction, so a failure leaves the file as it was. */
function migrate(db: Database.Database, kind: DatabaseKind, list: readonly Migration[], from: { version: number; stamped: boolean }): void {
  const pending = list.filter((m) => m.version > from.version);
  if (pending.length === 0 && from.stamped) return;
  db.transaction(() => {
    if (!from.stamped) db.pragma(`application_id = ${kind.applicationId}`);
    for (const m of pending) m.up(db);
    if (pending.length > 0) db.pragma(`user_version = ${pending[pending.length - 1]!.version}`);
  }).immediate();
}

/** Brings a connection the caller opened (tests, :memory:) to this kind's latest version, refusing one that is not ours. */
export function prepareConnection(db: Database.Database, kind: DatabaseKind, path = db.name): void {
  assertMigrationOrder(kind.migrations);
  migrate(db, kind, kind.migrations, identify(db, kind, path, latestOf(kind.migrations)));
}

export function openDatabaseFile(path: string, kind: DatabaseKind, options: DatabaseOpenOptions = {}): Database.Database {
  const list = options.migrations ?? kind.migrations;
  assertMigrationOrder(list);
  const latest = latestOf(list);
  if (path === ':memory:') {
    const db = connect(path, false);
    db.pragma('foreign_keys = ON');
    migrate(db, kind, list, { version: 0, stamped: false });
    return db;
  }
  const create = options.readOnly ? 'never' : (options.create ?? 'if-absent');
  const { state, headerApplicationId } = fileState(path, kind);
  if (state === 'absent' && create === 'never') throw kind.refuse(`There is no ${kind.noun} at ${path}.`, path);
  if (state === 'empty' && create !== 'new') {
    throw kind.refuse(`${path} is an empty file, not a ${kind.noun}. The file was left untouched; choose another file or create a new ${kind.noun}.`, path);
  }
  if (state !== 'sqlite') return createDatabase(path, kind, list, options.verifiedFiles ?? new VerifiedFiles());

  // Inspect through a connection that writes nothing: SQLite removes the -wal/-shm it made when the last
  // connection closes, while a SQLITE_OPEN_READONLY one leaves them behind, so that is used only where side
  // files already exist on a file not known as ours (a read-write connection would checkpoint that -wal or
  // roll back that -journal into it).
  const inspectReadOnly = headerApplicationId !== kind.applicationId && (existsSync(`${path}-wal`) || existsSync(`${path}-journal`));
  let db: Database.Database;
  try {
    db = connect(path, inspectReadOnly);
  } catch (error) {
    throw kind.refuse(`Cannot open ${kind.noun} ${path}: ${(error as Error).message}`, path);
  }
  try {
    db.pragma('query_only = ON');
    const found = identify(db, kind, path, latest);
    const verified = options.verifiedFiles ?? new VerifiedFiles();
    const problem = verified.unchangedSinceClose(path) ? null : integrityProblem(db);
    if (problem) {
      throw kind.refuse(
        `${path} is damaged: SQLite's integrity check says "${problem}". The file was left untouched; restore it from a backup or open another ${kind.noun}.`,
        path,
      );
    }
    if (options.readOnly) {
      rememberOnClose(db, path, verified);
      return db;
    }
    if (inspectReadOnly) {
      db.close();
      db = connect(path, false);
    }
    db.pragma('query_only = OFF');
    // earlier versions created files 0644 (and the app's data folder 0755)
    ensurePrivateFolder(dirname(path));
    makePrivate(path);
    kind.configure(db);
    db.pragma('foreign_keys = ON');
    migrate(db, kind, list, found);
    rememberOnClose(db, path, verified);
    return db;
  } catch (error) {
    db.close();
    if (/SQLITE_(CORRUPT|NOTADB)/.test(String((error as { code?: unknown }).code))) {
      throw kind.refuse(`${path} is not a readable ${kind.noun} (${(error as Error).message}). The file was left untouched.`, path);
    }
    throw error;
  }
}

/**
 * A connection accepted as sound records the file when it closes (verified-files.ts), so the next open of a large,
 * untouched file skips reading every page. Wrapped here because every owner (stores, servers, the CLI) closes its own.
 */
function rememberOnClose(db: Database.Database, path: string, verified: VerifiedFiles): void {
  const close = db.close.bind(db);
  db.close = () => {
    const result = close();
    try {
      verified.rememberClosed(path);
    } catch {
      // not remembered: the next open checks the file in full, which is only slower
    }
    return result;
  };
}

/** A new file: private from its first byte, stamped before WAL is switched on so the header always names its kind. */
function createDatabase(path: string, kind: DatabaseKind, list: readonly Migration[], verified: VerifiedFiles): Database.Database {
  ensurePrivateFolder(dirname(path));
  let db: Database.Database;
  try {
    db = connect(path, false);
  } catch (error) {
    throw kind.refuse(`Cannot create ${kind.noun} ${path}: ${(error as Error).message}`, path);
  }
  try {
    makePrivate(path);
    db.pragma(`application_id = ${kind.applicationId}`);
    kind.configure(db);
    db.pragma('foreign_keys = ON');
    migrate(db, kind, list, { version: 0, stamped: true });
    rememberOnClose(db, path, verified);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
