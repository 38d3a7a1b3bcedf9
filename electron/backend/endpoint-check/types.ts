/**
 * What an endpoint check reports (issue 16): one step per Entra behaviour exercised against the vendor, each with the
 * request as sent (token redacted), the vendor's answer and, for a failure, what the admin can do about it.
 */
import type { ScimDialect } from '../../../shared/mapping/model.ts';
import type { JsonObject } from '../../../shared/scim/requests/target-path.ts';

export type StepOutcome = 'pass' | 'fail' | 'skip';

interface CheckRequest {
  method: string;
  url: string;
  /** Authorization is always "Bearer <redacted>" */
  headers: Record<string, string>;
  body: JsonObject | null;
}

export interface CheckStep {
  /** stable id, e.g. `user-create`, `user-disable`; a second dialect's steps end in `:aadOptscim062020` */
  id: string;
  title: string;
  outcome: StepOutcome;
  request: CheckRequest | null;
  response: { status: number | null; body: unknown } | null;
  /** pass: what was checked; fail: the Entra behaviour the vendor rejected and what to do; skip: why */
  explanation: string;
  durationMs: number;
  /** Entra's error code for the answer (provisioning logs vocabulary), null on success */
  errorCode: string | null;
}

/** A resource the run created: the only kind it ever deletes. */
export interface CreatedResource {
  resourceType: 'User' | 'Group';
  id: string;
  path: string;
  label: string;
}

interface CheckCleanup {
  deleted: CreatedResource[];
  leftOver: Array<CreatedResource & { reason: string }>;
}

export interface CheckResult {
  target: string;
  runId: string;
  mode: 'full' | 'read-only';
  dialects: ScimDialect[];
  passed: number;
  failed: number;
  skipped: number;
  cancelled: boolean;
  steps: CheckStep[];
  cleanup: CheckCleanup;
  startedAt: string;
  durationMs: number;
}
