/**
 * A provisioning job's health from GET /servicePrincipals/{id}/synchronization/jobs/{jobId} (Microsoft Graph
 * "synchronizationStatus resource type", "synchronizationQuarantine resource type", "synchronizationTaskExecution
 * resource type"): its status code, a quarantine and what it means, and the last execution's counts.
 */
import type { GraphClient } from '../directory/graph-client.ts';
import { jobPath } from './parse-expression.ts';
import { explainDenied } from './permissions.ts';

type JobStatusCode = 'NotConfigured' | 'NotRun' | 'Active' | 'Paused' | 'Quarantine';

/** The status codes in words (Microsoft Graph "synchronizationStatus resource type", status code details). */
const STATUS_MEANING: Record<JobStatusCode, string> = {
  NotConfigured: 'The job was never configured or run: no admin credentials (Tenant URL and Secret Token) were saved.',
  NotRun: 'The job is configured, and possibly started, but has not finished its first cycle.',
  Active: 'The job runs periodically (about every 40 minutes).',
  Paused: 'The job is stopped (usually by an admin); its state is kept and it resumes where it left off.',
  Quarantine: 'The job is in quarantine: Entra runs it less often until the cause is fixed.',
};

/**
 * Quarantine reasons (Microsoft Graph "synchronizationQuarantine resource type": quarantineReason) with what they mean
 * and what to do (Microsoft Learn "Application provisioning in quarantine status").
 */
const QUARANTINE_REASONS: Record<string, { meaning: string; fix: string }> = {
  EncounteredBaseEscrowThreshold: {
    meaning: 'Too many users or groups failed to provision in this cycle (escrowed errors passed the base threshold).',
    fix: 'Open the provisioning logs, fix the most common error, then restart the job.',
  },
  EncounteredTotalEscrowThreshold: {
    meaning: 'The total number of failed objects passed the threshold.',
    fix: 'Fix the errors the provisioning logs group by error code, then restart the job.',
  },
  EncounteredEscrowProportionThreshold: {
    meaning: 'Most of the objects processed failed (the share of failures passed the threshold).',
    fix: 'Check the attribute mappings and the target with the provisioning logs; fix, then restart the job.',
  },
  EncounteredQuarantineException: {
    meaning: 'Entra met an error it cannot get past, most often invalid admin credentials or an unreachable Tenant URL.',
    fix: 'Test Connection with a valid Tenant URL and Secret Token, save, then restart the job.',
  },
  QuarantinedOnDemand: { meaning: 'An admin or Microsoft put the job in quarantine on purpose.', fix: 'Restart the job when it should run again.' },
  TooManyDeletes: {
    meaning: 'The cycle would delete or disable more accounts than the accidental-deletions threshold allows.',
    fix: 'Review the pending deletions; allow them or change the scope, then restart the job.',
  },
  IngestionInterrupted: { meaning: 'Reading changes from the source was interrupted.', fix: 'Restart the job; if it recurs, contact Microsoft support.' },
  Unknown: { meaning: 'Entra gives no reason.', fix: 'Read the quarantine error below and the provisioning logs.' },
};

interface Execution {
  state: string | null;
  timeBegan: string | null;
  timeEnded: string | null;
  counts: Record<string, number>;
  error: { code: string; message: string } | null;
}

export interface JobHealth {
  jobId: string;
  templateId: string | null;
  code: JobStatusCode | string;
  meaning: string;
  healthy: boolean;
  quarantine: {
    reason: string;
    meaning: string;
    fix: string;
    since: string | null;
    seriesBegan: string | null;
    nextAttempt: string | null;
    seriesCount: number;
    error: { code: string; message: string } | null;
  } | null;
  countSuccessiveCompleteFailures: number;
  lastExecution: Execution | null;
  synchronizedEntryCountByType: Record<string, number>;
}

type Raw = Record<string, unknown>;

/** Graph writes "" or 0001-01-01 for a time that never was. */
function timeOf(value: unknown): string | null {
  return typeof value === 'string' && value !== '' && !value.startsWith('0001-01-01') ? value : null;
}

function errorOf(value: unknown): { code: string; message: string } | null {
  if (!value || typeof value !== 'object') return null;
  const error = value as Raw;
  if (!error.code && !error.message) return null;
  return { code: String(error.code ?? ''), message: String(error.message ?? '') };
}

function executionOf(value: unknown): Execution | null {
  if (!value || typeof value !== 'object') return null;
  const raw = value as Raw;
  const counts: Record<string, number> = {};
  for (const [key, count] of Object.entries(raw)) if (key.startsWith('count') && typeof count === 'number') counts[key] = count;
  return { state: typeof raw.state === 'string' ? raw.state : null, timeBegan: timeOf(raw.timeBegan), timeEnded: timeOf(raw.timeEnded), counts, error: errorOf(raw.error) };
}

function jobHealthOf(job: Raw): JobHealth {
  const status = (job.status ?? {}) as Raw;
  const code = String(status.code ?? 'Unknown');
  const rawQuarantine = status.quarantine as Raw | null | undefined;
  const inQuarantine = code === 'Quarantine' || (!!rawQuarantine && typeof rawQuarantine.reason === 'string' && rawQuarantine.reason !== '');
  let quarantine: JobHealth['quarantine'] = null;
  if (inQuarantine && rawQuarantine) {
    const reason = typeof rawQuarantine.reason === 'string' && rawQuarantine.reason !== '' ? rawQuarantine.reason : 'Unknown';
    const known = QUARANTINE_REASONS[reason] ?? QUARANTINE_REASONS.Unknown!;
    quarantine = {
      reason,
      ...known,
      since: timeOf(rawQuarantine.currentBegan),
      seriesBegan: timeOf(rawQuarantine.seriesBegan),
      nextAttempt: timeOf(rawQuarantine.nextAttempt),
      seriesCount: Number(rawQuarantine.seriesCount ?? 0),
      error: errorOf(rawQuarantine.error),
    };
  }
  const byType: Record<string, number> = {};
  for (const pair of (status.synchronizedEntryCountByType as { key?: string; value?: number }[] | undefined) ?? []) if (pair.key) byType[pair.key] = Number(pair.value ?? 0);
  return {
    jobId: String(job.id ?? ''),
    templateId: typeof job.templateId === 'string' ? job.templateId : null,
    code,
    meaning: STATUS_MEANING[code as JobStatusCode] ?? `Entra reports the status "${code}", which this version does not know.`,
    healthy: code === 'Active' || code === 'NotRun',
    quarantine,
    countSuccessiveCompleteFailures: Number(status.countSuccessiveCompleteFailures ?? 0),
    lastExecution: executionOf(status.lastExecution),
    synchronizedEntryCountByType: byType,
  };
}

export async function readJobHealth(client: GraphClient, servicePrincipalId: string, jobId: string, signal?: AbortSignal): Promise<JobHealth> {
  try {
    return jobHealthOf(await client.request<Raw>('GET', jobPath(servicePrincipalId, jobId), { signal }));
  } catch (error) {
    throw explainDenied(error, 'job');
  }
}
