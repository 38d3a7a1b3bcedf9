/**
 * Entra's provisioning logs as entries the comparison reads, from three places: Microsoft Graph
 * GET /auditLogs/provisioning ("List provisioningObjectSummary"), the portal's JSON download, and the portal's CSV
 * download (Microsoft Learn "How to download and analyze the Microsoft Entra provisioning logs": three files joined by
 * the change ID).
 */
import { parseCsv } from '../../../shared/directory/csv-import.ts';
import type { GraphClient } from '../directory/graph-client.ts';
import { explainDenied } from './permissions.ts';
import { RequestBudget } from '../http/request-budget.ts';

interface ModifiedProperty {
  attribute: string;
  oldValue: string | null;
  newValue: string | null;
}

export interface LogEntry {
  changeId: string;
  activityDateTime: string | null;
  jobId: string | null;
  sourceId: string;
  sourceDisplayName: string | null;
  identityType: string | null;
  action: string | null;
  status: string;
  errorCode: string | null;
  reason: string | null;
  modified: ModifiedProperty[];
}

/** A file that is not a provisioning-log download; the message names the file and what is wrong. */
export class LogFileError extends Error {
  override readonly name = 'LogFileError';
}

type Raw = Record<string, unknown>;
const text = (value: unknown): string | null => (value === null || value === undefined || value === '' ? null : String(value));

/** One provisioningObjectSummary (Graph's, or the portal JSON download's, which has the same fields). */
function entryOfSummary(raw: Raw): LogEntry {
  const source = (raw.sourceIdentity ?? {}) as Raw;
  const status = (raw.provisioningStatusInfo ?? {}) as Raw;
  const error = (status.errorInformation ?? {}) as Raw;
  const modified = Array.isArray(raw.modifiedProperties) ? (raw.modifiedProperties as Raw[]) : [];
  return {
    changeId: String(raw.changeId ?? raw.id ?? ''),
    activityDateTime: text(raw.activityDateTime),
    jobId: text(raw.jobId),
    sourceId: String(source.id ?? ''),
    sourceDisplayName: text(source.displayName),
    identityType: text(source.identityType),
    // the portal's download has been seen with `action` where Graph writes `provisioningAction`
    action: text(raw.provisioningAction ?? raw.action),
    status: String(status.status ?? raw.status ?? 'unknown').toLowerCase(),
    errorCode: text(error.errorCode),
    reason: text(error.reason),
    modified: modified.map((property) => ({ attribute: String(property.displayName ?? ''), oldValue: text(property.oldValue), newValue: text(property.newValue) })),
  };
}

/** The portal's JSON download: an array of entries (or Graph's `{value: [...]}`). */
export function entriesOfJson(json: unknown, path: string): LogEntry[] {
  const list = Array.isArray(json) ? json : (json as { value?: unknown } | null)?.value;
  if (!Array.isArray(list)) throw new LogFileError(`The provisioning-log file "${path}" must be the portal's JSON download (an array of log entries).`);
  return list.map((item, index) => {
    if (!item || typeof item !== 'object' || !(item as Raw).sourceIdentity) throw new LogFileError(`The provisioning-log file "${path}": entry ${index} has no sourceIdentity, so it is not a provisioning log entry.`);
    return entryOfSummary(item as Raw);
  });
}

/**
 * Column names as the CSV download writes them are not documented; they are matched ignoring case, spaces and
 * punctuation, and each field accepts the spellings below.
 */
const COLUMNS = {
  changeId: ['changeid'],
  activityDateTime: ['date', 'activitydatetime', 'datetime', 'datetimeutc'],
  jobId: ['jobid'],
  sourceId: ['sourceid', 'sourceidentityid', 'sourceidentity'],
  sourceDisplayName: ['sourcename', 'sourcedisplayname', 'sourceidentitydisplayname', 'identity'],
  identityType: ['sourceidentitytype', 'identitytype', 'sourcetype'],
  action: ['action', 'provisioningaction'],
  status: ['status', 'provisioningstatus', 'statusinfostatus'],
  errorCode: ['errorcode', 'statusinfoerrorcode'],
  reason: ['reason', 'statusreason', 'errorreason', 'failurereason'],
  attribute: ['name', 'displayname', 'attribute', 'attributename', 'propertyname', 'modifiedproperty'],
  oldValue: ['oldvalue'],
  newValue: ['newvalue'],
} as const;
type Column = keyof typeof COLUMNS;

function table(textContent: string, path: string): { get(row: string[], column: Column): string | null; has(column: Column): boolean; rows: string[][] } {
  const { rows, issues } = parseCsv(textContent);
  if (issues.length > 0) throw new LogFileError(`The provisioning-log CSV "${path}" cannot be read: ${issues[0]!.message}`);
  const header = (rows[0]?.fields ?? []).map((name) => name.toLowerCase().replace(/[^a-z0-9]/g, ''));
  const index = (column: Column) => header.findIndex((name) => (COLUMNS[column] as readonly string[]).includes(name));
  return {
    rows: rows.slice(1).map((row) => row.fields).filter((fields) => fields.some((field) => field !== '')),
    has: (column) => index(column) >= 0,
    get: (row, column) => {
      const i = index(column);
      return i < 0 ? null : text(row[i]);
    },
  };
}

/**
 * The CSV download: the ProvisioningLogs file and its ProvisioningLogs_ModifiedProperties file, joined by change ID.
 * Without the second file there is nothing to compare, so it is required.
 */
export function entriesOfCsv(logs: { path: string; text: string }, modifiedProperties: { path: string; text: string }): LogEntry[] {
  const main = table(logs.text, logs.path);
  for (const column of ['changeId', 'sourceId', 'status'] as const) {
    if (!main.has(column)) throw new LogFileError(`The provisioning-log CSV "${logs.path}" has no ${column === 'changeId' ? 'Change ID' : column === 'sourceId' ? 'Source ID' : 'Status'} column; give the ProvisioningLogs file of the portal's CSV download.`);
  }
  const props = table(modifiedProperties.text, modifiedProperties.path);
  for (const column of ['changeId', 'attribute', 'newValue'] as const) {
    if (!props.has(column)) throw new LogFileError(`The modified-properties CSV "${modifiedProperties.path}" has no ${column === 'changeId' ? 'Change ID' : column === 'attribute' ? 'Name' : 'New Value'} column; give the ProvisioningLogs_ModifiedProperties file of the same download.`);
  }
  const byChange = new Map<string, ModifiedProperty[]>();
  for (const row of props.rows) {
    const changeId = props.get(row, 'changeId') ?? '';
    const list = byChange.get(changeId) ?? [];
    list.push({ attribute: props.get(row, 'attribute') ?? '', oldValue: props.get(row, 'oldValue'), newValue: props.get(row, 'newValue') });
    byChange.set(changeId, list);
  }
  return main.rows.map((row) => {
    const changeId = main.get(row, 'changeId') ?? '';
    return {
      changeId,
      activityDateTime: main.get(row, 'activityDateTime'),
      jobId: main.get(row, 'jobId'),
      sourceId: main.get(row, 'sourceId') ?? '',
      sourceDisplayName: main.get(row, 'sourceDisplayName'),
      identityType: main.get(row, 'identityType'),
      action: main.get(row, 'action'),
      status: (main.get(row, 'status') ?? 'unknown').toLowerCase(),
      errorCode: main.get(row, 'errorCode'),
      reason: main.get(row, 'reason'),
      modified: byChange.get(changeId) ?? [],
    };
  });
}

/** Where the ModifiedProperties file of a CSV download sits: next to the logs file, named after it. */
export function modifiedPropertiesFileName(logsFileName: string): string {
  return logsFileName.replace(/ProvisioningLogs(?!_)/i, (match) => `${match}_ModifiedProperties`);
}

/** The reporting API allows 5 requests per 10 seconds per app and tenant (Microsoft Graph throttling limits). */
const REPORTING_LIMIT = { calls: 5, windowMs: 10_000 } as const;

interface LogReadOptions {
  servicePrincipalId?: string;
  jobId: string;
  /** only entries after this instant (ISO) */
  since?: string;
  /** only entries before this instant (ISO) */
  until?: string;
  signal?: AbortSignal;
  onWait?: (seconds: number) => void;
  /** each page as it arrives: a caller that is cancelled keeps what was read before */
  onPage?: (entries: readonly LogEntry[]) => void;
  /** injectable clock and sleep, so the request budget is tested without waiting */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** GET /auditLogs/provisioning for one job, every page, within the reporting API's request budget. */
export async function readProvisioningLogs(client: GraphClient, options: LogReadOptions): Promise<LogEntry[]> {
  const budget = new RequestBudget(REPORTING_LIMIT, options.now, options.sleep);
  const clauses = [`jobId eq '${options.jobId.replace(/'/g, "''")}'`];
  if (options.since) clauses.push(`activityDateTime gt ${options.since}`);
  if (options.until) clauses.push(`activityDateTime lt ${options.until}`);
  let next: string | null = `/auditLogs/provisioning?$filter=${encodeURIComponent(clauses.join(' and '))}`;
  const entries: LogEntry[] = [];
  while (next) {
    await budget.turn(options.signal, options.onWait);
    let page: { value?: Raw[]; '@odata.nextLink'?: string };
    try {
      page = await client.request('GET', next, { signal: options.signal, onWait: options.onWait });
    } catch (error) {
      throw explainDenied(error, 'provisioningLogs');
    }
    const read = (page.value ?? []).map(entryOfSummary);
    entries.push(...read);
    options.onPage?.(read);
    next = page['@odata.nextLink'] ?? null;
  }
  return entries;
}
