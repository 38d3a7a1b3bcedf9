/**
 * A users file's text in, snapshot rows out: each user checked, its source object derived and its column values made
 * (snapshotUserColumns). The import runs this in a thread of its own (users-file-worker.ts) while the workspace's
 * writer inserts the rows it made before (users-file-thread.ts), as a fetch converts beside its writer (issue 18).
 */
import { UsersFileReader, type UsersFileFormat, type UsersFileOutcome } from '../../../shared/directory/users-file.ts';
import { graphUserToSource, type GraphUser } from '../../../shared/directory/graph-to-source.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { isDirectoryExtensionName } from '../../../shared/directory/source-schema.ts';
import { snapshotUserColumns, type SnapshotUserRow } from '../workspace/snapshot-rows.ts';
import type { SourceRevision } from '../workspace/store.ts';

/**
 * The reader gets a chunk in pieces of this many characters, so a few dozen users are converted at a time: the 600 or
 * so of a whole 1 MB chunk outlived the young generation's collections and were copied and promoted.
 */
const READ_PIECE_CHARS = 64 * 1024;

/** A chunk of text in READ_PIECE_CHARS pieces. */
export function* readPieces(text: string): Generator<string> {
  if (text.length <= READ_PIECE_CHARS) yield text;
  else for (let at = 0; at < text.length; at += READ_PIECE_CHARS) yield text.slice(at, at + READ_PIECE_CHARS);
}

/** What FileDirectoryExtensions.revision gives: plain data, so it crosses from the import's thread to the writer's. */
export interface SourcesToRevise {
  /** ordinals [from, to) whose sources were derived with an earlier, shorter list of extensions */
  ranges: [number, number][];
  directoryExtensions: string[];
}

/** The store's SourceRevision for what FileDirectoryExtensions.revision gave. */
export function sourceRevision({ ranges, directoryExtensions }: SourcesToRevise): SourceRevision {
  return { ranges, derive: (raw) => graphUserToSource(raw as GraphUser, { directoryExtensions }) };
}

/**
 * The directory extensions a users file declares: every extension_* key a user carries, in the order of first
 * appearance (the file has no schema to discover them from, so its keys are its declaration, as a fetch's discovered
 * extensions are). Sources are derived while the file streams by; the users derived before the list was complete are
 * derived again at the end (SourceRevision), so the snapshot is the one the whole file would give.
 */
class FileDirectoryExtensions {
  private readonly firstSeen = new Map<string, { ordinal: number; position: number }>();
  private declared: string[] = [];
  private readonly lists: string[][] = [[]];
  private generationOf = new Int32Array(1024);
  private highestOrdinal = -1;

  derive(user: GraphUser, ordinal: number): SourceObject {
    let position = 0;
    let changed = false;
    for (const key in user) {
      if (!key.startsWith('extension_') || !isDirectoryExtensionName(key)) continue;
      const seen = this.firstSeen.get(key);
      if (!seen || ordinal < seen.ordinal) {
        this.firstSeen.set(key, { ordinal, position });
        changed = true;
      }
      position++;
    }
    if (changed) {
      this.declared = [...this.firstSeen]
        .sort(([, a], [, b]) => a.ordinal - b.ordinal || a.position - b.position)
        .map(([name]) => name);
      this.lists.push(this.declared);
    }
    if (ordinal >= this.generationOf.length) {
      const grown = new Int32Array(Math.max(ordinal + 1, this.generationOf.length * 2));
      grown.set(this.generationOf);
      this.generationOf = grown;
    }
    this.generationOf[ordinal] = this.lists.length - 1;
    this.highestOrdinal = Math.max(this.highestOrdinal, ordinal);
    return graphUserToSource(user, { directoryExtensions: this.declared });
  }

  /** The users derived before the list was complete, and the list they are derived again with; null if none. */
  revision(): SourcesToRevise | null {
    const final = this.declared;
    const current = this.lists.map((list) => list.length === final.length && list.every((name, i) => name === final[i]));
    const ranges: [number, number][] = [];
    for (let ordinal = 0; ordinal <= this.highestOrdinal; ordinal++) {
      if (current[this.generationOf[ordinal]!]) continue;
      const last = ranges.at(-1);
      if (last && last[1] === ordinal) last[1]++;
      else ranges.push([ordinal, ordinal + 1]);
    }
    if (ranges.length === 0) return null;
    return { ranges, directoryExtensions: final };
  }
}

/**
 * A users file pushed in pieces of text: `push` returns the rows of the users each piece completed, `end` the last ones
 * with the file's outcome (or throws the UsersFileImportError naming its problems). After the first problem nothing more
 * is converted (UsersFileReader), and `stopped` says when the rest of the file cannot change the outcome.
 */
export class UsersFileRows {
  private readonly extensions = new FileDirectoryExtensions();
  private readonly reader: UsersFileReader;
  private rows: SnapshotUserRow[] = [];

  constructor(fileName: string) {
    this.reader = new UsersFileReader(fileName, (user, ordinal, rawJson) => {
      const source: SourceObject = this.extensions.derive(user, ordinal);
      this.rows.push(snapshotUserColumns({ raw: user as Record<string, unknown>, rawJson, source, ordinal }, ordinal));
    });
  }

  get format(): UsersFileFormat | null {
    return this.reader.format;
  }

  get stopped(): boolean {
    return this.reader.stopped;
  }

  push(text: string): SnapshotUserRow[] {
    this.reader.push(text);
    return this.take();
  }

  end(): { outcome: UsersFileOutcome; rows: SnapshotUserRow[]; revise: SourcesToRevise | null } {
    const outcome = this.reader.end();
    return { outcome, rows: this.take(), revise: this.extensions.revision() };
  }

  private take(): SnapshotUserRow[] {
    const rows = this.rows;
    this.rows = [];
    return rows;
  }
}
