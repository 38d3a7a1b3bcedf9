/**
 * Two snapshots of one workspace compared as a merge of two scans of the index on (snapshot_id, id, source_digest,
 * ordinal) (issue 18: a million users on each side): ids on one side only are added or removed, and only the users
 * whose source digests differ have their stored source JSON read and compared attribute by attribute. Neither side is
 * ever held in memory; the result keeps ids only, plus the changed attributes of the changed users. Snapshots are read
 * through their layers (snapshot-rows.ts).
 */
import type Database from 'better-sqlite3';
import { diffSources, type SnapshotDiff } from '../../../shared/directory/snapshot-diff.ts';
import { layerParams, snapshotLayers, snapshotUserValueSql, snapshotUsersSql, type SnapshotLayers } from './snapshot-rows.ts';

type Changed = SnapshotDiff['changed'][number] & { ordinal: number };
interface IndexedUser {
  id: string;
  digest: number | null;
  ordinal: number;
}

export function compareStoredSnapshots(db: Database.Database, from: number, to: number): SnapshotDiff {
  const a = snapshotLayers(db, from);
  const b = snapshotLayers(db, to);
  if ((a.base ?? a.own) === (b.base ?? b.own)) return compareSharingBase(db, a, b);
  // one statement per side: a statement iterates one result at a time
  const byId = () => db.prepare(`${snapshotUsersSql('u.id, u.source_digest AS digest, u.ordinal')} ORDER BY id`);
  const before = (byId().iterate(layerParams(a)) as IterableIterator<IndexedUser>)[Symbol.iterator]();
  const after = (byId().iterate(layerParams(b)) as IterableIterator<IndexedUser>)[Symbol.iterator]();
  const added: { id: string; ordinal: number }[] = [];
  const removed: { id: string; ordinal: number }[] = [];
  const candidates: { id: string; ordinal: number }[] = [];
  let x = before.next();
  let y = after.next();
  while (!x.done || !y.done) {
    const order = x.done ? 1 : y.done ? -1 : byBinaryCollation(x.value.id, y.value.id);
    if (order < 0) {
      removed.push(x.value!);
      x = before.next();
    } else if (order > 0) {
      added.push(y.value!);
      y = after.next();
    } else {
      // a row written without a digest (NULL) is compared by its text
      if (x.value.digest === null || x.value.digest !== y.value.digest) candidates.push(y.value);
      x = before.next();
      y = after.next();
    }
  }
  const source = db.prepare(`SELECT ${snapshotUserValueSql('source', '@id')}`).pluck();
  const changed: Changed[] = [];
  for (const { id, ordinal } of candidates) {
    const was = source.get({ ...layerParams(a), id }) as string;
    const is = source.get({ ...layerParams(b), id }) as string;
    if (was === is) continue;
    // Different text can still be the same values in Entra's eyes (a multi-valued attribute in another order).
    const changes = diffSources(JSON.parse(was), JSON.parse(is));
    if (changes.length > 0) changed.push({ id, changes, ordinal });
  }
  // Added follow the newer snapshot's order and removed the older one's, as the in-memory comparison does.
  return result(db, to, inOrder(added), inOrder(removed), changed);
}

/**
 * SQLite's BINARY collation orders ids by their UTF-8 bytes; JavaScript compares UTF-16 code units. The two differ only
 * between a character beyond U+FFFF (a surrogate pair) and one from U+E000 to U+FFFF.
 */
function byBinaryCollation(x: string, y: string): number {
  if (x === y) return 0;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const p = x.charCodeAt(i);
    const q = y.charCodeAt(i);
    if (p === q) continue;
    const pSurrogate = p >= 0xd800 && p <= 0xdfff;
    const qSurrogate = q >= 0xd800 && q <= 0xdfff;
    if (pSurrogate !== qSurrogate) return pSurrogate ? 1 : -1;
    return p - q;
  }
  return x.length - y.length;
}

const inOrder = (list: { id: string; ordinal: number }[]) => list.sort((x, y) => x.ordinal - y.ordinal).map((x) => x.id);

function result(db: Database.Database, to: number, added: string[], removed: string[], changed: Changed[]): SnapshotDiff {
  changed.sort((x, y) => x.ordinal - y.ordinal);
  const toCount = (db.prepare('SELECT user_count FROM snapshots WHERE id = ?').pluck().get(to) as number | undefined) ?? 0;
  const inBoth = toCount - added.length;
  return {
    added,
    removed,
    changed: changed.map(({ id, changes }) => ({ id, changes })),
    unchanged: inBoth - changed.length,
  };
}

/**
 * Two snapshots over the same base (a refresh and its parent, two refreshes, a base and its refresh): a user read from
 * the shared base on both sides is the same row, so only the ids either side replaced or removed can differ.
 */
function compareSharingBase(db: Database.Database, a: SnapshotLayers, b: SnapshotLayers): SnapshotDiff {
  const ids = new Set<string>();
  for (const side of [a, b]) {
    if (side.base === null) continue;
    for (const table of ['snapshot_users', 'snapshot_removed_users'])
      for (const id of db.prepare(`SELECT id FROM ${table} WHERE snapshot_id = ?`).pluck().iterate(side.own) as Iterable<string>) ids.add(id);
  }
  const lookup = db.prepare(`${snapshotUsersSql('u.ordinal, u.source', 'u.id = @id')} LIMIT 1`);
  const read = (side: SnapshotLayers, id: string) => lookup.get({ ...layerParams(side), id }) as { ordinal: number; source: string } | undefined;
  const added: { id: string; ordinal: number }[] = [];
  const removed: { id: string; ordinal: number }[] = [];
  const changed: Changed[] = [];
  for (const id of ids) {
    const before = read(a, id);
    const after = read(b, id);
    if (!before && after) added.push({ id, ordinal: after.ordinal });
    else if (before && !after) removed.push({ id, ordinal: before.ordinal });
    else if (before && after && before.source !== after.source) {
      const changes = diffSources(JSON.parse(before.source), JSON.parse(after.source));
      if (changes.length > 0) changed.push({ id, changes, ordinal: after.ordinal });
    }
  }
  return result(db, b.own, inOrder(added), inOrder(removed), changed);
}
