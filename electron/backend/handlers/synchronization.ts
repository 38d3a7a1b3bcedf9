import type { HandlersFor } from '../../../shared/api.ts';
import type { synchronizationMethods } from '../../../shared/api/synchronization.ts';
import type { BackendContext } from '../context.ts';
import { SignInRequiredError } from '../directory/auth.ts';
import { GraphRequestError, GraphSignInRequiredError } from '../directory/graph-client.ts';
import type { DirectoryService } from '../directory/service.ts';
import { notFound, UserFacingError } from '../errors.ts';
import { CheckRuns } from '../synchronization/check-runs.ts';
import { readJobHealth } from '../synchronization/job-health.ts';
import type { LogUploads } from '../synchronization/log-files.ts';
import { LogRuns } from '../synchronization/log-runs.ts';
import { LogComparisonStore } from '../synchronization/log-store.ts';
import { logDifferenceVectors } from '../synchronization/log-vectors.ts';
import { CheckPermissionError } from '../synchronization/permissions.ts';
import { listProvisioningApps } from '../synchronization/provisioning-apps.ts';
import { exportCheckVectors, revisionCheck } from '../synchronization/revision-check.ts';
import { SynchronizationCheckStore } from '../synchronization/store.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';

/** A Graph failure of a call the admin waits for, as the envelope's error: a 403 says which permission it needs. */
export async function graphCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CheckPermissionError) throw new UserFacingError('forbidden', error.message);
    if (error instanceof GraphSignInRequiredError || error instanceof SignInRequiredError) throw new UserFacingError('sign-in-required', error.message);
    if (error instanceof GraphRequestError) throw new UserFacingError('unavailable', error.message);
    throw error;
  }
}

/**
 * Checks against Microsoft: the job picker (enterprise apps with a provisioning job, a job's health), expression
 * checks run from the app, and the checks kept in the workspace per mapping revision (synchronization/store.ts).
 * Graph is reached through the directory's sign-ins, so no token ever passes through here.
 */
export function synchronizationHandlers(ctx: BackendContext, directory: DirectoryService, logUploads: LogUploads): HandlersFor<typeof synchronizationMethods> {
  const runs = new CheckRuns(ctx);
  ctx.onClose(() => runs.close());
  const logRuns = new LogRuns(ctx, logUploads);
  ctx.onClose(() => logRuns.close());
  return {
    'synchronization.mappingCheck': ({ revision }) => {
      const session = ctx.session();
      const saved = session.store.listMappingRevisions(session.projectId).find((r) => r.revision === revision);
      if (!saved) throw notFound(`Mapping revision ${revision} does not exist in this project`);
      return new SynchronizationCheckStore(session.store.db).mappingCheck(saved.id, revision);
    },
    'synchronization.provisioningApps': ({ accountId, graphBaseUrl }) => graphCall(() => listProvisioningApps(directory.graphClient({ accountId, graphBaseUrl }))),
    'synchronization.jobHealth': ({ accountId, graphBaseUrl, servicePrincipalId, jobId }) =>
      graphCall(() => readJobHealth(directory.graphClient({ accountId, graphBaseUrl }), servicePrincipalId, jobId)),
    'synchronization.check.start': ({ accountId, graphBaseUrl, ...input }) =>
      // parseExpression needs Synchronization.ReadWrite.All even though it changes nothing
      runs.start({ client: directory.graphClient({ accountId, graphBaseUrl, synchronization: 'write' }), ...input }),
    'synchronization.check.status': ({ checkId }) => runs.status(checkId),
    'synchronization.check.cancel': ({ checkId }) => ({ cancelled: runs.cancel(checkId) }),
    'synchronization.revisionCheck': ({ revision }) => {
      const session = ctx.session();
      return revisionCheck(session.store, session.projectId, revision);
    },
    'synchronization.exportVectors': ({ revision, targetAttribute, includeValues, snapshotId }) => {
      const session = ctx.session();
      if (snapshotId !== undefined) session.snapshot(snapshotId);
      const users = snapshotId === undefined ? undefined : function* () {
        for (const user of session.store.iterateUsers(snapshotId)) yield user.source as SourceObject;
      };
      const file = exportCheckVectors(session.store, session.projectId, { revision, includeValues, ...(targetAttribute ? { targetAttribute } : {}), ...(users ? { users } : {}) });
      return { ...file, mediaType: 'application/x-ndjson', encoding: 'utf8' as const };
    },

    // planned vs actual: reading the logs needs AuditLog.Read.All; the job's schema, Synchronization.Read.All
    'synchronization.logs.start': ({ accountId, graphBaseUrl, ...input }) => logRuns.start({ client: directory.graphClient({ accountId, graphBaseUrl, synchronization: true, auditLog: true }), ...input }),
    'synchronization.logs.status': ({ runId }) => logRuns.status(runId),
    'synchronization.logs.cancel': ({ runId }) => ({ cancelled: logRuns.cancel(runId) }),
    'synchronization.logs.compareFiles': (input) => logRuns.compareFiles(input),
    'synchronization.logs.latest': () => {
      const session = ctx.session();
      return new LogComparisonStore(session.store.db).latest(session.projectId);
    },
    'synchronization.logs.vectors': ({ comparisonId, includeValues }) => {
      const session = ctx.session();
      const comparison = new LogComparisonStore(session.store.db).get(session.projectId, comparisonId);
      if (!comparison) throw notFound(`Logs comparison ${comparisonId} is not kept in this workspace (only the last few are)`);
      return logDifferenceVectors(session, comparison, includeValues);
    },
  };
}
