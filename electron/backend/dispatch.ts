import { z } from 'zod';
import { describeIssues, isMethodName, methods, type ApiError, type ApiErrorCode, type Envelope, type Handlers } from '../../shared/api.ts';
import { WorkspaceError } from './workspace/db.ts';

/** A failure the admin can act on; its message is shown as is. */
export class UserFacingError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The single path every call takes, whichever door it came through: name checked, input validated
 * with the method's schema, handler run, answer wrapped in the envelope. Internal errors are
 * reported without stack traces (they may carry tenant data) and logged on the backend.
 */
export async function dispatch(handlers: Handlers, name: string, input: unknown): Promise<Envelope<unknown>> {
  if (!isMethodName(name)) return fail({ code: 'unknown-method', message: `There is no API method "${name}"` });
  const spec = methods[name];
  const parsed = spec.input.safeParse(input ?? {});
  if (!parsed.success) {
    return fail({ code: 'invalid-input', message: `${name}: ${describeIssues(parsed.error)}` });
  }
  try {
    const handler = handlers[name] as (input: unknown) => unknown;
    const value = await handler(parsed.data);
    return { ok: true, value };
  } catch (error) {
    if (error instanceof UserFacingError) return fail({ code: error.code, message: error.message });
    if (error instanceof WorkspaceError) return fail({ code: 'workspace', message: error.message });
    if (error instanceof z.ZodError) return fail({ code: 'invalid-input', message: describeIssues(error) });
    console.error(`[backend] ${name} failed:`, error);
    return fail({ code: 'internal', message: `${name} failed: ${(error as Error).message}` });
  }
}

function fail(error: ApiError): Envelope<never> {
  return { ok: false, error };
}
