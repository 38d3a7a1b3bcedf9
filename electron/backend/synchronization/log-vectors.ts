/**
 * A logs comparison's "the preview disagrees with Entra" differences as expression vectors: each becomes the row
 * and user vectors.ts already exports (Entra's logged value as the expected one), so real values vs attribute names
 * are decided there, once.
 */
import type { LogComparisonDto } from '../../../shared/api/log-comparison.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { compileMappingSet } from '../../../shared/preview/compile.ts';
import { UserFacingError } from '../errors.ts';
import { projectMappingSet } from '../services/mapping-sets.ts';
import type { WorkspaceSession } from '../session/workspace-session.ts';
import type { CheckedRow } from './expression-check.ts';
import { disagreementVectors, vectorLines } from './vectors.ts';

export function logDifferenceVectors(workspace: WorkspaceSession, comparison: LogComparisonDto, includeValues: boolean): { fileName: string; count: number; jsonl: string } {
  const disagreements = comparison.differences.filter((d) => d.cause === 'preview-disagrees');
  const rows = new Map(compileMappingSet(projectMappingSet(workspace.store, workspace.projectId, comparison.revision).set).rows.map((row) => [row.target.toLowerCase(), row]));
  const usersById = new Map<string, SourceObject>();
  if (includeValues) {
    if (!workspace.store.getSnapshot(comparison.snapshotId)) {
      throw new UserFacingError('not-found', `Snapshot ${comparison.snapshotId} ("${comparison.snapshotLabel}") was deleted: export without real values, or compare again.`);
    }
    const wanted = new Set(disagreements.map((d) => d.sourceId.toLowerCase()));
    for (const user of workspace.store.iterateUsers(comparison.snapshotId)) if (wanted.has(user.id.toLowerCase())) usersById.set(user.id.toLowerCase(), user.source as SourceObject);
  }
  const checked = disagreements.map((d): CheckedRow => {
    const row = rows.get(d.attribute.toLowerCase());
    const planned = d.planned === null ? [] : Array.isArray(d.planned) ? d.planned : [d.planned];
    return {
      targetAttribute: d.attribute,
      expression: row?.expression ?? '',
      userPrincipalName: d.userPrincipalName,
      sourceId: d.sourceId.toLowerCase(),
      ours: { ok: true, value: planned },
      entra: { parsingSucceeded: true, evaluationSucceeded: true, value: d.entraSent === null ? [] : [d.entraSent], error: null },
      verdict: 'differ',
      attributes: [...(row?.program?.referencedAttributes ?? [])],
    };
  });
  const vectors = disagreementVectors(checked, usersById, includeValues);
  return { fileName: `planned-vs-actual-${comparison.id}-vectors.jsonl`, count: vectors.length, jsonl: vectorLines(vectors) };
}
