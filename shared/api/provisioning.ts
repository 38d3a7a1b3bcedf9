import { z } from 'zod';
import { empty, id, method, page, type MethodSpec } from './define.ts';

/**
 * The Provisioning screen's contract (issue 9): Entra's cycle played against this app's mock server or a
 * vendor's test endpoint, with an audit log like Entra's provisioning logs. A run stays in the backend; the
 * renderer follows it through events and pages through its audit log.
 */
export const ProvisioningTarget = z.union([
  /** this app's mock SCIM server (its Tenant URL and Secret Token are read from the mock server) */
  z.literal('mock'),
  z
    .object({
      /** the Tenant URL as typed in Entra, flags included */
      url: z.string().min(1).max(2000),
      token: z.string().min(1).max(8000),
    })
    .strict(),
]);
export type ProvisioningTarget = z.infer<typeof ProvisioningTarget>;

export const CycleKind = z.enum(['initial', 'incremental', 'on-demand']);
export type CycleKind = z.infer<typeof CycleKind>;
export const AuditStatus = z.enum(['success', 'failure', 'skipped']);
/** What the provisioning rehearsal provisions; the backend's own types derive from these (issue 17: types once). */
export const ProvisionedObjectType = z.enum(['User', 'Group']);
export type ProvisionedObjectType = z.infer<typeof ProvisionedObjectType>;
/** The steps of an object, as Entra's provision-on-demand shows them. */
export const AuditStepName = z.enum(['Test connection', 'Import', 'Scope', 'Match', 'Action', 'Reference']);
export type AuditStepName = z.infer<typeof AuditStepName>;
export type AuditStatus = z.infer<typeof AuditStatus>;

/** Where a provisioning run is; the SQL CHECK of provisioning_runs.status lists the same values. */
export const RunStatus = z.enum(['running', 'completed', 'cancelled', 'failed', 'quarantined']);
export type RunStatus = z.infer<typeof RunStatus>;
/** How a cycle ended: every run status but running. */
export const FinishedRunStatus = RunStatus.exclude(['running']);

/** Entra stops provisioning to a target that keeps failing (Microsoft Learn: "Application provisioning in quarantine status"). */
export const Quarantine = z.object({ reason: z.string(), since: z.string(), detail: z.string() });
export type Quarantine = z.infer<typeof Quarantine>;

const SourceValue = z.union([z.string(), z.boolean(), z.number(), z.array(z.string()), z.null()]);

/** A what-if edit to rehearse joiners, movers and leavers in an incremental cycle (not saved to the snapshot). */
export const DirectoryEdit = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('joiner'), source: z.record(z.string(), SourceValue) }).strict(),
  z.object({ kind: z.literal('mover'), userId: z.string().min(1).max(200), set: z.record(z.string(), SourceValue) }).strict(),
  z.object({ kind: z.literal('leaver'), userId: z.string().min(1).max(200), how: z.enum(['disable', 'delete']) }).strict(),
]);
export type DirectoryEdit = z.infer<typeof DirectoryEdit>;

const cycleInput = {
  cycle: CycleKind,
  target: ProvisioningTarget,
  snapshotId: id.optional(),
  /** incremental: compare with this snapshot; omitted = compare with what was provisioned last */
  previousSnapshotId: id.optional(),
  /** on-demand: object id or userPrincipalName */
  user: z.string().min(1).max(200).optional(),
  edits: z.array(DirectoryEdit).max(100).default([]),
  concurrency: z.number().int().min(1).max(32).default(4),
};

export const PlanCounts = z.object({
  create: z.number().int(),
  update: z.number().int(),
  deactivate: z.number().int(),
  delete: z.number().int(),
  none: z.number().int(),
  skip: z.number().int(),
  error: z.number().int(),
});

/** The first cycle's forecast, as shared/go-live/forecast.ts computes it. */
export const CycleForecast = z.object({
  objects: z.number().int(),
  users: z.number().int(),
  groups: z.number().int(),
  memberships: z.number().int(),
  minutes: z.object({ low: z.number(), high: z.number() }),
  requests: z.record(z.string(), z.number().int()),
  totalRequests: z.number().int(),
  rateChecks: z.array(
    z.object({
      limit: z.enum(['requests per minute', 'creates per minute']),
      allowed: z.number(),
      atFastestPace: z.number(),
      exceeded: z.boolean(),
      minutesAtLimit: z.number(),
      extraMinutes: z.number(),
    }),
  ),
  incrementalIntervalMinutes: z.number(),
  neverCleared: z.array(z.string()),
});

export const PlannedRequest = z.object({ method: z.string(), path: z.string(), body: z.unknown().nullable() });

export const ProvisioningPlan = z.object({
  kind: CycleKind,
  /** the SCIM base the requests go to (the Tenant URL without flags) */
  targetUrl: z.string(),
  /** true when the target is on this machine: no confirmation needed */
  loopback: z.boolean(),
  dialect: z.string(),
  counts: PlanCounts,
  /** the first objects of the plan with their requests (at most 500) */
  objects: z.array(
    z.object({
      objectType: ProvisionedObjectType,
      sourceId: z.string(),
      label: z.string(),
      action: z.string(),
      reason: z.string().nullable(),
      requests: z.array(PlannedRequest),
    }),
  ),
  totalObjects: z.number().int(),
  quarantine: Quarantine.nullable(),
  /** initial cycles: how long it takes and what the vendor receives (shared/go-live/forecast.ts, issue 15) */
  forecast: CycleForecast.nullable().optional(),
});
export type ProvisioningPlan = z.infer<typeof ProvisioningPlan>;

export const CycleSummaryDto = z.object({
  kind: CycleKind,
  created: z.number().int(),
  updated: z.number().int(),
  disabled: z.number().int(),
  deleted: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  unchanged: z.number().int(),
  notProcessed: z.number().int(),
  requests: z.number().int(),
  durationMs: z.number(),
  status: FinishedRunStatus,
  quarantine: Quarantine.nullable(),
});
export type CycleSummaryDto = z.infer<typeof CycleSummaryDto>;

export const ProvisioningRun = z.object({
  id: z.number().int(),
  kind: CycleKind,
  targetUrl: z.string(),
  dialect: z.string(),
  status: RunStatus,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  summary: CycleSummaryDto.nullable(),
});
export type ProvisioningRun = z.infer<typeof ProvisioningRun>;

export const AuditRowDto = z.object({
  id: z.number().int(),
  runId: z.number().int(),
  seq: z.number().int(),
  objectType: ProvisionedObjectType,
  sourceId: z.string(),
  label: z.string(),
  action: z.string(),
  status: AuditStatus,
  reason: z.string().nullable(),
  errorCode: z.string().nullable(),
  targetId: z.string().nullable(),
  startedMs: z.number(),
  durationMs: z.number(),
});
export type AuditRowDto = z.infer<typeof AuditRowDto>;

export const ExchangeDto = z.object({
  method: z.string(),
  url: z.string(),
  requestHeaders: z.record(z.string(), z.string()),
  requestBody: z.unknown().nullable(),
  status: z.number().int().nullable(),
  responseHeaders: z.record(z.string(), z.string()),
  responseBody: z.unknown().nullable(),
  attempts: z.number().int(),
  durationMs: z.number(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
});

export const AuditEntryDto = AuditRowDto.extend({
  steps: z.array(
    z.object({
      name: AuditStepName,
      status: AuditStatus,
      summary: z.string(),
      details: z.record(z.string(), z.string()),
      requests: z.array(ExchangeDto),
    }),
  ),
});
export type AuditEntryDto = z.infer<typeof AuditEntryDto>;

export const provisioningMethods = {
  'provisioning.testConnection': method(
    "Entra's Test connection: a match query for a random GUID must answer 200 with an empty list",
    z.object({ target: ProvisioningTarget }).strict(),
    z.object({
      ok: z.boolean(),
      targetUrl: z.string(),
      status: z.number().int().nullable(),
      errorCode: z.string().nullable(),
      message: z.string(),
      durationMs: z.number(),
    }),
  ),
  'provisioning.plan': method('What a cycle would send, computed without sending anything (the dry run)', z.object(cycleInput).strict(), ProvisioningPlan),
  'provisioning.run': method(
    'Start a cycle; progress and each object arrive as events. A target off this machine needs confirm: true',
    z.object({ ...cycleInput, confirm: z.boolean().default(false) }).strict(),
    z.object({ runId: z.number().int() }),
  ),
  'provisioning.cancel': method('Cancel a running cycle', z.object({ runId: z.number().int() }).strict(), z.object({ cancelled: z.boolean() })),
  'provisioning.runs': method('The provisioning runs of this project, newest first', empty, z.array(ProvisioningRun)),
  'provisioning.auditLog': method(
    'Page through the audit log of a run, filtered by status and a search text',
    z
      .object({
        runId: z.number().int(),
        status: AuditStatus.optional(),
        search: z.string().max(200).default(''),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(5000).default(200),
      })
      .strict(),
    page(AuditRowDto),
  ),
  'provisioning.auditEntry': method('One audit entry with its steps, requests and responses', z.object({ id: z.number().int() }).strict(), AuditEntryDto),
  'provisioning.exportAuditLog': method(
    'The audit log of a run as CSV or JSON, to save or hand to vendor support',
    z.object({ runId: z.number().int(), format: z.enum(['csv', 'json']) }).strict(),
    z.object({ fileName: z.string(), mediaType: z.string(), content: z.string() }),
  ),
} satisfies Record<string, MethodSpec>;

export const provisioningEvents = {
  'provisioning.progress': z.object({
    runId: z.number().int(),
    done: z.number().int(),
    total: z.number().int(),
    status: RunStatus,
    summary: CycleSummaryDto.nullable(),
  }),
  /** one object finished: the live per-user status */
  'provisioning.step': z.object({ runId: z.number().int(), row: AuditRowDto }),
};
