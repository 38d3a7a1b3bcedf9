import type { GoLiveWriteDto, HandlersFor, SchemaBackupDto, SnapshotSummary } from '../../../shared/api.ts';
import type { goLiveMethods } from '../../../shared/api/go-live.ts';
import { changeDetail, columnChanges, describeChange, type SchemaChange } from '../../../shared/go-live/schema-diff.ts';
import type { BackendContext } from '../context.ts';
import { GraphRequestError } from '../directory/graph-client.ts';
import type { DirectoryService } from '../directory/service.ts';
import { notFound, UserFacingError } from '../errors.ts';
import { BackupStore, type BackupRecord } from '../go-live/backups.ts';
import { applyPlan, BackupChoiceError, describeTarget, previewApply, previewRollback, rollback, type JobTarget } from '../go-live/go-live.ts';
import { describeImpact, impactOf } from '../go-live/impact.ts';
import { restartJob, startJob } from '../go-live/job-api.ts';
import { ensureLiveUnchanged, PendingWrites, typeToConfirmOf } from '../go-live/pending-writes.ts';
import { snapshotDirectory } from '../provisioning/service.ts';
import { projectMappingSet } from '../services/mapping-sets.ts';
import { projectVendorProfile } from '../services/vendors.ts';
import type { WorkspaceSession } from '../session/workspace-session.ts';
import { graphCall } from './synchronization.ts';

interface Access {
  accountId: string;
  graphBaseUrl?: string | undefined;
}

/** A Graph failure while going live, as the admin reads it: a 403 names the permission and role writing needs. */
function goLiveCall<T>(work: () => Promise<T>): Promise<T> {
  return graphCall(async () => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof BackupChoiceError) throw notFound(error.message);
      if (error instanceof GraphRequestError && error.status === 403)
        throw new UserFacingError(
          'forbidden',
          `Microsoft Graph refused (403): ${error.message} Reading and saving a provisioning job's schema needs the delegated permission ` +
            'Synchronization.ReadWrite.All and the Application Administrator or Cloud Application Administrator role (or owning the app).',
        );
      throw error;
    }
  });
}

const changeDto = (change: SchemaChange) => ({
  objectMapping: change.objectMapping,
  targetAttribute: change.targetAttribute,
  change: change.change,
  kind: change.kind,
  text: describeChange(change),
  detail: changeDetail(change),
  columns: columnChanges(change),
  before: change.before,
  after: change.after,
});

const targetDto = (target: JobTarget) => ({ tenant: target.tenant, appName: target.appName, servicePrincipalId: target.servicePrincipalId, jobId: target.jobId });

const backupDto = (backup: BackupRecord): SchemaBackupDto => ({
  id: backup.id,
  takenAt: backup.takenAt,
  tenant: backup.tenant,
  servicePrincipalId: backup.servicePrincipalId,
  appName: backup.appName,
  jobId: backup.jobId,
  reason: backup.reason,
});

/**
 * The snapshot the impact is computed from: the one asked for, else the newest. The demo tenant's never counts: its
 * users are not the tenant's, so an impact from them would mislead (the same rule as `scim-planner apply`).
 */
function impactSnapshot(session: WorkspaceSession, snapshotId: number | undefined): { snapshot: SnapshotSummary | null; note: string | null } {
  const snapshot = snapshotId !== undefined ? session.snapshot(snapshotId) : (session.store.listSnapshots(session.projectId).find((s) => s.origin !== 'demo') ?? null);
  if (!snapshot) return { snapshot: null, note: 'No snapshot of the tenant in this workspace: fetch or import its users on the Tenant screen to see who the cycle creates, updates, disables or deletes.' };
  if (snapshot.origin === 'demo')
    return { snapshot: null, note: `Snapshot ${snapshot.id} is the demo tenant's, not this tenant's users: fetch or import them on the Tenant screen to see the impact.` };
  return { snapshot, note: null };
}

/**
 * Going live from the app (issue 15): the preview (diff, impact, forecast) reads Graph and writes nothing; apply and
 * rollback write only with the token of the preview the admin confirmed, checked here (pending-writes.ts), not only by
 * the screen. Graph is reached through the directory's sign-ins, as for the checks against Microsoft.
 */
export function goLiveHandlers(ctx: BackendContext, directory: DirectoryService): HandlersFor<typeof goLiveMethods> {
  const pending = new PendingWrites();
  const reader = (access: Access) => directory.graphClient({ ...access, synchronization: true });
  const writer = (access: Access) => directory.graphClient({ ...access, synchronization: 'write' });
  const accessOf = ({ accountId, graphBaseUrl }: Access) => ({ accountId, ...(graphBaseUrl ? { graphBaseUrl } : {}) });

  /** Redeems the token, checks the live schema is still the compared one, then backs up, PUTs and reads back. */
  const redeemAndWrite = async (kind: 'apply' | 'rollback', token: string, confirmation: string, then?: (client: ReturnType<typeof writer>, target: JobTarget) => Promise<GoLiveWriteDto['job']>) => {
    const session = ctx.session();
    const write = pending.redeem(token, kind, confirmation, session.path);
    const client = writer(write.access);
    await ensureLiveUnchanged(client, write);
    const result = await write.write(client, new BackupStore(session.store.db));
    // start or restart only a job whose schema read back as planned
    const job = result.check.verified && then ? await then(client, write.target) : { started: false, restarted: null };
    return { target: targetDto(write.target), backup: backupDto(result.backup), verified: result.check.verified, differences: result.check.differences, job };
  };

  return {
    'goLive.preview': ({ revision, snapshotId, servicePrincipalId, jobId, ...access }) =>
      goLiveCall(async () => {
        const session = ctx.session();
        const chosen = projectMappingSet(session.store, session.projectId, revision);
        if (!chosen.revision) throw notFound('Save the mappings as a revision on the Mappings screen first: going live applies a saved revision.');
        const plan = chosen.set;
        const { snapshot, note } = impactSnapshot(session, snapshotId);
        const state = snapshot ? snapshotDirectory(session.store, snapshot.id) : null;
        const rateLimits = projectVendorProfile(session.store, session.project()).rateLimits;
        const client = reader(access);
        const job = { servicePrincipalId, jobId };
        const target = await describeTarget(client, job);
        const preview = await previewApply(client, job, { plan, ...(state ? { users: state.users, groups: state.groups } : {}), rateLimits });
        const typeToConfirm = typeToConfirmOf(target);
        const { token, expiresAt } = pending.add({
          kind: 'apply',
          target,
          access: accessOf(access),
          workspacePath: session.path,
          live: preview.live,
          typeToConfirm,
          write: (writeClient, backups) => applyPlan(writeClient, target, backups, preview, plan),
        });
        return {
          token,
          expiresAt,
          target: targetDto(target),
          typeToConfirm,
          changes: preview.changes.map(changeDto),
          revision: { revision: chosen.revision.revision, label: chosen.label },
          snapshot: snapshot ? { id: snapshot.id, label: snapshot.label } : null,
          impact: preview.impact ? { ...preview.impact, lines: describeImpact(preview.impact) } : null,
          impactNote: note,
          forecast: preview.forecast,
        };
      }),

    'goLive.apply': ({ token, confirmation, then }) =>
      goLiveCall(() =>
        redeemAndWrite('apply', token, confirmation, async (client, target) => {
          if (then.action === 'start') await startJob(client, target);
          if (then.action === 'restart') await restartJob(client, target, then.resetScope);
          return { started: then.action === 'start', restarted: then.action === 'restart' ? then.resetScope : null };
        }),
      ),

    'goLive.backups': ({ servicePrincipalId, jobId }) => new BackupStore(ctx.session().store.db).list(servicePrincipalId, jobId).map(backupDto),

    'goLive.rollbackPreview': ({ backupId, snapshotId, servicePrincipalId, jobId, ...access }) =>
      goLiveCall(async () => {
        const session = ctx.session();
        const client = reader(access);
        const job = { servicePrincipalId, jobId };
        const backups = new BackupStore(session.store.db);
        const preview = await previewRollback(client, job, backups, backupId);
        // the cycle after a rollback runs the backup's schema: its impact is worked out as an apply's is
        const { snapshot, note } = impactSnapshot(session, snapshotId);
        const state = snapshot ? snapshotDirectory(session.store, snapshot.id) : null;
        const rateLimits = projectVendorProfile(session.store, session.project()).rateLimits;
        const effect = state ? impactOf({ live: preview.live, plan: preview.backup.schema, users: state.users, groups: state.groups, ...(rateLimits ? { rateLimits } : {}) }) : null;
        const target = await describeTarget(client, job);
        const typeToConfirm = typeToConfirmOf(target);
        const { token, expiresAt } = pending.add({
          kind: 'rollback',
          target,
          access: accessOf(access),
          workspacePath: session.path,
          live: preview.live,
          typeToConfirm,
          write: (writeClient, store) => rollback(writeClient, target, store, preview),
        });
        return {
          token,
          expiresAt,
          target: targetDto(target),
          typeToConfirm,
          changes: preview.changes.map(changeDto),
          backup: backupDto(preview.backup),
          snapshot: snapshot ? { id: snapshot.id, label: snapshot.label } : null,
          impact: effect ? { ...effect.impact, lines: describeImpact(effect.impact) } : null,
          impactNote: note,
          forecast: effect?.forecast ?? null,
        };
      }),

    'goLive.rollback': ({ token, confirmation }) => goLiveCall(() => redeemAndWrite('rollback', token, confirmation)),
  };
}
