import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { previewSnapshot } from '../../../shared/preview/run.ts';
import type { UserPreview } from '../../../shared/preview/types.ts';
import { loadBuiltInProfile, VENDOR_FINDING_CODES } from '../../../shared/vendors/index.ts';
import { PreviewRunner } from '../../../electron/backend/preview/runner.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import { tempDir } from '../../support/temp.ts';
import { demoUsers, template } from './demo-users.ts';

/**
 * 2,600 users: two chunks of 1,300 for two workers, each read in batches of 1,000, with managers the chunk cannot see
 * in the batch it previews: in the other chunk, in an earlier batch, disabled, soft-deleted, provisioned before under
 * another name and disabled since, only in the previous state (a leaver), or in no snapshot at all.
 */
function tenant() {
  const users = demoUsers(2600);
  const id = (i: number) => String(users[i]!.objectId);
  const leaver = { ...users[0]!, objectId: 'ffffffff-0000-4000-8000-00000000beef', userPrincipalName: 'gone@contoso.com' };
  const withManager = (i: number, manager: string) => (users[i] = { ...users[i]!, manager });
  withManager(10, id(2500));
  withManager(2400, id(30));
  withManager(1310, id(5));
  withManager(1500, 'ffffffff-0000-4000-8000-00000000dead');
  withManager(40, leaver.objectId);
  withManager(1250, id(900));
  users[30] = { ...users[30]!, accountEnabled: false };
  users[5] = { ...users[5]!, IsSoftDeleted: true };
  users[900] = { ...users[900]!, accountEnabled: false };
  // Provisioned by the last cycle as renamed.user@ and disabled since: still linked, under the target id it had then.
  const renamed = { ...users[2500]!, userPrincipalName: 'renamed.user@contoso.com' };
  users[2500] = { ...users[2500]!, accountEnabled: false };
  const previousUsers: SourceObject[] = [renamed, users[20]!, users[900]!, leaver];
  return { users, previousUsers };
}

describe('a workspace chunk finds the managers of its users in the file', () => {
  it('gives what a run over the users in memory gives: every user, the findings, the coverage, the vendor rules and the provisioned users', async () => {
    const dir = tempDir('preview-managers-');
    const path = join(dir.path, 'w.scimplan');
    const store = new WorkspaceStore(path);
    const runner = new PreviewRunner({ workers: 2, inProcessBelow: 0 });
    try {
      const { users, previousUsers } = tenant();
      const project = store.createProject('managers');
      const snapshot = store.addSnapshot({ projectId: project.id, label: 'x', origin: 'json', users: users.map((source) => ({ raw: { id: source.objectId }, source: { ...source } })) });
      const set = template();
      const vendor = { vendor: 'generic', vendorProfile: loadBuiltInProfile('generic') };
      const workspace = { workspacePath: path, snapshotId: snapshot.id, userCount: users.length };
      const session = await runner.start({ set, workspace, previousUsers, ...vendor });
      const local = await new PreviewRunner({ workers: 1 }).start({ set, users, previousUsers, ...vendor });
      try {
        expect(session.workerPeakHeapMb).toHaveLength(2);
        expect(session.summary).toEqual(local.summary);
        expect(session.findings).toEqual(local.findings);
        expect(session.coverage).toEqual(local.coverage);
        expect(session.groups.list()).toEqual(local.groups.list());
        const all = await session.users();
        expect(JSON.parse(JSON.stringify(all))).toEqual(JSON.parse(JSON.stringify(await local.users())));
        // The users' previews as the one-shot preview gives them (the vendor's findings aside).
        const oneShot = previewSnapshot({ set, users, previousUsers }).users;
        const engineOnly = (list: UserPreview[]) => JSON.parse(JSON.stringify(list.map((user) => ({ ...user, findings: user.findings.filter((f) => !(f.code in VENDOR_FINDING_CODES)) }))));
        expect(engineOnly(all)).toEqual(engineOnly(oneShot));
        const codes = (i: number) => all.find((user) => user.id === users[i]!.objectId)!.findings.map((f) => f.code);
        for (const i of [2400, 1310, 1500, 40, 1250]) expect(codes(i), `user ${i}`).toContain('MANAGER_NOT_PROVISIONED');
        expect(codes(10)).not.toContain('MANAGER_NOT_PROVISIONED');
        expect(JSON.stringify(all.find((user) => user.id === users[10]!.objectId)!.requests)).toContain('{id:renamed.user@contoso.com}');
        expect(session.vendorUsers).toEqual(local.vendorUsers);
        // The session's provisioned users (group members link to them) as the in-memory run has them.
        for (const user of [...users, ...previousUsers]) {
          const id = String(user.objectId);
          expect(session.provisioned.get(id), id).toBe(local.provisioned.get(id));
        }
      } finally {
        await Promise.all([session.close(), local.close()]);
      }
    } finally {
      await runner.close();
      store.close();
      dir.cleanup();
    }
  });
});
