/**
 * What `verify`, `logs` and `job` share: the provisioning job flags, Ctrl+C as a cancel, and how a failed Graph call
 * becomes an exit code (a refused token is 2, "sign in again"; anything else Graph refused is 1 with the reason).
 */
import { CheckPermissionError } from '../backend/synchronization/permissions.ts';
import { EXIT_PROBLEMS, UsageError, type CliIO } from './command.ts';
import { signInExitCode } from './graph-sign-in.ts';

export const JOB_OPTIONS = {
  'service-principal': { type: 'string' },
  job: { type: 'string' },
  format: { type: 'string' },
} as const;

export const JOB_USAGE = `  --service-principal ID  the enterprise app's service principal object id
  --job ID                the provisioning job's id (GET /servicePrincipals/{id}/synchronization/jobs)`;

export function jobOf(values: { 'service-principal'?: string; job?: string }): { servicePrincipalId: string; jobId: string } {
  if (!values['service-principal']) throw new UsageError('--service-principal ID is required (the enterprise app\'s service principal object id)');
  if (!values.job) throw new UsageError('--job ID is required (the provisioning job\'s id)');
  return { servicePrincipalId: values['service-principal'], jobId: values.job };
}

export function formatOf(values: { format?: string }): 'json' | 'table' {
  const format = values.format ?? 'json';
  if (format !== 'json' && format !== 'table') throw new UsageError(`--format must be json or table, got "${format}"`);
  return format;
}

/** Runs a command that calls Graph: Ctrl+C aborts the signal; Graph failures are worded and mapped to exit codes. */
export async function withGraphCall(io: CliIO, commandName: string, body: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const controller = new AbortController();
  const onInterrupt = () => {
    io.err('Cancelling...');
    controller.abort();
  };
  process.once('SIGINT', onInterrupt);
  try {
    return await body(controller.signal);
  } catch (error) {
    const signInExit = signInExitCode(error, io);
    if (signInExit !== null) return signInExit;
    if (error instanceof UsageError) throw error;
    io.err(error instanceof CheckPermissionError ? error.message : `${commandName} failed: ${(error as Error).message}`);
    return EXIT_PROBLEMS;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}
