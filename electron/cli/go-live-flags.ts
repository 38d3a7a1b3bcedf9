/**
 * What `apply`, `rollback` and `canary` share: the job flags beside the sign-in flags, the confirmation line that names
 * tenant, app and job, and how a Graph failure becomes an exit code.
 */
import { GraphRequestError } from '../backend/directory/graph-client.ts';
import type { JobTarget } from '../backend/go-live/go-live.ts';
import { WorkspaceError } from '../backend/workspace/db.ts';
import type { JobRef } from '../backend/go-live/job-api.ts';
import { EXIT_PROBLEMS, EXIT_USAGE, UsageError, type CliIO } from './command.ts';
import { GRAPH_SIGN_IN_OPTIONS, signInExitCode } from './graph-sign-in.ts';

export const JOB_OPTIONS = {
  ...GRAPH_SIGN_IN_OPTIONS,
  'service-principal': { type: 'string' },
  job: { type: 'string' },
  yes: { type: 'boolean', default: false },
  workspace: { type: 'string' },
} as const;

export const JOB_USAGE = `  --service-principal ID  the enterprise app's service principal object id
  --job ID                the provisioning job id (GET /servicePrincipals/{id}/synchronization/jobs)
  --workspace FILE        the workspace that keeps schema backups (default: the app's default workspace)`;

export function jobRefFrom(values: { 'service-principal'?: string | undefined; job?: string | undefined }): JobRef {
  if (!values['service-principal']) throw new UsageError('--service-principal ID is required (the enterprise app\'s object id)');
  if (!values.job) throw new UsageError('--job ID is required (the provisioning job id)');
  return { servicePrincipalId: values['service-principal'], jobId: values.job };
}

/** The words every confirmation carries: which tenant, which app, which job. */
export function targetLine(target: JobTarget): string {
  return `tenant ${target.tenant}, app ${target.appName ?? '(unnamed)'} (service principal ${target.servicePrincipalId}), job ${target.jobId}`;
}

/** A refused sign-in or a job Graph does not know is bad input (2); any other Graph failure is a failed run (1). */
export function graphFailureExit(error: unknown, io: CliIO, command: string): number {
  const signIn = signInExitCode(error, io);
  if (signIn !== null) return signIn;
  // Bad input the dispatcher words and answers with 2: usage, and a workspace file that is not one.
  if (error instanceof UsageError || error instanceof WorkspaceError) throw error;
  io.err(`${command} failed: ${(error as Error).message}`);
  if (error instanceof GraphRequestError && (error.status === 404 || error.status === 400)) return EXIT_USAGE;
  return EXIT_PROBLEMS;
}
