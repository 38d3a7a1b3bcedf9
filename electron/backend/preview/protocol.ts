import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { MappingSet, ScimDialect } from '../../../shared/mapping/model.ts';
import type { RowStats } from '../../../shared/preview/engine.ts';
import type { PartialFindingGroup, PreviewIndexRow } from '../../../shared/preview/summary.ts';
import type { PreviousTarget, UserPreview } from '../../../shared/preview/types.ts';
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
  | { kind: 'workspace'; path: string; snapshotId: number; fromId: string; toId: string | null };

export interface ChunkInit {
  set: MappingSet;
  dialect?: ScimDialect;
  baseUrl?: string;
  skipOutOfScopeDeletions: boolean;
  input: ChunkInput;
  /** previous targets of this chunk's users only */
  previous: Array<[string, PreviousTarget]>;
  /** how often (in users) to report progress */
  progressEvery: number;
  /** the vendor whose per-user rules run on each user as it is previewed (shared/vendors/user-rules.ts) */
  vendor: VendorProfile | null;
}

export type ToWorker =
  /** `cancel`: a flag the runner sets to stop the pass between two batches of users (no terminate: the worker is shared) */
  | { type: 'open'; chunk: number; init: ChunkInit; cancel: Int32Array }
  /**
   * every chunk's provisioned users, so manager links can cross chunks (Microsoft Learn "How Application Provisioning
   * works", step 6 of both cycles); see packPairs
   */
  | { type: 'preview'; chunk: number; provisioned: string }
  | { type: 'get'; chunk: number; requestId: number; ids: string[] | null }
  /** the chunk's sends of the unique values with these hashes (VendorUserMerge.candidates) */
  | { type: 'sends'; chunk: number; requestId: number; hashes: number[] }
  | { type: 'close'; chunk: number };

export type FromWorker =
  | { type: 'loaded'; chunk: number; count: number; provisioned: string }
  | { type: 'progress'; chunk: number; done: number }
  /** `ordinals`: each row's place in the snapshot, when the worker read the users itself (key order) */
  | {
      type: 'done';
      chunk: number;
      stats: RowStats;
      rows: PreviewIndexRow[];
      ordinals: number[] | null;
      groups: PartialFindingGroup[];
      vendor: VendorUserPartial | null;
    }
  | { type: 'users'; chunk: number; requestId: number; users: UserPreview[] }
  | { type: 'sends'; chunk: number; requestId: number; sends: UniqueValueSends[] }
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

export function unpackPairs(packed: string, into: Map<string, string> = new Map()): Map<string, string> {
  let start = 0;
  while (start < packed.length) {
    const tab = packed.indexOf('\t', start);
    const end = packed.indexOf('\n', tab);
    into.set(packed.slice(start, tab), packed.slice(tab + 1, end));
    start = end + 1;
  }
  return into;
}
