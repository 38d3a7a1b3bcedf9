/**
 * Two snapshots of one workspace compared inside SQLite (issue 18: a million users on each side): every lookup runs on
 * the primary key (snapshot_id, id), SQLite compares the stored source JSON as text, and only rows whose text differs
 * come back to be compared attribute by attribute. Neither side is ever held in memory; the result keeps ids only,
 * plus the changed attributes of the changed users. Snapshots are read through their layers (snapshot-rows.ts).
 */
import type Database from 'better-sqlite3';
import { diffSources, type SnapshotDiff } from '../../../shared/directory/snapshot-diff.ts';
import { layerParams, snapshotLayers, snapshotUserValueSql, snapshotUsersSql, type SnapshotLayers } from './snapshot-rows.ts';

type Changed = SnapshotDiff['changed'][number] & { ordinal: number };

export function compareStoredSnapshots(db: Database.Database, from: number, to: number): SnapshotDiff {
  const a = snapshotLayers(db, from);
  const b = snapshotLayers(db, to);
  if ((a.base ?? a.own) === (b.base ?? b.own)) return compareSharingBase(db, a, b);
  const params = { ...layerParams(a, 'a'), ...layerParams(b, 'b') };
  // The ids of one side (prefix `side`) that the other side (`other`) does not have, in the side's order.
  const onlyIn = (side: string, other: string) =>
    db
      .prepare(`SELECT id FROM (${snapshotUsersSql('u.id, u.ordinal', `${snapshotUserValueSql('id', 'u.id', other)} IS NULL`, side)}) ORDER BY ordinal`)
      .pluck();
  // Added follow the newer snapshot's order and removed the older one's, as the in-memory comparison does.
  const added = onlyIn('b', 'a').all(params) as string[];
  const removed = onlyIn('a', 'b').all(params) as string[];
  const candidates = db.prepare(
    `SELECT id, ordinal, before, after FROM (
       SELECT u.id, u.ordinal, ${snapshotUserValueSql('source', 'u.id', 'a')} AS before, u.source AS after
         FROM (${snapshotUsersSql('u.id, u.ordinal, u.source', 'TRUE', 'b')}) u)
      WHERE before IS NOT NULL AND before <> after`,
  );
  const changed: Changed[] = [];
  for (const row of candidates.iterate(params) as Iterable<{ id: string; ordinal: number; before: string; after: string }>) {
    // Different text can still be the same values in Entra's eyes (a multi-valued attribute in another order).
    const changes = diffSources(JSON.parse(row.before), JSON.parse(row.after));
    if (changes.length > 0) changed.push({ id: row.id, changes, ordinal: row.ordinal });
  }
  return result(db, to, added, removed, changed);
}

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
  const inOrder = (list: { id: string; ordinal: number }[]) => list.sort((x, y) => x.ordinal - y.ordinal).map((x) => x.id);
  return result(db, b.own, inOrder(added), inOrder(removed), changed);
}
