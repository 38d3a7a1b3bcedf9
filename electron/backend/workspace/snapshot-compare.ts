/**
 * Two snapshots of one workspace compared inside SQLite (issue 18: a million users on each side): every lookup runs on
 * the primary key (snapshot_id, id), SQLite compares the stored source JSON as text, and only rows whose text differs
 * come back to be compared attribute by attribute. Neither side is ever held in memory; the result keeps ids only,
 * plus the changed attributes of the changed users. Snapshots are read through their layers (snapshot-rows.ts).
 */
import type Database from 'better-sqlite3';
import { diffSources, type SnapshotDiff } from '../../../shared/directory/snapshot-diff.ts';
import { layerParams, snapshotLayers, snapshotUserValueSql, snapshotUsersSql } from './snapshot-rows.ts';

export function compareStoredSnapshots(db: Database.Database, from: number, to: number): SnapshotDiff {
  const params = { ...layerParams(snapshotLayers(db, from), 'a'), ...layerParams(snapshotLayers(db, to), 'b') };
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
  const changed: (SnapshotDiff['changed'][number] & { ordinal: number })[] = [];
  for (const row of candidates.iterate(params) as Iterable<{ id: string; ordinal: number; before: string; after: string }>) {
    // Different text can still be the same values in Entra's eyes (a multi-valued attribute in another order).
    const changes = diffSources(JSON.parse(row.before), JSON.parse(row.after));
    if (changes.length > 0) changed.push({ id: row.id, changes, ordinal: row.ordinal });
  }
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
