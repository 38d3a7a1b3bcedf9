import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { graphUserToSource, type GraphUser } from '../../../shared/directory/graph-to-source.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { importMappingSet, type MappingSet } from '../../../shared/mapping/model.ts';
import { loadBuiltInProfile, toMockBehaviour } from '../../../shared/vendors/index.ts';
import { startMockServer, type RunningMockServer } from '../../../electron/backend/mock-server/server.ts';
import { GENERIC_BEHAVIOUR, type VendorBehaviour } from '../../../electron/backend/mock-server/vendor-behaviour.ts';
import { toSnapshotGroups } from '../../../electron/backend/workspace/demo-tenant.ts';
import type { DirectoryState, GroupSource } from '../../../electron/backend/provisioning/types.ts';
import { tempDir } from '../../support/temp.ts';

const root = new URL('../../../', import.meta.url);

export function demoGraphUsers(): GraphUser[] {
  return (JSON.parse(readFileSync(new URL('resources/demo-tenant/users.json', root), 'utf8')) as { value: GraphUser[] }).value;
}

export function demoGroups(): GroupSource[] {
  const groups = (JSON.parse(readFileSync(new URL('resources/demo-tenant/groups.json', root), 'utf8')) as { value: Record<string, unknown>[] }).value;
  return toSnapshotGroups(groups).map((g) => ({
    source: g.source as SourceObject,
    memberIds: g.members.filter((m) => m.type === 'user').map((m) => m.id),
  }));
}

export function demoDirectory(): DirectoryState {
  return { users: demoGraphUsers().map((u) => graphUserToSource(u)), groups: demoGroups() };
}

export function mappingSet(file: string): MappingSet {
  const imported = importMappingSet(JSON.parse(readFileSync(new URL(file, root), 'utf8')));
  if (!imported.ok) throw new Error(imported.issues.join('\n'));
  return imported.set;
}

export const VENDORS = ['generic', 'hithrive', 'haiilo', 'thrive', 'formsonfire', 'hector'] as const;

export function vendorSet(vendor: string): MappingSet {
  return mappingSet(`test/fixtures/vendors/${vendor}.recommended.schema.json`);
}

export function vendorBehaviour(vendor: string): VendorBehaviour {
  return vendor === 'generic' ? GENERIC_BEHAVIOUR : (toMockBehaviour(loadBuiltInProfile(vendor)) as VendorBehaviour);
}

export interface MockTarget {
  server: RunningMockServer;
  db: Database.Database;
  dir: string;
  stop(): Promise<void>;
}

export async function startMock(behaviour: VendorBehaviour = GENERIC_BEHAVIOUR, extra: { port?: number; dir?: string } = {}): Promise<MockTarget> {
  const temp = extra.dir ? null : tempDir('provisioning-mock-');
  const dir = extra.dir ?? temp!.path;
  const db = new Database(join(dir, 'mock.sqlite'));
  const server = await startMockServer({ db, port: extra.port ?? 0, token: 'test-token', mode: 'entra', behaviour });
  return {
    server,
    db,
    dir,
    async stop() {
      await server.stop();
      db.close();
      temp?.cleanup();
    },
  };
}

/** Every user the server holds, by userName. */
export function heldUsers(server: RunningMockServer): Map<string, Record<string, unknown>> {
  const held = new Map<string, Record<string, unknown>>();
  for (let start = 1; ; start += 100) {
    const page = server.listUsers({ startIndex: start, count: 100 });
    for (const resource of page.resources) held.set(String(resource.userName).toLowerCase(), resource);
    if (page.resources.length < 100) break;
  }
  return held;
}
