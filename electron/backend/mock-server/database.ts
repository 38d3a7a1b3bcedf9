/**
 * The CLI's mock server database (`scim-planner mock-server --db`): a file of its own kind, with its own
 * ordered migrations and PRAGMA user_version, so a later change of the mock tables reaches it as it reaches
 * workspaces. In the app the server runs on the workspace, whose migration 2 creates the same tables.
 */
import type Database from 'better-sqlite3';
import { APPLICATION_IDS, openDatabaseFile, prepareConnection, type DatabaseKind, type DatabaseOpenOptions } from '../sqlite-file.ts';
import type { Migration } from '../workspace/migrations.ts';
import { mockServerMigrations } from '../workspace/migrations/mock-server.ts';

/** A mock server database that cannot be opened; the message names the file and why. */
export class MockServerDatabaseError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'MockServerDatabaseError';
  }
}

/** Never edit one that has shipped: add the next version. */
export const mockServerDatabaseMigrations: readonly Migration[] = [
  // the tables exactly as workspace migration 2 creates them (its IF NOT EXISTS also adopts a file made before versions)
  { version: 1, name: 'mock SCIM server state and request log', up: (db) => mockServerMigrations.forEach((m) => m.up(db)) },
  {
    version: 2,
    name: 'forget the Secret Token earlier versions kept in clear text',
    up(db) {
      // the CLI now generates the token at each start (docs/mock-server.md); secure_delete zeroes the freed bytes.
      // The key is spelled out: a shipped migration must not follow later renames.
      const previous = db.pragma('secure_delete', { simple: true }) as number;
      db.pragma('secure_delete = ON');
      db.prepare("DELETE FROM mock_settings WHERE key = 'token'").run();
      db.pragma(`secure_delete = ${previous}`);
    },
  },
];

/**
 * Pragmas for a database file the mock server owns (the CLI's). WAL with synchronous=NORMAL: a commit
 * is written to the WAL file (the OS page cache) before better-sqlite3 returns, so it survives SIGKILL
 * of this process once the 2xx is sent; only a power loss or OS crash can drop the last commits, which
 * FULL would prevent at the cost of an fsync per request. The app's workspace sets its own pragmas.
 */
export function configureMockServerDatabase(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
}

const MOCK_SERVER_DATABASE: DatabaseKind = {
  noun: 'mock SCIM server database',
  applicationId: APPLICATION_IDS.mockServer,
  migrations: mockServerDatabaseMigrations,
  // made by the unversioned bootstrap of earlier versions: the mock tables, no workspace around them
  isLegacy: (tables, userVersion) => userVersion === 0 && tables.has('mock_users') && tables.has('mock_settings') && !tables.has('projects'),
  configure: configureMockServerDatabase,
  refuse: (message, path) => new MockServerDatabaseError(message, path),
};

export function openMockServerDatabase(path: string, options: DatabaseOpenOptions = {}): Database.Database {
  return openDatabaseFile(path, MOCK_SERVER_DATABASE, options);
}

/**
 * The mock tables on a connection the caller opened: a workspace has them from its own migrations;
 * any other connection (tests, :memory:) is brought to the mock database's latest version.
 */
export function prepareMockServerSchema(db: Database.Database): void {
  if (db.pragma('application_id', { simple: true }) === APPLICATION_IDS.workspace) return;
  prepareConnection(db, MOCK_SERVER_DATABASE);
}
