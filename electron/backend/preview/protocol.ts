import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { MappingSet, ScimDialect } from '../../../shared/mapping/model.ts';
import type { ProvisionedLookup, RowStats } from '../../../shared/preview/engine.ts';
import type { PartialFindingGroup, PreviewIndexRow } from '../../../shared/preview/summary.ts';
import type { PreviousTarget, UserPreview } from '../../../shared/preview/types.ts';
import type { RedactionScanPart } from '../../../shared/reports/redact-scan.ts';
import type { UniqueValueSends, VendorProfile, VendorUserPartial } from '../../../shared/vendors/index.ts';

/**
 * Messages between the preview runner and its pooled worker threads. A worker stays up across runs (start-up is
 * most of a small preview's time) and holds the chunks of several preview sessions at once, each under the id
 * the runner gave it: it loads a chunk, previews it, keeps the results, and answers requests for pages of them
 * until the runner closes the chunk. Only summaries and the users asked for cross the thread boundary
 * (structured clone of 100,000 full previews cost more than the evaluation itself: docs/benchmarks.md).
 */

/** Where a chunk's users come from: given (cloned), or read by the worker from the workspace file. */
export type ChunkInput =
  | { kind: 'objects'; users: SourceObject[]; firstOrdinal: number }
    /** the users stored at places from <= place < to (to null: to the end); see SnapshotSourceReader */
  | { kind: 'workspace'; path: string; snapshotId: number; from: number; to: number | null };

export interface ChunkInit {
  set: MappingSet;
  dialect?: ScimDialect;
  baseUrl?: string;
  skipOutOfScopeDeletions: boolean;
  input: ChunkInput;
  /** previous targets of this chunk's users only */
  previous: Array<[string, PreviousTarget]>;
  /** the vendor whose per-user rules run on each user as it is previewed (shared/vendors/user-rules.ts) */
  vendor: VendorProfile | null;
}

/**
 * The two counters a chunk's pass shares with the runner (SharedArrayBuffer: the worker reads them while busy):
 * CANCEL, set by the runner to stop the pass between two batches (no terminate: the worker is shared); ACKED, the
 * row batches the runner has stored, which the worker waits on when IN_FLIGHT batches are not yet stored.
 */
export const CANCEL = 0;
export const ACKED = 1;
export const IN_FLIGHT = 4;

/** Index rows sent back to the runner in one message (the back-pressure's unit: IN_FLIGHT of these). */
export const ROW_BATCH = 1000;

/**
 * Users read and previewed together (a batch's source objects are all a worker holds). Smaller than ROW_BATCH: a
 * batch's sources are alive until it is previewed, and at 1,000 a young-generation GC found most of one batch alive and
 * moved it to the old generation (1.24 KB per user promoted; 0.62 KB at 250: docs/benchmarks.md, "Preview engine").
 */
export const READ_BATCH = 250;

export type ToWorker =
  /**
   * `flags`: CANCEL and ACKED above. A workspace chunk is previewed at once ('rows', then 'done'); a chunk of users
   * given in memory answers 'loaded' and waits for 'preview'.
   */
  | { type: 'open'; chunk: number; init: ChunkInit; flags: Int32Array }
  /**
   * every chunk's provisioned users, so manager links can cross chunks (Microsoft Learn "How Application Provisioning
   * works", step 6 of both cycles); see packPairs
   */
  | { type: 'preview'; chunk: number; provisioned: string }
  | { type: 'get'; chunk: number; requestId: number; ids: string[] | null }
  /** the chunk's sends of the unique values with these hashes (VendorUserMerge.candidates) */
  | { type: 'sends'; chunk: number; requestId: number; hashes: number[] }
  /**
   * the chunk's users read again for a report's redaction (shared/reports/redact-scan.ts): those a value of which the
   * report's `texts` quote, and those of `wanted` (object ids)
   */
  | { type: 'scan'; chunk: number; requestId: number; texts: string[]; wanted: string[] }
  | { type: 'close'; chunk: number };

export type FromWorker =
  | { type: 'loaded'; chunk: number; count: number; provisioned: string }
  /** a batch of index rows; `ordinals`: each row's place in the snapshot */
  | { type: 'rows'; chunk: number; rows: PreviewIndexRow[]; ordinals: number[] }
  /**
   * `peakHeapMb`: the most V8 heap the worker used during the pass (the bench reports it per worker); `provisioned`: a
   * workspace chunk's provisioned users (packPairs), which it found while previewing instead of in a 'loaded'
   */
  | {
      type: 'done';
      chunk: number;
      stats: RowStats;
      groups: PartialFindingGroup[];
      vendor: VendorUserPartial | null;
      peakHeapMb: number;
      provisioned?: string;
    }
  | { type: 'users'; chunk: number; requestId: number; users: UserPreview[] }
  | { type: 'sends'; chunk: number; requestId: number; sends: UniqueValueSends[] }
  | { type: 'scanned'; chunk: number; requestId: number; found: RedactionScanPart }
  | { type: 'failed'; chunk: number; message: string; requestId?: number };

/**
 * objectId → target id pairs as one string ("id\ttarget\n…"): cloning one string is a copy of its bytes, while
 * 100,000 two-element arrays cost a third of a second per worker to clone and rebuild. Neither part contains a tab
 * or a newline (Entra object ids are GUIDs; target ids are the vendor's, or the preview's `{id:<upn>}`).
 */
export function packPairs(pairs: Iterable<readonly [string, string]>): string {
  let out = '';
  for (const [key, value] of pairs) out += `${key}\t${value}\n`;
  return out;
}

/**
 * The packed pairs looked up where they are, without a Map: a million users' pairs as a Map (two strings and an
 * entry each) cost about 190 MB in every thread that holds them, where the packed string is about 80 MB and this
 * index 8 MB. Open addressing over the offsets of the lines, keyed by an FNV-1a hash of the id's UTF-16 code units.
 * A key given twice answers its last target id, as a Map built from the pairs would.
 */
export class PackedPairs implements ProvisionedLookup {
  private readonly slots: Int32Array;
  private readonly mask: number;
  readonly size: number;

  constructor(private readonly packed: string) {
    let lines = 0;
    for (let at = packed.indexOf('\n'); at >= 0; at = packed.indexOf('\n', at + 1)) lines++;
    let capacity = 16;
    while (capacity < lines * 2) capacity *= 2;
    this.mask = capacity - 1;
    // slot = line start + 1; 0 = empty
    this.slots = new Int32Array(capacity);
    let size = 0;
    for (let start = 0; start < packed.length; ) {
      const tab = packed.indexOf('\t', start);
      const end = packed.indexOf('\n', tab);
      const slot = this.find(packed, start, tab);
      if (this.slots[slot] === 0) size++;
      this.slots[slot] = start + 1;
      start = end + 1;
    }
    this.size = size;
  }

  get(id: string): string | undefined {
    const slot = this.slots[this.find(id, 0, id.length)]!;
    if (slot === 0) return undefined;
    const tab = this.packed.indexOf('\t', slot - 1);
    return this.packed.slice(tab + 1, this.packed.indexOf('\n', tab));
  }

  /** The slot of the key text[from, to): where it is, or the empty slot where it would go. */
  private find(text: string, from: number, to: number): number {
    let hash = 0x811c9dc5;
    for (let i = from; i < to; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = this.slots[slot]!;
      if (at === 0 || this.keyEquals(at - 1, text, from, to)) return slot;
    }
  }

  private keyEquals(start: number, text: string, from: number, to: number): boolean {
    const length = to - from;
    if (this.packed.charCodeAt(start + length) !== 9) return false;
    for (let i = 0; i < length; i++) if (this.packed.charCodeAt(start + i) !== text.charCodeAt(from + i)) return false;
    return true;
  }
}
