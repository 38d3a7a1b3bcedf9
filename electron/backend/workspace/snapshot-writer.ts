/**
 * A snapshot written while its source is still being read (a Graph fetch that takes minutes): rows are appended in
 * batches to a staging file of their own, and only `commit` touches the workspace, copying them in one short
 * transaction. The workspace is never held in a long write transaction, so the admin's edits and provisioning runs
 * keep writing during a fetch, and a cancel, a failure or a crash leaves no partial snapshot (only a staging file
 * in the temp folder, removed by `discard`).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SnapshotSummary } from '../../../shared/api.ts';
import { SNAPSHOT_GROUP_COLUMNS, SNAPSHOT_USER_COLUMNS, snapshotGroupColumns, snapshotUserColumns } from './snapshot-rows.ts';
import type { NewSnapshot, SnapshotGroupInput, SnapshotUserInput, WorkspaceStore } from './store.ts';

const STAGING = 'fetch_staging';

export class StagedSnapshotWriter {
  private readonly folder: string;
  private readonly file: string;
  private staging: Database.Database | null;
  private readonly insertUser: Database.Statement;
  private readonly insertGroup: Database.Statement;
  private readonly insertMember: Database.Statement;
  private users = 0;
  private groups = 0;

  constructor() {
    this.folder = mkdtempSync(join(tmpdir(), 'scim-planner-fetch-'));
    this.file = join(this.folder, 'staging.db');
    const db = new Database(this.file);
    this.staging = db;
    // A scratch file: no journal and no fsync; losing it in a crash loses only an unfinished fetch.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(`
      CREATE TABLE users (${SNAPSHOT_USER_COLUMNS.join(', ')});
      CREATE TABLE groups (${SNAPSHOT_GROUP_COLUMNS.join(', ')});
      CREATE TABLE memberships (group_id, member_id, member_type);
    `);
    const values = (n: number) => Array.from({ length: n }, () => '?').join(', ');
    this.insertUser = db.prepare(`INSERT INTO users VALUES (${values(SNAPSHOT_USER_COLUMNS.length)})`);
    this.insertGroup = db.prepare(`INSERT INTO groups VALUES (${values(SNAPSHOT_GROUP_COLUMNS.length)})`);
    this.insertMember = db.prepare('INSERT INTO memberships VALUES (?, ?, ?)');
  }

  private open(): Database.Database {
    if (!this.staging) throw new Error('This snapshot was already committed or discarded.');
    return this.staging;
  }

  /** Appends users in arrival order (or at their own ordinals), in one staging transaction per batch. */
  appendUsers(batch: Iterable<SnapshotUserInput>): void {
    this.open().transaction(() => {
      for (const user of batch) {
        this.insertUser.run(snapshotUserColumns(user, this.users));
        this.users++;
      }
    })();
  }

  /** Appends a group with its members at its place among the snapshot's groups. */
  appendGroup(group: SnapshotGroupInput, ordinal: number): void {
    this.open().transaction(() => {
      const columns = snapshotGroupColumns(group, ordinal);
      this.insertGroup.run(columns);
      for (const member of group.members) this.insertMember.run(columns[1], member.id, member.type);
      this.groups++;
    })();
  }

  /**
   * Copies the staged rows (each with its ordinal) into `store` as one snapshot, in one transaction, and removes the
   * staging file. Duplicate memberships collapse as they do in a direct write.
   */
  commit(store: WorkspaceStore, snapshot: Omit<NewSnapshot, 'users' | 'groups' | 'reviseSources'>): SnapshotSummary {
    this.open().close();
    this.staging = null;
    const db = store.db;
    db.prepare(`ATTACH DATABASE ? AS ${STAGING}`).run(this.file);
    try {
      const users = SNAPSHOT_USER_COLUMNS.join(', ');
      const groups = SNAPSHOT_GROUP_COLUMNS.join(', ');
      return store.addSnapshotFrom(snapshot, (snapshotId) => {
        db.prepare(
          `INSERT INTO snapshot_users (snapshot_id, ${users}) SELECT ?, ${users} FROM ${STAGING}.users`,
        ).run(snapshotId);
        db.prepare(
          `INSERT INTO snapshot_groups (snapshot_id, ${groups}) SELECT ?, ${groups} FROM ${STAGING}.groups`,
        ).run(snapshotId);
        db.prepare(
          `INSERT OR IGNORE INTO snapshot_memberships (snapshot_id, group_id, member_id, member_type)
           SELECT ?, group_id, member_id, member_type FROM ${STAGING}.memberships`,
        ).run(snapshotId);
        return { users: this.users, groups: this.groups };
      });
    } finally {
      db.exec(`DETACH DATABASE ${STAGING}`);
      this.removeFiles();
    }
  }

  /** Drops everything staged (a cancel or a failed read). */
  discard(): void {
    this.staging?.close();
    this.staging = null;
    this.removeFiles();
  }

  private removeFiles(): void {
    rmSync(this.folder, { recursive: true, force: true });
  }
}
