/**
 * One call of Microsoft Graph "synchronizationSchema: parseExpression": the request built from a source user the way
 * the documented sample writes it, and the answer read back. parseExpression evaluates and changes nothing in the
 * tenant; it is a read sent as POST, so the Graph client may repeat it after a 503.
 */
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { findObjectMapping, importMappingSet, indexAttributeDefinitions, targetAttributeList, type MappingSet } from '../../../shared/mapping/model.ts';
import type { AttributeDefinition } from '../../../shared/mapping/schema.ts';
import { GraphRequestError, type GraphClient } from '../directory/graph-client.ts';
import { explainDenied } from './permissions.ts';

/** A test input property: `{key, value}`, a multi-valued one with its collection type (the documented sample). */
type TestInputProperty = { key: string; value: string } | { key: string; 'value@odata.type': '#Collection(String)'; value: string[] };

interface ParseExpressionRequest {
  expression: string;
  testInputObject: { definition: unknown; properties: TestInputProperty[] };
  targetAttributeDefinition: AttributeDefinition | null;
}

/** Graph's parseExpressionResponse, the parts the check reads. */
export interface ParseExpressionResponse {
  parsingSucceeded: boolean;
  evaluationSucceeded: boolean;
  evaluationResult: string[] | null;
  error: { code?: string; message?: string } | null;
}

/** What the job's schema says about the user object on each side: the source object definition, the target attributes. */
export interface JobDefinitions {
  sourceObject: unknown;
  targetAttributes: ReadonlyMap<string, AttributeDefinition>;
}

/** The definitions from a synchronization schema (the job's, as GET …/jobs/{id}/schema returns it). */
export function jobDefinitionsOf(schema: MappingSet): JobDefinitions {
  const located = findObjectMapping(schema, 'User');
  if (!located) return { sourceObject: null, targetAttributes: new Map() };
  const sourceDirectory = schema.directories?.find((d) => d.name === located.rule.sourceDirectoryName);
  const sourceObject = sourceDirectory?.objects?.find((o) => o.name.toLowerCase() === located.objectMapping.sourceObjectName.toLowerCase()) ?? null;
  return { sourceObject, targetAttributes: indexAttributeDefinitions(targetAttributeList(schema, located)) };
}

/**
 * The user's source attributes as test input properties. Null is the absence of the attribute (Microsoft Learn
 * "Reference for writing expressions for attribute mappings", IsNull), so it is left out; Booleans are written
 * "true"/"false" as in the documented sample.
 */
function testInputProperties(source: SourceObject): TestInputProperty[] {
  const properties: TestInputProperty[] = [];
  for (const [key, value] of Object.entries(source)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) properties.push({ key, 'value@odata.type': '#Collection(String)', value: value.map(String) });
    else properties.push({ key, value: typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value) });
  }
  return properties;
}

export function parseExpressionRequest(expression: string, source: SourceObject, targetAttribute: string, definitions: JobDefinitions): ParseExpressionRequest {
  return {
    expression,
    testInputObject: { definition: definitions.sourceObject, properties: testInputProperties(source) },
    targetAttributeDefinition: definitions.targetAttributes.get(targetAttribute.toLowerCase()) ?? null,
  };
}

export function jobPath(servicePrincipalId: string, jobId: string): string {
  return `/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/synchronization/jobs/${encodeURIComponent(jobId)}`;
}

export async function callParseExpression(
  client: GraphClient,
  job: { servicePrincipalId: string; jobId: string },
  request: ParseExpressionRequest,
  options: { signal?: AbortSignal; onWait?: (seconds: number) => void } = {},
): Promise<ParseExpressionResponse> {
  const answer = await client.request<Partial<ParseExpressionResponse>>('POST', `${jobPath(job.servicePrincipalId, job.jobId)}/schema/parseExpression`, {
    body: request,
    repeatable: true,
    ...options,
  });
  return {
    parsingSucceeded: answer?.parsingSucceeded === true,
    evaluationSucceeded: answer?.evaluationSucceeded === true,
    evaluationResult: Array.isArray(answer?.evaluationResult) ? answer.evaluationResult.map(String) : null,
    error: answer?.error ?? null,
  };
}

/**
 * The definitions parseExpression is given come from the job's schema as Entra holds it; a job whose schema cannot be
 * read as one (or a stand-in without it) falls back to the directories the mapping set carries.
 */
export async function readJobDefinitions(client: GraphClient, job: { servicePrincipalId: string; jobId: string }, fallback: MappingSet, signal?: AbortSignal): Promise<{ definitions: JobDefinitions; schema: MappingSet | null }> {
  let raw: unknown;
  try {
    raw = await client.request('GET', `${jobPath(job.servicePrincipalId, job.jobId)}/schema`, { signal });
  } catch (error) {
    if (error instanceof GraphRequestError && error.status === 404) return { definitions: jobDefinitionsOf(fallback), schema: null };
    throw explainDenied(error, 'job');
  }
  const imported = importMappingSet(raw);
  if (!imported.ok) return { definitions: jobDefinitionsOf(fallback), schema: null };
  const definitions = jobDefinitionsOf(imported.set);
  return { definitions: definitions.sourceObject ? definitions : jobDefinitionsOf(fallback), schema: imported.set };
}
