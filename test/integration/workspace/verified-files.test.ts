import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VerifiedFiles } from '../../../electron/backend/verified-files.ts';
import { ensureDemoProject } from '../../../electron/backend/workspace/demo-tenant.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import { tempDir } from '../../support/temp.ts';

const dirs: { cleanup(): void }[] = [];
function folder(): string {
  const dir = tempDir('scim-planner-verified-');
  dirs.push(dir);
  return dir.path;
}
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

/** Overwrites pages in the middle of the users' b-tree (header and schema intact: only an integrity check sees it). */
function damagePages(path: string, keepModificationTime: boolean): void {
  const { atime, mtimeMs } = statSync(path);
  const bytes = readFileSync(path);
  const pageSize = bytes.readUInt16BE(16);
  bytes.fill(0x41, pageSize * 100, pageSize * 104);
  writeFileSync(path, bytes);
  // another program's write comes later than the close; said outright because file times move in clock ticks
  // (a few ms on Linux), so a write right after the close could otherwise keep its time
  // (seconds as a float: half a millisecond in, so the float's rounding cannot land in the millisecond before)
  utimesSync(path, atime, (Math.floor(mtimeMs) + (keepModificationTime ? 0.5 : 2000)) / 1000);
}

/** A workspace with the demo tenant, closed cleanly; every file counts as large (threshold 0). */
function closedWorkspace(): { path: string; verified: VerifiedFiles } {
  const dir = folder();
  const verified = new VerifiedFiles(join(dir, 'verified-files.json'), 0);
  const path = join(dir, 'w.scimplan');
  const store = new WorkspaceStore(path, { verifiedFiles: verified });
  ensureDemoProject(store);
  store.close();
  return { path, verified };
}

describe('the integrity check on open of a large workspace', () => {
  it('is skipped for a file exactly as the app closed it, so a million-user workspace opens without reading every page', () => {
    const { path, verified } = closedWorkspace();
    expect(verified.unchangedSinceClose(path)).toBe(true);
    // same inode, size and modification time as at the clean close: the check is not run, so even pages
    // changed behind the stamp's back go unread (what the skip means)
    damagePages(path, true);
    const store = new WorkspaceStore(path, { verifiedFiles: verified });
    store.close();
  });

  it('runs again when anything else wrote to the file since the app closed it', () => {
    const { path, verified } = closedWorkspace();
    damagePages(path, false);
    expect(verified.unchangedSinceClose(path)).toBe(false);
    expect(() => new WorkspaceStore(path, { verifiedFiles: verified })).toThrow(/is damaged: SQLite's integrity check says/);
  });

  it('runs again after a crash (a write-ahead log left beside the file)', () => {
    const { path, verified } = closedWorkspace();
    writeFileSync(`${path}-wal`, Buffer.alloc(0));
    expect(verified.unchangedSinceClose(path)).toBe(true); // an empty log is what a clean close may leave
    writeFileSync(`${path}-wal`, Buffer.alloc(32));
    expect(verified.unchangedSinceClose(path)).toBe(false);
  });

  it('always runs for a file below the size threshold', () => {
    const dir = folder();
    const verified = new VerifiedFiles(join(dir, 'verified-files.json'));
    const path = join(dir, 'small.scimplan');
    const store = new WorkspaceStore(path, { verifiedFiles: verified });
    ensureDemoProject(store);
    store.close();
    expect(verified.unchangedSinceClose(path)).toBe(false);
    damagePages(path, true);
    expect(() => new WorkspaceStore(path, { verifiedFiles: verified })).toThrow(/is damaged/);
  });

  it('survives a list it cannot read: every file is then checked in full', () => {
    const { path, verified } = closedWorkspace();
    writeFileSync(join(path, '..', 'verified-files.json'), '{"cut short');
    expect(verified.unchangedSinceClose(path)).toBe(false);
  });
});
