/**
 * A small tenant for the "check against Microsoft" tests: a mapping set with expression and direct rows, users that
 * cover what breaks expressions, and the fake Graph serving the job, its schema and the checks' answers.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../../../electron/cli.ts';
import type { CliIO } from '../../../electron/cli/command.ts';
import type { GraphUser } from '../../../shared/directory/graph-to-source.ts';
import { startFakeGraph, type FakeGraph } from '../../support/fake-graph/server.ts';
import { DOCUMENTED_REPLACE_EXPRESSION, documentedReplaceAnswer, evaluated, synchronizationJob, type SynchronizationChecksData } from '../../support/fake-graph/synchronization-checks.ts';

export const SERVICE_PRINCIPAL_ID = '6cc35b93-185a-4485-a519-50c09549f3ad';
export const JOB_ID = 'scim.74beb1753b704b63b8d56f0b76082b16.6cc35b93185a4485a51950c09549f3ad';

export const ACTIVE_EXPRESSION = 'Switch([IsSoftDeleted], , "False", "True", "True", "False")';
export const DISPLAY_NAME_EXPRESSION = 'Join(" ", [givenName], [surname])';

const attribute = (name: string, type = 'String', multivalued = false) => ({ name, type, multivalued, anchor: false, caseExact: false, flowNullValues: false, mutability: 'ReadWrite', required: false, metadata: [], referencedObjects: [] });
const direct = (target: string, source: string, matchingPriority = 0) => ({
  targetAttributeName: target,
  source: { type: 'Attribute', name: source, expression: `[${source}]`, parameters: [] },
  matchingPriority,
  defaultValue: null,
  flowType: 'Always',
  flowBehavior: 'FlowWhenChanged',
});
const expression = (target: string, text: string) => ({
  targetAttributeName: target,
  source: { type: 'Function', name: text.slice(0, text.indexOf('(')), expression: text, parameters: [] },
  matchingPriority: 0,
  defaultValue: null,
  flowType: 'Always',
  flowBehavior: 'FlowWhenChanged',
});

/** A job schema in Graph's shape; `rows` overrides the expression of a target attribute. */
export function mappingSet(rows: Record<string, string> = {}): Record<string, unknown> {
  const mappings = [
    direct('userName', 'userPrincipalName', 1),
    expression('active', rows.active ?? ACTIVE_EXPRESSION),
    expression('displayName', rows.displayName ?? DISPLAY_NAME_EXPRESSION),
    expression('preferredLanguage', rows.preferredLanguage ?? DOCUMENTED_REPLACE_EXPRESSION),
    direct('emails[type eq "work"].value', 'mail'),
  ];
  for (const [target, text] of Object.entries(rows)) if (!mappings.some((m) => m.targetAttributeName === target)) mappings.push(expression(target, text));
  return {
    id: JOB_ID,
    version: 'Date:2026-11-01T00:00:00Z~V2',
    directories: [
      {
        id: 'aad',
        name: 'Azure Active Directory',
        objects: [{ name: 'User', attributes: ['objectId', 'userPrincipalName', 'givenName', 'surname', 'mail', 'preferredLanguage', 'jobTitle'].map((n) => attribute(n)).concat([attribute('IsSoftDeleted', 'Boolean'), attribute('accountEnabled', 'Boolean')]), metadata: [] }],
      },
      {
        id: 'target',
        name: 'customappsso',
        objects: [{ name: 'User', attributes: [attribute('userName'), attribute('active', 'Boolean'), attribute('displayName'), attribute('preferredLanguage'), attribute('emails[type eq "work"].value'), attribute('title')], metadata: [] }],
      },
    ],
    synchronizationRules: [
      {
        id: 'USER_OUTBOUND',
        name: 'USER_OUTBOUND',
        sourceDirectoryName: 'Azure Active Directory',
        targetDirectoryName: 'customappsso',
        objectMappings: [{ name: 'Provision Azure Active Directory Users', enabled: true, flowTypes: 'Add, Update, Delete', sourceObjectName: 'User', targetObjectName: 'User', scope: null, attributeMappings: mappings }],
      },
    ],
  };
}

/** Alice (ordinary, has a manager), Bob (#EXT# guest, no surname or language), Chloé (disabled, non-ASCII). */
export const USERS: GraphUser[] = [
  { id: 'a1111111-0000-4000-8000-000000000001', userPrincipalName: 'alice@contoso.com', givenName: 'Alice', surname: 'Smith', mail: 'alice@contoso.com', preferredLanguage: 'EN-US', accountEnabled: true, jobTitle: 'Engineer', manager: { id: 'b2222222-0000-4000-8000-000000000002' } },
  { id: 'b2222222-0000-4000-8000-000000000002', userPrincipalName: 'bob_fabrikam.com#EXT#@contoso.onmicrosoft.com', userType: 'Guest', givenName: 'Bob', surname: null, mail: 'bob@fabrikam.com', preferredLanguage: null, accountEnabled: true, jobTitle: null },
  { id: 'c3333333-0000-4000-8000-000000000003', userPrincipalName: 'chloe@contoso.com', givenName: 'Chloé', surname: 'Dupré', mail: 'chloe@contoso.com', preferredLanguage: 'fr-FR', accountEnabled: false, jobTitle: 'Directrice' },
] as GraphUser[];

/** Entra's answers that agree with what the preview computes for these users, read off the test input. */
export function agreeingAnswers(): NonNullable<SynchronizationChecksData['parseExpression']> {
  return {
    [ACTIVE_EXPRESSION]: (input) => evaluated([input.properties.get('IsSoftDeleted') === 'true' ? 'False' : 'True']),
    [DISPLAY_NAME_EXPRESSION]: (input) => evaluated([[input.properties.get('givenName'), input.properties.get('surname')].filter((v) => v !== undefined).join(' ')]),
    [DOCUMENTED_REPLACE_EXPRESSION]: documentedReplaceAnswer,
    '[userPrincipalName]': (input) => evaluated([String(input.properties.get('userPrincipalName'))]),
    '[mail]': (input) => evaluated([String(input.properties.get('mail'))]),
  };
}

/** The fake Graph of the app's panels and e2e: the Contoso enterprise app (tagged as one) with its active job and schema. */
export function contosoEnterpriseApp(checks: SynchronizationChecksData): Parameters<typeof startFakeGraph>[0] {
  return {
    users: USERS,
    servicePrincipals: [{ id: SERVICE_PRINCIPAL_ID, appId: '8adf8e6e-67b2-4cf2-a259-e3dc5476c621', displayName: 'Contoso', tags: ['WindowsAzureActiveDirectoryIntegratedApp'] }],
    synchronizationJobs: { [SERVICE_PRINCIPAL_ID]: [synchronizationJob(JOB_ID, 'Active')] },
    synchronizationSchemas: { [JOB_ID]: mappingSet() },
    synchronizationChecks: checks,
  };
}

export interface Tenant {
  graph: FakeGraph;
  checks: SynchronizationChecksData;
  dir: string;
  mappingsFile: string;
  usersFile: string;
  /** the sign-in and job flags every command takes */
  graphFlags: string[];
}

interface TenantOptions {
  job?: Record<string, unknown>;
  /** instead of the one Contoso app */
  servicePrincipals?: Record<string, unknown>[];
  /** more jobs, per service principal id */
  jobs?: Record<string, Record<string, unknown>[]>;
}

export async function startTenant(dir: string, options: TenantOptions = {}): Promise<Tenant> {
  const checks: SynchronizationChecksData = { parseExpression: agreeingAnswers() };
  const graph = await startFakeGraph({
    users: USERS,
    servicePrincipals: options.servicePrincipals ?? [{ id: SERVICE_PRINCIPAL_ID, appId: '8adf8e6e-67b2-4cf2-a259-e3dc5476c621', displayName: 'Contoso' }],
    synchronizationJobs: { [SERVICE_PRINCIPAL_ID]: [options.job ?? synchronizationJob(JOB_ID, 'Active')], ...options.jobs },
    synchronizationSchemas: { [JOB_ID]: mappingSet() },
    synchronizationChecks: checks,
  });
  const mappingsFile = join(dir, 'mappings.json');
  const usersFile = join(dir, 'users.json');
  writeFileSync(mappingsFile, JSON.stringify(mappingSet()));
  writeFileSync(usersFile, JSON.stringify({ value: USERS }));
  return {
    graph,
    checks,
    dir,
    mappingsFile,
    usersFile,
    graphFlags: ['--access-token', graph.accessToken, '--graph-base-url', graph.baseUrl, '--service-principal', SERVICE_PRINCIPAL_ID, '--job', JOB_ID],
  };
}

/** Runs the CLI in this process, as an admin would run it, and keeps what it printed. */
export async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { out: (text) => (stdout += `${text}\n`), err: (text) => (stderr += `${text}\n`), stdin: Readable.from([]), env: {} };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
