import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { graphUserToSource } from '../../../shared/directory/graph-to-source.ts';
import { impactOf } from '../../../electron/backend/go-live/impact.ts';
import { snapshotGroupsOf } from '../../../electron/backend/go-live/snapshot-groups.ts';
import { planCycle } from '../../../electron/backend/provisioning/cycle.ts';
import { USER_BATCH, snapshotUsers } from '../../../electron/backend/provisioning/directory-users.ts';
import { AuditJsonFile, auditToJson } from '../../../electron/backend/provisioning/export.ts';
import { snapshotReader } from '../../../electron/backend/provisioning/service.ts';
import { MemoryProvisioningState, type AuditEntry } from '../../../electron/backend/provisioning/types.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import { demoUserCopies } from '../../support/users-files.ts';
import { tempDir } from '../../support/temp.ts';
import { liveSchema, planSchema } from '../go-live/fixtures.ts';
import { importMappingSet, type MappingSet } from '../../../shared/mapping/model.ts';
import { demoDirectory } from './helpers.ts';

const temp = tempDir('provisioning-streaming-');
afterAll(() => temp.cleanup());

function set(json: unknown): MappingSet {
  const imported = importMappingSet(json);
  if (!imported.ok) throw new Error(imported.issues.join('; '));
  return imported.set;
}

/** A workspace holding one snapshot of `count` generated users (the demo tenant's, copied). */
function workspaceWith(count: number, name: string) {
  const store = new WorkspaceStore(join(temp.path, `${name}.scimplan`));
  const project = store.createProject(name);
  const graphUsers = [...demoUserCopies(count)];
  const snapshot = store.addSnapshot({
    projectId: project.id,
    label: name,
    origin: 'json',
    users: graphUsers.map((raw) => ({ raw: raw as unknown as Record<string, unknown>, source: graphUserToSource(raw) })),
  });
  return { store, snapshotId: snapshot.id, sources: graphUsers.map((u) => graphUserToSource(u)) };
}

function entry(n: number): AuditEntry {
  return {
    objectType: 'User',
    sourceId: `id-${n}`,
    label: `user${n}@contoso.com`,
    action: 'create',
    status: n === 2 ? 'failure' : 'success',
    reason: n === 2 ? 'refused "quoted"\nnext line' : null,
    errorCode: n === 2 ? 'SystemForCrossDomainIdentityManagementBadRequest' : null,
    targetId: `t-${n}`,
    startedMs: n,
    durationMs: 1.5,
    steps: [{ name: 'Action', status: 'success', summary: 'Created', details: { 'Matched target objects': '0' }, requests: [] }],
  };
}

describe('the audit log written as the cycle goes', () => {
  it.each([0, 1, 3])('AuditJsonFile with %i entries writes the same bytes as auditToJson', async (count) => {
    const path = join(temp.path, `log-${count}.json`);
    const entries = Array.from({ length: count }, (_, n) => entry(n));
    const run = { kind: 'initial', target: 'http://127.0.0.1:1/scim', dialect: 'default', vendor: null, summary: { created: count } };
    const file = new AuditJsonFile(path);
    for (const e of entries) file.add(e);
    await file.finish(run);
    expect(readFileSync(path, 'utf8')).toBe(auditToJson(run, entries));
    expect(JSON.parse(readFileSync(path, 'utf8')).entries).toHaveLength(count);
  });
});

describe('a snapshot read in batches', () => {
  const count = USER_BATCH * 2 + 37;
  const { store, snapshotId, sources } = workspaceWith(count, 'batches');
  afterAll(() => store.close());

  it('yields every user once, in the snapshot order, never more than a batch at a time', () => {
    const users = snapshotUsers(store, snapshotId);
    expect(users.count).toBe(count);
    const sizes: number[] = [];
    const ids: string[] = [];
    for (const batch of users.batches()) {
      sizes.push(batch.length);
      ids.push(...batch.map((u) => String(u.objectId)));
    }
    expect(sizes).toEqual([USER_BATCH, USER_BATCH, 37]);
    expect(ids).toEqual(sources.map((u) => String(u.objectId)));
  });

  it('finds a user by object id or userPrincipalName, and knows who is not there', () => {
    const users = snapshotUsers(store, snapshotId);
    const wanted = sources[1500]!;
    expect(users.byId(String(wanted.objectId))).toEqual(wanted);
    expect(users.find(String(wanted.userPrincipalName).toUpperCase())).toEqual(wanted);
    expect(users.has(String(wanted.objectId))).toBe(true);
    expect(users.has('00000000-0000-0000-0000-000000000000')).toBe(false);
    expect(users.byId(String(wanted.userPrincipalName))).toBeUndefined();
  });

  it('plans the same cycle from the snapshot as from the users in memory', () => {
    const mappings = set(planSchema());
    const fromArray = planCycle({ kind: 'initial', set: mappings, current: { users: sources }, state: new MemoryProvisioningState() });
    const fromSnapshot = planCycle({ kind: 'initial', set: mappings, current: snapshotReader(store, snapshotId), state: new MemoryProvisioningState() });
    expect(fromSnapshot).toEqual(fromArray);
  });

  it("go-live's impact from the snapshot equals the impact from the users in memory", () => {
    const input = { live: set(liveSchema()), plan: set(planSchema('Sales')) };
    const fromArray = impactOf({ ...input, users: sources });
    const fromSnapshot = impactOf({ ...input, users: snapshotUsers(store, snapshotId) });
    expect(fromSnapshot).toEqual(fromArray);
    expect(fromSnapshot.impact.outOfScopeCount).toBe(fromSnapshot.impact.outOfScope.length);
    expect(fromSnapshot.impact.disables).toBeGreaterThan(1000);
  });
});

describe('canary group search in SQL', () => {
  it('pages groups by id or name ignoring case (beyond ASCII too), with the member counts of their sources', () => {
    const store = new WorkspaceStore(join(temp.path, 'groups.scimplan'));
    const project = store.createProject('groups');
    const users = demoDirectory().users.slice(0, 3);
    const snapshot = store.addSnapshot({
      projectId: project.id,
      label: 'groups',
      origin: 'json',
      users: users.map((u) => ({ raw: { id: u.objectId, userPrincipalName: u.userPrincipalName }, source: u })),
      groups: [
        { raw: { id: 'g-1', displayName: 'Équipe Paris' }, source: { objectId: 'g-1', displayName: 'Équipe Paris', members: [users[0]!.objectId, users[1]!.objectId] }, members: [] },
        { raw: { id: 'g-2', displayName: 'Sales' }, source: { objectId: 'g-2', displayName: 'Sales', members: null }, members: [] },
        { raw: { id: 'g-3', displayName: 'équipe Lyon' }, source: { objectId: 'g-3', displayName: 'équipe Lyon', members: [users[2]!.objectId] }, members: [] },
      ],
    });
    const groups = snapshotGroupsOf(store.db);
    expect(groups.search(snapshot.id, 'ÉQUIPE', 0, 1)).toEqual({ total: 2, offset: 0, items: [{ id: 'g-1', displayName: 'Équipe Paris', memberCount: 2 }] });
    expect(groups.search(snapshot.id, '', 1, 50).items.map((g) => [g.id, g.memberCount])).toEqual([['g-2', 0], ['g-3', 1]]);
    expect(groups.search(snapshot.id, 'G-3', 0, 50).total).toBe(1);
    expect(groups.find(snapshot.id, 'g-2')?.displayName).toBe('Sales');
    expect(groups.find(snapshot.id, 'ÉQUIPE LYON')?.objectId).toBe('g-3');
    expect(groups.find(snapshot.id, 'nobody')).toBeUndefined();
    store.close();
  });
});
