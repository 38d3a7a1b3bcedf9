/**
 * The project's own replay of the SCIM conformance script (format: entra-scim.md §4), so a clone without
 * ../shared still checks conformance. Independent of ../shared/tools/scim-conformance.mjs by design.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export interface ConformanceStep {
  id: string;
  profile: 'entra' | 'rfc' | 'both';
  optional?: boolean;
  request: { method: string; path: string; headers?: Record<string, string>; body?: unknown };
  expect?: {
    status?: number | number[];
    headerContains?: Record<string, string>;
    headerExists?: string[];
    bodyContains?: string[];
    jsonPath?: ({ path: string } & Record<string, unknown>)[];
  };
  capture?: Record<string, string>;
  /** the RFC twin of an entra-profile setup step: it replaces that step in the rfc profile (entra-scim.md §4) */
  rfcFormOf?: string;
}

export interface StepResult {
  id: string;
  outcome: 'pass' | 'fail' | 'skip';
  optional: boolean;
  problems: string[];
}

class MissingVariable extends Error {}

function substitute(value: unknown, vars: Record<string, string>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{(\w+)\}/g, (_, name: string) => {
      if (!(name in vars)) throw new MissingVariable(name);
      return vars[name]!;
    });
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [substitute(k, vars) as string, substitute(v, vars)]));
  }
  return value;
}

/** JSONPath subset used by the script: $ .name ['name'] [N] [*] [?(@.key=='value')]. */
export function evaluateJsonPath(root: unknown, path: string): unknown[] {
  let nodes: unknown[] = [root];
  let rest = path.replace(/^\$/, '');
  const children = (node: unknown, key: string) =>
    node !== null && typeof node === 'object' && !Array.isArray(node) && key in (node as object) ? [(node as Record<string, unknown>)[key]] : [];
  while (rest.length > 0 && nodes.length > 0) {
    let m: RegExpExecArray | null;
    if ((m = /^\.([^.[\]]+)/.exec(rest))) {
      const key = m[1]!;
      nodes = nodes.flatMap((n) => children(n, key));
    } else if ((m = /^\['([^']*)'\]/.exec(rest))) {
      const key = m[1]!;
      nodes = nodes.flatMap((n) => children(n, key));
    } else if ((m = /^\[\?\(@\.([\w.$-]+)\s*==\s*'([^']*)'\)\]/.exec(rest))) {
      const [, key, value] = m;
      nodes = nodes
        .flatMap((n) => (Array.isArray(n) ? n : []))
        .filter((e) => e !== null && typeof e === 'object' && String((e as Record<string, unknown>)[key!]) === value);
    } else if ((m = /^\[(\*|\d+)\]/.exec(rest))) {
      const index = m[1]!;
      nodes = nodes.flatMap((n) => (!Array.isArray(n) ? [] : index === '*' ? n : Number(index) < n.length ? [n[Number(index)]] : []));
    } else {
      throw new Error(`unsupported JSONPath ${path}`);
    }
    rest = rest.slice(m[0].length);
  }
  return nodes;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const kind = (v: unknown) => (v === null || v === undefined ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function checkAssertion(json: unknown, assertion: { path: string } & Record<string, unknown>): string | undefined {
  const matches = json === undefined ? [] : evaluateJsonPath(json, assertion.path);
  const first = matches.length ? matches[0] : null;
  const fail = (what: string) => `${assertion.path} ${what} (got ${JSON.stringify(first)?.slice(0, 120)})`;
  if ('exists' in assertion && matches.some((m) => m !== null && m !== undefined) !== assertion.exists) return fail(assertion.exists ? 'missing' : 'present');
  if ('equals' in assertion && !same(first, assertion.equals)) return fail(`!= ${JSON.stringify(assertion.equals)}`);
  if ('notEquals' in assertion && same(first, assertion.notEquals)) return fail(`== ${JSON.stringify(assertion.notEquals)}`);
  if ('equalsIgnoreCase' in assertion && String(first).toLowerCase() !== String(assertion.equalsIgnoreCase).toLowerCase()) return fail('differs ignoring case');
  const contains = (haystack: unknown, needle: unknown) =>
    Array.isArray(haystack) ? haystack.some((v) => same(v, needle)) : typeof haystack === 'string' && haystack.includes(String(needle));
  if ('contains' in assertion && !contains(first, assertion.contains)) return fail(`lacks ${JSON.stringify(assertion.contains)}`);
  if ('notContains' in assertion && contains(first, assertion.notContains)) return fail(`has ${JSON.stringify(assertion.notContains)}`);
  if ('in' in assertion && !(assertion.in as unknown[]).some((v) => same(first, v))) return fail(`not in ${JSON.stringify(assertion.in)}`);
  if ('length' in assertion) {
    const length = first === null || first === undefined ? 0 : (first as { length?: number }).length;
    if (length !== assertion.length) return fail(`length ${String(length)} != ${String(assertion.length)}`);
  }
  if ('count' in assertion && matches.length !== assertion.count) return fail(`count ${matches.length} != ${String(assertion.count)}`);
  if ('type' in assertion && kind(first) !== assertion.type) return fail(`type ${kind(first)} != ${String(assertion.type)}`);
  if ('gte' in assertion && !((first as number) >= (assertion.gte as number))) return fail(`< ${String(assertion.gte)}`);
  if ('lte' in assertion && !((first as number) <= (assertion.lte as number))) return fail(`> ${String(assertion.lte)}`);
  return undefined;
}

/** Replays `steps` of the chosen profile ('all' runs every step) against `baseUrl`. */
export async function replayConformance(
  steps: ConformanceStep[],
  baseUrl: string,
  token: string,
  profile: 'entra' | 'rfc' | 'all',
): Promise<StepResult[]> {
  const vars: Record<string, string> = { token, runId: randomBytes(4).toString('hex'), guid: randomUUID() };
  const results: StepResult[] = [];
  for (const step of steps) {
    if (profile !== 'all' && step.profile !== 'both' && step.profile !== profile) continue;
    // in "all" the Entra form of a setup step runs, so its RFC twin would create or change the same state twice
    if (profile === 'all' && step.rfcFormOf) continue;
    const optional = step.optional ?? false;
    let request: ConformanceStep['request'];
    let expect: NonNullable<ConformanceStep['expect']>;
    try {
      request = substitute(step.request, vars) as ConformanceStep['request'];
      expect = substitute(step.expect ?? {}, vars) as NonNullable<ConformanceStep['expect']>;
    } catch (error) {
      if (error instanceof MissingVariable) {
        results.push({ id: step.id, outcome: 'skip', optional, problems: [`needs \${${error.message}}`] });
        continue;
      }
      throw error;
    }
    const headers: Record<string, string> = { ...(request.headers ?? {}) };
    let body: string | undefined;
    if (request.body !== undefined) {
      body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/scim+json';
    }
    const response = await fetch(baseUrl + request.path, { method: request.method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const problems: string[] = [];
    if (expect.status !== undefined) {
      const allowed = Array.isArray(expect.status) ? expect.status : [expect.status];
      if (!allowed.includes(response.status)) problems.push(`status ${response.status}, wanted ${allowed.join('|')}`);
    }
    for (const [name, fragment] of Object.entries(expect.headerContains ?? {})) {
      const value = response.headers.get(name);
      if (!value || !value.toLowerCase().includes(fragment.toLowerCase())) problems.push(`header ${name}=${value} lacks ${fragment}`);
    }
    for (const name of expect.headerExists ?? []) if (!response.headers.has(name)) problems.push(`header ${name} missing`);
    for (const fragment of expect.bodyContains ?? []) if (!text.includes(fragment)) problems.push(`body lacks ${fragment}`);
    for (const assertion of expect.jsonPath ?? []) {
      const problem = checkAssertion(json, assertion);
      if (problem) problems.push(problem);
    }
    if (problems.length === 0) {
      for (const [name, path] of Object.entries(step.capture ?? {})) {
        const found = json === undefined ? [] : evaluateJsonPath(json, path);
        if (found.length && found[0] !== null && found[0] !== undefined) vars[name] = String(found[0]);
      }
    }
    results.push({ id: step.id, outcome: problems.length ? 'fail' : 'pass', optional, problems });
  }
  return results;
}

export const requiredFailures = (results: StepResult[]) => results.filter((r) => r.outcome === 'fail' && !r.optional);

const ENTRA_OP_NAMES = new Set(['add', 'remove', 'replace']);

/** Whether a step's PATCH sends an op name Entra capitalises in its default dialect ("Add", "Replace", "Remove"). */
export function sendsCapitalisedOp(step: ConformanceStep): boolean {
  const operations = (step.request.body as { Operations?: unknown } | undefined)?.Operations;
  return Array.isArray(operations) && operations.some((o) => {
    const op = (o as { op?: unknown }).op;
    return typeof op === 'string' && ENTRA_OP_NAMES.has(op.toLowerCase()) && op !== op.toLowerCase();
  });
}

/**
 * The script with every add/remove/replace op name in lower case: the RFC 7644 §3.5.2 spelling, which Entra sends
 * with aadOptscim062020. Strict mode refuses the capitalised names, so its rfc profile runs this form.
 */
export function withRfcOpNames(steps: ConformanceStep[]): ConformanceStep[] {
  return steps.map((step) => {
    if (!sendsCapitalisedOp(step)) return step;
    const body = step.request.body as { Operations: { op: string }[] };
    const Operations = body.Operations.map((o) => (ENTRA_OP_NAMES.has(o.op.toLowerCase()) ? { ...o, op: o.op.toLowerCase() } : o));
    return { ...step, request: { ...step.request, body: { ...body, Operations } } };
  });
}
