/**
 * The fake Graph's answers for "check against Microsoft" (issue 14): parseExpression, the provisioning logs and the
 * job's health, in the wire format of Microsoft Graph v1.0 ("synchronizationSchema: parseExpression",
 * "List provisioningObjectSummary", "Get synchronizationJob"), built from those pages' samples.
 *
 * parseExpression never evaluates anything: a test gives a table of expression → answer (a fixed answer, or one read
 * off the test input's properties), so a test decides where Entra agrees with the preview and where it does not.
 */

/** Graph's parseExpressionResponse (error is a publicError: code and message). */
export interface ParseExpressionAnswer {
  parsingSucceeded: boolean;
  evaluationSucceeded: boolean;
  evaluationResult: string[] | null;
  error: { code: string; message: string } | null;
  parsedExpression?: Record<string, unknown> | null;
}

/** What the fake received in one parseExpression call, with the test input's properties by key. */
export interface ParseExpressionInput {
  expression: string;
  properties: ReadonlyMap<string, string | readonly string[]>;
  definition: unknown;
  targetAttributeDefinition: unknown;
}

export type ParseExpressionRule = ParseExpressionAnswer | ((input: ParseExpressionInput) => ParseExpressionAnswer);

export interface SynchronizationChecksData {
  /** parseExpression's answers by exact expression text; an expression not listed gets a parse error */
  parseExpression?: Record<string, ParseExpressionRule>;
  /** every parseExpression call, in order (for assertions) */
  parseExpressionCalls?: ParseExpressionInput[];
  /** provisioningObjectSummary objects, newest first as Graph lists them */
  provisioningLogs?: Record<string, unknown>[];
  /** entries per page of /auditLogs/provisioning (default 50) */
  provisioningLogPageSize?: number;
  /** answer 403 Authorization_RequestDenied to these calls, as Graph does without the permission or role */
  denied?: ReadonlyArray<'parseExpression' | 'provisioningLogs' | 'job'>;
}

type Routed = { status: number; body: string } | { status: number; error: { code: string; message: string } };

export function evaluated(values: readonly string[]): ParseExpressionAnswer {
  return { parsingSucceeded: true, evaluationSucceeded: true, evaluationResult: [...values], error: null };
}

/** An expression Entra cannot parse: nothing is evaluated. */
export function parseError(message: string): ParseExpressionAnswer {
  return { parsingSucceeded: false, evaluationSucceeded: false, evaluationResult: null, error: { code: 'ExpressionParsingFailed', message }, parsedExpression: null };
}

/** An expression that parses but fails on this test input. */
export function evaluationError(message: string): ParseExpressionAnswer {
  return { parsingSucceeded: true, evaluationSucceeded: false, evaluationResult: null, error: { code: 'ExpressionEvaluationFailed', message } };
}

/** `[attribute]` as Entra answers it: the property's value from the test input, or no value. */
export function attributeValue(attribute: string, transform: (value: string) => string = (value) => value): (input: ParseExpressionInput) => ParseExpressionAnswer {
  return (input) => {
    const value = input.properties.get(attribute);
    if (value === undefined) return evaluated([]);
    return evaluated((Array.isArray(value) ? value : [value as string]).map(transform));
  };
}

/** The documented sample: Replace([preferredLanguage], "-", , , "_", , ) on preferredLanguage "EN-US" gives ["EN_US"]. */
export const DOCUMENTED_REPLACE_EXPRESSION = 'Replace([preferredLanguage], "-", , , "_", , )';
export const documentedReplaceAnswer = attributeValue('preferredLanguage', (value) => value.split('-').join('_'));

/** every synchronizationStatusCode (Microsoft Graph "synchronizationStatus resource type") */
export const JOB_STATUS_CODES = ['NotConfigured', 'NotRun', 'Active', 'Paused', 'Quarantine'] as const;
export type JobStatusCode = (typeof JOB_STATUS_CODES)[number];

/**
 * A synchronizationJob shaped like the "Get synchronizationJob" sample, with the given status code; a Quarantine job
 * carries a synchronizationQuarantine with its reason and error, and the last execution its counts.
 */
export function synchronizationJob(id: string, code: JobStatusCode, quarantine?: { reason: string; errorCode: string; message: string }): Record<string, unknown> {
  const ran = code === 'Active' || code === 'Paused' || code === 'Quarantine';
  const lastExecution = ran
    ? {
        activityIdentifier: `${id}-run`,
        countEntitled: 40,
        countEntitledForProvisioning: 38,
        countEscrowed: code === 'Quarantine' ? 12 : 1,
        countEscrowedRaw: code === 'Quarantine' ? 12 : 1,
        countExported: 25,
        countExports: 26,
        countImported: 40,
        countImportedDeltas: 3,
        countImportedReferenceDeltas: 0,
        error: code === 'Quarantine' && quarantine ? { code: quarantine.errorCode, message: quarantine.message, tenantActionable: true } : null,
        state: code === 'Quarantine' ? 'Failed' : 'EntryLevelErrors',
        timeBegan: '2026-11-30T08:00:00Z',
        timeEnded: '2026-11-30T08:04:10Z',
      }
    : null;
  return {
    id,
    templateId: 'scim',
    schedule: { expiration: null, interval: 'PT40M', state: code === 'Active' ? 'Active' : 'Disabled' },
    status: {
      code,
      countSuccessiveCompleteFailures: code === 'Quarantine' ? 3 : 0,
      escrowsPruned: false,
      synchronizedEntryCountByType: ran ? [{ key: 'User to User', value: 25 }] : [],
      lastExecution,
      lastSuccessfulExecution: null,
      lastSuccessfulExecutionWithExports: null,
      progress: [],
      steadyStateFirstAchievedTime: '0001-01-01T00:00:00Z',
      steadyStateLastAchievedTime: '0001-01-01T00:00:00Z',
      quarantine:
        code === 'Quarantine' && quarantine
          ? {
              currentBegan: '2026-11-30T08:04:10Z',
              nextAttempt: '2026-12-01T08:04:10Z',
              reason: quarantine.reason,
              seriesBegan: '2026-11-29T08:04:10Z',
              seriesCount: 2,
              error: { code: quarantine.errorCode, message: quarantine.message, tenantActionable: true },
            }
          : null,
      troubleshootingUrl: null,
    },
    synchronizationJobSettings: [{ name: 'QuarantineTooManyDeletesThreshold', value: '500' }],
  };
}

interface LogEntryOptions {
  jobId: string;
  changeId: string;
  activityDateTime: string;
  sourceId: string;
  sourceDisplayName: string;
  action?: string;
  status: 'success' | 'skipped' | 'failure' | 'warning';
  /** target attribute → [old, new] as Entra logs them */
  modified?: Record<string, [string | null, string | null]>;
  error?: { errorCode: string; reason: string };
}

/** A provisioningObjectSummary as in "List provisioningObjectSummary" (both documented examples). */
export function provisioningLogEntry(options: LogEntryOptions): Record<string, unknown> {
  return {
    id: `log-${options.changeId}`,
    activityDateTime: options.activityDateTime,
    tenantId: '74beb175-3b80-4b63-b9d5-6f0b76082b16',
    jobId: options.jobId,
    cycleId: 'b6502552-018d-49bd-8869-a47194dc65c1',
    changeId: options.changeId,
    provisioningAction: options.action ?? 'create',
    durationInMilliseconds: 1200,
    provisioningStatusInfo: {
      status: options.status,
      errorInformation: options.error
        ? { errorCode: options.error.errorCode, reason: options.error.reason, additionalDetails: null, errorCategory: 'nonServiceFailure', recommendedAction: null }
        : null,
    },
    provisioningSteps: [
      { name: 'EntryImportAdd', provisioningStepType: 'import', status: 'success', description: `Received User '${options.sourceDisplayName}' change of type (Add) from Microsoft Entra ID`, details: {} },
    ],
    modifiedProperties: Object.entries(options.modified ?? {}).map(([displayName, [oldValue, newValue]]) => ({ displayName, oldValue, newValue })),
    servicePrincipal: { id: 'chc46a42-966b-47d7-9774-576b1c8bd0b8', displayName: 'Contoso' },
    sourceSystem: { id: '0404601d-a9c0-4ec7-bbcd-02660120d8c9', displayName: 'Azure Active Directory', details: {} },
    targetSystem: { id: 'cd22f60b-5f2d-4adb-adb4-76ef31db996b', displayName: 'Contoso', details: {} },
    initiatedBy: { id: '', displayName: 'Azure AD Provisioning Service', initiatingType: 'system' },
    sourceIdentity: { id: options.sourceId, displayName: options.sourceDisplayName, identityType: 'User', details: {} },
    targetIdentity: { id: '', displayName: '', identityType: 'User', details: {} },
  };
}

function propertiesOf(body: Record<string, unknown>): Map<string, string | readonly string[]> {
  const properties = new Map<string, string | readonly string[]>();
  const input = body.testInputObject as { properties?: { key?: unknown; value?: unknown }[] } | null | undefined;
  for (const property of input?.properties ?? []) {
    if (typeof property.key !== 'string') continue;
    const value = property.value;
    properties.set(property.key, Array.isArray(value) ? value.map(String) : String(value ?? ''));
  }
  return properties;
}

const denied = (what: string): Routed => ({
  status: 403,
  error: { code: 'Authorization_RequestDenied', message: `Insufficient privileges to complete the operation (${what}).` },
});

function parseExpression(checks: SynchronizationChecksData, body: string): Routed {
  if (checks.denied?.includes('parseExpression')) return denied('parseExpression');
  let request: Record<string, unknown>;
  try {
    request = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return { status: 400, error: { code: 'BadRequest', message: 'The request body is not JSON.' } };
  }
  if (typeof request.expression !== 'string') return { status: 400, error: { code: 'BadRequest', message: 'expression is required.' } };
  const input: ParseExpressionInput = {
    expression: request.expression,
    properties: propertiesOf(request),
    definition: (request.testInputObject as { definition?: unknown } | null)?.definition ?? null,
    targetAttributeDefinition: request.targetAttributeDefinition ?? null,
  };
  (checks.parseExpressionCalls ??= []).push(input);
  const rule = checks.parseExpression?.[input.expression];
  const answer = rule === undefined ? parseError(`The expression '${input.expression}' could not be parsed.`) : typeof rule === 'function' ? rule(input) : rule;
  return { status: 200, body: JSON.stringify({ '@odata.context': '$metadata#microsoft.graph.parseExpressionResponse', ...answer }) };
}

/** `jobId eq '…' and activityDateTime ge 2026-…` as the reporting API's $filter takes it. */
function logFilter(filter: string | null): (entry: Record<string, unknown>) => boolean {
  if (!filter) return () => true;
  const tests = filter.split(/\s+and\s+/i).map((clause) => {
    const match = /^\s*(jobId|activityDateTime)\s+(eq|ge|gt|le|lt)\s+'?([^']*?)'?\s*$/.exec(clause);
    if (!match) throw new Error(`Unsupported filter clause: ${clause}`);
    const [, field, op, value] = match as unknown as [string, 'jobId' | 'activityDateTime', string, string];
    return (entry: Record<string, unknown>) => {
      const actual = String(entry[field] ?? '');
      if (field === 'jobId') return op === 'eq' && actual === value;
      const [a, b] = [Date.parse(actual), Date.parse(value)];
      return op === 'ge' ? a >= b : op === 'gt' ? a > b : op === 'le' ? a <= b : op === 'lt' ? a < b : a === b;
    };
  });
  return (entry) => tests.every((test) => test(entry));
}

function provisioningLogs(checks: SynchronizationChecksData, query: URLSearchParams, origin: string, pathname: string): Routed {
  if (checks.denied?.includes('provisioningLogs')) return denied('auditLogs/provisioning');
  let keep: (entry: Record<string, unknown>) => boolean;
  try {
    keep = logFilter(query.get('$filter'));
  } catch (error) {
    return { status: 400, error: { code: 'BadRequest', message: (error as Error).message } };
  }
  const all = (checks.provisioningLogs ?? []).filter(keep);
  const size = Math.min(Number(query.get('$top') ?? checks.provisioningLogPageSize ?? 50), checks.provisioningLogPageSize ?? 50);
  const offset = Number(Buffer.from(query.get('$skiptoken') ?? '', 'base64url').toString('utf8') || '0');
  const page: Record<string, unknown> = { '@odata.context': `${origin}/v1.0/$metadata#auditLogs/provisioning`, value: all.slice(offset, offset + size) };
  if (offset + size < all.length) {
    const next = new URLSearchParams(query);
    next.set('$skiptoken', Buffer.from(String(offset + size)).toString('base64url'));
    page['@odata.nextLink'] = `${origin}${pathname}?${next.toString()}`;
  }
  return { status: 200, body: JSON.stringify(page) };
}

/**
 * Routes the calls above; undefined for any other path (the fake's own routes answer those). The job itself is served
 * by the fake's synchronization jobs; only its denial is decided here.
 */
export function routeSynchronizationChecks(
  checks: SynchronizationChecksData | undefined,
  method: string,
  pathname: string,
  query: URLSearchParams,
  body: string,
  origin: string,
): Routed | undefined {
  if (!checks) return undefined;
  const segments = pathname.split('/').filter(Boolean);
  if (method === 'GET' && segments[1] === 'auditLogs' && segments[2] === 'provisioning' && segments.length === 3) return provisioningLogs(checks, query, origin, pathname);
  if (segments[1] !== 'servicePrincipals' || segments[3] !== 'synchronization' || segments[4] !== 'jobs') return undefined;
  if (method === 'POST' && segments[6] === 'schema' && segments[7] === 'parseExpression') return parseExpression(checks, body);
  if (method === 'GET' && segments.length === 6 && checks.denied?.includes('job')) return denied('synchronization job');
  return undefined;
}
