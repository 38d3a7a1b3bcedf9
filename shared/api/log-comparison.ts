import { z } from 'zod';
import type { ApiError } from './errors.ts';

/**
 * Planned vs actual (issue 14): what Entra actually sent (its provisioning logs) compared with what the plan sends,
 * as the app runs it (synchronization.logs.*) and keeps it in the workspace per project.
 */
export const LOG_DIFFERENCE_CAUSES = ['mapping-changed', 'source-changed', 'preview-disagrees'] as const;

export const LogDifferenceDto = z.object({
  userPrincipalName: z.string().nullable(),
  sourceId: z.string(),
  changeId: z.string(),
  attribute: z.string(),
  entraSent: z.string().nullable(),
  planned: z.union([z.string(), z.array(z.string()), z.null()]),
  cause: z.enum(LOG_DIFFERENCE_CAUSES),
  /** the cause in plain words */
  why: z.string(),
});
export type LogDifferenceDto = z.infer<typeof LogDifferenceDto>;

export const LogFailureGroupDto = z.object({
  errorCode: z.string(),
  count: z.number().int().min(0),
  explanation: z.string(),
  fix: z.string(),
  /** Entra's own reason, from the first entry */
  reason: z.string().nullable(),
  /** the affected users as the admin reads them, and their source ids in the same order (the replay acts on these) */
  users: z.array(z.string()),
  sourceIds: z.array(z.string()),
  /** per user: whether the snapshot holds it (only those can be replayed against the mock server) */
  inSnapshot: z.array(z.boolean()),
});
export type LogFailureGroupDto = z.infer<typeof LogFailureGroupDto>;

/** Where the log entries came from: Graph (the job and the window read) or the portal's download. */
export const LogSourceDto = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('graph'), servicePrincipalId: z.string(), jobId: z.string(), since: z.string().nullable() }),
  z.object({ kind: z.literal('file'), fileNames: z.array(z.string()) }),
]);
export type LogSourceDto = z.infer<typeof LogSourceDto>;

/** One comparison as it is kept in the workspace (the last few per project). */
export const LogComparisonDto = z.object({
  id: z.number().int().positive(),
  comparedAt: z.string(),
  source: LogSourceDto,
  revision: z.number().int().positive(),
  snapshotId: z.number().int().positive(),
  snapshotLabel: z.string(),
  /** false when the Graph read was cancelled: the comparison covers the entries read before */
  complete: z.boolean(),
  entries: z.number().int().min(0),
  matched: z.number().int().min(0),
  agreed: z.number().int().min(0),
  unmatched: z.number().int().min(0),
  skipped: z.number().int().min(0),
  differences: z.array(LogDifferenceDto),
  failures: z.array(LogFailureGroupDto),
});
export type LogComparisonDto = z.infer<typeof LogComparisonDto>;

/** A comparison read from Graph, running or finished, as its progress events and status carry it. */
export const LogRunStatus = z.object({
  runId: z.string(),
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
  /** log entries read so far, and the pages they came on */
  read: z.number().int().min(0),
  pages: z.number().int().min(0),
  /** seconds Graph (or the reporting API's 5 requests per 10 s) asked to wait; null when not waiting */
  waitSeconds: z.number().nullable(),
  /** once finished (done or cancelled): the comparison, as kept in the workspace */
  comparison: LogComparisonDto.nullable(),
  error: z.object({ code: z.enum(['permission', 'sign-in-required', 'graph', 'internal']), message: z.string() }).nullable(),
});
export type LogRunStatus = z.infer<typeof LogRunStatus>;

/** A provisioning-log file handed to the backend (browser upload or Electron's file dialog), waiting to be compared. */
export const LogUploadDto = z.object({ uploadId: z.string(), fileName: z.string(), bytes: z.number().int().min(0) });
export type LogUploadDto = z.infer<typeof LogUploadDto>;

/** Browser mode's upload of a provisioning-log file: the bridge route beside the JSON API (bodies there are capped). */
export const LOG_FILE_UPLOAD_PATH = '/api/upload/provisioning-logs';

/**
 * Electron's choice of the download (`window.logFiles`): the main process shows the native file dialog (several files
 * for the CSV pair) and the backend reads and holds them; `null`: the dialog was cancelled.
 */
export interface PreloadLogFiles {
  choose(): Promise<{ ok: true; value: LogUploadDto[] } | { ok: false; error: ApiError } | null>;
}
export const IPC_LOG_FILES_CHANNEL = 'provisioning-logs:choose';
