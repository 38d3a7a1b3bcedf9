import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import type { Finding } from '../../../shared/preview/types.ts';
import { listBuiltInProfiles, loadBuiltInProfile, orderVendorFindings, VENDOR_FINDING_CODES, vendorFindings, vendorMappingFindings } from '../../../shared/vendors/index.ts';
import { tempDir } from '../../support/temp.ts';
import { demoUsers, template } from './demo-users.ts';
import { withMistakes } from '../../unit/vendors/scenarios.ts';
import { defaultSet, demoGroups, recommendedSet } from '../../unit/vendors/support.ts';

import * as runner from '../../../electron/backend/preview/runner.ts';
import * as run from '../../../shared/preview/run.ts';

describe('preview runner', () => {
  it('worker threads give the same result as the in-process preview, with progress up to the total', async () => {
    const users = demoUsers(3000);
    const previewRunner = new runner.PreviewRunner({ workers: 2, inProcessBelow: 0 });
    const progress: number[] = [];
    const result = await previewRunner.run({ set: template(), users }, { onProgress: (p) => progress.push(p.done) });
    const expected = run.previewSnapshot({ set: template(), users });
    expect(result.summary).toEqual(expected.summary);
    expect(result.users).toEqual(expected.users);
    expect(result.findings).toEqual(expected.findings);
    expect(progress.at(-1)).toBe(3000);
  });

  it('runs the incremental preview in workers too (previous snapshot first)', async () => {
    const before = demoUsers(2500);
    const after = before.slice(1).map((u, i) => (i === 0 ? { ...u, department: 'Moved' } : u));
    const result = await new runner.PreviewRunner({ workers: 2, inProcessBelow: 0 }).run({ set: template(), users: after, previousUsers: before });
    const expected = run.previewSnapshot({ set: template(), users: after, previousUsers: before });
    expect(result.summary).toEqual(expected.summary);
    expect(result.summary.byAction.deactivate).toBeGreaterThanOrEqual(1);
  });

  it('cancelling stops the workers\' pass and rejects with AbortError; the pooled workers then run the next preview', async () => {
    const previewRunner = new runner.PreviewRunner({ workers: 2, inProcessBelow: 0 });
    try {
      const kept = await previewRunner.start({ set: template(), users: demoUsers(2200) });
      const threads = previewRunner.workerThreadIds();
      expect(threads).toHaveLength(2);
      const controller = new AbortController();
      const pending = previewRunner.run({ set: template(), users: demoUsers(20000) }, { signal: controller.signal, onProgress: () => controller.abort() });
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
      // Same threads: the cancel stopped a chunk, not the workers, so the session kept on them still answers.
      expect(previewRunner.workerThreadIds()).toEqual(threads);
      const id = kept.indexRows(2100, 1)[0]!.id;
      expect((await kept.user(id))?.id).toBe(id);
      const next = await previewRunner.run({ set: template(), users: demoUsers(3000) });
      expect(next.summary).toEqual(run.previewSnapshot({ set: template(), users: demoUsers(3000) }).summary);
      expect(previewRunner.workerThreadIds()).toEqual(threads);
      await kept.close();
    } finally {
      await previewRunner.close();
    }
  });

  it('caches per (mapping revision, snapshot, previous state)', async () => {
    const previewRunner = new runner.PreviewRunner();
    const job = { set: template(), users: demoUsers(50), cacheKey: { mappingRevision: 3, snapshot: 'snap-1', previous: null } };
    const first = await previewRunner.run(job);
    expect(previewRunner.cached(job)).toBe(first);
    expect(await previewRunner.run(job)).toBe(first);
    expect(previewRunner.cached({ ...job, cacheKey: { ...job.cacheKey, mappingRevision: 4 } })).toBeUndefined();
  });

  it('a workspace snapshot previews alike on this thread and in workers reading it themselves, in snapshot order', async () => {
    const dir = tempDir('preview-runner-');
    const path = join(dir.path, 'w.scimplan');
    const store = new WorkspaceStore(path);
    try {
      const users = demoUsers(2600);
      const project = store.createProject('runner');
      const snapshot = store.addSnapshot({ projectId: project.id, label: 'x', origin: 'json', users: users.map((source) => ({ raw: { id: source.objectId }, source: { ...source } })) });
      const job = { set: template(), workspace: { workspacePath: path, snapshotId: snapshot.id, userCount: users.length } };
      const local = await new runner.PreviewRunner({ workers: 1 }).start(job);
      const workerRunner = new runner.PreviewRunner({ workers: 2, inProcessBelow: 0 });
      const workers = await workerRunner.start(job);
      try {
        expect(workers.indexRows().map((r) => r.id)).toEqual(users.map((u) => u.objectId));
        expect(workers.indexRows()).toEqual(local.indexRows());
        expect(workers.summary).toEqual(run.previewSnapshot({ set: template(), users }).summary);
        expect(workers.coverage).toEqual(local.coverage);
        const ids = [users[5]!.objectId as string, users[2599]!.objectId as string];
        expect(JSON.parse(JSON.stringify(await workers.users(ids)))).toEqual(JSON.parse(JSON.stringify(await local.users(ids))));
        // The run above streamed each chunk from the file a batch at a time; a re-run of the same snapshot previews the
        // users each worker kept from that read: the same result.
        const rerun = await workerRunner.start(job);
        try {
          expect(rerun.indexRows()).toEqual(local.indexRows());
          expect(rerun.summary).toEqual(workers.summary);
          expect(rerun.stats).toEqual(workers.stats);
          expect(JSON.parse(JSON.stringify(await rerun.users(ids)))).toEqual(JSON.parse(JSON.stringify(await local.users(ids))));
        } finally {
          await rerun.close();
        }
      } finally {
        await Promise.all([local.close(), workers.close()]);
      }
    } finally {
      store.close();
      dir.cleanup();
    }
  });
});

describe('pooled preview workers', () => {
  it('read a snapshot again when another took its id, though a re-run of the same snapshot reuses the users read', async () => {
    const dir = tempDir('preview-pool-');
    const path = join(dir.path, 'w.scimplan');
    const store = new WorkspaceStore(path);
    const previewRunner = new runner.PreviewRunner({ workers: 2, inProcessBelow: 0 });
    const departmentCoverage = async (snapshotId: number, userCount: number) => {
      const session = await previewRunner.start({ set: template(), workspace: { workspacePath: path, snapshotId, userCount } });
      await session.close();
      return session.coverage.find((row) => row.target.endsWith(':department'))!.value;
    };
    try {
      const project = store.createProject('pool');
      const users = demoUsers(2200);
      const asRows = (list: SourceObject[]) => list.map((source) => ({ raw: { id: source.objectId }, source: { ...source } }));
      const first = store.addSnapshot({ projectId: project.id, label: 'x', origin: 'json', users: asRows(users) });
      const withDepartments = await departmentCoverage(first.id, users.length);
      expect(withDepartments).toBeGreaterThan(1000);
      expect(await departmentCoverage(first.id, users.length)).toBe(withDepartments);
      // Same id (SQLite reuses the largest rowid), same label and user count; only the fetch time tells them apart.
      store.deleteSnapshot(first.id);
      const withoutDepartments = users.map(({ department: _department, ...rest }) => rest as SourceObject);
      const second = store.addSnapshot({ projectId: project.id, label: 'x', origin: 'json', fetchedAt: '2026-02-01T00:00:00.000Z', users: asRows(withoutDepartments) });
      expect(second.id).toBe(first.id);
      expect(await departmentCoverage(second.id, users.length)).toBe(0);
    } finally {
      await previewRunner.close();
      store.close();
      dir.cleanup();
    }
  });
});

describe('the vendor rules in the preview workers', () => {
  /**
   * 1,200 demo-shaped users (two chunks: the runner makes one per 1,000 users, up to its two workers), where the
   * member first and the member last in key order share a userName: chunks are key ranges, so the two meet only
   * when the chunks are merged.
   */
  function usersWithCrossChunkDuplicate() {
    const tenant = demoUsers(1200);
    const members = tenant.filter((u) => u.accountEnabled === true && !String(u.originalUserPrincipalName).includes('#EXT#')).sort((a, b) => (String(a.objectId) < String(b.objectId) ? -1 : 1));
    const [low, high] = [members[0]!, members.at(-1)!];
    const users = tenant.map((u) => (u.objectId === high.objectId ? { ...u, userPrincipalName: String(low.userPrincipalName).toUpperCase() } : u));
    // Named in snapshot order, as a single pass meets them.
    const pair = [low, high].sort((a, b) => tenant.indexOf(a) - tenant.indexOf(b)).map((u) => String(u.objectId));
    return { users, pair };
  }

  it('give every built-in profile exactly the one-shot vendorFindings, a duplicate across two chunks included', async () => {
    const dir = tempDir('preview-vendor-');
    const path = join(dir.path, 'w.scimplan');
    const store = new WorkspaceStore(path);
    const previewRunner = new runner.PreviewRunner({ workers: 2, inProcessBelow: 0 });
    try {
      const { users, pair } = usersWithCrossChunkDuplicate();
      // A leaver too: the previous state holds a user the directory no longer has (previewed on this thread).
      const previousUsers = [...users, { ...users[0]!, objectId: 'ffffffff-0000-0000-0000-000000000001', userPrincipalName: 'gone@contoso.com' }];
      const project = store.createProject('vendor rules');
      const snapshot = store.addSnapshot({ projectId: project.id, label: 'x', origin: 'json', users: users.map((source) => ({ raw: { id: source.objectId }, source: { ...source } })) });
      const workspace = { workspacePath: path, snapshotId: snapshot.id, userCount: users.length };
      let duplicatesSeen = 0;
      for (const { id } of listBuiltInProfiles()) {
        const profile = loadBuiltInProfile(id);
        for (const set of [defaultSet(), withMistakes(recommendedSet(id))]) {
          const session = await previewRunner.start({ set, workspace, previousUsers, vendor: id, vendorProfile: profile });
          try {
            const merged = session.vendorUsers!;
            const perUser = (await session.users(session.indexRows().map((row) => row.id))).flatMap((user) => user.findings.filter((f: Finding) => f.code in VENDOR_FINDING_CODES));
            const mapping = vendorMappingFindings(profile, set, { dialect: session.dialect, groups: demoGroups, managerOutOfScope: merged.managerOutOfScope });
            const expected = vendorFindings(profile, set, run.previewSnapshot({ set, users, previousUsers, vendor: id }), { users, groups: demoGroups });
            expect(orderVendorFindings(mapping, perUser, merged), `${id}`).toEqual(expected);
            const duplicates = merged.duplicates.filter((f) => f.attribute === 'userName' && pair.includes(f.userId!));
            if (duplicates.length > 0) {
              expect(duplicates.map((f) => f.userId)).toEqual(pair);
              duplicatesSeen++;
            }
          } finally {
            await session.close();
          }
        }
      }
      // Four profiles ask for a unique userName (Haiilo, Thrive, Forms On Fire, generic SCIM).
      expect(duplicatesSeen).toBeGreaterThanOrEqual(4);
    } finally {
      await previewRunner.close();
      store.close();
      dir.cleanup();
    }
  });
});
