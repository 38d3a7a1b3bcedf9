/**
 * How the endpoint check sends and records one step: the judges of an answer, the step titles, and the run's record
 * of what it created (the only resources cleanup ever deletes).
 */
import type { ScimDialect } from '../../../shared/mapping/model.ts';
import type { RequestSpec } from '../../../shared/scim/requests/render.ts';
import type { JsonObject } from '../../../shared/scim/requests/target-path.ts';
import { listOf } from '../provisioning/cycle.ts';
import type { ScimClient, ScimExchange } from '../provisioning/scim-client.ts';
import { explainFailure } from './explain.ts';
import type { CheckStep, CreatedResource, StepOutcome } from './types.ts';

/** The plan cannot be checked as given (no user mapping, a test user the plan would not create…): exit 2 on the CLI. */
export class EndpointCheckInputError extends Error {}

/** Thrown out of the sequence when the run's signal aborts; cleanup still runs. */
export class Cancelled extends Error {}

export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
export const is2xx = (exchange: ScimExchange) => exchange.status !== null && exchange.status >= 200 && exchange.status < 300;

/** A check of one answer: null when Entra would accept it, else what is wrong with it. */
type Judge = (exchange: ScimExchange) => string | null;
export const accepted: Judge = (exchange) => (is2xx(exchange) ? null : 'not a success status');
export const emptyList: Judge = (exchange) => {
  if (exchange.status !== 200) return 'not 200';
  const list = listOf(exchange.responseBody);
  if (list === null) return 'the body is not a SCIM ListResponse';
  return list.length === 0 ? null : `the list holds ${list.length} resource(s) for a value no resource has`;
};
export const createdWithId: Judge = (exchange) => {
  if (!is2xx(exchange)) return 'not a success status';
  return isObject(exchange.responseBody) && typeof exchange.responseBody.id === 'string' && exchange.responseBody.id !== '' ? null : 'the answer carries no "id"';
};
/** A DELETE of something already gone is what the admin wanted. */
export const deleted: Judge = (exchange) => (is2xx(exchange) || exchange.status === 404 ? null : 'not a success status');

/** Every step's title, by id: a skipped step reads like the one that ran. */
export const TITLES = {
  'user-match': 'Match query for a new user',
  'user-create': 'Create a user (POST /Users)',
  'manager-create': 'Create the test manager (POST /Users)',
  'user-manager': 'Set the manager (PATCH)',
  'user-update': 'Update one attribute (PATCH)',
  'user-update-several': 'Update several attributes (PATCH)',
  'user-disable': 'Disable (soft delete, PATCH active)',
  'user-enable': 'Re-enable (PATCH active)',
  'user-deprovision': 'Deprovision',
  'user-delete': 'Delete the user (DELETE /Users)',
  'group-create': 'Create a group (POST /Groups)',
  'group-member-add': 'Add members (PATCH)',
  'group-member-remove': 'Remove a member (PATCH)',
  'group-rename': 'Rename the group (PATCH displayName)',
  'group-delete': 'Delete the group (DELETE /Groups)',
} as const;
type StepId = keyof typeof TITLES;
export const GROUP_STEPS = ['group-create', 'group-member-add', 'group-member-remove', 'group-rename', 'group-delete'] as const;

/** A step's id and title; the second dialect's steps of `--dialect both` name it in both. */
export function named(id: StepId, dialect?: ScimDialect): { id: string; title: string } {
  return dialect ? { id: `${id}:${dialect}`, title: `${TITLES[id]} (${dialect})` } : { id, title: TITLES[id] };
}

export interface StepSpec {
  id: string;
  title: string;
  /** what Entra does here, in one sentence: the first words of a failure's explanation */
  behaviour: string;
  /** what a pass shows */
  passed: string;
  remedy?: string;
  /** after an accepted answer: what is wrong with what the vendor now holds, or null */
  verify?: () => Promise<string | null>;
}

/** What a run's steps need from its options. */
interface StepContext {
  client: ScimClient;
  signal?: AbortSignal | undefined;
  onStep?: ((step: CheckStep) => void) | undefined;
}

export class CheckRun {
  readonly steps: CheckStep[] = [];
  readonly created: CreatedResource[] = [];
  /** POSTs that got no answer: the vendor may hold the resource; cleanup looks for it by its run-id name */
  readonly unanswered: Array<{ resourceType: 'User' | 'Group'; attribute: string; value: string }> = [];
  readonly gone = new Map<string, string>();

  constructor(private readonly options: StepContext) {}

  record(step: CheckStep): void {
    this.steps.push(step);
    this.options.onStep?.(step);
  }

  skip(spec: Pick<StepSpec, 'id' | 'title'>, why: string): void {
    this.record({ id: spec.id, title: spec.title, outcome: 'skip', request: null, response: null, explanation: why, durationMs: 0, errorCode: null });
  }

  /** Sends one request as a step; returns the exchange when Entra would accept the answer, null otherwise. */
  async step(spec: StepSpec, request: RequestSpec, judge: Judge = accepted): Promise<ScimExchange | null> {
    const signal = this.options.signal;
    if (signal?.aborted) throw new Cancelled();
    const exchange = await this.options.client.send({ method: request.method, path: request.path, body: request.body ?? null }, signal);
    if (exchange.errorCode === 'Cancelled') {
      this.noteUnanswered(request);
      this.record(this.toStep(spec, exchange, 'skip', 'The check was cancelled before the vendor answered.'));
      throw new Cancelled();
    }
    if (request.method === 'POST') {
      if (is2xx(exchange) && isObject(exchange.responseBody) && typeof exchange.responseBody.id === 'string') {
        const resourceType = request.path.startsWith('/Groups') ? 'Group' : 'User';
        const id = exchange.responseBody.id;
        this.created.push({ resourceType, id, path: `/${resourceType}s/${id}`, label: labelOf(request.body) });
      } else if (exchange.status === null) this.noteUnanswered(request);
    }
    let problem = judge(exchange);
    if (problem === null && spec.verify) problem = await spec.verify();
    const outcome: StepOutcome = problem === null ? 'pass' : 'fail';
    const explanation = problem === null ? spec.passed : explainFailure(`${spec.behaviour} (${problem}.)`, exchange, spec.remedy);
    this.record(this.toStep(spec, exchange, outcome, explanation));
    return problem === null ? exchange : null;
  }

  /** A GET that is not a step of its own: reading back what a step changed. */
  read(path: string): Promise<ScimExchange> {
    return this.options.client.send({ method: 'GET', path }, this.options.signal);
  }

  private noteUnanswered(request: RequestSpec): void {
    if (request.method !== 'POST' || !request.body) return;
    const body = request.body;
    if (request.path.startsWith('/Groups')) {
      if (typeof body.displayName === 'string') this.unanswered.push({ resourceType: 'Group', attribute: 'displayName', value: body.displayName });
    } else if (typeof body.userName === 'string') this.unanswered.push({ resourceType: 'User', attribute: 'userName', value: body.userName });
  }

  private toStep(spec: StepSpec, exchange: ScimExchange, outcome: StepOutcome, explanation: string): CheckStep {
    return {
      id: spec.id,
      title: spec.title,
      outcome,
      request: { method: exchange.method, url: exchange.url, headers: exchange.requestHeaders, body: exchange.requestBody },
      response: { status: exchange.status, body: exchange.responseBody },
      explanation,
      durationMs: exchange.durationMs,
      errorCode: exchange.errorCode,
    };
  }
}

function labelOf(body: JsonObject | undefined): string {
  const name = body?.userName ?? body?.displayName;
  return typeof name === 'string' ? name : '';
}

/** Only resources carrying the run id are ever created: a value without it could collide with a real account. */
export function assertMarked(body: JsonObject | null | undefined, runId: string, what: string): void {
  for (const key of ['userName', 'externalId', 'displayName']) {
    const value = body?.[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !value.includes(runId)) {
      throw new EndpointCheckInputError(
        `The ${what} would be sent with ${key} = ${JSON.stringify(value)}, which does not carry the run id ${runId}: the check creates only resources it can tell from real ones. Map ${key} from an attribute such as userPrincipalName, mailNickname, objectId or displayName.`,
      );
    }
  }
}
