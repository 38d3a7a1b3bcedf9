import type { SourceObject } from '../directory/source-object.ts';
import type { SourceLookup } from './chunk.ts';
import type { CompiledMappingSet } from './compile.ts';
import { idOf, provisionedTargetId, type ProvisionedLookup } from './engine.ts';
import type { PreviousState } from './types.ts';

/** How many answers are kept before they are forgotten (about 100 bytes each): a bound, far above a tenant's managers. */
const KEEP_ANSWERS = 250_000;

/**
 * Which users exist in the target after the cycle, worked out only for the users a manager link asks about. A chunk
 * that streams a snapshot it cannot hold uses it instead of a first pass over every chunk's users (reading and
 * parsing the whole snapshot once more): the users of the batch being previewed answer at once, any other user is read
 * by id, and answers are kept, as a tenant has few managers, each asked for by many users. It answers what a map of
 * every user's `provisionedTargetId` would, as a snapshot holds each id once.
 */
export class ProvisionedOnDemand implements ProvisionedLookup {
  /** the batch being previewed: each user's target id, or null when the user is not provisioned */
  private batch = new Map<string, string | null>();
  /** the batch before it: a user's manager often sits just before the batch (batches are small: READ_BATCH in the workers) */
  private before = new Map<string, string | null>();
  private readonly answers = new Map<string, string | null>();

  constructor(
    private readonly compiled: CompiledMappingSet,
    private readonly previous: PreviousState,
    /** every user of the snapshot by id (the workspace file) */
    private readonly users: SourceLookup,
    private readonly keep = KEEP_ANSWERS,
  ) {}

  /** The batch about to be previewed: its users and those of them provisioned (PreviewChunk.provisionedOf). */
  meet(sources: readonly SourceObject[], provisioned: ReadonlyArray<readonly [string, string]>): void {
    this.before = this.batch;
    this.batch = new Map();
    for (const source of sources) this.batch.set(idOf(source), null);
    for (const [id, targetId] of provisioned) this.batch.set(id, targetId);
  }

  get(id: string): string | undefined {
    let targetId = this.answers.get(id);
    if (targetId === undefined) {
      // null (met, not provisioned) is an answer: only undefined (not met) looks further.
      const inBatch = this.batch.has(id) ? this.batch.get(id) : this.before.get(id);
      targetId = inBatch !== undefined ? inBatch : this.read(id);
      if (this.answers.size >= this.keep) this.answers.clear();
      this.answers.set(id, targetId);
    }
    return targetId ?? undefined;
  }

  private read(id: string): string | null {
    const source = this.users.source(id);
    return (source && provisionedTargetId(this.compiled, source, this.previous.get(id))) ?? null;
  }
}
