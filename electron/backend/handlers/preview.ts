import type { HandlersFor } from '../../../shared/api.ts';
import type { previewMethods } from '../../../shared/api/preview.ts';
import type { BackendContext } from '../context.ts';
import { PreviewService } from '../preview/service.ts';

/**
 * The Preview screen's methods (shared/api/preview.ts). Runs stay in the backend (worker threads for large
 * snapshots); the screen pages through them. A run's workers stop when its workspace or the backend closes.
 */
export function previewHandlers(ctx: BackendContext): HandlersFor<typeof previewMethods> {
  const service = new PreviewService({
    session: () => ctx.session(),
    progress: (payload) => ctx.events.emit('preview.progress', payload),
    changed: (session, change) => ctx.changed(session, change),
  });
  ctx.onClose(() => service.close());
  return {
    'preview.run': (input) => service.run(input),
    'preview.cancel': ({ runId }) => ({ cancelled: service.cancel(runId) }),
    'preview.listUsers': (input) => service.listUsers(input),
    'preview.getUser': (input) => service.getUser(input),
    'preview.fixImpact': (input) => service.fixImpact(input),
    'preview.applyFix': (input) => service.applyFix(input),
    'preview.compareRevisions': (input) => service.compareRevisions(input),
    'vendors.list': () => service.vendors(),
  };
}
