/**
 * Going live with a planned mapping set, deliberately and reversibly: the diff against the job's live schema and the
 * impact come first and change nothing; apply backs the live schema up, PUTs the merge and reads it back; rollback
 * PUTs a backup the same way. The caller asks for the confirmation (naming tenant, app and impact) in between.
 */
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { MappingSet } from '../../../shared/mapping/model.ts';
import type { SynchronizationSchema } from '../../../shared/mapping/schema.ts';
import { diffSchemas, type SchemaChange } from '../../../shared/go-live/schema-diff.ts';
import { mergeForPut, verifyReadBack, type ReadBackCheck } from '../../../shared/go-live/schema-merge.ts';
import type { Forecast, VendorRateLimits } from '../../../shared/go-live/forecast.ts';
import type { GraphClient } from '../directory/graph-client.ts';
import type { GroupSource } from '../provisioning/types.ts';
import type { BackupRecord, BackupStore } from './backups.ts';
import { impactOf, type Impact } from './impact.ts';
import type { DirectoryUsers } from '../provisioning/directory-users.ts';
import { putSchema, readLiveSchema, type JobRef } from './job-api.ts';

/** Who a confirmation names: the tenant and the app (service principal) whose job is written. */
export interface JobTarget extends JobRef {
  tenant: string;
  appName: string | null;
}

export async function describeTarget(client: GraphClient, job: JobRef, tenantHint?: string): Promise<JobTarget> {
  const sp = await client.request<{ displayName?: string; appDisplayName?: string }>(
    'GET',
    `/servicePrincipals/${encodeURIComponent(job.servicePrincipalId)}?$select=id,displayName,appDisplayName`,
  );
  let tenant = tenantHint ?? null;
  if (!tenant) {
    const organization = await client.request<{ value?: { id?: string; displayName?: string }[] }>('GET', '/organization?$select=id,displayName');
    const org = organization.value?.[0];
    tenant = org ? `${org.displayName ?? 'tenant'} (${org.id ?? 'unknown id'})` : 'the signed-in tenant';
  }
  return { ...job, tenant, appName: sp.displayName ?? sp.appDisplayName ?? null };
}

export interface ApplyPreview {
  live: MappingSet;
  changes: SchemaChange[];
  /** the body the PUT will send */
  merged: SynchronizationSchema;
  impact: Impact | null;
  forecast: Forecast | null;
}

interface ApplyInput {
  plan: MappingSet;
  /** in memory (a users file) or read from a snapshot in batches */
  users?: readonly SourceObject[] | DirectoryUsers;
  groups?: readonly GroupSource[];
  rateLimits?: VendorRateLimits | null;
}

/** Reads the live schema and works out the diff, the PUT body and the impact; writes nothing. */
export async function previewApply(client: GraphClient, job: JobRef, input: ApplyInput): Promise<ApplyPreview> {
  const live = await readLiveSchema(client, job);
  const changes = diffSchemas(live, input.plan);
  const merged = mergeForPut(live, input.plan);
  if (!input.users) return { live, changes, merged, impact: null, forecast: null };
  const { impact, forecast } = impactOf({
    live,
    plan: input.plan,
    users: input.users,
    ...(input.groups ? { groups: input.groups } : {}),
    ...(input.rateLimits ? { rateLimits: input.rateLimits } : {}),
  });
  return { live, changes, merged, impact, forecast };
}

export interface WriteResult {
  backup: BackupRecord;
  check: ReadBackCheck;
}

/** Backs up what is live, PUTs `schema`, reads it back and checks it against `expected`. */
async function writeSchema(
  client: GraphClient,
  target: JobTarget,
  backups: BackupStore,
  live: MappingSet,
  schema: SynchronizationSchema,
  expected: MappingSet,
  reason: BackupRecord['reason'],
): Promise<WriteResult> {
  const backup = backups.add({ tenant: target.tenant, servicePrincipalId: target.servicePrincipalId, appName: target.appName, jobId: target.jobId, reason, schema: live });
  await putSchema(client, target, schema);
  const readBack = await readLiveSchema(client, target);
  return { backup, check: verifyReadBack(readBack, schema, expected) };
}

export function applyPlan(client: GraphClient, target: JobTarget, backups: BackupStore, preview: ApplyPreview, plan: MappingSet): Promise<WriteResult> {
  return writeSchema(client, target, backups, preview.live, preview.merged, plan, 'apply');
}

interface RollbackPreview {
  live: MappingSet;
  backup: BackupRecord & { schema: SynchronizationSchema };
  changes: SchemaChange[];
}

/** Thrown when a backup cannot be used for this job. */
export class BackupChoiceError extends Error {
  override readonly name = 'BackupChoiceError';
}

/** The backup to restore (the newest for the job when none is named) and what restoring it changes. */
export async function previewRollback(client: GraphClient, job: JobRef, backups: BackupStore, backupId?: number): Promise<RollbackPreview> {
  const listed = backups.list(job.servicePrincipalId, job.jobId);
  const id = backupId ?? listed[0]?.id;
  if (id === undefined) throw new BackupChoiceError(`There is no backup for job ${job.jobId} of service principal ${job.servicePrincipalId} in this workspace.`);
  const backup = backups.get(id);
  if (!backup || backup.servicePrincipalId !== job.servicePrincipalId || backup.jobId !== job.jobId)
    throw new BackupChoiceError(`Backup ${id} is not a backup of job ${job.jobId} of service principal ${job.servicePrincipalId}.`);
  const live = await readLiveSchema(client, job);
  const schema = backup.schema as SynchronizationSchema;
  return { live, backup: { ...backup, schema }, changes: diffSchemas(live, schema, { whole: true }) };
}

/** Puts the backup back exactly as it was taken (after backing up what is live now). */
export function rollback(client: GraphClient, target: JobTarget, backups: BackupStore, preview: RollbackPreview): Promise<WriteResult> {
  return writeSchema(client, target, backups, preview.live, preview.backup.schema, preview.backup.schema, 'rollback');
}
