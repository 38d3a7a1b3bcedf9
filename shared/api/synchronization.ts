import { z } from 'zod';
import { empty, method, type MethodSpec } from './define.ts';
import { LogComparisonDto, LogRunStatus } from './log-comparison.ts';

export * from './log-comparison.ts';

/**
 * Checks against Microsoft (issue 14), as the Mappings screen reads them: per row of a mapping revision, how many
 * users Entra's own evaluation (Graph parseExpression) agreed with the preview on, and how many it did not. The checks
 * are run from the app (synchronization.check.start) or by `scim-planner verify --workspace`, and kept with the revision.
 */
export const CHECK_VERDICTS = ['agree', 'differ', 'entra-refused', 'ours-refused', 'both-refused'] as const;

export const RowCheckDto = z.object({
  targetAttribute: z.string(),
  /** the expression that was checked: a row edited since shows no badge */
  expression: z.string(),
  counts: z.object(Object.fromEntries(CHECK_VERDICTS.map((verdict) => [verdict, z.number().int().min(0)])) as Record<(typeof CHECK_VERDICTS)[number], z.ZodNumber>),
  /** one disagreement to show beside the badge: the user and both values (null when every user agreed) */
  example: z
    .object({
      userPrincipalName: z.string().nullable(),
      verdict: z.enum(CHECK_VERDICTS),
      ours: z.string(),
      entra: z.string(),
    })
    .nullable(),
});
export type RowCheckDto = z.infer<typeof RowCheckDto>;

export const MappingCheckDto = z.object({
  revision: z.number().int().positive(),
  checkedAt: z.string(),
  jobId: z.string(),
  /** false when the check was cancelled: the counts cover what was checked before */
  complete: z.boolean(),
  rows: z.array(RowCheckDto),
});
export type MappingCheckDto = z.infer<typeof MappingCheckDto>;

/** An enterprise app with a provisioning job, as the job picker lists it. */
export const ProvisioningAppDto = z.object({
  servicePrincipalId: z.string(),
  appId: z.string().nullable(),
  displayName: z.string(),
  jobs: z.array(z.object({ jobId: z.string(), templateId: z.string().nullable(), statusCode: z.string() })),
});
export type ProvisioningAppDto = z.infer<typeof ProvisioningAppDto>;

const GraphErrorDto = z.object({ code: z.string(), message: z.string() });

/** A provisioning job's health (Graph synchronizationStatus): status, quarantine and what to do, the last cycle. */
export const JobHealthDto = z.object({
  jobId: z.string(),
  templateId: z.string().nullable(),
  code: z.string(),
  meaning: z.string(),
  healthy: z.boolean(),
  quarantine: z
    .object({
      reason: z.string(),
      meaning: z.string(),
      fix: z.string(),
      since: z.string().nullable(),
      seriesBegan: z.string().nullable(),
      nextAttempt: z.string().nullable(),
      seriesCount: z.number(),
      error: GraphErrorDto.nullable(),
    })
    .nullable(),
  countSuccessiveCompleteFailures: z.number(),
  lastExecution: z
    .object({
      state: z.string().nullable(),
      timeBegan: z.string().nullable(),
      timeEnded: z.string().nullable(),
      counts: z.record(z.string(), z.number()),
      error: GraphErrorDto.nullable(),
    })
    .nullable(),
  synchronizedEntryCountByType: z.record(z.string(), z.number()),
});
export type JobHealthDto = z.infer<typeof JobHealthDto>;

/** The sign-in to call Graph with (an account of directory.accounts) and, for a local stand-in, Graph's base URL. */
export const GraphAccess = {
  accountId: z.string().min(1).max(300),
  graphBaseUrl: z.string().url().max(2000).optional(),
};
export const JobRef = {
  servicePrincipalId: z.string().trim().min(1).max(100),
  jobId: z.string().trim().min(1).max(300),
};

/** A running or finished expression check started from the app, as its progress events and status carry it. */
export const CheckRunStatus = z.object({
  checkId: z.string(),
  revision: z.number().int().positive(),
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
  /** parseExpression calls answered so far, of `total` (rows × users) */
  done: z.number().int().min(0),
  total: z.number().int().min(0),
  /** seconds Graph asked to wait (429/503 Retry-After); null when not throttled */
  waitSeconds: z.number().nullable(),
  /** once finished (done or cancelled): the summary the Mappings screen's badges are built from */
  summary: z
    .object({
      checked: z.number().int(),
      agreed: z.number().int(),
      differed: z.number().int(),
      refused: z.number().int(),
      skipped: z.array(z.object({ targetAttribute: z.string(), reason: z.string() })),
    })
    .nullable(),
  /** permission: Graph answered 403 (the message names what is needed); sign-in-required: sign in again */
  error: z.object({ code: z.enum(['permission', 'sign-in-required', 'graph', 'internal']), message: z.string() }).nullable(),
});
export type CheckRunStatus = z.infer<typeof CheckRunStatus>;

/** One user's evaluation of one mapping row in a check, both sides in Entra's form (arrays of strings). */
export const CheckedEvaluationDto = z.object({
  targetAttribute: z.string(),
  expression: z.string(),
  /** the user's object id in the snapshot the check sampled */
  userId: z.string(),
  userPrincipalName: z.string().nullable(),
  verdict: z.enum(CHECK_VERDICTS),
  ours: z.object({ ok: z.boolean(), value: z.array(z.string()).nullable(), error: z.string().optional() }),
  entra: z.object({ parsingSucceeded: z.boolean(), evaluationSucceeded: z.boolean(), value: z.array(z.string()).nullable(), error: z.string().nullable() }),
  /** the source attributes the expression reads */
  attributes: z.array(z.string()),
});
export type CheckedEvaluationDto = z.infer<typeof CheckedEvaluationDto>;

/** A revision's newest check with every user's evaluation, as the Preview and the report show it. */
export const RevisionCheckDto = z.object({
  revision: z.number().int().positive(),
  checkedAt: z.string(),
  servicePrincipalId: z.string(),
  jobId: z.string(),
  complete: z.boolean(),
  evaluations: z.array(CheckedEvaluationDto),
  skipped: z.array(z.object({ targetAttribute: z.string(), reason: z.string() })),
});
export type RevisionCheckDto = z.infer<typeof RevisionCheckDto>;

export const PreviewCheckDto = z.object({
  /** null when this revision was never checked */
  check: RevisionCheckDto.nullable(),
  /** the project's newest check of any revision, so "not checked for this revision" can say which one was */
  newestChecked: z.object({ revision: z.number().int().positive(), checkedAt: z.string() }).nullable(),
});
export type PreviewCheckDto = z.infer<typeof PreviewCheckDto>;

export const synchronizationEvents = {
  /** a running check's progress (throttled), and a wait Graph asked for */
  'synchronization.check.progress': CheckRunStatus,
  'synchronization.check.finished': CheckRunStatus,
  /** a running logs comparison's progress (pages read, waits), then its end with the comparison kept */
  'synchronization.logs.progress': LogRunStatus,
  'synchronization.logs.finished': LogRunStatus,
};

export const synchronizationMethods = {
  'synchronization.provisioningApps': method(
    "The tenant's enterprise apps that have a provisioning job, with each job's status code",
    z.object(GraphAccess).strict(),
    z.array(ProvisioningAppDto),
  ),
  'synchronization.jobHealth': method(
    "A provisioning job's health: status, quarantine reason and what to do, the last cycle",
    z.object({ ...GraphAccess, ...JobRef }).strict(),
    JobHealthDto,
  ),
  'synchronization.check.start': method(
    'Checks a saved mapping revision with Microsoft (Graph parseExpression) for a sample of a snapshot\'s users; the result is kept with the revision',
    z
      .object({
        ...GraphAccess,
        ...JobRef,
        revision: z.number().int().positive(),
        snapshotId: z.number().int().positive(),
        /** how many users to sample (default 8); ignored when `users` names them */
        sampleSize: z.number().int().min(1).max(500).optional(),
        /** userPrincipalNames or object ids of the snapshot to check instead of a sample */
        users: z.array(z.string().trim().min(1).max(400)).max(500).optional(),
        /** direct and constant rows too (expression rows are always checked) */
        allRows: z.boolean().optional(),
      })
      .strict(),
    CheckRunStatus,
  ),
  'synchronization.check.status': method('A check started from the app, running or finished', z.object({ checkId: z.string().min(1).max(100) }).strict(), CheckRunStatus),
  'synchronization.check.cancel': method(
    'Stops a running check; what was checked before is kept with the revision',
    z.object({ checkId: z.string().min(1).max(100) }).strict(),
    z.object({ cancelled: z.boolean() }),
  ),

  'synchronization.mappingCheck': method(
    'The newest check against Microsoft of a saved mapping revision, per row; null when it was never checked',
    z.object({ revision: z.number().int().positive() }).strict(),
    MappingCheckDto.nullable(),
  ),

  'synchronization.revisionCheck': method(
    "A saved revision's newest check against Microsoft with every sampled user's evaluation, and which revision was checked last",
    z.object({ revision: z.number().int().positive() }).strict(),
    PreviewCheckDto,
  ),
  'synchronization.exportVectors': method(
    "The disagreements of a revision's newest check as expression vectors (the `scim-planner eval --jsonl` lines, Entra's value as the expected one)",
    z
      .object({
        revision: z.number().int().positive(),
        /** only this row's disagreements (default: every row's) */
        targetAttribute: z.string().trim().min(1).max(400).optional(),
        /** put the users' real source values and both results in; otherwise the vectors name the attributes only */
        includeValues: z.boolean(),
        /** the snapshot whose users' values go in (needed with includeValues) */
        snapshotId: z.number().int().positive().optional(),
      })
      .strict(),
    z.object({ fileName: z.string(), mediaType: z.string(), encoding: z.literal('utf8'), content: z.string(), vectors: z.number().int().min(0) }),
  ),
  'synchronization.logs.start': method(
    "Reads the job's provisioning logs from Graph (since a time) and compares what Entra sent with the plan of a saved revision for a snapshot's users; kept in the workspace",
    z
      .object({
        ...GraphAccess,
        ...JobRef,
        /** only entries after this instant; omitted: everything Entra keeps (up to 30 days) */
        since: z.iso.datetime({ offset: true }).optional(),
        revision: z.number().int().positive(),
        snapshotId: z.number().int().positive(),
      })
      .strict(),
    LogRunStatus,
  ),
  'synchronization.logs.status': method('A logs comparison started from Graph, running or finished', z.object({ runId: z.string().min(1).max(100) }).strict(), LogRunStatus),
  'synchronization.logs.cancel': method(
    'Stops reading the provisioning logs; the entries read before are compared and kept',
    z.object({ runId: z.string().min(1).max(100) }).strict(),
    z.object({ cancelled: z.boolean() }),
  ),
  'synchronization.logs.compareFiles': method(
    "Compares the portal's provisioning-log download (the JSON file, or the CSV file with its ModifiedProperties file) with the plan; kept in the workspace",
    z
      .object({
        /** files handed over by the upload route or the file dialog */
        uploadIds: z.array(z.string().min(1).max(100)).min(1).max(2),
        revision: z.number().int().positive(),
        snapshotId: z.number().int().positive(),
      })
      .strict(),
    LogComparisonDto,
  ),
  'synchronization.logs.latest': method("The project's newest logs comparison kept in the workspace; null when none was run", empty, LogComparisonDto.nullable()),
  'synchronization.logs.vectors': method(
    'The differences whose cause is "the preview disagrees with Entra", as expression vectors (eval --jsonl lines); real values only when asked',
    z.object({ comparisonId: z.number().int().positive(), includeValues: z.boolean().default(false) }).strict(),
    z.object({ fileName: z.string(), count: z.number().int(), jsonl: z.string() }),
  ),
} satisfies Record<string, MethodSpec>;
