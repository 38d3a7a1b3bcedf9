/**
 * The provisioning job's Graph calls that go-live makes, each through the one GraphClient (retries, Retry-After):
 * read and replace the schema (Microsoft Graph "Update synchronizationSchema": PUT replaces it whole), start and
 * restart the job ("Start synchronizationJob", "Restart synchronizationJob" with synchronizationJobRestartCriteria),
 * and provision one object on demand ("synchronizationJob: provisionOnDemand"). Each needs
 * Synchronization.ReadWrite.All (the GET: Synchronization.Read.All).
 */
import { importMappingSet, type MappingSet } from '../../../shared/mapping/model.ts';
import type { SynchronizationSchema } from '../../../shared/mapping/schema.ts';
import type { GraphClient } from '../directory/graph-client.ts';
import { RequestBudget } from '../http/request-budget.ts';
import { jobPath } from '../synchronization/parse-expression.ts';
import type { ResetScope } from '../../../shared/go-live/reset-scope.ts';

export interface JobRef {
  servicePrincipalId: string;
  jobId: string;
}

export { RESET_SCOPES, type ResetScope } from '../../../shared/go-live/reset-scope.ts';

/** Graph's documented limit for provisionOnDemand. */
const ON_DEMAND_LIMIT = { calls: 5, windowMs: 10_000 } as const;

/** The job's Graph path, spelled once (electron/backend/synchronization/parse-expression.ts). */
const pathOf = (job: JobRef): string => jobPath(job.servicePrincipalId, job.jobId);

/** Graph answered a schema the app cannot read. */
class LiveSchemaError extends Error {
  override readonly name = 'LiveSchemaError';
}

export async function readLiveSchema(client: GraphClient, job: JobRef, signal?: AbortSignal): Promise<MappingSet> {
  const raw = await client.request<unknown>('GET', `${pathOf(job)}/schema`, signal ? { signal } : {});
  const imported = importMappingSet(raw);
  if (!imported.ok) throw new LiveSchemaError(`The job's schema from Graph is not a synchronization schema the app can read: ${imported.issues.slice(0, 5).join('; ')}`);
  return imported.set;
}

export async function putSchema(client: GraphClient, job: JobRef, schema: SynchronizationSchema): Promise<void> {
  await client.request('PUT', `${pathOf(job)}/schema`, { body: schema });
}

export async function startJob(client: GraphClient, job: JobRef): Promise<void> {
  await client.request('POST', `${pathOf(job)}/start`);
}

export async function restartJob(client: GraphClient, job: JobRef, resetScope: readonly ResetScope[]): Promise<void> {
  await client.request('POST', `${pathOf(job)}/restart`, { body: { criteria: { resetScope: resetScope.join(', ') } } });
}

/**
 * Keeps provisionOnDemand within 5 calls per 10 seconds: waits before a call that would exceed it, so a group's
 * members never meet Graph's 429.
 */
export class OnDemandPacer extends RequestBudget {
  /** milliseconds waited for the budget so far, so a run can say how long it was held back */
  waitedMs = 0;

  constructor(now: () => number = Date.now, sleep?: (ms: number) => Promise<void>) {
    super(ON_DEMAND_LIMIT, now, sleep);
  }

  override turn(signal?: AbortSignal, onWait?: (seconds: number) => void): Promise<void> {
    return super.turn(signal, (seconds) => {
      this.waitedMs += seconds * 1000;
      onWait?.(seconds);
    });
  }
}

/**
 * What provision on demand is run for (Microsoft Graph "synchronizationJobSubject"): a user, or a group with the members
 * to provision with it in `links.members`.
 */
interface OnDemandSubject {
  objectId: string;
  objectTypeName: 'User' | 'Group';
  links?: { members: { objectId: string; objectTypeName: 'User' }[] };
}

export async function provisionOnDemand(
  client: GraphClient,
  job: JobRef,
  ruleId: string,
  subject: OnDemandSubject,
  pacer: OnDemandPacer,
): Promise<unknown> {
  await pacer.turn();
  try {
    // A write to the vendor: repeated by the client only after a 429, when Graph did nothing.
    return await client.request('POST', `${pathOf(job)}/provisionOnDemand`, { body: { parameters: [{ subjects: [subject], ruleId }] } });
  } finally {
    pacer.answered();
  }
}
