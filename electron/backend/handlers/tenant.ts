import type { HandlersFor } from '../../../shared/api.ts';
import type { tenantMethods } from '../../../shared/api/tenant.ts';
import { notFound, type BackendContext } from '../context.ts';

export function tenantHandlers(ctx: BackendContext): HandlersFor<typeof tenantMethods> {
  return {
    'app.info': () => {
      const project = ctx.project();
      return {
        version: ctx.version,
        mode: ctx.mode,
        workspacePath: ctx.store.path,
        projectId: project.id,
        projectName: project.name,
      };
    },
    'tenant.listSnapshots': () => ctx.store.listSnapshots(ctx.projectId),
    'tenant.listUsers': ({ snapshotId, search, offset, limit }) => {
      ctx.snapshot(snapshotId);
      return ctx.store.listUsers(snapshotId, search, offset, limit);
    },
    'tenant.getUser': ({ snapshotId, userId }) => {
      ctx.snapshot(snapshotId);
      const user = ctx.store.getUser(snapshotId, userId);
      if (!user) throw notFound(`No user ${userId} in snapshot ${snapshotId}`);
      return user;
    },
    'tenant.deleteSnapshot': ({ snapshotId }) => {
      ctx.snapshot(snapshotId);
      const deleted = ctx.store.deleteSnapshot(snapshotId);
      ctx.events.emit('workspace.changed', { reason: 'snapshot deleted' });
      return { deleted };
    },
  };
}
