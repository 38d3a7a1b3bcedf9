/**
 * Group commit for the mock server's writes. Each write still runs in its own savepoint (so a rejected
 * PATCH leaves nothing behind), but the writes that arrive in one turn of the event loop share one SQLite
 * transaction, committed in the loop's check phase (setImmediate) before any of their responses is sent.
 * A 2xx therefore still means "committed", which is what the SIGKILL durability test checks, while a burst
 * of concurrent POSTs pays for one WAL commit instead of one each.
 *
 * Only for a database the server owns (the CLI's file): in the app the workspace connection is shared
 * with other areas, whose own transactions would be folded into the batch.
 */
import type Database from 'better-sqlite3';

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

export class GroupCommit {
  private open = false;
  private waiters: Waiter[] = [];

  constructor(private readonly db: Database.Database) {}

  /**
   * Runs `work` (which may write when `writes` is true) and resolves with its result once the batch it
   * joined is committed. A read while a batch is open waits for the commit too, so it never answers with
   * data that a failed commit would take back.
   */
  run<T>(work: () => T, writes: boolean): Promise<T> {
    if (writes && !this.open && !this.db.inTransaction) {
      this.db.exec('BEGIN IMMEDIATE');
      this.open = true;
      setImmediate(() => this.commit());
    }
    const result = work();
    if (!this.open) return Promise.resolve(result);
    return new Promise<T>((resolve, reject) => this.waiters.push({ resolve: () => resolve(result), reject }));
  }

  /** Commits the open batch now (the server calls it before closing the database). */
  commit(): void {
    if (!this.open) return;
    const waiters = this.waiters;
    this.waiters = [];
    this.open = false;
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const waiter of waiters) waiter.reject(error);
      return;
    }
    for (const waiter of waiters) waiter.resolve();
  }
}
