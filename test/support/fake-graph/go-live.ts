/**
 * The go-live part of the fake Graph: a job's synchronization schema as a stored document (GET returns what the last
 * PUT sent), POST start and restart, and provisionOnDemand with its answer in the documented wire format: a
 * stringKeyStringValuePair whose key and value are JSON *strings* (Microsoft Graph "synchronizationJob:
 * provisionOnDemand", Example 1; a group with its members in links.members: Example 3). Answers are built from those
 * documented samples, never from the app's engine.
 */
import { GraphHttpError } from './server.ts';

/** What the on-demand answer for one user says; the test writes it, as Entra would have computed it. */
export interface OnDemandOutcome {
  /** "Success", "Failure", "Skipped" (the key's `result`) */
  result: string;
  /** the value's `action`: "Create", "Update", "Delete", "Other" */
  action: string;
  /** target attribute → value exported (stringified as Entra logs them) */
  exported?: Record<string, string | null>;
  /** for result "Failure": the key's details */
  error?: { errorCode: string; errorMessage: string };
}

export interface GoLiveFake {
  /** the schema each job holds now (initialised from FakeGraphData.synchronizationSchemas) */
  readonly schemas: Map<string, Record<string, unknown>>;
  /** every PUT body as received (parsed), in order */
  readonly schemaPuts: { jobId: string; body: Record<string, unknown> }[];
  /** when set, the next PUTs store the schema without the row with this target attribute (a lossy Graph) */
  dropRowOnPut: string | null;
  readonly starts: string[];
  readonly restarts: { jobId: string; body: unknown }[];
  readonly onDemandCalls: { jobId: string; body: unknown; at: number }[];
  /** per user or group object id; an object without an entry gets a 400 like Graph's for an unknown subject */
  onDemand: Map<string, OnDemandOutcome>;
  /** the clock the 5-calls-per-10-seconds limit reads (injectable for tests) */
  now: () => number;
  /** what GET /organization lists */
  organization: { id: string; displayName: string; verifiedDomains: { name: string; isDefault: boolean }[] };
}

/** Graph's documented limit for provisionOnDemand: 5 requests per 10 seconds. */
const ON_DEMAND_WINDOW_MS = 10_000;
const ON_DEMAND_CALLS_PER_WINDOW = 5;
/** The resetScope values of synchronizationJobRestartCriteria (Microsoft Graph "synchronizationJobRestartCriteria"). */
const RESET_SCOPES = new Set(['Watermark', 'Escrows', 'QuarantineState', 'Full', 'ForceDeletes', 'ConnectorDataStore']);

export function createGoLiveFake(schemas: Readonly<Record<string, Record<string, unknown>>> = {}): GoLiveFake {
  return {
    schemas: new Map(Object.entries(schemas).map(([id, schema]) => [id, structuredClone(schema)])),
    schemaPuts: [],
    dropRowOnPut: null,
    starts: [],
    restarts: [],
    onDemandCalls: [],
    onDemand: new Map(),
    now: Date.now,
    organization: { id: '7d3c1a52-0f6e-4a8b-9c1d-2e3f4a5b6c7d', displayName: 'Contoso', verifiedDomains: [{ name: 'contoso.example', isDefault: true }] },
  };
}

function parseBody(body: string): unknown {
  try {
    return body === '' ? {} : JSON.parse(body);
  } catch {
    throw new GraphHttpError(400, 'BadRequest', 'The request body is not valid JSON.');
  }
}

function withoutRow(schema: Record<string, unknown>, target: string): Record<string, unknown> {
  const copy = structuredClone(schema) as { synchronizationRules?: { objectMappings?: { attributeMappings?: { targetAttributeName: string }[] }[] }[] };
  for (const rule of copy.synchronizationRules ?? [])
    for (const mapping of rule.objectMappings ?? [])
      if (mapping.attributeMappings) mapping.attributeMappings = mapping.attributeMappings.filter((row) => row.targetAttributeName !== target);
  return copy as Record<string, unknown>;
}

function onDemandAnswer(objectId: string, objectType: string, outcome: OnDemandOutcome, at: string): Record<string, unknown> {
  const failed = outcome.result === 'Failure';
  const key = { result: outcome.result, details: outcome.error ?? {} };
  const exported = Object.entries(outcome.exported ?? {});
  const value = {
    action: outcome.action,
    changeId: `c-${objectId}`,
    startTime: at,
    endTime: at,
    modifiedProperties: exported.map(([displayName, newValue]) => ({ displayName, oldValue: null, newValue })),
    provisioningSteps: [
      { name: 'EntryImport', type: 'Import', status: 'Success', description: `Retrieved ${objectType} '${objectId}' from Azure Active Directory`, timestamp: at, details: { objectId } },
      { name: 'EntryImport', type: 'Matching', status: 'Success', description: `Retrieved '${objectId}' from customappsso`, timestamp: at, details: {} },
      {
        name: 'EntrySynchronizationScoping',
        type: 'Scoping',
        status: 'Success',
        description: `Determine if ${objectType} in scope by evaluating against each scoping filter`,
        timestamp: at,
        details: { IsActive: 'True', Assigned: 'True', IsEffectivelyEntitledForProvisioning: 'True', ScopeEvaluationResult: '{}' },
      },
      {
        name: failed ? 'EntryExportAdd' : outcome.action === 'Other' ? 'EntrySynchronizationSkip' : `EntryExport${outcome.action}`,
        type: 'Export',
        status: outcome.result,
        description: failed ? (outcome.error?.errorMessage ?? 'Export failed') : `${outcome.action} ${objectType} '${objectId}' in customappsso`,
        timestamp: at,
        details: Object.fromEntries(exported.map(([name, v]) => [name, v ?? ''])),
      },
    ],
    reportableIdentifier: objectId,
    statusInfo: { status: outcome.result, errorCode: outcome.error?.errorCode ?? null, reason: outcome.error?.errorMessage ?? null, additionalDetails: null, errorCategory: null, recommendedAction: null },
    sourceIdentity: { id: objectId, type: objectType, displayName: null, details: null },
    sourceSystem: { id: null, name: 'Azure Active Directory', details: null },
    targetIdentity: { id: failed ? null : `t-${objectId}`, type: `urn:ietf:params:scim:schemas:core:2.0:${objectType}`, displayName: null, details: null },
    targetSystem: { id: null, name: 'customappsso', details: null },
  };
  return {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.stringKeyStringValuePair',
    key: JSON.stringify(key),
    value: JSON.stringify(value),
  };
}

interface OnDemandSubject {
  objectId?: string;
  objectTypeName?: string;
  links?: { members?: { objectId?: string; objectTypeName?: string }[] };
}

/** Provision on demand takes a group with at most 5 members, each a User in links.members (Microsoft Graph Example 3). */
const GROUP_MEMBER_LIMIT = 5;

function checkGroupSubject(subject: OnDemandSubject): void {
  const members = subject.links?.members ?? [];
  if (members.length > GROUP_MEMBER_LIMIT)
    throw new GraphHttpError(400, 'BadRequest', `A group can be provisioned on demand with at most ${GROUP_MEMBER_LIMIT} members; got ${members.length}.`);
  if (members.some((m) => !m.objectId || m.objectTypeName !== 'User'))
    throw new GraphHttpError(400, 'BadRequest', 'Each of links.members needs an objectId and objectTypeName "User".');
}

type Answer = { status: number; body: string } | null;
const json = (value: unknown, status = 200) => ({ status, body: JSON.stringify(value) });

/**
 * Handles `GET /organization` (the tenant a confirmation names) and
 * `/servicePrincipals/{id}/synchronization/jobs/{jobId}/(schema|start|restart|provisionOnDemand)`; `segments` are the
 * path's segments after /v1.0. Returns null for anything else.
 */
export function routeGoLive(
  fake: GoLiveFake,
  method: string,
  segments: readonly string[],
  body: string,
  jobs: Readonly<Record<string, readonly Record<string, unknown>[]>>,
): Answer {
  if (method === 'GET' && segments.length === 1 && segments[0] === 'organization')
    return json({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#organization', value: [fake.organization] });
  const [collection, servicePrincipalId, sub, jobsSegment, jobId, action, extra] = segments;
  if (collection !== 'servicePrincipals' || sub !== 'synchronization' || jobsSegment !== 'jobs' || !jobId || !action || extra !== undefined) return null;
  if (!(jobs[servicePrincipalId!] ?? []).some((job) => job.id === jobId))
    throw new GraphHttpError(404, 'Request_ResourceNotFound', `Synchronization job '${jobId}' was not found.`);
  return routeJob(fake, method, jobId, action, body);
}

function routeJob(fake: GoLiveFake, method: string, jobId: string, action: string, body: string): Answer {
  const noContent = { status: 204, body: '' };
  if (action === 'schema') {
    if (method === 'GET') {
      const schema = fake.schemas.get(jobId);
      if (!schema) throw new GraphHttpError(404, 'Request_ResourceNotFound', `No schema for job '${jobId}'.`);
      return json(schema);
    }
    if (method === 'PUT') {
      const parsed = parseBody(body);
      if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { synchronizationRules?: unknown }).synchronizationRules))
        throw new GraphHttpError(400, 'BadRequest', 'The schema must carry synchronizationRules.');
      const schema = parsed as Record<string, unknown>;
      fake.schemaPuts.push({ jobId, body: structuredClone(schema) });
      // Update synchronizationSchema fully replaces the schema and answers 204 No Content.
      fake.schemas.set(jobId, fake.dropRowOnPut ? withoutRow(schema, fake.dropRowOnPut) : structuredClone(schema));
      return noContent;
    }
    return null;
  }
  if (method !== 'POST') return null;
  if (action === 'start') {
    fake.starts.push(jobId);
    return noContent;
  }
  if (action === 'restart') {
    const parsed = parseBody(body) as { criteria?: { resetScope?: unknown } };
    const scope = parsed.criteria?.resetScope;
    if (scope !== undefined) {
      const parts = String(scope).split(',').map((p) => p.trim());
      const unknown = parts.filter((p) => !RESET_SCOPES.has(p));
      if (unknown.length > 0) throw new GraphHttpError(400, 'BadRequest', `Invalid resetScope value(s): ${unknown.join(', ')}.`);
    }
    fake.restarts.push({ jobId, body: parsed });
    return noContent;
  }
  if (action === 'provisionOnDemand') {
    const now = fake.now();
    const recent = fake.onDemandCalls.filter((c) => now - c.at < ON_DEMAND_WINDOW_MS);
    if (recent.length >= ON_DEMAND_CALLS_PER_WINDOW) {
      const wait = Math.ceil((ON_DEMAND_WINDOW_MS - (now - recent[0]!.at)) / 1000);
      throw new GraphHttpError(429, 'TooManyRequests', 'Too many requests.', { 'Retry-After': String(Math.max(1, wait)) });
    }
    const parsed = parseBody(body) as { parameters?: { ruleId?: string; subjects?: OnDemandSubject[] }[] };
    fake.onDemandCalls.push({ jobId, body: parsed, at: now });
    const subject = parsed.parameters?.[0]?.subjects?.[0];
    if (!parsed.parameters?.[0]?.ruleId || !subject?.objectId)
      throw new GraphHttpError(400, 'BadRequest', 'parameters[0] needs a ruleId and one subject with an objectId.');
    const objectType = subject.objectTypeName === 'Group' ? 'Group' : 'User';
    if (objectType === 'Group') checkGroupSubject(subject);
    const outcome = fake.onDemand.get(subject.objectId);
    if (!outcome) throw new GraphHttpError(400, 'BadRequest', `The object '${subject.objectId}' was not found in the source directory.`);
    return json(onDemandAnswer(subject.objectId, objectType, outcome, new Date(now).toISOString()));
  }
  return null;
}
