import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { graphUserToSource, type GraphUser } from '../../../shared/directory/graph-to-source.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { importMappingSet, type MappingSet } from '../../../shared/mapping/model.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import { tempDir } from '../../support/temp.ts';

import * as runner from '../../../electron/backend/preview/runner.ts';
import * as run from '../../../shared/preview/run.ts';

function template(): MappingSet {
  const result = importMappingSet(JSON.parse(readFileSync(new URL('../../../resources/templates/entra-scim-default.schema.json', import.meta.url), 'utf8')));
  if (!result.ok) throw new Error(result.issues.join('\n'));
  return result.set;
}

/** The demo tenant, replicated with fresh ids until there are `count` users (managers point inside each copy). */
function demoUsers(count: number): SourceObject[] {
  const demo = (JSON.parse(readFileSync(new URL('../../../resources/demo-tenant/users.json', import.meta.url), 'utf8')) as { value: GraphUser[] }).value;
  const users: SourceObject[] = [];
  for (let copy = 0; users.length < count; copy++) {
    const suffix = (id: string) => (copy === 0 ? id : `${id.slice(0, 24)}${String(copy).padStart(12, '0')}`);
    for (const user of demo) {
      if (users.length >= count) break;
      const upn = copy === 0 ? user.userPrincipalName : user.userPrincipalName?.replace('@', `.${copy}@`);
      users.push(graphUserToSource({ ...user, id: suffix(user.id), userPrincipalName: upn, manager: user.manager ? { ...user.manager, id: suffix(user.manager.id) } : null }));
    }
  }
  return users;
}

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

  it('cancelling terminates the workers and rejects with AbortError', async () => {
    const controller = new AbortController();
    const pending = new runner.PreviewRunner({ workers: 2, inProcessBelow: 0 }).run(
      { set: template(), users: demoUsers(20000) },
      { signal: controller.signal, onProgress: () => controller.abort() },
    );
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
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
      const workers = await new runner.PreviewRunner({ workers: 2, inProcessBelow: 0 }).start(job);
      try {
        expect(workers.rows.map((r) => r.id)).toEqual(users.map((u) => u.objectId));
        expect(workers.rows).toEqual(local.rows);
        expect(workers.summary).toEqual(run.previewSnapshot({ set: template(), users }).summary);
        expect(workers.coverage).toEqual(local.coverage);
        const ids = [users[5]!.objectId as string, users[2599]!.objectId as string];
        expect(JSON.parse(JSON.stringify(await workers.users(ids)))).toEqual(JSON.parse(JSON.stringify(await local.users(ids))));
      } finally {
        await Promise.all([local.close(), workers.close()]);
      }
    } finally {
      store.close();
      dir.cleanup();
    }
  });
});
