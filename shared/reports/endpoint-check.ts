import { describeIssues } from '../api.ts';
import { CheckResult } from '../api/endpoint-check.ts';
import type { EndpointCheckReport } from './model.ts';

/**
 * An endpoint check run (issue 16) as the report's "Vendor endpoint check" section: the summary, one line per step and,
 * for each failed step, the request and the vendor's answer as evidence. Headers are left out and credentials a
 * vendor echoed back are masked, so no renderer can print a token.
 */

const REDACTED = '<redacted>';

/**
 * A bearer credential anywhere in a text, e.g. a vendor's error body quoting the header it refused (RFC 6750 §2.1
 * token68). It must hold a digit or punctuation and 8 characters, so prose such as "OAuth Bearer Token" stays.
 */
const CREDENTIAL = /\b(Bearer)(\s+)(?=[A-Za-z0-9\-._~+/]*(?:[0-9\-_~+/]|\.[A-Za-z0-9]))[A-Za-z0-9\-._~+/]{8,}=*/gi;

/** A shorter secret cannot be told from ordinary text (a token "t" would mask every t), so only longer ones are masked. */
const MIN_SECRET_LENGTH = 8;

/**
 * The value with every known secret (the Secret Token, the OAuth client secret) and every Authorization credential
 * replaced by `<redacted>`, in every string at any depth.
 */
export function redactCredentials<T>(value: T, secrets: readonly string[] = []): T {
  const known = secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH);
  const clean = (text: string) => known.reduce((out, secret) => out.split(secret).join(REDACTED), text).replace(CREDENTIAL, `$1$2${REDACTED}`);
  const visit = (item: unknown): unknown => {
    if (typeof item === 'string') return clean(item);
    if (Array.isArray(item)) return item.map(visit);
    if (item && typeof item === 'object') return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, visit(inner)]));
    return item;
  };
  return visit(value) as T;
}

export class EndpointCheckFileError extends Error {}

/** A run as `scim-planner check-endpoint --format json` prints it, checked field by field. */
export function readEndpointCheck(json: unknown): CheckResult {
  const parsed = CheckResult.safeParse(json);
  if (!parsed.success) {
    throw new EndpointCheckFileError(`It is not an endpoint check run as \`scim-planner check-endpoint --format json\` prints it: ${describeIssues(parsed.error)}`);
  }
  return parsed.data;
}

export function endpointCheckReport(run: CheckResult): EndpointCheckReport {
  const result = redactCredentials(run);
  return {
    target: result.target,
    runId: result.runId,
    mode: result.mode,
    dialects: [...result.dialects],
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    passed: result.passed,
    failed: result.failed,
    skipped: result.skipped,
    cancelled: result.cancelled,
    steps: result.steps.map((step) => ({ id: step.id, title: step.title, outcome: step.outcome, status: step.response?.status ?? null, explanation: step.explanation })),
    failures: result.steps
      .filter((step) => step.outcome === 'fail')
      .map((step) => ({
        id: step.id,
        title: step.title,
        explanation: step.explanation,
        request: step.request ? { method: step.request.method, url: step.request.url, body: step.request.body } : null,
        response: step.response ? { status: step.response.status, body: step.response.body ?? null } : null,
      })),
    cleanup: {
      deleted: result.cleanup.deleted.length,
      leftOver: result.cleanup.leftOver.map((left) => ({ resourceType: left.resourceType, path: left.path, label: left.label, reason: left.reason })),
    },
  };
}

/** What ran and when, in the same words for every format: "full check in the default dialect, run 3f9c2a1b started …". */
export function endpointCheckRun(check: EndpointCheckReport): string {
  return `${check.mode} check in the ${check.dialects.join(' and ')} dialect, run ${check.runId} started ${check.startedAt} (${(check.durationMs / 1000).toFixed(1)} s)`;
}

/** "12 passed, 1 failed, 0 skipped" */
export function endpointCheckCounts(check: EndpointCheckReport): string {
  return `${check.passed} passed, ${check.failed} failed, ${check.skipped} skipped${check.cancelled ? ' (cancelled)' : ''}`;
}

/** How the cleanup went, in the same words for every format. */
export function endpointCheckCleanup(check: EndpointCheckReport): string {
  return `Cleanup: ${check.cleanup.deleted} test resource(s) deleted, ${check.cleanup.leftOver.length} left over.`;
}

/** A request of a failed step as the evidence shows it: the request line and the body as sent. */
export function evidenceRequestText(request: NonNullable<EndpointCheckReport['failures'][number]['request']>): string {
  return `${request.method} ${request.url}${request.body === null || request.body === undefined ? '' : `\n\n${JSON.stringify(request.body, null, 2)}`}`;
}

/** The vendor's answer body: text as it came, JSON laid out. */
export function evidenceResponseText(response: NonNullable<EndpointCheckReport['failures'][number]['response']>): string {
  if (response.body === null || response.body === undefined) return '';
  return typeof response.body === 'string' ? response.body : JSON.stringify(response.body, null, 2);
}

export const NO_ENDPOINT_CHECK = 'No endpoint check has been run for this project: run one in the Vendor endpoint panel of the Provisioning screen, or give the CLI --endpoint-check FILE.';
