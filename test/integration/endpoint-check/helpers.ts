import Database from 'better-sqlite3';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { startMockServer, type RunningMockServer } from '../../../electron/backend/mock-server/server.ts';
import { GENERIC_BEHAVIOUR, type VendorBehaviour } from '../../../electron/backend/mock-server/vendor-behaviour.ts';
import { UsageError, type CliIO } from '../../../electron/cli/command.ts';
import { commandLoaders } from '../../../electron/cli/registry.ts';
import { tempDir } from '../../support/temp.ts';

export const DEFAULT_MAPPINGS = 'resources/templates/entra-scim-default.schema.json';
export const DEMO_USERS = 'resources/demo-tenant/users.json';

export interface Mock {
  server: RunningMockServer;
  stop(): Promise<void>;
}

/** The project's mock server on 127.0.0.1, port 0, with its state in a temp SQLite file. */
export async function startMock(mode: 'entra' | 'strict', behaviour: VendorBehaviour = GENERIC_BEHAVIOUR): Promise<Mock> {
  const dir = tempDir('endpoint-check-mock-');
  const db = new Database(join(dir.path, 'mock.sqlite'));
  const server = await startMockServer({ db, port: 0, token: 'mock-token', mode, behaviour });
  return {
    server,
    async stop() {
      await server.stop();
      db.close();
      dir.cleanup();
    },
  };
}

/** Everything the mock holds: users and groups (the check must leave none behind). */
export function heldResources(server: RunningMockServer): { users: number; groups: number } {
  return {
    users: server.listUsers({ startIndex: 1, count: 1000 }).resources.length,
    groups: server.listGroups({ startIndex: 1, count: 1000 }).resources.length,
  };
}

export function fakeIo(stdin = new PassThrough()) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), stdin, env: {} };
  return { io, out, err, text: () => out.join(''), errors: () => err.join('') };
}

/** A command through the registry, as `scim-planner <name>` runs it: a UsageError is exit code 2. */
export async function main([name, ...args]: string[], io: CliIO): Promise<number> {
  const command = await commandLoaders[name!]!();
  try {
    return await command.run(args, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(error.message);
    return 2;
  }
}
