import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { addFindingsToRow, type PreviewIndexRow } from '../../../shared/preview/summary.ts';
import { USER_ACTIONS, type Finding, type PreviewSummary, type UserAction } from '../../../shared/preview/types.ts';
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
  /** Adds a chunk's batch of rows; `ordinals[i]` is row i's place in the snapshot. */
  add(rows: readonly PreviewIndexRow[], ordinals: readonly number[], chunk: number): void;
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

interface StoredRow {
  ordinal: number;
  id: string;
  upn: string | null;
  displayName: string | null;
  action: UserAction;
  reason: string | null;
  inScope: number;
  errors: number;
  warnings: number;
  requestCount: number;
  codes: string;
  chunk: number;
}

/** Rows per INSERT statement: one statement call per row cost more than SQLite's own work for it. */
const INSERT_ROWS = 100;
const ROW_PLACES = `(${Array.from({ length: 12 }, () => '?').join(', ')})`;

/** Page cache of the store's connection: the table itself stays on disk whatever the tenant's size. */
const CACHE_KIB = 16 * 1024;

/**
 * A preview run's index rows in a temporary SQLite file, not as JavaScript objects: a million rows are about 400 MB of
 * objects, and the backend must stay within its memory budget whatever the tenant's size. The file is deleted on close.
 */
export class PreviewRowStore implements PreviewRows {
  private readonly dir: string;
  private readonly db: Database.Database;
  private readonly stmt;
  private closed = false;
  /** rows added, and one past the highest ordinal: equal when the ordinals are 0…n-1 (a page is then a key range) */
  private added = 0;
  private end = 0;
  /** what a filter's count and page are decided by (the file is read for the page's rows only) */
  private readonly filters = new RowFilterIndex();

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'scim-planner-preview-'));
    this.db = new Database(join(this.dir, 'rows.sqlite'));
    // A scratch file: nothing to recover after a crash, so no journal and no syncing.
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.pragma(`cache_size = -${CACHE_KIB}`);
    this.db.exec(`CREATE TABLE rows (
      ordinal INTEGER PRIMARY KEY,
      id TEXT NOT NULL,
      upn TEXT,
      display_name TEXT,
      action TEXT NOT NULL,
      reason TEXT,
      in_scope INTEGER NOT NULL,
      errors INTEGER NOT NULL,
      warnings INTEGER NOT NULL,
      request_count INTEGER NOT NULL,
      codes TEXT NOT NULL,
      chunk INTEGER NOT NULL
    );`);
    const columns = `ordinal, id, upn, display_name AS displayName, action, reason, in_scope AS inScope, errors, warnings, request_count AS requestCount, codes, chunk`;
    this.stmt = {
      insertMany: this.insertOf(INSERT_ROWS),
      byId: this.db.prepare<[string], StoredRow>(`SELECT ${columns} FROM rows WHERE id = ?`),
      // The page's ordinals as a JSON array: one statement for any page size.
      byOrdinals: this.db.prepare<[string], StoredRow>(`SELECT ${columns} FROM rows WHERE ordinal IN (SELECT value FROM json_each(?)) ORDER BY ordinal`),
      update: this.db.prepare('UPDATE rows SET errors = ?, warnings = ?, codes = ? WHERE id = ?'),
      range: this.db.prepare<[number, number], StoredRow>(`SELECT ${columns} FROM rows ORDER BY ordinal LIMIT ? OFFSET ?`),
      keyRange: this.db.prepare<[number, number], StoredRow>(`SELECT ${columns} FROM rows WHERE ordinal >= ? ORDER BY ordinal LIMIT ?`),
    };
  }

  add(rows: readonly PreviewIndexRow[], ordinals: readonly number[], chunk: number): void {
    const values: Array<string | number | null> = [];
    this.filters.add(rows, ordinals, rows.map(searchText));
    const flush = (count: number) => {
      if (count === 0) return;
      (count === INSERT_ROWS ? this.stmt.insertMany : this.insertOf(count)).run(values);
      values.length = 0;
    };
    this.db.transaction(() => {
      rows.forEach((row, i) => {
        const ordinal = ordinals[i]!;
        values.push(ordinal, row.id, row.userPrincipalName, row.displayName, row.action, row.reason, row.inScope ? 1 : 0, row.errors, row.warnings, row.requestCount, codesText(row.codes), chunk);
        this.end = Math.max(this.end, ordinal + 1);
        if ((i + 1) % INSERT_ROWS === 0) flush(INSERT_ROWS);
      });
      flush(rows.length % INSERT_ROWS);
    })();
    this.added += rows.length;
  }

  /** An INSERT of `count` rows in one statement. */
  private insertOf(count: number): Database.Statement<unknown[]> {
    return this.db.prepare(`INSERT INTO rows VALUES ${Array.from({ length: count }, () => ROW_PLACES).join(', ')}`);
  }

  /**
   * Indexes the rows by user id once the pass has added them: building the index at the end is a sort, where keeping
   * it during the pass would be a random B-tree insert per user. Lookups by id before this scan the table.
   */
  finish(): void {
    this.db.exec('CREATE INDEX IF NOT EXISTS rows_id ON rows (id)');
  }

  /** The ordinal after the last row (leavers are placed after the snapshot's users). */
  nextOrdinal(): number {
    return this.end;
  }

  get size(): number {
    return this.added;
  }

  has(id: string): boolean {
    return this.stmt.byId.get(id) !== undefined;
  }

  row(id: string): PreviewIndexRow | undefined {
    const stored = this.stmt.byId.get(id);
    return stored && indexRow(stored);
  }

  /** Which chunk holds the user's full preview. */
  chunkOf(id: string): number | undefined {
    return this.stmt.byId.get(id)?.chunk;
  }

  byAction(): PreviewSummary['byAction'] {
    const counts = Object.fromEntries(USER_ACTIONS.map((action) => [action, 0])) as PreviewSummary['byAction'];
    for (const action of USER_ACTIONS) counts[action] = this.filters.actionCount(action);
    return counts;
  }

  /** Findings found after the pass (the vendor's duplicates) added to their user's row, counts and codes in step. */
  addFindings(id: string, findings: readonly Finding[]): void {
    const stored = this.stmt.byId.get(id);
    if (!stored) return;
    const row = indexRow(stored);
    addFindingsToRow(row, findings);
    for (const code of row.codes.slice(indexRow(stored).codes.length)) this.filters.addCode(code, stored.ordinal);
    this.stmt.update.run(row.errors, row.warnings, codesText(row.codes), id);
  }

  /** Rows in snapshot order, from `offset`, at most `limit`. */
  rows(offset = 0, limit = -1): PreviewIndexRow[] {
    // A key range when the ordinals are dense: OFFSET walks every row before the page, which made paging through
    // a million users quadratic.
    const rows = this.added === this.end ? this.stmt.keyRange.all(offset, limit) : this.stmt.range.all(limit, offset);
    return rows.map(indexRow);
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
    const rows = page.length === 0 ? [] : this.stmt.byOrdinals.all(JSON.stringify(Array.from(page))).map(indexRow);
    return { total: ordinals.length, rows, ...(matching?.counting ? { counting: true as const } : {}) };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
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

/** What a search looks in: the UPN and the display name, lower-cased, apart (a term never spans both). */
export function searchText(row: PreviewIndexRow): string {
  return `${(row.userPrincipalName ?? '').toLowerCase()}\n${(row.displayName ?? '').toLowerCase()}`;
}

function indexRow(stored: StoredRow): PreviewIndexRow {
  return {
    id: stored.id,
    userPrincipalName: stored.upn,
    displayName: stored.displayName,
    action: stored.action,
    reason: stored.reason,
    inScope: stored.inScope === 1,
    errors: stored.errors,
    warnings: stored.warnings,
    requestCount: stored.requestCount,
    codes: stored.codes.trim() === '' ? [] : stored.codes.trim().split(' '),
  };
}
