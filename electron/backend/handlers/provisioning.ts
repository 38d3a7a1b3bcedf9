import type { HandlersFor } from '../../../shared/api.ts';
import type { provisioningMethods } from '../../../shared/api/provisioning.ts';
import type { BackendContext } from '../context.ts';
import { ProvisioningService } from '../provisioning/service.ts';

interface ProvisioningHandlerDeps {
  /** this app's mock SCIM server as the mock-server area reports it (mockServer.status) */
  mockServerStatus: () => Promise<{ running: boolean; url: string | null; token: string | null }>;
}

/** The Provisioning screen's handlers; a running cycle is cancelled when its workspace or the backend closes. */
export function provisioningHandlers(ctx: BackendContext, deps: ProvisioningHandlerDeps): HandlersFor<typeof provisioningMethods> {
  const service = new ProvisioningService({
    session: () => ctx.session(),
    mockServer: deps.mockServerStatus,
    onProgress: (event) => ctx.events.emit('provisioning.progress', event),
    onEntry: (runId, row) => ctx.events.emit('provisioning.step', { runId, row }),
  });
  ctx.onClose(() => service.stop());
  return {
    'provisioning.testConnection': ({ target }) => service.testConnection(target),
    'provisioning.plan': (input) => service.plan(input),
    'provisioning.run': (input) => service.run(input),
    'provisioning.cancel': ({ runId }) => ({ cancelled: service.cancel(runId) }),
    'provisioning.runs': () => service.runs(),
    'provisioning.auditLog': (query) => service.auditLog(query),
    'provisioning.auditEntry': ({ id }) => service.auditEntry(id),
    'provisioning.exportAuditLog': ({ runId, format }) => service.exportAuditLog(runId, format),
  };
}
