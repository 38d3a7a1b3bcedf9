import { readOlderSnapshotsAsWhole } from '../workspace/migrations/snapshot-delta.ts';
import Database from 'better-sqlite3';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { layerParams, snapshotUsersSql } from '../workspace/snapshot-rows.ts';

/**
 * Reads a slice of a snapshot's source objects straight from the workspace file, inside a preview worker:
 * parsing 100,000 users on the main thread and cloning them into workers costs more than previewing them.
 * Read-only, on its own connection (WAL lets it read while the app writes). The table is the workspace's
 * `snapshot_users` (migration 1), a WITHOUT ROWID table keyed by (snapshot_id, id): slices are id ranges, read
 * in key order, because reading in ordinal order through the ordinal index costs a key lookup per user (about
 * twice the time on 100,000 users). Each user comes with its ordinal so the runner can restore snapshot order.
 * A refreshed snapshot is read through its layers (../workspace/snapshot-rows.ts): both arms stay on those keys.
 */
/** How many of the sorted `places` are below `ordinal` (binary search). */
function placesBefore(places: readonly number[], ordinal: number): number {
  let low = 0;
  let high = places.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (places[mid]! < ordinal) low = mid + 1;
    else high = mid;
  }
  return low;
}

export class SnapshotSourceReader {
  private readonly db: Database.Database;
  private readonly stmt;

  constructor(path: string) {
    this.db = new Database(path, { readonly: true, fileMustExist: true });
    readOlderSnapshotsAsWhole(this.db);
    this.stmt = {
      idAt: this.db.prepare<[Record<string, unknown>], { id: string }>(`${snapshotUsersSql('u.id', 'u.ordinal = @ordinal')} LIMIT 1`),
      from: this.db.prepare<[Record<string, unknown>], { ordinal: number; source: string }>(
        `${snapshotUsersSql('u.id, u.ordinal, u.source', 'u.id >= @fromId')} ORDER BY id`,
      ),
      between: this.db.prepare<[Record<string, unknown>], { ordinal: number; source: string }>(
        `${snapshotUsersSql('u.id, u.ordinal, u.source', 'u.id >= @fromId AND u.id < @toId')} ORDER BY id`,
      ),
      byId: this.db.prepare<[Record<string, unknown>], { source: string }>(`${snapshotUsersSql('u.source', 'u.id = @id')} LIMIT 1`),
      base: this.db.prepare<[number], { base: number | null }>('SELECT base_id AS base FROM snapshots WHERE id = ?'),
      // Places a refreshed snapshot leaves empty: its base's users it removed, and added users removed again later.
      removedPlaces: this.db
        .prepare<[Record<string, unknown>], number>(
          `SELECT b.ordinal FROM snapshot_removed_users r JOIN snapshot_users b ON b.snapshot_id = @base AND b.id = r.id
            WHERE r.snapshot_id = @own`,
        )
        .pluck(),
      baseEnd: this.db.prepare<[Record<string, unknown>], number | null>('SELECT max(ordinal) FROM snapshot_users WHERE snapshot_id = @base').pluck(),
      addedPlaces: this.db
        .prepare<[Record<string, unknown>], number>('SELECT ordinal FROM snapshot_users WHERE snapshot_id = @own AND ordinal > @after ORDER BY ordinal')
        .pluck(),
      stamp: this.db.prepare<[number], { fetchedAt: string; userCount: number }>('SELECT fetched_at AS fetchedAt, user_count AS userCount FROM snapshots WHERE id = ?'),
    };
  }

  private layers(snapshotId: number): Record<string, number | null> {
    return layerParams({ own: snapshotId, base: this.stmt.base.get(snapshotId)?.base ?? null });
  }

  /**
   * The stored places a refreshed snapshot leaves empty, sorted: a refresh keeps each user's place and appends the
   * added ones, so removals leave gaps that `read` closes, and ordinals stay 0..userCount-1 as for a whole snapshot.
   */
  private emptyPlaces(snapshotId: number): number[] {
    const layers = this.layers(snapshotId);
    if (layers.base === null) return [];
    const places = this.stmt.removedPlaces.all(layers);
    const baseEnd = this.stmt.baseEnd.get(layers) ?? -1;
    let expected = baseEnd + 1;
    for (const ordinal of this.stmt.addedPlaces.all({ ...layers, after: baseEnd })) {
      while (expected < ordinal) places.push(expected++);
      expected = ordinal + 1;
    }
    return places.sort((a, b) => a - b);
  }

  /**
   * The first id of each of `count` key ranges of about equal size (the first starts at ''). Ids are sampled at
   * evenly spaced ordinals (snapshot order says nothing about key order, so the sample is representative) and
   * the boundaries are the sample's quantiles: a few hundred index lookups instead of scanning the keys.
   */
  boundaries(snapshotId: number, userCount: number, count: number): string[] {
    const samples = Math.min(userCount, 64 * count);
    const ids: string[] = [];
    const layers = this.layers(snapshotId);
    for (let i = 0; i < samples; i++) {
      const row = this.stmt.idAt.get({ ...layers, ordinal: Math.floor((i * userCount) / samples) });
      if (row) ids.push(row.id);
    }
    // Code-unit order, as SQLite's BINARY collation compares the key.
    ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const starts = [''];
    for (let c = 1; c < count; c++) {
      const id = ids[Math.floor((c * ids.length) / count)];
      if (id !== undefined && id > starts.at(-1)!) starts.push(id);
    }
    return starts;
  }

  /** The users with fromId <= id < toId (toId null: to the end), with their ordinals. */
  read(snapshotId: number, fromId: string, toId: string | null): { users: SourceObject[]; ordinals: number[] } {
    const users: SourceObject[] = [];
    const ordinals: number[] = [];
    const layers = this.layers(snapshotId);
    const rows = toId === null ? this.stmt.from.iterate({ ...layers, fromId }) : this.stmt.between.iterate({ ...layers, fromId, toId });
    const empty = this.emptyPlaces(snapshotId);
    for (const row of rows) {
      users.push(JSON.parse(row.source) as SourceObject);
      ordinals.push(empty.length === 0 ? row.ordinal : row.ordinal - placesBefore(empty, row.ordinal));
    }
    return { users, ordinals };
  }

  /**
   * What tells this snapshot from another that later took its id (a snapshot is written once and never changed):
   * its fetch time and user count, as the directory service keys its diff cache. Null when the snapshot is gone.
   */
  stamp(snapshotId: number): string | null {
    const row = this.stmt.stamp.get(snapshotId);
    return row ? `${row.fetchedAt}|${row.userCount}` : null;
  }

  /** One user's source object, when a full preview is asked for again. */
  source(snapshotId: number, id: string): SourceObject | undefined {
    const row = this.stmt.byId.get({ ...this.layers(snapshotId), id });
    return row ? (JSON.parse(row.source) as SourceObject) : undefined;
  }

  /** The query plans of the reader's queries, for the test that keeps them on the primary key. */
  plans(): string[] {
    const plan = (sql: string, args: Record<string, unknown>) =>
      (this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ own: 1, base: 2, ...args }) as { detail: string }[]).map((r) => r.detail).join('; ');
    return [
      plan(this.stmt.between.source, { fromId: 'a', toId: 'b' }),
      plan(this.stmt.from.source, { fromId: 'a' }),
      plan(this.stmt.idAt.source, { ordinal: 10 }),
      plan(this.stmt.byId.source, { id: 'a' }),
    ];
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
