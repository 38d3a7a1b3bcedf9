import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { addFindingsToRow, type PreviewIndexRow } from '../../../shared/preview/summary.ts';
import { USER_ACTIONS, type Finding, type PreviewSummary, type UserAction } from '../../../shared/preview/types.ts';
import { fnv1a, packedOf, packRow, unpackRow, type IndexRowBatch } from './row-batch.ts';
import { RowFilterIndex } from './row-filters.ts';

/** What the Preview screen's table asks for: the users with an action, a finding code, a search term. */
export interface PreviewRowFilter {
  action?: UserAction | undefined;
  findingCode?: string | undefined;
  /** matched, lower-cased, inside the user principal name or the display name */
  search?: string | undefined;
}

/**
 * A preview run's index rows (one per user: what the table lists, filters and searches). Rows arrive in batches from
 * the chunks as they are previewed, each with its place in the snapshot (ordinal) and the chunk that holds its full
 * preview; pages come back in snapshot order.
 */
export interface PreviewRows {
  /** Adds a chunk's batch of rows, each with its place in the snapshot (its ordinal). */
  add(batch: IndexRowBatch, chunk: number): void;
  /** Whether the store keeps rows packed (a worker then sends them packed: row-batch.ts). */
  readonly packed: boolean;
  /** The pass has added its rows (leavers may still follow): lookups by id are fast from here on. */
  finish(): void;
  /** The ordinal after the last row (leavers are placed after the snapshot's users). */
  nextOrdinal(): number;
  readonly size: number;
  has(id: string): boolean;
  row(id: string): PreviewIndexRow | undefined;
  /** Which chunk holds the user's full preview. */
  chunkOf(id: string): number | undefined;
  byAction(): PreviewSummary['byAction'];
  /** Findings found after the pass (the vendor's duplicates) added to their user's row, counts and codes in step. */
  addFindings(id: string, findings: readonly Finding[]): void;
  /** Rows in snapshot order, from `offset`, at most `limit` (-1: all). */
  rows(offset?: number, limit?: number): PreviewIndexRow[];
  /**
   * The rows that pass the filter, in snapshot order: how many, and the page asked for. With `countLimit`, a search may
   * stop counting past it and the page's end: `counting` then says `total` is the rows counted so far.
   */
  page(filter: PreviewRowFilter, offset: number, limit: number, countLimit?: number): PreviewRowsPage;
  close(): void;
}

/** A page of the filtered rows (PreviewRows.page). */
export interface PreviewRowsPage {
  total: number;
  rows: PreviewIndexRow[];
  counting?: true;
}

/** Rows stored together in one value of the file: a page of rows read by ordinal reads their groups. */
const GROUP_ROWS = 100;

/** Page cache of the store's connection: the table itself stays on disk whatever the tenant's size. */
const CACHE_KIB = 16 * 1024;

/** Groups whose rows are kept split after a read: the table asks for page after page of nearby rows. */
const GROUPS_KEPT = 16;

/** A growable Int32Array (grown by doubling; new places hold 0). */
class Int32Column {
  items = new Int32Array(1024);

  set(at: number, value: number): void {
    if (at >= this.items.length) {
      let length = this.items.length;
      while (length <= at) length *= 2;
      const grown = new Int32Array(length);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[at] = value;
  }

  get(at: number): number {
    return at < this.items.length ? this.items[at]! : 0;
  }
}

/**
 * User id hashes → row references, open addressing over [hash, ref + 1] pairs: a million users' ids as a Map would cost
 * the main thread about 100 MB; ids sharing a hash are told apart by the id in the row.
 */
class IdHashes {
  private slots = new Int32Array(2 * 1024);
  private count = 0;

  add(hash: number, ref: number): void {
    if ((this.count + 1) * 4 > this.slots.length) this.grow();
    this.place(this.slots, hash, ref + 1);
    this.count++;
  }

  /** The references of the rows whose id has this hash. */
  *refs(hash: number): Generator<number> {
    const mask = this.slots.length / 2 - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const ref = this.slots[slot * 2 + 1]!;
      if (ref === 0) return;
      if (this.slots[slot * 2] === hash) yield ref - 1;
    }
  }

  private place(slots: Int32Array, hash: number, value: number): void {
    const mask = slots.length / 2 - 1;
    let slot = hash & mask;
    while (slots[slot * 2 + 1] !== 0) slot = (slot + 1) & mask;
    slots[slot * 2] = hash;
    slots[slot * 2 + 1] = value;
  }

  private grow(): void {
    const grown = new Int32Array(this.slots.length * 2);
    for (let slot = 0; slot < this.slots.length; slot += 2) if (this.slots[slot + 1] !== 0) this.place(grown, this.slots[slot]!, this.slots[slot + 1]!);
    this.slots = grown;
  }
}

/**
 * A preview run's index rows in a temporary SQLite file, not as JavaScript objects: a million rows are about 400 MB of
 * objects, and the backend must stay within its memory budget whatever the tenant's size. The file is deleted on close.
 *
 * The file holds the rows packed (row-batch.ts) GROUP_ROWS to a value: inserting a row per user was most of the main
 * thread's time at a million users. What finds a row is in memory, a few bytes a row: its reference (group and place)
 * by ordinal and by id hash, and the filters (row-filters.ts).
 */
export class PreviewRowStore implements PreviewRows {
  readonly packed = true;
  private readonly dir: string;
  private readonly db: Database.Database;
  private readonly stmt;
  private closed = false;
  /** rows added, and one past the highest ordinal */
  private added = 0;
  private end = 0;
  /** a row's reference: its group * GROUP_ROWS + its place in the group */
  private readonly refByOrdinal = new Int32Column();
  private readonly ordinalByRef = new Int32Column();
  private readonly ids = new IdHashes();
  /** each group's chunk (which chunk holds its users' full previews) */
  private readonly chunks = new Int32Column();
  private groups = 0;
  /** the last groups read, split into rows (Map order: oldest first) */
  private readonly kept = new Map<number, string[]>();
  /**
   * rows changed after the pass (the vendor's duplicates), packed, by reference: kept here rather than written back,
   * as rewriting a group of 100 rows for each such user cost more than the rows take in memory
   */
  private readonly changed = new Map<number, string>();
  /** what a filter's count and page are decided by (the file is read for the page's rows only) */
  private readonly filters = new RowFilterIndex();

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'scim-planner-preview-'));
    this.db = new Database(join(this.dir, 'rows.sqlite'));
    // A scratch file: nothing to recover after a crash, so no journal and no syncing.
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.pragma(`cache_size = -${CACHE_KIB}`);
    this.db.exec('CREATE TABLE row_groups (key INTEGER PRIMARY KEY, data TEXT NOT NULL);');
    this.stmt = {
      insert: this.db.prepare<[number, string]>('INSERT INTO row_groups (key, data) VALUES (?, ?)'),
      group: this.db.prepare<[number], string>('SELECT data FROM row_groups WHERE key = ?').pluck(),
    };
  }

  add(batch: IndexRowBatch, chunk: number): void {
    const packed = packedOf(batch);
    const { ordinals, idHashes, data } = packed;
    this.filters.add(packed);
    const count = ordinals.length;
    this.db.transaction(() => {
      let at = 0;
      for (let from = 0; from < count; from += GROUP_ROWS) {
        const to = Math.min(count, from + GROUP_ROWS);
        let end = at;
        for (let i = from; i < to; i++) end = data.indexOf('\n', end) + 1;
        const group = this.groups++;
        // The group's rows, newline apart (the last one's newline left out).
        this.stmt.insert.run(group, data.slice(at, end - 1));
        at = end;
        this.chunks.set(group, chunk);
        for (let i = from; i < to; i++) {
          const ref = group * GROUP_ROWS + (i - from);
          const ordinal = ordinals[i]!;
          this.refByOrdinal.set(ordinal, ref + 1);
          this.ordinalByRef.set(ref, ordinal);
          this.ids.add(idHashes[i]!, ref);
          if (ordinal >= this.end) this.end = ordinal + 1;
        }
      }
    })();
    this.added += count;
  }

  /** Nothing left to build: the rows are found by what is kept in memory as they are added. */
  finish(): void {}

  /** The rows of a group, split (the last GROUPS_KEPT groups read are kept split). */
  private groupRows(group: number): string[] {
    let rows = this.kept.get(group);
    if (rows) return rows;
    rows = this.stmt.group.get(group)!.split('\n');
    this.kept.set(group, rows);
    if (this.kept.size > GROUPS_KEPT) this.kept.delete(this.kept.keys().next().value!);
    return rows;
  }

  private packedRow(ref: number): string {
    return this.changed.get(ref) ?? this.groupRows(Math.floor(ref / GROUP_ROWS))[ref % GROUP_ROWS]!;
  }

  /** The user's row and its reference. */
  private found(id: string): { ref: number; row: PreviewIndexRow } | undefined {
    for (const ref of this.ids.refs(fnv1a(id))) {
      const row = unpackRow(this.packedRow(ref));
      if (row.id === id) return { ref, row };
    }
    return undefined;
  }

  /** The ordinal after the last row (leavers are placed after the snapshot's users). */
  nextOrdinal(): number {
    return this.end;
  }

  get size(): number {
    return this.added;
  }

  has(id: string): boolean {
    return this.found(id) !== undefined;
  }

  row(id: string): PreviewIndexRow | undefined {
    return this.found(id)?.row;
  }

  /** Which chunk holds the user's full preview. */
  chunkOf(id: string): number | undefined {
    const found = this.found(id);
    return found && this.chunks.get(Math.floor(found.ref / GROUP_ROWS));
  }

  byAction(): PreviewSummary['byAction'] {
    const counts = Object.fromEntries(USER_ACTIONS.map((action) => [action, 0])) as PreviewSummary['byAction'];
    for (const action of USER_ACTIONS) counts[action] = this.filters.actionCount(action);
    return counts;
  }

  /** Findings found after the pass (the vendor's duplicates) added to their user's row, counts and codes in step. */
  addFindings(id: string, findings: readonly Finding[]): void {
    const found = this.found(id);
    if (!found) return;
    const { ref, row } = found;
    const before = row.codes.length;
    addFindingsToRow(row, findings);
    for (const code of row.codes.slice(before)) this.filters.addCode(code, this.ordinalByRef.get(ref));
    this.changed.set(ref, packRow(row));
  }

  /** Rows in snapshot order, from `offset`, at most `limit`. */
  rows(offset = 0, limit = -1): PreviewIndexRow[] {
    const count = Math.max(0, limit < 0 ? this.added - offset : Math.min(limit, this.added - offset));
    const out: PreviewIndexRow[] = [];
    if (count === 0) return out;
    // Ordinals are dense (0…n-1) unless rows are missing: then the page's first is found by counting.
    let ordinal = offset;
    if (this.added !== this.end) {
      for (let seen = 0, at = 0; ; at++) {
        if (this.refByOrdinal.get(at) !== 0 && seen++ === offset) {
          ordinal = at;
          break;
        }
      }
    }
    for (; out.length < count && ordinal < this.end; ordinal++) {
      const ref = this.refByOrdinal.get(ordinal);
      if (ref !== 0) out.push(unpackRow(this.packedRow(ref - 1)));
    }
    return out;
  }

  page(filter: PreviewRowFilter, offset: number, limit: number, countLimit?: number): PreviewRowsPage {
    const { action, findingCode } = filter;
    const matching =
      countLimit === undefined
        ? { ordinals: this.filters.matching(action, findingCode, searchTerm(filter)), counting: false }
        : this.filters.matchingUpTo(action, findingCode, searchTerm(filter), Math.max(countLimit, offset + Math.max(0, limit)));
    const ordinals = matching?.ordinals ?? null;
    if (ordinals === null) return { total: this.added, rows: this.rows(offset, limit) };
    const page = ordinals.subarray(offset, offset + Math.max(0, limit));
    const rows = Array.from(page, (ordinal) => unpackRow(this.packedRow(this.refByOrdinal.get(ordinal) - 1)));
    return { total: ordinals.length, rows, ...(matching?.counting ? { counting: true as const } : {}) };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.changed.clear();
    this.kept.clear();
    this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Codes as one string with a space on each side of each, so a filter matches a whole code (` CODE `). */
export function codesText(codes: readonly string[]): string {
  return ` ${codes.join(' ')} `;
}

/** The filter's search term as it is matched: trimmed, lower-cased ('' matches every row). */
export function searchTerm(filter: PreviewRowFilter): string {
  return (filter.search ?? '').trim().toLowerCase();
}
