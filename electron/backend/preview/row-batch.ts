import type { PreviewIndexRow } from '../../../shared/preview/summary.ts';
import { USER_ACTIONS, type UserAction } from '../../../shared/preview/types.ts';

/**
 * A batch of index rows as a worker hands them to the row store (row-store.ts): packed where they are previewed, so
 * the main thread builds no object per row and binds 4 values a row, not 12 (at a million users the inserts of the
 * unpacked rows were most of the main thread's time), and the filters get their search texts already joined.
 */
export interface PackedRows {
  /** each row's place in the snapshot */
  ordinals: Int32Array;
  /** idHash of each row's user id: the store indexes these integers, not the ids */
  idHashes: Int32Array;
  /**
   * each row as packRow gives it (its user id first), a newline after each: one string crosses the thread boundary
   * cheaper than a string per row, and JSON texts hold no raw newline
   */
  data: string;
  /** each row's action, as its place in USER_ACTIONS */
  actions: Uint8Array;
  /** the rows (their places in the batch) with finding codes, and those codes (most rows have none) */
  coded: Int32Array;
  codes: string[][];
  /** the rows' search texts (searchText) in one block, each followed by SEARCH_SEPARATOR, starting where `searchStarts` say */
  search: string;
  searchStarts: Int32Array;
}

/** Index rows as a batch reaches a store: the objects with their ordinals (this thread's passes), or packed (a worker's). */
export type IndexRowBatch = { rows: readonly PreviewIndexRow[]; ordinals: readonly number[] } | PackedRows;

/** Between two rows' texts in a search block: a search term never contains it, so no match spans two rows. */
export const SEARCH_SEPARATOR = '\u0000';

/** What a search looks in: the UPN and the display name, lower-cased, apart (a term never spans both). */
export function searchText(row: PreviewIndexRow): string {
  return `${(row.userPrincipalName ?? '').toLowerCase()}\n${(row.displayName ?? '').toLowerCase()}`;
}

/**
 * FNV-1a over the UTF-16 code units of text[from, to), as a signed 32-bit integer. Two ids may share a hash: whoever
 * looks an id up by it compares the id itself.
 */
export function fnv1a(text: string, from = 0, to = text.length): number {
  let hash = 0x811c9dc5;
  for (let i = from; i < to; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash | 0;
}

const ACTION_PLACES = new Map<UserAction, number>(USER_ACTIONS.map((action, i) => [action, i]));

/** Packs index rows (with their ordinals) as a worker sends them. */
export function packRows(rows: readonly PreviewIndexRow[], ordinals: readonly number[]): PackedRows {
  const count = rows.length;
  const idHashes = new Int32Array(count);
  const actions = new Uint8Array(count);
  const searchStarts = new Int32Array(count);
  const data: string[] = new Array<string>(count + 1);
  const texts: string[] = new Array<string>(count + 1);
  const coded: number[] = [];
  const codes: string[][] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const row = rows[i]!;
    idHashes[i] = fnv1a(row.id);
    actions[i] = ACTION_PLACES.get(row.action)!;
    data[i] = packRow(row);
    if (row.codes.length > 0) {
      coded.push(i);
      codes.push(row.codes);
    }
    const text = searchText(row);
    texts[i] = text;
    searchStarts[i] = at;
    at += text.length + 1;
  }
  // Joined with the trailing separator in one go: `join(...) + SEPARATOR` is a rope V8 flattens at the first search.
  texts[count] = '';
  data[count] = '';
  return { ordinals: Int32Array.from(ordinals), idHashes, data: data.join('\n'), actions, coded: Int32Array.from(coded), codes, search: texts.join(SEARCH_SEPARATOR), searchStarts };
}

/** A batch as packed rows, packing it when it came as objects. */
export function packedOf(batch: IndexRowBatch): PackedRows {
  return 'data' in batch ? batch : packRows(batch.rows, batch.ordinals);
}

/** A batch's rows as objects with their ordinals, unpacking them when they came packed. */
export function unpackedOf(batch: IndexRowBatch): { rows: readonly PreviewIndexRow[]; ordinals: readonly number[] } {
  return 'data' in batch ? { rows: batch.data.split('\n', batch.ordinals.length).map(unpackRow), ordinals: Array.from(batch.ordinals) } : batch;
}

/** USER_ACTIONS index of an action, as PackedRows.actions holds it. */
export function actionAt(place: number): UserAction {
  return USER_ACTIONS[place]!;
}

type RowTuple = [string, string | null, string | null, UserAction, string | null, 0 | 1, number, number, number, string[]];

/** One row as one JSON text (any character of a name survives it), its user id first. */
export function packRow(row: PreviewIndexRow): string {
  const tuple: RowTuple = [row.id, row.userPrincipalName, row.displayName, row.action, row.reason, row.inScope ? 1 : 0, row.errors, row.warnings, row.requestCount, row.codes];
  return JSON.stringify(tuple);
}

export function unpackRow(data: string): PreviewIndexRow {
  const [id, userPrincipalName, displayName, action, reason, inScope, errors, warnings, requestCount, codes] = JSON.parse(data) as RowTuple;
  return { id, userPrincipalName, displayName, action, reason, inScope: inScope === 1, errors, warnings, requestCount, codes };
}
