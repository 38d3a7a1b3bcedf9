import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import type { ScimDialect } from '../../shared/mapping/model.ts';
import { compileMappingSet } from '../../shared/preview/compile.ts';
import { compileGroupMapping } from '../../shared/preview/group-decision.ts';
import { endpointCheckMarkdown, postmanCollectionJson } from '../backend/endpoint-check/report.ts';
import { endpointClient, runEndpointCheck } from '../backend/endpoint-check/run.ts';
import { EndpointCheckInputError } from '../backend/endpoint-check/steps.ts';
import { redactCredentials } from '../../shared/reports/endpoint-check.ts';
import type { CheckResult } from '../backend/endpoint-check/types.ts';
import { newRunId } from '../backend/endpoint-check/synthetic.ts';
import { TargetUrlError, type ScimClient, type TargetConfig } from '../backend/provisioning/scim-client.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError, type CliCommand, type CliIO } from './command.ts';
import { readMappingSetFile, readUsersSources, resolveProfile } from './input-files.ts';

/** The credential flags `check-endpoint` and `discover` share. */
export const TARGET_OPTIONS = {
  target: { type: 'string' },
  token: { type: 'string' },
  'oauth-token-url': { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  scope: { type: 'string' },
} as const;

export const TARGET_USAGE = `  --target URL      the Tenant URL as typed in Entra (a ?aadOptscim062020 suffix selects that PATCH dialect)
  --token T         the Secret Token (sent as Authorization: Bearer T; never printed or logged), or
  --oauth-token-url URL --client-id ID --client-secret S [--scope S]
                    OAuth 2 client credentials: a token is requested from URL and sent as the bearer token`;

type TargetValues = { [K in keyof typeof TARGET_OPTIONS]?: string | undefined };

/** The target and its credentials from the flags: exactly one way to authenticate, never both. */
export function targetFromArgs(values: TargetValues): ScimClient {
  if (!values.target) throw new UsageError('--target URL is required (the Tenant URL)');
  const oauth = values['oauth-token-url'] ?? values['client-id'] ?? values['client-secret'] ?? values.scope;
  if (values.token !== undefined && oauth !== undefined) throw new UsageError('give either --token or the OAuth client credentials (--oauth-token-url, --client-id, --client-secret), not both');
  let target: TargetConfig;
  if (values.token !== undefined) target = { tenantUrl: values.target, auth: { kind: 'bearer', token: values.token } };
  else if (oauth !== undefined) {
    const missing = (['oauth-token-url', 'client-id', 'client-secret'] as const).filter((name) => !values[name]);
    if (missing.length > 0) throw new UsageError(`OAuth client credentials need ${missing.map((m) => `--${m}`).join(', ')}`);
    try {
      new URL(values['oauth-token-url']!);
    } catch {
      throw new UsageError(`--oauth-token-url "${values['oauth-token-url']}" is not a URL`);
    }
    target = {
      tenantUrl: values.target,
      auth: { kind: 'client-credentials', tokenUrl: values['oauth-token-url']!, clientId: values['client-id']!, clientSecret: values['client-secret']!, ...(values.scope ? { scope: values.scope } : {}) },
    };
  } else throw new UsageError('credentials are required: --token T, or --oauth-token-url URL --client-id ID --client-secret S');
  try {
    return endpointClient(target);
  } catch (error) {
    if (error instanceof TargetUrlError) throw new UsageError(error.message);
    throw error;
  }
}

const USAGE = `Usage: scim-planner check-endpoint --target URL (--token T | --oauth-token-url URL --client-id ID --client-secret S [--scope S])
                                   --mappings FILE [--users FILE] [--vendor ID|FILE] [--dialect default|aadOptscim062020|both]
                                   [--read-only] [--yes] [--format json|table] [--postman FILE] [--report FILE]

Checks a vendor's SCIM endpoint the way Microsoft Entra will use it for this plan: Test Connection, the match
query, the user POST exactly as \`scim-planner preview\` builds it, the manager PATCH, updates, disable and
re-enable, deprovisioning, and (when groups are provisioned) group create, member add and remove, rename and
delete. Each failure says which Entra behaviour the vendor rejected and what to do.

THE FULL CHECK WRITES TO THE TARGET: it creates test users (and a test group) whose userName, externalId and
displayName carry a run id, changes them, and deletes them at the end, also after a failure or Ctrl+C. It never
touches a resource it did not create. At a terminal it asks for confirmation naming the target; otherwise
pass --yes. --read-only sends only GETs (discovery and the Test Connection probe) and needs no confirmation.

${TARGET_USAGE}
  --mappings FILE   Graph synchronization schema JSON (the plan)
  --users FILE      Graph users JSON or CSV: the first user the plan would create lends the test users its other attributes
  --vendor ID|FILE  the vendor profile (its deprovisioning statement is shown with the deprovision step)
  --dialect NAME    the PATCH dialect: default, aadOptscim062020, or both (default: the one the Tenant URL selects)
  --read-only       discovery and Test Connection only: nothing is written
  --yes             confirm the writes of the full check without a prompt (required when stdin is not a terminal)
  --format NAME     json (default) or table
  --postman FILE    also write the run as a Postman collection (v2.1) the vendor can replay
  --report FILE     also write the run as a Markdown report section, with the evidence of each failed step

Prints {"target", "passed", "failed", "skipped", "steps": [{"id", "title", "outcome", "request", "response",
"explanation"}], "cleanup": {"deleted", "leftOver"}}. Exit codes: 0 every step passed (or was skipped) and
nothing was left over, 1 a step failed or a test resource could not be deleted, 2 bad input or unreachable target.`;

const DIALECTS = ['default', 'aadOptscim062020', 'both'] as const;

/** What the full check will create, for the confirmation: the admin agrees to exactly this. */
function writesOf(client: ScimClient, set: Parameters<typeof compileMappingSet>[0], runId: string): string {
  const users = compileMappingSet(set).managerRow ? 2 : 1;
  const groups = 'disabled' in compileGroupMapping(set) ? 0 : 1;
  const what = [`${users} test user${users === 1 ? '' : 's'}`, ...(groups ? ['1 test group'] : [])].join(' and ');
  return `The full check writes to ${client.base}: it creates ${what} marked "${runId}" (scimcheck-${runId}-…), updates, disables, re-enables and deletes them${groups ? ', adds and removes the group’s members, renames and deletes the group' : ''}. It deletes only what it created.`;
}

async function confirmed(io: CliIO, prompt: string): Promise<boolean> {
  const reader = createInterface({ input: io.stdin, terminal: false });
  try {
    io.err(`${prompt}\nType yes to continue: `);
    const answer = await reader.question('');
    return answer.trim().toLowerCase() === 'yes';
  } finally {
    reader.close();
  }
}

function table(result: CheckResult): string {
  const lines = [`Endpoint check of ${result.target} (${result.mode}, ${result.dialects.join(' + ')} dialect, run ${result.runId})`];
  for (const step of result.steps) {
    const status = step.response?.status ?? '-';
    lines.push(`${step.outcome.toUpperCase().padEnd(5)} ${step.id.padEnd(40)} ${String(status).padEnd(4)} ${step.title}`);
    if (step.outcome !== 'pass') lines.push(`      ${step.explanation}`);
  }
  lines.push(`${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped${result.cancelled ? ' (cancelled)' : ''}.`);
  lines.push(`Cleanup: ${result.cleanup.deleted.length} deleted, ${result.cleanup.leftOver.length} left over${result.cleanup.leftOver.map((r) => `\n  left over: ${r.path} (${r.label}): ${r.reason}`).join('')}`);
  return `${lines.join('\n')}\n`;
}

/** Only the issue's fields first, then the extras: scripts read the former. */
function json(result: CheckResult) {
  return {
    target: result.target,
    passed: result.passed,
    failed: result.failed,
    skipped: result.skipped,
    steps: result.steps.map((s) => ({ id: s.id, title: s.title, outcome: s.outcome, request: s.request, response: s.response, explanation: s.explanation, errorCode: s.errorCode, durationMs: s.durationMs })),
    cleanup: result.cleanup,
    runId: result.runId,
    mode: result.mode,
    dialects: result.dialects,
    cancelled: result.cancelled,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
  };
}

export const command: CliCommand = {
  name: 'check-endpoint',
  summary: "check a vendor's SCIM endpoint the way Entra will use it (writes test data unless --read-only)",
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(args, {
      ...TARGET_OPTIONS,
      mappings: { type: 'string' },
      users: { type: 'string' },
      vendor: { type: 'string' },
      dialect: { type: 'string' },
      'read-only': { type: 'boolean' },
      yes: { type: 'boolean' },
      format: { type: 'string' },
      postman: { type: 'string' },
      report: { type: 'string' },
    });
    const client = targetFromArgs(values);
    if (!values.mappings) throw new UsageError('--mappings FILE is required (the plan whose requests are checked)');
    const format = values.format ?? 'json';
    if (format !== 'json' && format !== 'table') throw new UsageError(`--format must be json or table, got "${format}"`);
    const dialect = values.dialect;
    if (dialect !== undefined && !(DIALECTS as readonly string[]).includes(dialect)) throw new UsageError(`--dialect must be ${DIALECTS.join(', ')}, got "${dialect}"`);
    const set = await readMappingSetFile(values.mappings);
    const profile = values.vendor ? await resolveProfile(values.vendor) : undefined;
    const users = values.users ? await readUsersSources(values.users) : [];
    const compiled = compileMappingSet(set);
    const sampleUser = users.find((u) => u.accountEnabled !== false && compiled.scope.inScope(u));
    const readOnly = values['read-only'] === true;
    const runId = newRunId();

    if (!readOnly && !values.yes) {
      const writes = writesOf(client, set, runId);
      if ((io.stdin as { isTTY?: boolean }).isTTY !== true) {
        throw new UsageError(`${writes}\nRe-run with --yes to confirm, or with --read-only to send only GETs.`);
      }
      if (!(await confirmed(io, writes))) {
        io.err('Not confirmed: nothing was sent.');
        return EXIT_USAGE;
      }
    }

    // Ctrl+C cancels the run; its cleanup still deletes what was created.
    const controller = new AbortController();
    const cancel = () => controller.abort();
    process.once('SIGINT', cancel);
    let result: CheckResult;
    try {
      // a vendor may echo the credential in an error body: it never reaches the output or the files
      const secrets = [values.token, values['client-secret']].filter((secret): secret is string => Boolean(secret));
      result = redactCredentials(
        await runEndpointCheck({
          client, set, sampleUser, profile, readOnly, runId, signal: controller.signal,
          ...(dialect ? { dialect: dialect as ScimDialect | 'both' } : {}),
        }),
        secrets,
      );
    } catch (error) {
      if (error instanceof EndpointCheckInputError) throw new UsageError(error.message);
      throw error;
    } finally {
      process.off('SIGINT', cancel);
    }
    io.out(format === 'json' ? `${JSON.stringify(json(result), null, 2)}\n` : table(result));
    if (values.postman) await writeFile(values.postman, postmanCollectionJson(result));
    if (values.report) await writeFile(values.report, endpointCheckMarkdown(result));

    const probe = result.steps.find((s) => s.id === 'test-connection');
    if (probe?.response?.status === null) {
      io.err(`Exit code 2: ${client.base} could not be reached (${probe.errorCode ?? 'no answer'}).`);
      return EXIT_USAGE;
    }
    if (result.failed > 0 || result.cleanup.leftOver.length > 0 || result.cancelled) {
      io.err(`Exit code 1: ${result.failed} step${result.failed === 1 ? '' : 's'} failed, ${result.cleanup.leftOver.length} test resource(s) left over${result.cancelled ? ', run cancelled' : ''}.`);
      return EXIT_PROBLEMS;
    }
    return EXIT_OK;
  },
};
