import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SnapshotSourceReader } from '../../../electron/backend/preview/snapshot-reader.ts';
import { ensureDemoProject } from '../../../electron/backend/workspace/demo-tenant.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import { tempDir } from '../../support/temp.ts';

describe("the preview workers' snapshot reader", () => {
  const dir = tempDir('scim-planner-reader-');
  const path = join(dir.path, 'w.scimplan');
  const store = new WorkspaceStore(path);
  ensureDemoProject(store);
  const snapshot = store.listSnapshots(store.listProjects()[0]!.id)[0]!;
  afterAll(() => {
    store.close();
    dir.cleanup();
  });

  it('splits a snapshot into ordinal ranges that together hold every user once, in snapshot order', () => {
    const reader = new SnapshotSourceReader(path);
    try {
      const starts = reader.boundaries(snapshot.id, 3);
      expect(starts).toHaveLength(3);
      const slices = starts.map((from, i) => reader.read(snapshot.id, from, starts[i + 1] ?? null));
      const ordinals = slices.flatMap((slice) => slice.ordinals);
      expect(ordinals).toEqual(Array.from({ length: snapshot.userCount }, (_, i) => i));
      expect(slices.flatMap((slice) => slice.users)).toEqual([...store.iterateUsers(snapshot.id)].map((user) => user.source));
      expect(Math.min(...slices.map((s) => s.users.length))).toBeGreaterThan(snapshot.userCount / 6);
      const first = store.getUser(snapshot.id, String(slices[0]!.users[0]!.objectId))!;
      expect(reader.source(snapshot.id, first.id)).toEqual(first.source);
    } finally {
      reader.close();
    }
  });

  it("reads the same users a batch at a time on a stream connection (the workers' small page cache) as on a default one", () => {
    const stream = new SnapshotSourceReader(path, { stream: true });
    const plain = new SnapshotSourceReader(path);
    try {
      const batches = [...stream.batches(snapshot.id, 0, null, 7)];
      expect(batches.every((batch) => batch.users.length <= 7)).toBe(true);
      expect(batches.flatMap((batch) => batch.ordinals)).toEqual(Array.from({ length: snapshot.userCount }, (_, i) => i));
      expect(batches.flatMap((batch) => batch.users)).toEqual(plain.read(snapshot.id).users);
    } finally {
      stream.close();
      plain.close();
    }
  });

  it('reads ordinal ranges through the ordinal index, merging the layers without a sort, and looks users up by key (EXPLAIN QUERY PLAN)', () => {
    const reader = new SnapshotSourceReader(path);
    try {
      const [between, from, byId] = reader.plans();
      expect(between!.match(/USING INDEX snapshot_users_order \(snapshot_id=\? AND ordinal>\? AND ordinal<\?\)/g)).toHaveLength(2);
      expect(from!.match(/USING INDEX snapshot_users_order \(snapshot_id=\? AND ordinal>\?\)/g)).toHaveLength(2);
      for (const plan of [between, from]) expect(plan).not.toMatch(/TEMP B-TREE/);
      expect(byId).toMatch(/USING PRIMARY KEY \(snapshot_id=\? AND id=\?\)/);
    } finally {
      reader.close();
    }
  });
});
