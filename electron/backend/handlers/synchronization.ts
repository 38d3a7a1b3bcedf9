import type { HandlersFor } from '../../../shared/api.ts';
import type { synchronizationMethods } from '../../../shared/api/synchronization.ts';
import type { BackendContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { SynchronizationCheckStore } from '../synchronization/store.ts';

/** Checks against Microsoft kept in the workspace, per mapping revision (electron/backend/synchronization/store.ts). */
export function synchronizationHandlers(ctx: BackendContext): HandlersFor<typeof synchronizationMethods> {
  return {
    'synchronization.mappingCheck': ({ revision }) => {
      const session = ctx.session();
      const saved = session.store.listMappingRevisions(session.projectId).find((r) => r.revision === revision);
      if (!saved) throw notFound(`Mapping revision ${revision} does not exist in this project`);
      return new SynchronizationCheckStore(session.store.db).mappingCheck(saved.id, revision);
    },
  };
}
