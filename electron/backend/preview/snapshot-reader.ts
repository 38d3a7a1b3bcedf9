import Database from 'better-sqlite3';
import type { SourceObject } from '../../../shared/directory/source-object.ts';

/**
 * Reads a slice of a snapshot's source objects straight from the workspace file, inside a preview worker:
 * parsing 100,000 users on the main thread and cloning them into workers costs more than previewing them.
 * Read-only, on its own connection (WAL lets it read while the app writes). The table is the workspace's
 * `snapshot_users` (migration 1), a WITHOUT ROWID table keyed by (snapshot_id, id): slices are id ranges, read
 * in key order, because reading in ordinal order through the ordinal index costs a key lookup per user (about
 * twice the time on 100,000 users). Each user comes with its ordinal so the runner can restore snapshot order.
 */
export class SnapshotSourceReader {
  private readonly db: Database.Database;
  private readonly stmt;

  constructor(path: string) {
    this.db = new Database(path, { readonly: true, fileMustExist: true });
    this.stmt = {
      idAt: this.db.prepare<[number, number], { id: string }>('SELECT id FROM snapshot_users WHERE snapshot_id = ? AND ordinal = ?'),
      from: this.db.prepare<[number, string], { ordinal: number; source: string }>(
        'SELECT ordinal, source FROM snapshot_users WHERE snapshot_id = ? AND id >= ? ORDER BY id',
      ),
      between: this.db.prepare<[number, string, string], { ordinal: number; source: string }>(
        'SELECT ordinal, source FROM snapshot_users WHERE snapshot_id = ? AND id >= ? AND id < ? ORDER BY id',
      ),
      byId: this.db.prepare<[number, string], { source: string }>('SELECT source FROM snapshot_users WHERE snapshot_id = ? AND id = ?'),
      stamp: this.db.prepare<[number], { fetchedAt: string; userCount: number }>('SELECT fetched_at AS fetchedAt, user_count AS userCount FROM snapshots WHERE id = ?'),
    };
  }

  /**
   * The first id of each of `count` key ranges of about equal size (the first starts at ''). Ids are sampled at
   * evenly spaced ordinals (snapshot order says nothing about key order, so the sample is representative) and
   * the boundaries are the sample's quantiles: a few hundred index lookups instead of scanning the keys.
   */
  boundaries(snapshotId: number, userCount: number, count: number): string[] {
    const samples = Math.min(userCount, 64 * count);
    const ids: string[] = [];
    for (let i = 0; i < samples; i++) {
      const row = this.stmt.idAt.get(snapshotId, Math.floor((i * userCount) / samples));
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
    // One batch of no limit: the whole range.
    for (const all of this.batches(snapshotId, fromId, toId, Number.POSITIVE_INFINITY)) return all;
    return { users: [], ordinals: [] };
  }

  /**
   * The same users a batch of at most `size` at a time, so a worker holds one batch of source objects rather than
   * its whole range (a million-user snapshot is gigabytes as objects). The statement stays open between batches:
   * the caller consumes the generator to the end (or returns it) before using this reader for anything else.
   */
  *batches(snapshotId: number, fromId: string, toId: string | null, size: number): Generator<{ users: SourceObject[]; ordinals: number[] }> {
    let users: SourceObject[] = [];
    let ordinals: number[] = [];
    const rows = toId === null ? this.stmt.from.iterate(snapshotId, fromId) : this.stmt.between.iterate(snapshotId, fromId, toId);
    for (const row of rows) {
      users.push(JSON.parse(row.source) as SourceObject);
      ordinals.push(row.ordinal);
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
    const row = this.stmt.byId.get(snapshotId, id);
    return row ? (JSON.parse(row.source) as SourceObject) : undefined;
  }

  /** The query plans of the reader's queries, for the test that keeps them on the primary key. */
  plans(): string[] {
    const plan = (sql: string, ...args: unknown[]) => (this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('; ');
    return [
      plan(this.stmt.between.source, 1, 'a', 'b'),
      plan(this.stmt.from.source, 1, 'a'),
      plan(this.stmt.idAt.source, 1, 10),
      plan(this.stmt.byId.source, 1, 'a'),
    ];
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
