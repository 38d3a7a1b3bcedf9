import type { SourceObject } from '../directory/source-object.ts';
import type { CompiledMappingSet } from './compile.ts';
import { countRequests, newRowStats, previewLeaver, previewUser, provisionedTargetId, type PreviewContext, type ProvisionedLookup, type RowStats } from './engine.ts';
import { addFindingsToRow, FindingGroups, indexRowOf, type PreviewIndexRow } from './summary.ts';
import type { Finding, PreviousState, UserPreview } from './types.ts';

/** Where a chunk finds a user's source object again when a full preview is asked for. */
export interface SourceLookup {
  /** the source object of a user of this chunk, or undefined when it has none (a leaver) */
  source(id: string): SourceObject | undefined;
}

/** The source attributes the vendor's guest check reads besides the preview. */
interface ChunkIdentity {
  objectId: string;
  userPrincipalName: string | null;
  originalUserPrincipalName: string | null;
  userType: string | null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function identityOf(id: string, source: SourceObject | undefined): ChunkIdentity {
  return {
    objectId: id,
    userPrincipalName: text(source?.userPrincipalName),
    originalUserPrincipalName: text(source?.originalUserPrincipalName),
    userType: text(source?.userType),
  };
}

/**
 * Checks a chunk runs on each user as it previews them (the vendor's per-user rules: shared/vendors/user-rules.ts),
 * where the preview and the source are at hand. `position` is the user's place among the chunk's rows.
 */
export interface UserChecks {
  check(preview: UserPreview, identity: ChunkIdentity, position: number): Finding[];
}

/**
 * One slice of a snapshot: the unit a worker thread owns (or the calling thread, for small snapshots).
 *
 * The pass over the slice keeps only what lists and summarises the users (an index row each, the finding groups,
 * the row counters); a user's full preview is computed again when asked for. Keeping 100,000 previews (bodies,
 * targets, requests) made garbage collection the largest cost of the whole preview, and previewing one user
 * again takes microseconds. The engine is deterministic for a given source, previous state and set of
 * provisioned users, except for expressions that read the clock or draw random values (Now, NewGuid, …), whose
 * detail may then show a later value than the pass did.
 *
 * Two steps, because manager links need to know which users of *every* chunk get provisioned:
 * `provisioned()` first, then `preview(all provisioned)`; a chunk streamed from the workspace file is given a lookup
 * that finds them as they are asked for instead (provisioned-on-demand.ts), and is previewed in one pass.
 */
export class PreviewChunk {
  private readonly ids: string[];
  private context: PreviewContext;
  readonly stats: RowStats;
  readonly groups = new FindingGroups();
  readonly rows: PreviewIndexRow[] = [];
  /** leavers: users only the previous state knows, previewed from it */
  private readonly leaverIds = new Set<string>();
  /** the findings the user checks gave, by user (kept: a full preview is computed again, the checks are not) */
  private readonly checked = new Map<string, Finding[]>();
  /** users recorded so far (rows a streaming chunk handed back included): the next user's position */
  private recorded = 0;

  constructor(
    private readonly compiled: CompiledMappingSet,
    private sources: readonly SourceObject[],
    private readonly lookup: SourceLookup,
    previous: PreviousState,
    skipOutOfScopeDeletions: boolean,
    private readonly userChecks?: UserChecks,
  ) {
    this.ids = sources.map((source) => String(source.objectId ?? ''));
    this.context = { previous, provisioned: new Map(), skipOutOfScopeDeletions };
    this.stats = newRowStats(compiled.rows.length);
  }

  get size(): number {
    return this.ids.length;
  }

  /** objectId → target id of this chunk's users that exist in the target after the cycle. */
  provisioned(): Array<[string, string]> {
    return this.provisionedOf(this.sources);
  }

  /** The same for a batch of users the chunk streams (a worker reading its key range a batch at a time). */
  provisionedOf(sources: readonly SourceObject[]): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const source of sources) {
      const id = String(source.objectId ?? '');
      const targetId = provisionedTargetId(this.compiled, source, this.context.previous.get(id));
      if (targetId !== undefined) out.push([id, targetId]);
    }
    return out;
  }

  /** Sets every chunk's provisioned users; call before previewing. */
  setProvisioned(provisioned: ProvisionedLookup): void {
    this.context = { ...this.context, provisioned };
  }

  /**
   * Previews users [from, to) and keeps their index rows; `onProgress` is called every `every` users.
   * Synchronous: a worker runs it as is, the calling thread in batches with yields between them.
   */
  previewRange(from: number, to: number, every = 0, onProgress?: (done: number) => void): void {
    for (let i = from; i < to; i++) {
      const source = this.sources[i]!;
      this.record(previewUser(this.compiled, source, this.context, this.stats), source);
      if (every > 0 && (i + 1) % every === 0) onProgress?.(i + 1);
    }
    // The lookup finds sources again; the slice itself is not needed once previewed.
    if (to >= this.ids.length) this.sources = [];
  }

  /**
   * Previews a batch of users the chunk streams (not the ones it was built with) and hands back their index rows,
   * keeping none: a chunk of a million users then holds no more than a batch at a time.
   */
  previewBatch(sources: readonly SourceObject[]): PreviewIndexRow[] {
    for (const source of sources) this.record(previewUser(this.compiled, source, this.context, this.stats), source);
    return this.rows.splice(0);
  }

  /**
   * Previews the users the previous state holds that are gone from the directory (Microsoft Learn "How Application
   * Provisioning works", "Deprovisioning").
   */
  previewLeavers(present: Pick<ReadonlySet<string>, 'has'>): void {
    for (const [id, previous] of this.context.previous) {
      if (present.has(id)) continue;
      this.leaverIds.add(id);
      this.record(previewLeaver(this.compiled, previous, this.context), previous.source);
    }
  }

  private record(preview: UserPreview, source: SourceObject | undefined): void {
    const row = indexRowOf(preview, source);
    countRequests(this.stats, preview);
    this.groups.addAll(preview.findings);
    const extra = this.userChecks?.check(preview, identityOf(preview.id, source), this.recorded++) ?? [];
    if (extra.length > 0) {
      addFindingsToRow(row, extra);
      this.groups.addAll(extra);
      this.checked.set(preview.id, extra);
    }
    this.rows.push(row);
  }

  /** The full preview of one user of this chunk, computed again (see the class comment), with the checks' findings. */
  preview(id: string): UserPreview | undefined {
    const previous = this.context.previous.get(id);
    let preview: UserPreview | undefined;
    if (this.leaverIds.has(id)) preview = previous ? previewLeaver(this.compiled, previous, this.context) : undefined;
    else {
      const source = this.lookup.source(id);
      preview = source ? previewUser(this.compiled, source, this.context) : undefined;
    }
    const extra = this.checked.get(id);
    if (preview && extra) preview.findings.push(...extra);
    return preview;
  }

  /** Full previews of the given users, or of every user of the chunk in pass order. */
  get(ids: readonly string[] | null): UserPreview[] {
    const wanted = ids ?? this.rows.map((row) => row.id);
    const out: UserPreview[] = [];
    for (const id of wanted) {
      const preview = this.preview(id);
      if (preview) out.push(preview);
    }
    return out;
  }
}

/** A lookup over source objects held in memory. */
export function sourcesById(sources: readonly SourceObject[]): SourceLookup {
  const byId = new Map<string, SourceObject>();
  for (const source of sources) byId.set(String(source.objectId ?? ''), source);
  return { source: (id) => byId.get(id) };
}
