import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { MappingSet, ScimDialect } from '../../../shared/mapping/model.ts';
import type { RowStats } from '../../../shared/preview/engine.ts';
import type { PartialFindingGroup, PreviewIndexRow } from '../../../shared/preview/summary.ts';
import type { PreviousTarget, UserPreview } from '../../../shared/preview/types.ts';

/**
 * Messages between the preview runner and its worker threads. A worker owns one chunk of the snapshot for
 * the life of a preview session: it loads the chunk, previews it, keeps the results, and answers requests for
 * pages of them. Only summaries and the users asked for cross the thread boundary (structured clone of
 * 100,000 full previews cost more than the evaluation itself: docs/benchmarks.md).
 */

/** Where a worker's users come from: given (cloned), or read by the worker from the workspace file. */
export type ChunkInput =
  | { kind: 'objects'; users: SourceObject[] }
  | { kind: 'workspace'; path: string; snapshotId: number; fromId: string; toId: string | null };

export interface WorkerInit {
  set: MappingSet;
  dialect?: ScimDialect;
  baseUrl?: string;
  skipOutOfScopeDeletions: boolean;
  input: ChunkInput;
  /** previous targets of this chunk's users only */
  previous: Array<[string, PreviousTarget]>;
  /** how often (in users) to report progress */
  progressEvery: number;
}

/** The few source attributes the vendor rules read besides the preview (guest checks). */
export interface SourceIdentity {
  objectId: string;
  userPrincipalName: string | null;
  originalUserPrincipalName: string | null;
  userType: string | null;
}

/** A preview without its requests: what the vendor rules read. */
export type VendorViewUser = Omit<UserPreview, 'requests'> & { requests: []; identity: SourceIdentity };

export type ToWorker =
  /** every chunk's provisioned users, so manager links can cross chunks (entra-scim.md §1.7); see packPairs */
  | { type: 'preview'; provisioned: string }
  | { type: 'get'; requestId: number; ids: string[] | null; view: 'full' | 'vendor' };

export type FromWorker =
  | { type: 'loaded'; count: number; provisioned: string }
  | { type: 'progress'; done: number }
  /** `ordinals`: each row's place in the snapshot, when the worker read the users itself (key order) */
  | { type: 'done'; stats: RowStats; rows: PreviewIndexRow[]; ordinals: number[] | null; groups: PartialFindingGroup[] }
  | { type: 'users'; requestId: number; users: UserPreview[] | VendorViewUser[] }
  | { type: 'failed'; message: string; requestId?: number };

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
