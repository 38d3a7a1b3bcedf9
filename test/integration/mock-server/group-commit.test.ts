import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../electron/backend/mock-server/group-commit.ts';
import { tempDir } from '../../support/temp.ts';

describe('group commit of the mock server’s writes', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Database.Database;
  let observer: Database.Database;
  beforeEach(() => {
    dir = tempDir('mock-group-commit-');
    const path = join(dir.path, 'g.sqlite');
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (v TEXT NOT NULL UNIQUE) STRICT');
    observer = new Database(path);
  });
  afterEach(() => {
    observer.close();
    db.close();
    dir.cleanup();
  });

  // PRAGMA data_version changes on one connection each time another connection commits
  const commitsSeen = (() => {
    let last: number | undefined;
    return () => {
      const now = observer.pragma('data_version', { simple: true }) as number;
      const seen = last === undefined ? 0 : now - last;
      last = now;
      return seen;
    };
  })();

  it('commits the writes of one event-loop turn together, and only then resolves them', async () => {
    const batch = new GroupCommit(db);
    commitsSeen();
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const writes = ['a', 'b', 'c'].map((v) => batch.run(() => db.transaction(() => insert.run(v).changes)(), true));
    // nothing is visible to another connection before the shared commit
    expect(observer.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0);
    expect(await Promise.all(writes)).toEqual([1, 1, 1]);
    expect(commitsSeen()).toBe(1);
    expect(observer.prepare('SELECT count(*) FROM t').pluck().get()).toBe(3);
  });

  it('rolls back only the failed write’s savepoint; the others in the batch commit', async () => {
    const batch = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const first = batch.run(() => db.transaction(() => insert.run('x'))(), true);
    expect(() =>
      batch.run(
        () =>
          db.transaction(() => {
            insert.run('y');
            insert.run('x'); // violates UNIQUE: the whole request is undone
          })(),
        true,
      ),
    ).toThrow(/UNIQUE/);
    await first;
    expect(observer.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual(['x']);
  });

  it('makes a read that arrives during an open batch wait for the commit', async () => {
    const batch = new GroupCommit(db);
    const order: string[] = [];
    const write = batch.run(() => db.prepare("INSERT INTO t (v) VALUES ('w')").run(), true).then(() => order.push('write'));
    const read = batch.run(() => db.prepare('SELECT count(*) FROM t').pluck().get(), false).then((count) => order.push(`read ${String(count)}`));
    await Promise.all([write, read]);
    expect(order).toEqual(['write', 'read 1']);
    expect(db.inTransaction).toBe(false);
  });
});
