import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { MappingSet, ScimDialect } from '../../../shared/mapping/model.ts';
import type { RowStats } from '../../../shared/preview/engine.ts';
import type { PreviousTarget, UserPreview } from '../../../shared/preview/types.ts';

/** Messages between the preview runner and its worker threads. */
export interface WorkerTask {
  set: MappingSet;
  dialect?: ScimDialect;
  baseUrl?: string;
  skipOutOfScopeDeletions: boolean;
  users: SourceObject[];
  /** previous targets of this chunk's users only */
  previous: Array<[string, PreviousTarget]>;
  provisioned: Array<[string, string]>;
  /** how often (in users) to report progress */
  progressEvery: number;
}

export type WorkerMessage =
  | { type: 'progress'; done: number }
  | { type: 'done'; users: UserPreview[]; stats: RowStats }
  | { type: 'failed'; message: string };
