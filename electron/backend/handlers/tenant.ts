import type { HandlersFor } from '../../../shared/api.ts';
import type { tenantMethods } from '../../../shared/api/tenant.ts';
import type { BackendContext } from '../context.ts';
import { notFound } from '../errors.ts';

export function tenantHandlers(ctx: BackendContext): HandlersFor<typeof tenantMethods> {
  return {
    'app.info': () => {
      const session = ctx.session();
      const project = session.project();
      return {
        version: ctx.version,
        mode: ctx.mode,
        workspacePath: session.path,
        projectId: project.id,
        projectName: project.name,
      };
    },
    'tenant.listSnapshots': () => {
      const session = ctx.session();
      return session.store.listSnapshots(session.projectId);
    },
    'tenant.listUsers': ({ snapshotId, search, offset, limit, filters, sort, countLimit }) => {
      const session = ctx.session();
      session.snapshot(snapshotId);
      return session.store.listUsers(snapshotId, search, offset, limit, { filters, sort, countLimit });
    },
    'tenant.getUser': ({ snapshotId, userId }) => {
      const session = ctx.session();
      session.snapshot(snapshotId);
      const user = session.store.getUser(snapshotId, userId);
      if (!user) throw notFound(`No user ${userId} in snapshot ${snapshotId}`);
      return user;
    },
    'tenant.deleteSnapshot': ({ snapshotId }) => {
      const session = ctx.session();
      session.snapshot(snapshotId);
      const deleted = session.store.deleteSnapshot(snapshotId);
      ctx.changed(session, { change: 'snapshot-deleted', snapshotId });
      return { deleted };
    },
  };
}
