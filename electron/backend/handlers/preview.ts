import type { HandlersFor } from '../../../shared/api.ts';
import type { previewMethods } from '../../../shared/api/preview.ts';
import type { BackendContext } from '../context.ts';
import { PreviewService } from '../preview/service.ts';

/** Test seams of the Preview screen's backend (the defaults are the app's). */
export interface PreviewOptions {
  /** users the kept runs may hold together (service.ts, KEPT_USERS) */
  keptUsers?: number;
}

/**
 * The Preview screen's methods (shared/api/preview.ts). Runs stay in the backend (worker threads for large
 * snapshots); the screen pages through them. A run's workers stop when its workspace or the backend closes.
 */
export function previewHandlers(ctx: BackendContext, options: PreviewOptions = {}): HandlersFor<typeof previewMethods> {
  const service = new PreviewService(
    {
      session: () => ctx.session(),
      progress: (payload) => ctx.events.emit('preview.progress', payload),
      changed: (session, change) => ctx.changed(session, change),
    },
    options,
  );
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
