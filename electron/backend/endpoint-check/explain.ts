/**
 * Why a vendor refused a step, in the admin's terms: which of Entra's known request shapes the rejected request
 * carried (Microsoft Learn "Known issues and resolutions with SCIM 2.0 protocol compliance"), what the vendor
 * answered, and what can be done about it: a mapping change, the aadOptscim062020 flag, or a vendor ticket.
 */
import type { JsonObject, JsonValue } from '../../../shared/scim/requests/target-path.ts';
import { MANAGER_PATH } from '../../../shared/scim/requests/user.ts';
import type { ScimExchange } from '../provisioning/scim-client.ts';

const FLAG = 'aadOptscim062020';
const FLAG_REMEDY =
  `Add ?${FLAG} to the Tenant URL (Microsoft Learn "Known issues and resolutions with SCIM 2.0 protocol compliance"): ` +
  `Entra then sends lower-case op names, JSON booleans and one filtered remove per member; re-run this check with ` +
  `--dialect ${FLAG} to see whether the vendor accepts that dialect.`;
const VENDOR_TICKET = 'Open a vendor ticket with this request and response as the evidence: the vendor must accept what Entra sends.';

/** One Entra-specific shape found in a request, and what the admin can do when the vendor refuses it. */
interface EntraShape {
  behaviour: string;
  remedy: string;
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function hasStringBoolean(value: JsonValue | undefined): boolean {
  if (value === 'True' || value === 'False') return true;
  if (Array.isArray(value)) return value.some(hasStringBoolean);
  if (isObject(value)) return Object.values(value).some(hasStringBoolean);
  return false;
}

function operationsOf(body: JsonObject | null): JsonObject[] {
  const operations = body?.Operations;
  return Array.isArray(operations) ? operations.filter(isObject) : [];
}

/** The Entra request shapes a PATCH body carries, most specific first. */
function patchShapes(body: JsonObject | null): EntraShape[] {
  const shapes: EntraShape[] = [];
  const operations = operationsOf(body);
  if (operations.some((op) => typeof op.op === 'string' && op.op !== op.op.toLowerCase())) {
    shapes.push({ behaviour: 'capitalised op names ("Add", "Replace", "Remove"), Entra’s default dialect', remedy: FLAG_REMEDY });
  }
  if (operations.some((op) => hasStringBoolean(op.value))) {
    shapes.push({ behaviour: 'booleans sent as the strings "True"/"False", Entra’s default dialect', remedy: FLAG_REMEDY });
  }
  if (operations.some((op) => String(op.op).toLowerCase() === 'remove' && op.path === 'members' && op.value !== undefined)) {
    shapes.push({ behaviour: 'member removal as a "value" array on path "members", Entra’s default dialect', remedy: FLAG_REMEDY });
  }
  if (operations.some((op) => op.path === undefined && isObject(op.value) && Object.keys(op.value).some((key) => /[.:[]/.test(key)))) {
    shapes.push({
      behaviour: `a path-less replace whose value keys are attribute paths ("name.givenName"), which Entra sends with ${FLAG} when several attributes change`,
      remedy: `Leave ${FLAG} off the Tenant URL if the vendor accepts the default dialect, or open a vendor ticket with this request.`,
    });
  }
  if (operations.some((op) => typeof op.path === 'string' && /^members\[value eq /i.test(op.path))) {
    shapes.push({
      behaviour: `one filtered remove per member (members[value eq "…"]), which Entra sends with ${FLAG}`,
      remedy: `Leave ${FLAG} off the Tenant URL if the vendor accepts the default dialect, or open a vendor ticket with this request.`,
    });
  }
  if (operations.some((op) => typeof op.path === 'string' && op.path.toLowerCase() === MANAGER_PATH.toLowerCase() && typeof op.value === 'string')) {
    shapes.push({
      behaviour: 'the manager as the manager’s id in a plain string at the enterprise extension path (not {"value": id})',
      remedy: `Remove the manager mapping (a mapping change) or open a vendor ticket: Entra always sends the manager this way. ${VENDOR_TICKET}`,
    });
  }
  return shapes;
}

function vendorAnswer(exchange: ScimExchange): string {
  if (exchange.status === null) return exchange.errorMessage ?? exchange.errorCode ?? 'no answer';
  return exchange.errorMessage ?? `HTTP ${exchange.status}`;
}

/** Failures that are about the connection, not about what Entra sends: the same advice for every step. */
function connectionProblem(exchange: ScimExchange): string | null {
  if (exchange.errorCode === 'Timeout') {
    return `The vendor did not answer in time (${exchange.errorMessage ?? 'Timeout'}): Entra waits 60 seconds for a response, then gives up and logs Timeout. ${VENDOR_TICKET}`;
  }
  if (exchange.errorCode === 'Cancelled') return 'The check was cancelled before the vendor answered.';
  if (exchange.status === null) return `The vendor could not be reached (${vendorAnswer(exchange)}). Check the Tenant URL and the network path.`;
  if (exchange.status === 401 || exchange.status === 403) {
    return `The vendor refused the credentials (HTTP ${exchange.status}): Entra's Test Connection would fail the same way. Check the Secret Token, or the OAuth client id, secret and scope.`;
  }
  if (exchange.status === 429) return `The vendor throttled the request (HTTP 429) and kept doing so after its Retry-After. Ask the vendor for the rate limit that applies to Entra.`;
  return null;
}

/**
 * The explanation of a failed step: the Entra behaviour it exercised, the shapes in the request the vendor may have
 * refused, the vendor's own answer, and what to do.
 */
export function explainFailure(behaviour: string, exchange: ScimExchange, extraRemedy?: string): string {
  const connection = connectionProblem(exchange);
  if (connection) return `${behaviour} ${connection}`;
  const shapes = exchange.method === 'PATCH' ? patchShapes(exchange.requestBody) : [];
  const parts = [behaviour, `The vendor answered: ${vendorAnswer(exchange)}.`];
  if (shapes.length > 0) {
    parts.push(`The request carries ${shapes.map((s) => s.behaviour).join('; and ')}.`);
    parts.push(...new Set(shapes.map((s) => s.remedy)));
  }
  if (extraRemedy) parts.push(extraRemedy);
  if (shapes.length === 0 && !extraRemedy) parts.push(VENDOR_TICKET);
  return parts.join(' ');
}

