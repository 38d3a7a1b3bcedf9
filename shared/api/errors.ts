import { z } from 'zod';

/**
 * Every code a failed API answer can carry, declared once: the backend raises them, the doors (the IPC
 * guard in main.ts, the browser-mode bridge) refuse with them, and the renderer branches on them.
 */
export const ApiErrorCode = z.enum([
  // the dispatcher: every door's calls pass through it
  'unknown-method',
  'invalid-input',
  'workspace',
  'internal',
  // the handlers, for things the admin can act on
  'not-found',
  'busy',
  'cancelled',
  'unavailable',
  'sign-in-required',
  'sign-in-failed',
  'invalid-target',
  'invalid-mappings',
  'not-fixable',
  'confirmation-required',
  'mock-server-stopped',
  'port-in-use',
  // the doors themselves, before a call reaches the dispatcher
  'forbidden',
  'forbidden-host',
  'forbidden-origin',
  'unauthorized',
  'method-not-allowed',
  'unsupported-media-type',
  'payload-too-large',
  'invalid-json',
  'invalid-path',
  // the renderer: the bridge answered without an envelope (a proxy, a crashed backend)
  'no-envelope',
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCode>;

/** Why a call failed: a machine-readable code and a message that says what went wrong and what to do. */
export interface ApiError {
  code: ApiErrorCode;
  message: string;
}
