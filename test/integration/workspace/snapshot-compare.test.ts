import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../../shared/directory/snapshot-diff.ts';
import { compareStoredSnapshots } from '../../../electron/backend/workspace/snapshot-compare.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import { tempDir } from '../../support/temp.ts';

/** A deterministic pseudo-random sequence, so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function user(i: number, department = `Dept ${i % 17}`, proxies = [`smtp:u${i}@contoso.com`, `SMTP:user${i}@contoso.com`]) {
  const source = { objectId: `id-${String(i).padStart(6, '0')}`, userPrincipalName: `user${i}@contoso.com`, department, proxyAddresses: proxies };
  return { raw: { id: source.objectId, userPrincipalName: source.userPrincipalName }, source };
}

describe('snapshot compare inside SQLite', () => {
  const dirs: { cleanup(): void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

  it('finds what the in-memory comparison finds, in the same order, on 3,000 users with every kind of change', () => {
    const dir = tempDir();
    dirs.push(dir);
    const store = new WorkspaceStore(join(dir.path, 'w.scimplanner'));
    const project = store.createProject('p');
    const next = random(7);
    const before = Array.from({ length: 3000 }, (_, i) => user(i));
    const after: ReturnType<typeof user>[] = [];
    for (const [i, entry] of before.entries()) {
      const roll = next();
      if (roll < 0.02) continue; // removed
      if (roll < 0.06) after.push(user(i, 'Changed')); // a changed value
      // the same values in another order: different text, unchanged in Entra's eyes
      else if (roll < 0.1) after.push(user(i, undefined, [...entry.source.proxyAddresses].reverse()));
      else after.push(entry);
    }
    for (let i = 5000; i < 5040; i++) after.splice(Math.floor(next() * after.length), 0, user(i)); // added, scattered
    const from = store.addSnapshot({ projectId: project.id, label: 'before', origin: 'json', users: before });
    const to = store.addSnapshot({ projectId: project.id, label: 'after', origin: 'json', users: after });

    const stored = compareStoredSnapshots(store.db, from.id, to.id);
    const inMemory = diffSnapshots(store.iterateUsers(from.id), store.iterateUsers(to.id));
    expect(stored).toEqual(inMemory);
    expect(stored.added).toHaveLength(40);
    expect(stored.changed.length).toBeGreaterThan(50);
    expect(stored.changed.every((c) => c.changes.every((change) => change.attribute === 'department'))).toBe(true);
    expect(stored.unchanged + stored.changed.length + stored.added.length).toBe(after.length);
    store.close();
  });
});
