import type { HandlersFor } from '../../../shared/api.ts';
import type { mockServerMethods } from '../../../shared/api/mock-server.ts';
import type { BackendContext } from '../context.ts';
import { notFound, UserFacingError } from '../errors.ts';
import { MockServerService, MockServerStartError } from '../mock-server/app-service.ts';

/**
 * The Mock server screen's handlers. The server runs in the backend on the database of the workspace it
 * started in; that workspace's session stops it when it closes (File > Open, app exit).
 */
export function mockServerHandlers(ctx: BackendContext, service = mockServerService(ctx)): HandlersFor<typeof mockServerMethods> {
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

export function mockServerService(ctx: BackendContext): MockServerService {
  const service = new MockServerService({
    session: () => ctx.session(),
    onRequest: (entry) => ctx.events.emit('mockServer.request', entry),
  });
  ctx.onClose(async () => void (await service.stop()));
  return service;
}
