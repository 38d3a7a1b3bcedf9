import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configureMockServerDatabase } from '../../../electron/backend/mock-server/store.ts';
import { startMockServer, type MockServerOptions, type RunningMockServer } from '../../../electron/backend/mock-server/server.ts';

export interface TestServer {
  server: RunningMockServer;
  db: Database.Database;
  dir: string;
  dbPath: string;
  close(): Promise<void>;
}

/** A mock server on 127.0.0.1 port 0 with a real SQLite file in a temp dir. */
export async function startTestServer(options: Partial<MockServerOptions> = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mock-scim-'));
  const dbPath = join(dir, 'mock.sqlite');
  const db = new Database(dbPath);
  configureMockServerDatabase(db);
  const server = await startMockServer({ db, port: 0, token: 'test-token', ...options });
  return {
    server,
    db,
    dir,
    dbPath,
    async close() {
      await server.stop();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A SCIM response body as the tests read it: a resource (with id) or an Error. */
export interface ScimBody {
  id: string;
  schemas?: string[];
  scimType?: string;
  detail?: string;
  [key: string]: unknown;
}

export function scim(server: RunningMockServer) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(server.url + path, {
      method,
      headers: {
        Authorization: `Bearer ${server.token}`,
        ...(body !== undefined ? { 'Content-Type': 'application/scim+json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: text ? (JSON.parse(text) as ScimBody) : undefined };
  };
}
