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
import { SNAPSHOT_GROUP_COLUMNS, SNAPSHOT_USER_COLUMNS, snapshotGroupColumns, snapshotUserColumns, type SnapshotUserRow } from './snapshot-rows.ts';
import { WRITE_CACHE_KIB, WorkspaceStore, type SnapshotGroupInput, type SnapshotMeta, type SnapshotUserInput } from './store.ts';

/** Where a snapshot written in steps goes: the workspace file and the project it belongs to. */
export interface SnapshotTarget {
  path: string;
  projectId: number;
  /** users per write transaction (default LOT_ROWS); a test makes several lots from a small tenant */
  rowsPerLot?: number;
}

/** About 40 MB of converted rows: a lot's transaction holds the write lock for a second or so. */
const LOT_ROWS = 10_000;
/** The writer connection's page cache in a fetch: half of WRITE_CACHE_KIB (see SnapshotWriter.begin). */
const FETCH_WRITE_CACHE_KIB = WRITE_CACHE_KIB / 2;

/**
 * One page of a group's member list as it was read: the members kept for the membership table, and the page's part of
 * the group's `raw` and `source` JSON (the text between the brackets of their `members` arrays, in Graph's order).
 */
export interface MembersPage {
  members: readonly { id: string; type: string }[];
  rawJson: string;
  sourceJson: string;
}

/**
 * A group whose members were staged page by page (stageMembers): its column values (snapshotGroupColumns) around an
 * empty member list, `raw` and `source` each cut where the staged pages go.
 */
export interface StagedGroup {
  ordinal: number;
  id: string;
  displayName: string | null;
  raw: readonly [before: string, after: string];
  source: readonly [before: string, after: string];
}

interface StagingStatements {
  json: Database.Statement;
  before: Database.Statement;
  group: Database.Statement;
  clear: Database.Statement;
}

/** A group being staged: its members' ids in arrival order, the type of those that are not users, and whether JSON was staged. */
interface StagedMembers {
  ids: string[];
  otherTypes: Map<string, string>;
  raw: boolean;
  source: boolean;
}

const noneStaged = (): StagedMembers => ({ ids: [], otherTypes: new Map(), raw: false, source: false });

const values = (n: number) => Array.from({ length: n }, () => '?').join(', ');

export class SnapshotWriter {
  private store: WorkspaceStore | null;
  private readonly stmt;
  private users = 0;
  private groups = 0;
  private pending: SnapshotUserRow[] = [];
  private stagedJson: StagingStatements | null = null;
  /** per group being staged: its members' ids in arrival order, and the type of those that are not users */
  private stagedMembers = new Map<string, StagedMembers>();

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

  /**
   * A group's member pages wait until the group's list is complete: the members' ids here (sorted at the end, so they
   * go into the membership B-tree in key order), the pages' JSON in a temporary table of this connection (a file beside
   * it, not memory), so a list of a million members is held once, as its ids, and only in this thread.
   */
  private staging(): StagingStatements {
    if (this.stagedJson) return this.stagedJson;
    const db = this.open();
    db.exec(`CREATE TEMP TABLE staged_member_json (group_id TEXT NOT NULL, raw TEXT NOT NULL, source TEXT NOT NULL);
             CREATE INDEX temp.staged_member_json_group ON staged_member_json (group_id);`);
    // each piece carries its own separator and the group's text before and after the list is staged too, so SQLite
    // builds each column once (a million members' JSON is about 110 MB: every extra copy of it counts)
    const joined = (column: string) => `(SELECT group_concat(${column}, '' ORDER BY rowid) FROM staged_member_json WHERE group_id = @group)`;
    this.stagedJson = {
      json: db.prepare('INSERT INTO staged_member_json (group_id, raw, source) VALUES (?, ?, ?)'),
      before: db.prepare('INSERT INTO staged_member_json (rowid, group_id, raw, source) VALUES (-1, ?, ?, ?)'),
      group: db.prepare(
        `INSERT INTO snapshot_groups (snapshot_id, ${SNAPSHOT_GROUP_COLUMNS.join(', ')})
         VALUES (@snapshot, @ordinal, @group, @displayName, ${joined('raw')}, ${joined('source')})`,
      ),
      clear: db.prepare('DELETE FROM staged_member_json WHERE group_id = ?'),
    };
    return this.stagedJson;
  }

  /** Opens the target workspace on a connection of its own and starts a snapshot that stays out of sight. */
  static begin(target: SnapshotTarget): SnapshotWriter {
    const store = WorkspaceStore.open(target.path, { create: 'never' });
    try {
      // The connection lives for this one write: its page cache holds the GUID-keyed indexes (see withWriteCache). Half
      // the import's, as each lot's commit writes its dirty pages out anyway and the fetch's own thread, its pages
      // waiting and the largest group's row share the same 1.5 GB budget (issue 18).
      store.db.pragma(`cache_size = ${FETCH_WRITE_CACHE_KIB}`);
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

  /** Appends a group with its members at its place among the snapshot's groups (a group read whole). */
  appendGroup(group: SnapshotGroupInput, ordinal: number): void {
    const columns = snapshotGroupColumns(group, ordinal);
    this.open().transaction(() => {
      this.stmt.group.run(this.snapshotId, ...columns);
      for (const member of group.members) this.stmt.member.run(this.snapshotId, columns[1], member.id, member.type);
    }).immediate();
    this.groups++;
  }

  /** The next page of a group's member list, staged until the group completes (appendStagedGroup). */
  stageMembers(groupId: string, page: MembersPage): void {
    let staged = this.stagedMembers.get(groupId);
    if (!staged) this.stagedMembers.set(groupId, (staged = noneStaged()));
    const raw = staged.raw && page.rawJson ? `,${page.rawJson}` : page.rawJson;
    const source = staged.source && page.sourceJson ? `,${page.sourceJson}` : page.sourceJson;
    // a temporary table is this connection's own: no write lock on the workspace is taken
    if (raw || source) this.staging().json.run(groupId, raw, source);
    staged.raw ||= raw !== '';
    staged.source ||= source !== '';
    for (const { id, type } of page.members) {
      staged.ids.push(id);
      if (type !== 'user') staged.otherTypes.set(id, type);
    }
  }

  /**
   * Appends a group whose member pages were staged: its memberships in id order, a lot per transaction (the write lock
   * released between lots), then the group's row with its member lists joined in Graph's order. `deleted`: the group
   * was deleted while its list was read, and is kept with no members (as a list read whole would have it).
   */
  appendStagedGroup(group: StagedGroup, deleted = false): void {
    const staging = this.staging();
    const db = this.open();
    const staged = this.stagedMembers.get(group.id) ?? noneStaged();
    this.stagedMembers.delete(group.id);
    if (deleted) {
      staging.clear.run(group.id);
      staged.ids = [];
    }
    const ids = staged.ids.sort();
    for (let from = 0; from < ids.length; from += this.rowsPerLot) {
      db.transaction(() => {
        for (const id of ids.slice(from, from + this.rowsPerLot))
          this.stmt.member.run(this.snapshotId, group.id, id, staged.otherTypes.get(id) ?? 'user');
      }).immediate();
    }
    db.transaction(() => {
      staging.before.run(group.id, group.raw[0], group.source[0]);
      staging.json.run(group.id, group.raw[1], group.source[1]);
      staging.group.run({ snapshot: this.snapshotId, ordinal: group.ordinal, group: group.id, displayName: group.displayName });
      staging.clear.run(group.id);
    }).immediate();
    this.groups++;
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
