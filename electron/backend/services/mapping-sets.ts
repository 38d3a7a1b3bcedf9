import type { ApiErrorCode } from '../../../shared/api.ts';
import { exportMappingSet, importMappingSet, type MappingSet } from '../../../shared/mapping/model.ts';
import { entraDefaultSet } from '../../../shared/reports/index.ts';
import { notFound, UserFacingError } from '../errors.ts';
import type { MappingRevision, WorkspaceStore } from '../workspace/store.ts';

export const DEFAULT_TEMPLATE_LABEL = 'Entra default mappings';

/**
 * Entra's default mapping set for a non-gallery SCIM app. The one copy of the template is the JSON module
 * shared/ bundles; each caller gets its own copy, free to change.
 */
export function entraDefaultMappingSet(): MappingSet {
  return exportMappingSet(entraDefaultSet());
}

interface ProjectMappingSet {
  set: MappingSet;
  /** the saved revision it came from; null for Entra's defaults */
  revision: MappingRevision | null;
  /** how reports and logs name it */
  label: string;
}

/**
 * The mapping set a project works with: the given saved revision, else its latest one, else Entra's
 * default template (nothing saved yet). Every door asks here: Mappings, Preview, Provisioning, Reports.
 */
export function projectMappingSet(store: WorkspaceStore, projectId: number, revision?: number): ProjectMappingSet {
  const revisions = store.listMappingRevisions(projectId);
  const chosen = revision === undefined ? revisions.at(-1) : revisions.find((r) => r.revision === revision);
  if (revision !== undefined && !chosen) throw notFound(`Mapping revision ${revision} does not exist in this project`);
  if (!chosen) return { set: entraDefaultMappingSet(), revision: null, label: `${DEFAULT_TEMPLATE_LABEL} (no revision saved)` };
  return {
    set: parseMappingSet(JSON.parse(chosen.schemaJson), `Mapping revision ${chosen.revision}`, 'invalid-mappings'),
    revision: chosen,
    label: `Revision ${chosen.revision}${chosen.label ? ` — ${chosen.label}` : ''} (${chosen.createdAt})`,
  };
}

/** A mapping set from JSON, or an admin-facing error naming `what` and the first problems. */
function parseMappingSet(json: unknown, what: string, code: ApiErrorCode = 'invalid-input'): MappingSet {
  const imported = importMappingSet(json);
  if (!imported.ok) throw new UserFacingError(code, `${what} is not a Graph synchronization schema: ${imported.issues.slice(0, 5).join('; ')}`);
  return imported.set;
}
