import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { graphUserToSource, type GraphUser } from '../../../shared/directory/graph-to-source.ts';
import { importMappingSet } from '../../../shared/mapping/model.ts';
import { previewSnapshot } from '../../../shared/preview/run.ts';
import { startMockServer } from '../../../electron/backend/mock-server/server.ts';
import { GENERIC_BEHAVIOUR } from '../../../electron/backend/mock-server/vendor-behaviour.ts';

/**
 * The builder's requests must be accepted by the project's mock SCIM server with the generic vendor behaviour:
 * every match query answers 200 with an empty list, every POST 201 with an id.
 */
describe("mock SCIM server accepts the preview's requests", () => {
  it('every match query of the demo tenant preview finds nothing and every POST is created', async () => {
    const set = importMappingSet(JSON.parse(readFileSync(new URL('../../../resources/templates/entra-scim-default.schema.json', import.meta.url), 'utf8')));
    if (!set.ok) throw new Error(set.issues.join('\n'));
    const users = (JSON.parse(readFileSync(new URL('../../../resources/demo-tenant/users.json', import.meta.url), 'utf8')) as { value: GraphUser[] }).value;
    const result = previewSnapshot({ set: set.set, users: users.map((u) => graphUserToSource(u)) });

    const dir = mkdtempSync(join(tmpdir(), 'preview-mock-'));
    const db = new Database(join(dir, 'mock.sqlite'));
    const server = await startMockServer({ db, port: 0, token: 'test-token', mode: 'entra', behaviour: GENERIC_BEHAVIOUR });
    try {
      let posted = 0;
      for (const user of result.users) {
        for (const request of user.requests) {
          if (request.method !== 'GET' && request.method !== 'POST') continue;
          const response = await fetch(`${server.url}${request.path}`, {
            method: request.method,
            headers: { Authorization: 'Bearer test-token', ...(request.body ? { 'Content-Type': 'application/scim+json' } : {}) },
            ...(request.body ? { body: JSON.stringify(request.body) } : {}),
          });
          const body = await response.json();
          if (request.method === 'GET') {
            expect({ user: user.userPrincipalName, status: response.status, total: body.totalResults }).toEqual({ user: user.userPrincipalName, status: 200, total: 0 });
          } else {
            expect({ user: user.userPrincipalName, status: response.status, detail: body.detail }).toMatchObject({ user: user.userPrincipalName, status: 201 });
            expect(typeof body.id).toBe('string');
            posted++;
          }
        }
      }
      expect(posted).toBe(result.summary.byAction.create);
    } finally {
      await server.stop();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
