/**
 * Which large database files the app last closed cleanly, so opening one need not read every page again.
 *
 * PRAGMA quick_check reads the whole file: about 3 s for a 100 MB workspace of 20,000 users here, minutes for the
 * 5 GB of a million-user tenant, on every open. A file the app closed itself (its last connection checkpointed the
 * WAL and removed it) and that nobody touched since (same inode, size and modification time, no -wal or -journal
 * beside it) is the file SQLite's own transactions left: the check is run again only when any of that changed, as
 * after a crash, a copy, or another program writing to it. Small files are always checked (it costs little).
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { userDataDir } from './paths.ts';

/** Files below this are checked on every open (well under a second). */
const ALWAYS_CHECK_BELOW_BYTES = 64 * 1024 * 1024;
/** The list keeps the most recently closed files only. */
const KEEP = 64;

interface FileStamp {
  ino: number;
  size: number;
  mtimeMs: number;
}

/** The file's stamp, or null when SQLite side files show it was not closed cleanly (or it is gone). */
function stampOf(path: string): FileStamp | null {
  for (const side of [`${path}-wal`, `${path}-journal`]) {
    if (existsSync(side) && statSync(side).size > 0) return null;
  }
  if (!existsSync(path)) return null;
  const { ino, size, mtimeMs } = statSync(path);
  // whole milliseconds: what every file system and utimes keep alike
  return { ino, size, mtimeMs: Math.floor(mtimeMs) };
}

const sameStamp = (a: FileStamp, b: FileStamp) => a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;

export class VerifiedFiles {
  constructor(
    private readonly listPath = join(userDataDir(), 'verified-files.json'),
    private readonly alwaysCheckBelow = ALWAYS_CHECK_BELOW_BYTES,
  ) {}

  private read(): Record<string, FileStamp> {
    try {
      const parsed = JSON.parse(readFileSync(this.listPath, 'utf8')) as unknown;
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, FileStamp>) : {};
    } catch {
      return {}; // no list yet, or one cut short: every file is checked in full, which is only slower
    }
  }

  /** True when the file may skip the full integrity check: large, and exactly as the app last closed it. */
  unchangedSinceClose(path: string): boolean {
    const stamp = stampOf(path);
    if (!stamp || stamp.size < this.alwaysCheckBelow) return false;
    const known = this.read()[realpathSync(path)];
    return !!known && sameStamp(known, stamp);
  }

  /** Records a large file just closed by its last connection of this process. */
  rememberClosed(path: string): void {
    const stamp = stampOf(path);
    if (!stamp || stamp.size < this.alwaysCheckBelow) return;
    const list = this.read();
    const key = realpathSync(path);
    delete list[key];
    const kept = Object.entries(list).slice(-(KEEP - 1));
    kept.push([key, stamp]);
    mkdirSync(dirname(this.listPath), { recursive: true, mode: 0o700 });
    // written aside and renamed, so two processes closing at once leave one whole list, never a torn one
    const scratch = `${this.listPath}.${process.pid}.tmp`;
    writeFileSync(scratch, JSON.stringify(Object.fromEntries(kept)), { mode: 0o600 });
    renameSync(scratch, this.listPath);
  }
}
