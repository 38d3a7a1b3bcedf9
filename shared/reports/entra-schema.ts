import { exportMappingSet, withTenantUrl, type MappingSet } from '../mapping/model.ts';

/**
 * The mapping set as the body of Graph's "Update synchronizationSchema" call. The set already IS a synchronization
 * schema (Microsoft Graph "synchronizationSchema resource type"); only the app's own tenant-URL annotation is dropped,
 * because Graph keeps the tenant URL in the job's secrets (BaseAddress), not in the schema.
 */
export function entraSchemaJson(set: MappingSet): string {
  return `${JSON.stringify(withTenantUrl(exportMappingSet(set), null), null, 2)}\n`;
}

/**
 * How to apply it (Microsoft Graph "Update synchronizationSchema"): a full replacement that answers 204 and starts a
 * new initial cycle; it needs Synchronization.ReadWrite.All and an Application Administrator (or Cloud Application
 * Administrator) role for the signed-in user.
 */
export const GRAPH_APPLY_CALL = 'PUT https://graph.microsoft.com/v1.0/servicePrincipals/{servicePrincipalId}/synchronization/jobs/{jobId}/schema';

export function graphApplyInstructions(fileName = 'schema.json'): string {
  return [
    `Apply with Microsoft Graph: ${GRAPH_APPLY_CALL}`,
    `  Content-Type: application/json, body: the file ${fileName}.`,
    '  Find the ids with GET /servicePrincipals?$filter=displayName eq \'…\' and GET /servicePrincipals/{id}/synchronization/jobs.',
    '  The PUT replaces the whole schema (answers 204 No Content) and restarts provisioning with an initial cycle.',
    '  Permission: Synchronization.ReadWrite.All; role: Application Administrator or Cloud Application Administrator.',
    `  e.g. az rest --method put --url "https://graph.microsoft.com/v1.0/servicePrincipals/{servicePrincipalId}/synchronization/jobs/{jobId}/schema" --body @${fileName} --headers Content-Type=application/json`,
  ].join('\n');
}
