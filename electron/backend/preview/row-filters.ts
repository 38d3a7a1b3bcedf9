import type { PreviewIndexRow } from '../../../shared/preview/summary.ts';
import type { UserAction } from '../../../shared/preview/types.ts';

/** A growable list of ordinals, sorted on demand (chunks hand their batches back interleaved). */
class OrdinalList {
  private items = new Int32Array(64);
  length = 0;
  private sorted = true;

  push(ordinal: number): void {
    if (this.length === this.items.length) {
      const grown = new Int32Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    if (this.length > 0 && ordinal < this.items[this.length - 1]!) this.sorted = false;
    this.items[this.length++] = ordinal;
  }

  /** The ordinals in snapshot order (a view: valid until the next push). */
  view(): Int32Array {
    const view = this.items.subarray(0, this.length);
    if (!this.sorted) {
      view.sort();
      this.sorted = true;
    }
    return view;
  }
}

/** The ordinals in both sorted lists. */
function intersect(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(Math.min(a.length, b.length));
  let n = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      out[n++] = a[i]!;
      i++;
      j++;
    }
  }
  return out.subarray(0, n);
}

/** Search texts of a batch of rows, one string: each row's text followed by SEPARATOR, where `starts` says. */
interface SearchBlock {
  text: string;
  starts: Int32Array;
  ordinals: Int32Array;
  /** the block's lowest ordinal: a capped search reads blocks in this order */
  first: number;
}

/** The rows that pass a filter, in snapshot order; `counting`: a capped search stopped early, more rows may pass. */
interface Matching {
  ordinals: Int32Array;
  counting: boolean;
}

/** Whether the sorted list holds the ordinal. */
function holds(list: Int32Array, ordinal: number): boolean {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < ordinal) lo = mid + 1;
    else hi = mid;
  }
  return lo < list.length && list[lo] === ordinal;
}

/** Between two rows' texts in a block: a search term never contains it, so no match spans two rows. */
const SEPARATOR = '\u0000';

/**
 * What the Preview table filters a million rows by, in the backend's memory and not in the row store's file: the
 * ordinals of each action and of each finding code (4 bytes a user each), and every row's search text in blocks a
 * term is looked for with indexOf. Scanning the SQLite file for a filter took 0.2-0.7 s at a million rows; these
 * answer a filter's count and page in milliseconds, the file then reads only the page's rows by ordinal.
 */
export class RowFilterIndex {
  private readonly byAction = new Map<UserAction, OrdinalList>();
  private readonly byCode = new Map<string, OrdinalList>();
  private readonly blocks: SearchBlock[] = [];
  /** the blocks by their lowest ordinal (batches arrive interleaved); rebuilt after an add */
  private blocksInOrder: SearchBlock[] | null = null;
  /** the last search's rows: the table asks for page after page of the same term as it scrolls */
  private lastSearch: { term: string; ordinals: Int32Array } | null = null;

  /** Adds a batch of rows; `texts[i]` is row i's search text (searchText in row-store.ts). */
  add(rows: readonly PreviewIndexRow[], ordinals: readonly number[], texts: readonly string[]): void {
    this.lastSearch = null;
    const starts = new Int32Array(rows.length);
    let at = 0;
    let first = Infinity;
    rows.forEach((row, i) => {
      const ordinal = ordinals[i]!;
      first = Math.min(first, ordinal);
      listOf(this.byAction, row.action).push(ordinal);
      for (const code of row.codes) this.addCode(code, ordinal);
      starts[i] = at;
      at += texts[i]!.length + 1;
    });
    // Joined with the trailing separator in one go: `join(...) + SEPARATOR` is a rope V8 flattens at the first search
    // (about 0.2 s at a million rows).
    this.blocks.push({ text: [...texts, ''].join(SEPARATOR), starts, ordinals: Int32Array.from(ordinals), first });
    this.blocksInOrder = null;
  }

  /** A code found after the pass (the vendor's duplicates) on the user at `ordinal`. */
  addCode(code: string, ordinal: number): void {
    listOf(this.byCode, code).push(ordinal);
  }

  /** The count of users with the action (byAction of the summary). */
  actionCount(action: UserAction): number {
    return this.byAction.get(action)?.length ?? 0;
  }

  /**
   * The ordinals, in snapshot order, of the rows that pass the filter; `term` is the search term as matched (trimmed,
   * lower-cased, '' for none). Null when the filter filters nothing (every row passes).
   */
  matching(action: UserAction | undefined, code: string | undefined, term: string): Int32Array | null {
    let out: Int32Array | null = null;
    const narrow = (list: Int32Array) => (out = out === null ? list : intersect(out, list));
    if (action !== undefined) narrow(this.byAction.get(action)?.view() ?? new Int32Array(0));
    if (code !== undefined) narrow(this.byCode.get(code)?.view() ?? new Int32Array(0));
    if (term !== '') narrow(this.searched(term));
    return out;
  }

  /**
   * As `matching`, but a search may stop once more than `cap` rows pass (a common word matches most of a million rows
   * and its count walks every row's text): the ordinals found then are the first ones in snapshot order, `counting` set.
   */
  matchingUpTo(action: UserAction | undefined, code: string | undefined, term: string, cap: number): Matching | null {
    if (term === '' || this.lastSearch?.term === term) {
      const ordinals = this.matching(action, code, term);
      return ordinals && { ordinals, counting: false };
    }
    const others = this.matching(action, code, '');
    const found = new OrdinalList();
    const order = (this.blocksInOrder ??= [...this.blocks].sort((a, b) => a.first - b.first));
    let beyond = Infinity;
    for (const [i, block] of order.entries()) {
      // Every ordinal of the blocks left is above the (cap+1)-th found so far: the first cap+1 are known.
      if (block.first > beyond) return { ordinals: found.view(), counting: true };
      searchBlock(block, term, (ordinal) => {
        if (others === null || holds(others, ordinal)) found.push(ordinal);
      });
      if (found.length > cap && i + 1 < order.length) beyond = found.view()[cap]!;
    }
    const ordinals = found.view();
    if (others === null) this.lastSearch = { term, ordinals };
    return { ordinals, counting: false };
  }

  /** The ordinals of the rows whose search text holds the term, in snapshot order. */
  private searched(term: string): Int32Array {
    if (this.lastSearch?.term !== term) this.lastSearch = { term, ordinals: this.search(term) };
    return this.lastSearch.ordinals;
  }

  private search(term: string): Int32Array {
    const found = new OrdinalList();
    for (const block of this.blocks) searchBlock(block, term, (ordinal) => found.push(ordinal));
    return found.view();
  }
}

/** Calls `found` with the ordinal of each row of the block whose search text holds the term, once a row. */
function searchBlock(block: SearchBlock, term: string, found: (ordinal: number) => void): void {
  if (term.includes(SEPARATOR)) return;
  let row = 0;
  for (let at = block.text.indexOf(term); at >= 0; ) {
    // The row the match is in: the last start at or before it (rows are in text order).
    while (row + 1 < block.starts.length && block.starts[row + 1]! <= at) row++;
    found(block.ordinals[row]!);
    // On to the next row: a row counts once however often the term is in it.
    const next = row + 1 < block.starts.length ? block.starts[row + 1]! : block.text.length;
    at = block.text.indexOf(term, next);
  }
}

function listOf<K>(lists: Map<K, OrdinalList>, key: K): OrdinalList {
  let list = lists.get(key);
  if (!list) lists.set(key, (list = new OrdinalList()));
  return list;
}
