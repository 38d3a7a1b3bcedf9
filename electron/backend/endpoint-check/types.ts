/**
 * What an endpoint check reports (issue 16): one step per Entra behaviour exercised against the vendor, each with the
 * request as sent (token redacted), the vendor's answer and, for a failure, what the admin can do about it. The shapes
 * are the API's (shared/api/endpoint-check.ts), so the CLI, the panel and the report read one definition.
 */
import type { CheckResult, CheckStep } from '../../../shared/api/endpoint-check.ts';

export type { CheckResult, CheckStep };
export type StepOutcome = CheckStep['outcome'];
/** A resource the run created: the only kind it ever deletes. */
export type CreatedResource = CheckResult['cleanup']['deleted'][number];
