import type { HandlersFor } from '../../../shared/api.ts';
import type { mockServerMethods } from '../../../shared/api/mock-server.ts';
import { notFound, type BackendContext } from '../context.ts';
import { UserFacingError } from '../dispatch.ts';
import { MockServerService, MockServerStartError } from '../mock-server/app-service.ts';

/**
 * The Mock server screen's handlers. The server runs in the backend on the workspace database; it stops
 * when the backend closes and when File > Open swaps the workspace it writes to.
 */
export function mockServerHandlers(ctx: BackendContext): HandlersFor<typeof mockServerMethods> {
  const service = new MockServerService({
    db: () => ctx.store.db,
    preferredVendorId: () => ctx.project().vendorId,
    onRequest: (entry) => ctx.events.emit('mockServer.request', entry),
  });
  const unsubscribe = ctx.events.subscribe((name, payload) => {
    if (name === 'workspace.changed' && (payload as { reason?: string }).reason === 'opened') void service.stop();
  });
  ctx.onClose(async () => {
    unsubscribe();
    await service.stop();
  });

  return {
    'mockServer.status': () => service.status(),
    'mockServer.start': async (settings) => {
      try {
        return await service.start(settings);
      } catch (error) {
        if (error instanceof MockServerStartError) throw new UserFacingError(error.code, error.message);
        throw error;
      }
    },
    'mockServer.stop': async () => (await service.stop()) ?? service.status(),
    'mockServer.reset': () => service.reset(),
    'mockServer.requestLog': (query) => service.requestLog(query),
    'mockServer.requestDetail': ({ seq }) => {
      const entry = service.requestDetail(seq);
      if (!entry) throw notFound(`Request ${seq} is not in the log (the log keeps the newest 10,000 requests)`);
      return entry;
    },
    'mockServer.listUsers': (query) => service.listUsers(query),
    'mockServer.listGroups': (query) => service.listGroups(query),
  };
}
