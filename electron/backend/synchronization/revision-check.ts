/**
 * A saved revision's check against Microsoft as the Preview, the report and the vector export read it: the newest
 * check with every sampled user's evaluation, the project's newest check of any revision, and its disagreements as
 * expression vectors (vectors.ts decides what a vector holds with and without real values).
 */
import type { PreviewCheckDto } from '../../../shared/api/synchronization.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { MicrosoftCheckInput } from '../../../shared/reports/microsoft-check.ts';
import { notFound, UserFacingError } from '../errors.ts';
import type { MappingRevision, WorkspaceStore } from '../workspace/store.ts';
import { SynchronizationCheckStore } from './store.ts';
import { disagreementVectors, vectorLines } from './vectors.ts';

function savedRevision(store: WorkspaceStore, projectId: number, revision: number): MappingRevision {
  const saved = store.listMappingRevisions(projectId).find((r) => r.revision === revision);
  if (!saved) throw notFound(`Mapping revision ${revision} does not exist in this project`);
  return saved;
}

export function revisionCheck(store: WorkspaceStore, projectId: number, revision: number): PreviewCheckDto {
  const saved = savedRevision(store, projectId, revision);
  const checks = new SynchronizationCheckStore(store.db);
  return { check: checks.revisionCheck(saved.id, revision), newestChecked: checks.newestChecked(projectId) };
}

/** What a report of this revision (null: Entra's defaults, never checked) says about Microsoft's checks. */
export function reportCheckInput(
  store: WorkspaceStore,
  projectId: number,
  revision: MappingRevision | null,
): MicrosoftCheckInput {
  const checks = new SynchronizationCheckStore(store.db);
  return {
    revision: revision?.revision ?? null,
    check: revision ? checks.revisionCheck(revision.id, revision.revision) : null,
    newestChecked: checks.newestChecked(projectId),
  };
}

interface VectorExport {
  revision: number;
  targetAttribute?: string;
  includeValues: boolean;
  /** the users whose real values go in (the snapshot the check sampled); required with includeValues */
  users?: () => Iterable<SourceObject>;
}

/** The disagreements of a revision's newest check as `eval --jsonl` lines, with real values only when asked. */
export function exportCheckVectors(
  store: WorkspaceStore,
  projectId: number,
  request: VectorExport,
): { fileName: string; content: string; vectors: number } {
  const saved = savedRevision(store, projectId, request.revision);
  const stored = new SynchronizationCheckStore(store.db).latest(saved.id);
  if (!stored)
    throw notFound(`Revision ${request.revision} has not been checked with Microsoft: there is nothing to export.`);
  const wanted = request.targetAttribute?.toLowerCase();
  const rows = stored.result.rows.filter((row) => wanted === undefined || row.targetAttribute.toLowerCase() === wanted);
  if (wanted !== undefined && rows.length === 0)
    throw notFound(
      `The check of revision ${request.revision} has no row for target attribute "${request.targetAttribute}".`,
    );

  const usersById = new Map<string, SourceObject>();
  if (request.includeValues) {
    if (!request.users)
      throw new UserFacingError(
        'invalid-input',
        'Real values come from a snapshot: choose the snapshot the check sampled (snapshotId).',
      );
    const needed = new Set(rows.filter((row) => row.verdict !== 'agree').map((row) => row.sourceId));
    for (const user of request.users()) {
      const id = String(user.objectId ?? '');
      if (needed.has(id)) usersById.set(id, user);
    }
    const missing = [...needed].filter((id) => !usersById.has(id));
    // a vector without its user's values would claim Entra computed its answer from nothing
    if (missing.length > 0)
      throw new UserFacingError(
        'invalid-input',
        `${missing.length} user(s) of the check are not in this snapshot (${missing.slice(0, 3).join(', ')}): choose the snapshot the check sampled, or export without real values.`,
      );
  }
  const vectors = disagreementVectors(rows, usersById, request.includeValues);
  const slug = wanted === undefined ? '' : `-${wanted.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}`;
  return {
    fileName: `entra-check-revision-${request.revision}${slug}${request.includeValues ? '-with-values' : ''}.jsonl`,
    content: vectorLines(vectors),
    vectors: vectors.length,
  };
}
