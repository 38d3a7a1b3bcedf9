import { readOlderSnapshotsAsCurrent } from '../workspace/migrations/snapshot-layout.ts';
import Database from 'better-sqlite3';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { layerParams, snapshotUsersSql } from '../workspace/snapshot-rows.ts';

/**
 * Reads a slice of a snapshot's source objects straight from the workspace file, inside a preview worker:
 * parsing 100,000 users on the main thread and cloning them into workers costs more than previewing them.
 * Read-only, on its own connection (WAL lets it read while the app writes). Slices are ordinal ranges read through
 * the (snapshot_id, ordinal) index `snapshot_users_order`: the workspace stores a snapshot's users in that order, so a
 * range is a sequential read, and a worker's users come in snapshot order. A refreshed snapshot is read through its
 * layers (../workspace/snapshot-rows.ts), as a merge of its own rows and its base's, both in ordinal order.
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

/**
 * Page cache of a connection that streams a range (`stream: true`): each user's row is its own page, read once, so a
 * cache beyond the b-trees' upper pages only cycles memory the CPU's caches cannot hold (a 100,000-user read cost
 * about 7% less CPU with 256 KiB than with SQLite's default 2 MiB: docs/benchmarks.md, "Preview engine").
 */
const STREAM_CACHE_KIB = 256;

export class SnapshotSourceReader {
  private readonly db: Database.Database;
  private readonly stmt;

  /** `stream`: the connection reads ranges (batches), not users by id: a small page cache (STREAM_CACHE_KIB). */
  constructor(path: string, options: { stream?: boolean } = {}) {
    this.db = new Database(path, { readonly: true, fileMustExist: true });
    if (options.stream) this.db.pragma(`cache_size = -${STREAM_CACHE_KIB}`);
    readOlderSnapshotsAsCurrent(this.db);
    this.stmt = {
      from: this.db.prepare<[Record<string, unknown>], { ordinal: number; source: string }>(
        `${snapshotUsersSql('u.ordinal, u.source', 'u.ordinal >= @from')} ORDER BY ordinal`,
      ),
      between: this.db.prepare<[Record<string, unknown>], { ordinal: number; source: string }>(
        `${snapshotUsersSql('u.ordinal, u.source', 'u.ordinal >= @from AND u.ordinal < @to')} ORDER BY ordinal`,
      ),
      // One past the highest stored place of a layer (its index's last entry).
      layerEnd: this.db.prepare<[number | null], number | null>('SELECT max(ordinal) + 1 FROM snapshot_users WHERE snapshot_id = ?').pluck(),
      byId: this.db.prepare<[Record<string, unknown>], { source: string }>(`${snapshotUsersSql('u.source', 'u.id = @id')} LIMIT 1`),
      base: this.db.prepare<[number], { base: number | null }>('SELECT base_id AS base FROM snapshots WHERE id = ?'),
      // Places a refreshed snapshot leaves empty: its base's users it removed, and added users removed again later.
      removedPlaces: this.db
        .prepare<[Record<string, unknown>], number>(
          `SELECT b.ordinal FROM snapshot_removed_users r JOIN snapshot_users b ON b.snapshot_id = @base AND b.id = r.id
            WHERE r.snapshot_id = @own`,
        )
        .pluck(),
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
    const baseEnd = (this.stmt.layerEnd.get(layers.base ?? null) ?? 0) - 1;
    let expected = baseEnd + 1;
    for (const ordinal of this.stmt.addedPlaces.all({ ...layers, after: baseEnd })) {
      while (expected < ordinal) places.push(expected++);
      expected = ordinal + 1;
    }
    return places.sort((a, b) => a - b);
  }

  /**
   * The first stored place of each of `count` ordinal ranges of about equal size (the first starts at 0; the last runs
   * to the end). A refreshed snapshot's stored places run past its user count (removed users leave gaps, added users
   * come after its base's), so the ranges split the stored places, not the count.
   */
  boundaries(snapshotId: number, count: number): number[] {
    const layers = this.layers(snapshotId);
    const end = Math.max(this.stmt.layerEnd.get(layers.own!) ?? 0, this.stmt.layerEnd.get(layers.base ?? null) ?? 0);
    const starts = [0];
    for (let c = 1; c < count; c++) {
      const start = Math.floor((c * end) / count);
      if (start > starts.at(-1)!) starts.push(start);
    }
    return starts;
  }

  /**
   * The users stored at places from <= place < to (to null: to the end; the whole snapshot by default), in snapshot
   * order, each with its ordinal (its place among the snapshot's users, 0..userCount-1).
   */
  read(snapshotId: number, from = 0, to: number | null = null): { users: SourceObject[]; ordinals: number[] } {
    // One batch of no limit: the whole range.
    for (const all of this.batches(snapshotId, from, to, Number.POSITIVE_INFINITY)) return all;
    return { users: [], ordinals: [] };
  }

  /**
   * The same users a batch of at most `size` at a time, so a worker holds one batch of source objects rather than
   * its whole range (a million-user snapshot is gigabytes as objects). The statement stays open between batches:
   * the caller consumes the generator to the end (or returns it) before using this reader for anything else.
   */
  *batches(snapshotId: number, from: number, to: number | null, size: number): Generator<{ users: SourceObject[]; ordinals: number[] }> {
    let users: SourceObject[] = [];
    let ordinals: number[] = [];
    const layers = this.layers(snapshotId);
    const empty = this.emptyPlaces(snapshotId);
    const rows = to === null ? this.stmt.from.iterate({ ...layers, from }) : this.stmt.between.iterate({ ...layers, from, to });
    for (const row of rows) {
      users.push(JSON.parse(row.source) as SourceObject);
      ordinals.push(empty.length === 0 ? row.ordinal : row.ordinal - placesBefore(empty, row.ordinal));
      if (users.length === size) {
        yield { users, ordinals };
        users = [];
        ordinals = [];
      }
    }
    if (users.length > 0) yield { users, ordinals };
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

  /** The query plans of the reader's queries, for the test that keeps them on the snapshot's indexes. */
  plans(): string[] {
    const plan = (sql: string, args: Record<string, unknown>) =>
      (this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ own: 1, base: 2, ...args }) as { detail: string }[]).map((r) => r.detail).join('; ');
    return [
      plan(this.stmt.between.source, { from: 10, to: 20 }),
      plan(this.stmt.from.source, { from: 10 }),
      plan(this.stmt.byId.source, { id: 'a' }),
    ];
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
