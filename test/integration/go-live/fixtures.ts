/**
 * A live job schema with more than the app models (a group mapping, settings Graph keeps that the app has no field
 * for), the plan that changes its user mapping, and a CLI io that records what it prints.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { CliIO } from '../../../electron/cli/command.ts';
import { DEMO_SYNC_JOB_ID, demoGraphData, demoSynchronizationSchema } from '../../support/fake-graph/demo-data.ts';
import type { FakeGraphData } from '../../support/fake-graph/server.ts';

export const JOB_ID = DEMO_SYNC_JOB_ID;

type Json = Record<string, unknown>;
type Rule = { objectMappings: Json[] } & Json;

/** The demo job's schema plus a Groups object mapping and properties the app does not model. */
export function liveSchema(): Json {
  const schema = demoSynchronizationSchema() as Json & { synchronizationRules: Rule[] };
  schema['@odata.context'] = 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals/synchronization/jobs/schema/$entity';
  const rule = schema.synchronizationRules[0]!;
  rule.unmodelledRuleSetting = { containerFilter: { includedContainers: ['OU=Sales'] }, flags: [1, 2, 3] };
  rule.objectMappings.push({
    name: 'Provision Azure Active Directory Groups',
    enabled: true,
    flowTypes: 'Add, Update, Delete',
    sourceObjectName: 'Group',
    targetObjectName: 'urn:ietf:params:scim:schemas:core:2.0:Group',
    scope: null,
    metadata: [{ key: 'Unmodelled', value: 'kept as it came' }],
    attributeMappings: [
      { targetAttributeName: 'displayName', source: { type: 'Attribute', name: 'displayName', expression: '[displayName]', parameters: [] }, matchingPriority: 1, flowType: 'Always' },
      { targetAttributeName: 'members', source: { type: 'Attribute', name: 'members', expression: '[members]', parameters: [] }, matchingPriority: 0, flowType: 'Always' },
    ],
  });
  // A second rule for another target the plan never mentions.
  schema.synchronizationRules.push({
    id: 'f0000000-0000-4000-8000-00000000bbbb',
    name: 'USER_OUTBOUND_LEGACY',
    editable: false,
    priority: 2,
    sourceDirectoryName: 'Azure Active Directory',
    targetDirectoryName: 'legacy',
    metadata: [{ key: 'disableMonitoringForChanges', value: 'true' }],
    objectMappings: [],
  });
  return schema;
}

/** The plan: only the user mapping, with one row changed, one removed, one added, and a scoping filter. */
export function planSchema(scopeDepartment: string | null = null): Json {
  const schema = demoSynchronizationSchema() as Json & { synchronizationRules: Rule[] };
  const users = schema.synchronizationRules[0]!.objectMappings[0]! as Json & { attributeMappings: Json[] };
  users.attributeMappings = users.attributeMappings.filter((row) => row.targetAttributeName !== 'name.familyName');
  const givenName = users.attributeMappings.find((row) => row.targetAttributeName === 'name.givenName')!;
  givenName.source = { type: 'Function', name: 'Coalesce', expression: 'Coalesce([givenName], [displayName])', parameters: [] };
  users.attributeMappings.push({
    targetAttributeName: 'displayName',
    source: { type: 'Attribute', name: 'displayName', expression: '[displayName]', parameters: [] },
    matchingPriority: 0,
    flowType: 'Always',
  });
  if (scopeDepartment !== null) {
    users.scope = {
      groups: [{ name: 'Only one department', clauses: [{ operatorName: 'EQUALS', sourceOperandName: 'department', targetOperand: { values: [scopeDepartment] } }] }],
    };
  }
  schema['@scimPlanner.tenantUrl'] = 'https://vendor.example/scim/v2';
  return schema;
}

export function graphData(count?: number): FakeGraphData & { servicePrincipalId: string } {
  const data = demoGraphData(count);
  const servicePrincipalId = (data.servicePrincipals![0] as { id: string }).id;
  return { ...data, synchronizationSchemas: { [JOB_ID]: liveSchema() }, servicePrincipalId };
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

export function recordingIO(): { io: CliIO; out: string[]; err: string[]; text: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => void out.push(t), err: (t) => void err.push(t), stdin: Readable.from([]), env: {} };
  return { io, out, err, text: () => [...out, ...err].join('\n') };
}
