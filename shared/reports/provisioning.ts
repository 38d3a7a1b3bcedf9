import { PROVISIONING_FAILURE_SAMPLE, type ProvisioningReport } from './model.ts';

/**
 * The last provisioning run, read from the audit log `scim-planner provision --log FILE` writes (issue 9).
 * That command is being built alongside this one, so the reader accepts the shape loosely: a `summary`
 * object with counts when present, otherwise counts derived from per-object entries (`entries`,
 * `objects`, `results` or `log`, or a bare array), each with a status, an action, a user and an error.
 */

const COUNT_KEYS = {
  created: ['created', 'create', 'added'],
  updated: ['updated', 'update'],
  disabled: ['disabled', 'deactivated', 'deactivate'],
  deleted: ['deleted', 'delete'],
  skipped: ['skipped', 'skip'],
  failed: ['failed', 'failures', 'errors', 'error'],
} as const;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function numberOf(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export class ProvisioningLogError extends Error {}

function entriesOf(log: unknown): Json[] {
  if (Array.isArray(log)) return log.filter(isObject);
  if (!isObject(log)) return [];
  for (const key of ['entries', 'objects', 'results', 'log', 'users']) {
    const list = log[key];
    if (Array.isArray(list)) return list.filter(isObject);
  }
  return [];
}

function userOf(entry: Json): string | null {
  const user = entry.user ?? entry.source ?? entry.object;
  if (isObject(user)) return text(user.userPrincipalName) ?? text(user.upn) ?? text(user.displayName) ?? text(user.id);
  return text(entry.userPrincipalName) ?? text(entry.upn) ?? text(user) ?? text(entry.sourceId) ?? text(entry.objectId) ?? text(entry.id);
}

function errorOf(entry: Json): string | null {
  const error = entry.error;
  if (isObject(error)) return [text(error.code), text(error.message)].filter(Boolean).join(': ') || null;
  return text(error) ?? text(entry.errorCode) ?? text(entry.reason) ?? text(entry.message);
}

function statusOf(entry: Json): string {
  return (text(entry.status) ?? text(entry.outcome) ?? 'success').toLowerCase();
}

function actionOf(entry: Json): string | null {
  return text(entry.action) ?? text(entry.operation);
}

export function readProvisioningLog(log: unknown): ProvisioningReport {
  if (!isObject(log) && !Array.isArray(log)) throw new ProvisioningLogError('The provisioning log is not a JSON object or array (expected the file `scim-planner provision --log` writes).');
  const head: Json = isObject(log) ? log : {};
  const summary: Json = isObject(head.summary) ? head.summary : isObject(head.counts) ? head.counts : {};
  const entries = entriesOf(log);
  const counts = { created: 0, updated: 0, disabled: 0, deleted: 0, skipped: 0, failed: 0 };
  const fromSummary = Object.keys(summary).length > 0;
  for (const [name, keys] of Object.entries(COUNT_KEYS) as [keyof typeof counts, readonly string[]][]) {
    const stated = keys.map((key) => numberOf(summary[key])).find((n) => n !== null);
    if (stated !== undefined && stated !== null) counts[name] = stated;
  }
  const failures: ProvisioningReport['failures'] = [];
  let failuresFound = 0;
  for (const entry of entries) {
    const status = statusOf(entry);
    const action = actionOf(entry)?.toLowerCase() ?? null;
    const failed = status === 'failure' || status === 'failed' || status === 'error';
    if (failed && failuresFound++ < PROVISIONING_FAILURE_SAMPLE) failures.push({ user: userOf(entry), action: actionOf(entry), error: errorOf(entry) ?? 'failed' });
    if (fromSummary) continue;
    if (failed) counts.failed++;
    else if (status === 'skipped' || action === 'skip' || action === 'none') counts.skipped++;
    else if (action === 'create') counts.created++;
    else if (action === 'update') counts.updated++;
    else if (action === 'deactivate' || action === 'disable') counts.disabled++;
    else if (action === 'delete') counts.deleted++;
  }
  const startedAt = text(head.startedAt) ?? text(head.started);
  const finishedAt = text(head.finishedAt) ?? text(head.endedAt) ?? text(head.finished);
  let durationMs = numberOf(head.durationMs) ?? numberOf(summary.durationMs);
  if (durationMs === null && startedAt && finishedAt) {
    const span = Date.parse(finishedAt) - Date.parse(startedAt);
    if (Number.isFinite(span)) durationMs = span;
  }
  const target = head.target;
  return {
    cycle: text(head.cycle) ?? text(head.kind),
    target: isObject(target) ? (text(target.url) ?? text(target.baseUrl)) : text(target),
    startedAt,
    finishedAt,
    durationMs,
    counts,
    failures,
    failuresFound,
  };
}
