import { z } from 'zod';
import { method, type MethodSpec } from './define.ts';
import { CycleForecast } from './provisioning.ts';
import { GraphAccess, JobRef } from './synchronization.ts';
import { RESET_SCOPES } from '../go-live/reset-scope.ts';

/**
 * Going live from the app (issue 15): compare a saved mapping revision with the job's live schema, then apply it, or
 * put a backup back. A preview writes nothing and answers a confirmation token; apply and rollback take that token,
 * so they write exactly what the admin saw, and the backend refuses them when the live schema changed since.
 */

/** The tenant and the enterprise app (and its job) a write names. */
export const GoLiveTargetDto = z.object({
  tenant: z.string(),
  appName: z.string().nullable(),
  servicePrincipalId: z.string(),
  jobId: z.string(),
});
export type GoLiveTargetDto = z.infer<typeof GoLiveTargetDto>;

/** One difference between the live schema and the plan, in the portal's words (shared/go-live/schema-diff.ts). */
export const SchemaChangeDto = z.object({
  objectMapping: z.string(),
  targetAttribute: z.string().nullable(),
  change: z.enum(['added', 'removed', 'changed']),
  kind: z.enum(['row', 'scope', 'objectMapping', 'attributeList', 'tenantUrl']),
  /** the whole change as one line */
  text: z.string(),
  /** what changed, without the object mapping and target attribute (the panel shows those as headings) */
  detail: z.string(),
  /** a changed row's columns: Mapping type, Source attribute, Default value if null, … with before → after */
  columns: z.array(z.object({ column: z.string(), before: z.string(), after: z.string() })),
  before: z.unknown(),
  after: z.unknown(),
});
export type SchemaChangeDto = z.infer<typeof SchemaChangeDto>;

/** What the cycle after the PUT does to the vendor (electron/backend/go-live/impact.ts). */
export const GoLiveImpactDto = z.object({
  users: z.number().int(),
  groups: z.number().int(),
  creates: z.number().int(),
  updates: z.number().int(),
  disables: z.number().int(),
  deletes: z.number().int(),
  unchanged: z.number().int(),
  skipped: z.number().int(),
  errors: z.number().int(),
  outOfScope: z.array(z.object({ id: z.string(), userPrincipalName: z.string(), action: z.enum(['deactivate', 'delete']), rule: z.string() })),
  accidentalDeletions: z.object({ threshold: z.number().int(), count: z.number().int(), exceeded: z.boolean() }),
  quarantine: z.object({ evaluatedFrom: z.number().int(), failures: z.number().int(), reached: z.boolean() }),
  /** the impact as lines, the same words the CLI prints */
  lines: z.array(z.string()),
});
export type GoLiveImpactDto = z.infer<typeof GoLiveImpactDto>;

/** A schema backup kept in the workspace, taken before every apply and rollback. */
export const SchemaBackupDto = z.object({
  id: z.number().int(),
  takenAt: z.string(),
  tenant: z.string(),
  servicePrincipalId: z.string(),
  appName: z.string().nullable(),
  jobId: z.string(),
  reason: z.enum(['apply', 'rollback']),
});
export type SchemaBackupDto = z.infer<typeof SchemaBackupDto>;

/** What the confirmation names and carries back: a token valid for one write, for a few minutes. */
const Confirmable = {
  token: z.string(),
  expiresAt: z.string(),
  target: GoLiveTargetDto,
  /** what the admin types in the confirmation: the app's name (its service principal id when it has none) */
  typeToConfirm: z.string(),
  changes: z.array(SchemaChangeDto),
};

/** Who the cycle after a write touches, from a snapshot of the tenant (apply and rollback alike). */
const ImpactOfWrite = {
  /** the snapshot the impact and forecast come from; null when there is none to use (`impactNote` says why) */
  snapshot: z.object({ id: z.number().int(), label: z.string() }).nullable(),
  impact: GoLiveImpactDto.nullable(),
  impactNote: z.string().nullable(),
  forecast: CycleForecast.nullable(),
};

export const GoLivePreviewDto = z.object({
  ...Confirmable,
  revision: z.object({ revision: z.number().int(), label: z.string() }),
  ...ImpactOfWrite,
});
export type GoLivePreviewDto = z.infer<typeof GoLivePreviewDto>;

export const RollbackPreviewDto = z.object({ ...Confirmable, backup: SchemaBackupDto, ...ImpactOfWrite });
export type RollbackPreviewDto = z.infer<typeof RollbackPreviewDto>;

/** The verified read-back after a PUT: `verified` when the live schema now equals what was planned. */
export const GoLiveWriteDto = z.object({
  target: GoLiveTargetDto,
  /** the backup of what was live before this write */
  backup: SchemaBackupDto,
  verified: z.boolean(),
  /** what the read-back lacks or has differently, in the portal's words */
  differences: z.array(z.string()),
  /** after a verified apply: what was done to the job */
  job: z.object({ started: z.boolean(), restarted: z.array(z.enum(RESET_SCOPES)).nullable() }),
});
export type GoLiveWriteDto = z.infer<typeof GoLiveWriteDto>;

/** The confirmation step: its token and what the admin typed. */
const Confirmation = {
  token: z.string().min(1).max(100),
  confirmation: z.string().max(400),
};

export const goLiveMethods = {
  'goLive.preview': method(
    "Compares a saved mapping revision with the job's live schema: the diff, the impact on the current snapshot and the first cycle's forecast; writes nothing",
    z
      .object({
        ...GraphAccess,
        ...JobRef,
        /** the mapping revision to apply (default: the newest) */
        revision: z.number().int().positive().optional(),
        /** the snapshot the impact is computed from (default: the newest) */
        snapshotId: z.number().int().positive().optional(),
      })
      .strict(),
    GoLivePreviewDto,
  ),
  'goLive.apply': method(
    'Applies what a preview showed: backs the live schema up, PUTs the merge, reads it back; optionally starts or restarts the job',
    z
      .object({
        ...Confirmation,
        /** after a verified apply: start the job, or restart it clearing these scopes */
        then: z.discriminatedUnion('action', [
          z.object({ action: z.literal('nothing') }),
          z.object({ action: z.literal('start') }),
          z.object({ action: z.literal('restart'), resetScope: z.array(z.enum(RESET_SCOPES)).min(1) }),
        ]).default({ action: 'nothing' }),
      })
      .strict(),
    GoLiveWriteDto,
  ),
  'goLive.backups': method('The schema backups of one job kept in this workspace, newest first', z.object(JobRef).strict(), z.array(SchemaBackupDto)),
  'goLive.rollbackPreview': method(
    "What putting a backup back changes against the job's live schema; writes nothing",
    z.object({ ...GraphAccess, ...JobRef, backupId: z.number().int().positive(), snapshotId: z.number().int().positive().optional() }).strict(),
    RollbackPreviewDto,
  ),
  'goLive.rollback': method(
    'Puts the backup a rollback preview showed back on the job (after backing up what is live), reads it back',
    z.object(Confirmation).strict(),
    GoLiveWriteDto,
  ),
} satisfies Record<string, MethodSpec>;
