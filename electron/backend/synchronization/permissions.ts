/**
 * What each "check against Microsoft" call needs, in the words an admin acts on (Microsoft Graph "synchronizationSchema:
 * parseExpression", "Get synchronizationJob" and "List provisioningObjectSummary": their permissions and roles), and
 * the error a 403 becomes. docs/tenant-setup.md lists the same.
 */
import { GraphRequestError } from '../directory/graph-client.ts';

type CheckFeature = 'parseExpression' | 'job' | 'provisioningLogs';

const NEEDS: Record<CheckFeature, string> = {
  parseExpression:
    'The expression check needs the delegated permission Synchronization.ReadWrite.All, and the signed-in user needs the ' +
    'Application Administrator or Cloud Application Administrator role. parseExpression only evaluates the expression ' +
    'against the test user it is given: it changes nothing in the tenant.',
  job:
    'Reading the provisioning job needs the delegated permission Synchronization.Read.All (or Synchronization.ReadWrite.All), ' +
    'and the signed-in user needs the Application Administrator or Cloud Application Administrator role. It is a read: it ' +
    'changes nothing in the tenant.',
  provisioningLogs:
    'Reading the provisioning logs needs the delegated permission AuditLog.Read.All, and the signed-in user needs a role ' +
    'that may read them (Reports Reader, Security Reader, Application Administrator or Cloud Application Administrator). ' +
    'It is a read: it changes nothing in the tenant. Or download the logs in the portal (Monitoring & health > Provisioning ' +
    'logs > Download) and import the file (`logs --file` on the command line).',
};

/** Graph refused the call for lack of permission or role: says what is needed. */
export class CheckPermissionError extends Error {
  override readonly name = 'CheckPermissionError';
  constructor(
    readonly feature: CheckFeature,
    detail: string,
  ) {
    super(`Microsoft Graph refused the call (403: ${detail}). ${NEEDS[feature]}`);
  }
}

/** A 403 becomes a CheckPermissionError; anything else is returned as it was. */
export function explainDenied(error: unknown, feature: CheckFeature): unknown {
  if (error instanceof GraphRequestError && error.status === 403) return new CheckPermissionError(feature, `${error.code}`);
  return error;
}
