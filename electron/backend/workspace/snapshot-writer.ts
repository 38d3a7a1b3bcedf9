/**
 * A snapshot written while its source is still being read (a Graph fetch that takes minutes): rows go straight into
 * the workspace, once, in one short transaction per batch, under a snapshot row that names the writing process
 * (`writer_pid`, migration 10) and that no reader lists or opens until `commit` clears it. The workspace is never
 * held in a long write transaction, so the admin's edits and provisioning runs keep writing during a fetch; a cancel
 * or a failure deletes the snapshot (`discard`), and one left by a crash is deleted when the workspace is next opened
 * (WorkspaceStore). The writer has a connection of its own, so File > Open meanwhile does not cut it off.
 */
import type Database from 'better-sqlite3';
import { resolve } from 'node:path';
import type { SnapshotSummary } from '../../../shared/api.ts';
import { SNAPSHOT_GROUP_COLUMNS, SNAPSHOT_USER_COLUMNS, snapshotGroupColumns, snapshotUserColumns } from './snapshot-rows.ts';
import { WRITE_CACHE_KIB, WorkspaceStore, type SnapshotGroupInput, type SnapshotMeta, type SnapshotUserInput } from './store.ts';

/** Where a snapshot written in steps goes: the workspace file and the project it belongs to. */
export interface SnapshotTarget {
  path: string;
  projectId: number;
  /** users per write transaction (default LOT_ROWS); a test makes several lots from a small tenant */
  rowsPerLot?: number;
}

/** About 40 MB of converted rows: a lot's transaction holds the write lock for a second or so. */
export const LOT_ROWS = 10_000;

/** A user's column values (SNAPSHOT_USER_COLUMNS), as snapshotUserColumns gives them. */
export type SnapshotUserRow = (string | number | null)[];

const values = (n: number) => Array.from({ length: n }, () => '?').join(', ');

export class SnapshotWriter {
  private store: WorkspaceStore | null;
  private readonly stmt;
  private users = 0;
  private groups = 0;
  private pending: SnapshotUserRow[] = [];

  private constructor(
    store: WorkspaceStore,
    readonly snapshotId: number,
    private readonly rowsPerLot: number,
  ) {
    this.store = store;
    const db = store.db;
    this.stmt = {
      user: db.prepare(`INSERT INTO snapshot_users (snapshot_id, ${SNAPSHOT_USER_COLUMNS.join(', ')}) VALUES (?, ${values(SNAPSHOT_USER_COLUMNS.length)})`),
      group: db.prepare(`INSERT INTO snapshot_groups (snapshot_id, ${SNAPSHOT_GROUP_COLUMNS.join(', ')}) VALUES (?, ${values(SNAPSHOT_GROUP_COLUMNS.length)})`),
      member: db.prepare('INSERT OR IGNORE INTO snapshot_memberships (snapshot_id, group_id, member_id, member_type) VALUES (?, ?, ?, ?)'),
    };
  }

  /** Opens the target workspace on a connection of its own and starts a snapshot that stays out of sight. */
  static begin(target: SnapshotTarget): SnapshotWriter {
    const store = WorkspaceStore.open(target.path, { create: 'never' });
    try {
      // the connection lives for this one write: its page cache holds the GUID-keyed indexes (see withWriteCache)
      store.db.pragma(`cache_size = ${WRITE_CACHE_KIB}`);
      return new SnapshotWriter(store, store.beginSnapshot(target.projectId), target.rowsPerLot ?? LOT_ROWS);
    } catch (error) {
      store.close();
      throw error;
    }
  }

  private open(): Database.Database {
    if (!this.store) throw new Error('This snapshot was already committed or discarded.');
    return this.store.db;
  }

  /** Users written or waiting for their lot: the arrival ordinal of the next one. */
  get appended(): number {
    return this.users + this.pending.length;
  }

  /**
   * Appends users in arrival order (or at their own ordinals). Rows are converted as they come and inserted
   * LOT_ROWS at a time, each lot in one short transaction: every commit writes the index pages it touched to the
   * WAL, and a GUID-keyed index is touched all over, so a commit per Graph page would write those indexes out a
   * thousand times at a million users.
   */
  appendUsers(batch: Iterable<SnapshotUserInput>): void {
    this.open();
    for (const user of batch) this.pending.push(snapshotUserColumns(user, this.appended));
    if (this.pending.length >= this.rowsPerLot) this.flush();
  }

  /** Appends users already converted by snapshotUserColumns (the fetch converts on its own thread: snapshot-writer-thread.ts). */
  appendRows(rows: readonly SnapshotUserRow[]): void {
    this.open();
    for (const row of rows) this.pending.push(row);
    if (this.pending.length >= this.rowsPerLot) this.flush();
  }

  /** Inserts the converted rows waiting; the write lock is held for the inserts only. */
  private flush(): void {
    const rows = this.pending;
    this.pending = [];
    this.open().transaction(() => {
      for (const row of rows) this.stmt.user.run(this.snapshotId, ...row);
    }).immediate();
    this.users += rows.length;
  }

  /** Appends a group with its members at its place among the snapshot's groups. */
  appendGroup(group: SnapshotGroupInput, ordinal: number): void {
    this.appendGroupRow(snapshotGroupColumns(group, ordinal), group.members);
  }

  /**
   * Appends a group already converted by snapshotGroupColumns, with its members; members in id order land at the end
   * of the membership B-tree one after another instead of all over it.
   */
  appendGroupRow(columns: readonly (string | number | null)[], members: Iterable<{ id: string; type: string }>): void {
    this.open().transaction(() => {
      this.stmt.group.run(this.snapshotId, ...columns);
      this.insertMembers(columns[1] as string, members);
    }).immediate();
    this.groups++;
  }

  /** More members of a group already appended: a list of a million members goes in lots, the lock released between them. */
  appendMembers(groupId: string, members: Iterable<{ id: string; type: string }>): void {
    this.open().transaction(() => this.insertMembers(groupId, members)).immediate();
  }

  private insertMembers(groupId: string, members: Iterable<{ id: string; type: string }>): void {
    for (const member of members) this.stmt.member.run(this.snapshotId, groupId, member.id, member.type);
  }

  /**
   * Completes the snapshot in `store`'s workspace (the one it was begun in) with its label and counts, and makes it
   * visible; the writer's own connection closes.
   */
  commit(store: WorkspaceStore, snapshot: SnapshotMeta): SnapshotSummary {
    const writing = this.store;
    if (!writing) throw new Error('This snapshot was already committed or discarded.');
    if (resolve(store.path) !== resolve(writing.path)) throw new Error(`This snapshot is being written to ${writing.path}, not to ${store.path}.`);
    this.complete(snapshot);
    return store.getSnapshot(this.snapshotId)!;
  }

  /** Completes the snapshot on the writer's own connection and closes it (commit, or the writer thread's commit). */
  complete(snapshot: SnapshotMeta): void {
    const writing = this.store;
    if (!writing) throw new Error('This snapshot was already committed or discarded.');
    this.flush();
    writing.completeSnapshot(this.snapshotId, snapshot, { users: this.users, groups: this.groups });
    this.close();
  }

  /** Deletes what was written (a cancel or a failed read). */
  discard(): void {
    if (!this.store) return;
    try {
      this.store.deleteIncompleteSnapshot(this.snapshotId);
    } finally {
      this.close();
    }
  }

  private close(): void {
    this.pending = [];
    this.store?.close();
    this.store = null;
  }
}
