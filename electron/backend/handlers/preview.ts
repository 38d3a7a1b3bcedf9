import type { HandlersFor } from '../../../shared/api.ts';
import type { previewMethods } from '../../../shared/api/preview.ts';
import type { BackendContext } from '../context.ts';
import { PreviewService } from '../preview/service.ts';

/**
 * The Preview screen's methods (shared/api/preview.ts). Runs stay in the backend (worker threads for large
 * snapshots); the screen pages through them. The service's workers stop when the backend closes.
 */
export function previewHandlers(ctx: BackendContext): HandlersFor<typeof previewMethods> {
  const service = new PreviewService({
    store: () => ctx.store,
    projectId: () => ctx.projectId,
    progress: (payload) => ctx.events.emit('preview.progress', payload),
    snapshot: (snapshotId) => (snapshotId === undefined ? ctx.latestSnapshot() : ctx.snapshot(snapshotId)),
    changed: (reason) => ctx.events.emit('workspace.changed', { reason }),
  });
  ctx.onClose(() => service.close());
  return {
    'preview.run': (input) => service.run(input),
    'preview.cancel': ({ runId }) => ({ cancelled: service.cancel(runId) }),
    'preview.listUsers': (input) => service.listUsers(input),
    'preview.getUser': (input) => service.getUser(input),
    'preview.applyFix': (input) => service.applyFix(input),
    'preview.compareRevisions': (input) => service.compareRevisions(input),
    'vendors.list': () => service.vendors(),
  };
}
