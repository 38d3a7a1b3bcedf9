import type { HandlersFor } from '../../../shared/api.ts';
import type { directoryMethods } from '../../../shared/api/directory.ts';
import type { BackendContext } from '../context.ts';
import type { DirectoryService } from '../directory/service.ts';

/** Real tenants: sign-in, pasted tokens, fetch jobs, imports and snapshot comparison (DirectoryService). */
export function directoryHandlers(ctx: BackendContext, service: DirectoryService): HandlersFor<typeof directoryMethods> {
  return {
    'directory.signIn.start': (input) => service.startSignIn(input),
    'directory.signIn.status': ({ signInId }) => service.signInStatus(signInId),
    'directory.signIn.cancel': ({ signInId }) => ({ cancelled: service.cancelSignIn(signInId) }),
    'directory.accounts': () => service.accounts(),
    'directory.signOut': async ({ accountId }) => ({ signedOut: await service.signOut(accountId) }),
    'directory.useAccessToken': ({ token, cloud }) => service.useAccessToken(token, cloud),
    'directory.fetch': (input) => service.startFetch(input),
    'directory.refresh': (input) => service.startRefresh(input),
    'directory.fetch.status': ({ jobId }) => service.fetchStatus(jobId),
    'directory.cancel': ({ jobId }) => ({ cancelled: service.cancelFetch(jobId) }),
    'directory.useDemoTenant': () => service.useDemoTenant(),
    'directory.import': (input) => service.importFile(input),
    'directory.compareSnapshots': (input) => service.compare(input),
  };
}
