/**
 * Two snapshots of one workspace compared inside SQLite (issue 18: a million users on each side): the join runs on
 * the primary key (snapshot_id, id), SQLite compares the stored source JSON as text, and only rows whose text differs
 * come back to be compared attribute by attribute. Neither side is ever held in memory; the result keeps ids only,
 * plus the changed attributes of the changed users.
 */
import type Database from 'better-sqlite3';
import { diffSources, type SnapshotDiff } from '../../../shared/directory/snapshot-diff.ts';

export function compareStoredSnapshots(db: Database.Database, from: number, to: number): SnapshotDiff {
  const onlyIn = db.prepare(
    `SELECT a.id FROM snapshot_users a
      WHERE a.snapshot_id = ? AND NOT EXISTS (SELECT 1 FROM snapshot_users b WHERE b.snapshot_id = ? AND b.id = a.id)
      ORDER BY a.ordinal`,
  ).pluck();
  // Added follow the newer snapshot's order and removed the older one's, as the in-memory comparison does.
  const added = onlyIn.all(to, from) as string[];
  const removed = onlyIn.all(from, to) as string[];
  const candidates = db.prepare(
    `SELECT a.id, a.ordinal, b.source AS before, a.source AS after
       FROM snapshot_users a JOIN snapshot_users b ON b.snapshot_id = ? AND b.id = a.id
      WHERE a.snapshot_id = ? AND a.source <> b.source`,
  );
  const changed: (SnapshotDiff['changed'][number] & { ordinal: number })[] = [];
  for (const row of candidates.iterate(from, to) as Iterable<{ id: string; ordinal: number; before: string; after: string }>) {
    // Different text can still be the same values in Entra's eyes (a multi-valued attribute in another order).
    const changes = diffSources(JSON.parse(row.before), JSON.parse(row.after));
    if (changes.length > 0) changed.push({ id: row.id, changes, ordinal: row.ordinal });
  }
  changed.sort((x, y) => x.ordinal - y.ordinal);
  const inBoth = (db.prepare('SELECT count(*) FROM snapshot_users WHERE snapshot_id = ?').pluck().get(to) as number) - added.length;
  return {
    added,
    removed,
    changed: changed.map(({ id, changes }) => ({ id, changes })),
    unchanged: inBoth - changed.length,
  };
}
