/**
 * The endpoint check (issue 16): the requests Entra will send for this plan, played against the vendor's endpoint with
 * synthetic test users and a test group, in Entra's order (Microsoft Learn "How Application Provisioning works"; the
 * Test Connection probe and dialects of Microsoft Learn "Known issues and resolutions with SCIM 2.0 protocol
 * compliance"). Every request comes from the preview's builders; this module only decides the order, sends, judges
 * the answers and cleans up what it created, whatever happens.
 */
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { MappingSet, ScimDialect } from '../../../shared/mapping/model.ts';
import { compileMappingSet, type CompiledMappingSet } from '../../../shared/preview/compile.ts';
import { previewLeaver, previewUser } from '../../../shared/preview/engine.ts';
import type { PreviousTarget, UserPreview } from '../../../shared/preview/types.ts';
import type { RequestSpec } from '../../../shared/scim/requests/render.ts';
import { readValue, type JsonObject } from '../../../shared/scim/requests/target-path.ts';
import { deleteRequest, MANAGER_PATH, matchQuery } from '../../../shared/scim/requests/user.ts';
import type { VendorProfile } from '../../../shared/vendors/index.ts';
import { listOf } from '../provisioning/cycle.ts';
import { ScimClient, type TargetConfig } from '../provisioning/scim-client.ts';
import { DISCOVERY_ENDPOINTS, readDiscovery, type Discovery } from './discovery.ts';
import { groupSequence } from './groups.ts';
import { accepted, assertMarked, Cancelled, CheckRun, createdWithId, deleted, emptyList, EndpointCheckInputError, isObject, is2xx, GROUP_STEPS, named, TITLES, type StepSpec } from './steps.ts';
import { changedUser, newRunId, syntheticUsers } from './synthetic.ts';
import type { CheckResult, CheckStep, StepOutcome } from './types.ts';

/** Entra waits this long for a response before it logs Timeout (issue 16: "a response within 60 s"). */
const ENTRA_RESPONSE_TIMEOUT_MS = 60_000;

/** The client an endpoint check sends with: Entra's timeout, no retries of 5xx (Entra escrows instead). */
export function endpointClient(target: TargetConfig, timeoutMs = ENTRA_RESPONSE_TIMEOUT_MS): ScimClient {
  return new ScimClient(target, { timeoutMs, maxThrottleRetries: 2, maxRetryAfterMs: timeoutMs });
}

interface EndpointCheckOptions {
  client: ScimClient;
  set: MappingSet;
  /** a user of the admin's file whose other attributes the test users keep; otherwise a neutral one */
  sampleUser?: SourceObject | undefined;
  profile?: VendorProfile | undefined;
  /** the PATCH dialect(s); by default the one the Tenant URL selects */
  dialect?: ScimDialect | 'both' | undefined;
  readOnly?: boolean;
  signal?: AbortSignal | undefined;
  runId?: string;
  onStep?: (step: CheckStep) => void;
  /** receives the discovery read in the run, for a profile draft */
  onDiscovery?: (discovery: Discovery) => void;
}

const OTHER: Record<ScimDialect, ScimDialect> = { default: 'aadOptscim062020', aadOptscim062020: 'default' };
const NO_PREVIOUS: ReadonlyMap<string, PreviousTarget> = new Map();
const touchesManager = (operation: unknown) =>
  isObject(operation) && typeof operation.path === 'string' && (operation.path.toLowerCase() === MANAGER_PATH.toLowerCase() || /^manager\[/i.test(operation.path));

/** Which of a preview's PATCHes: the manager link (sent on its own, after the create) or the attribute changes. */
type PatchKind = 'manager' | 'attributes';

/** The one request of a preview with this method, retargeted from the preview's placeholder id to the vendor's id. */
function previewRequest(preview: UserPreview, method: 'POST' | 'PATCH' | 'DELETE', targetId?: string, kind?: PatchKind): RequestSpec | null {
  const request = preview.requests.find((r) => {
    if (r.method !== method) return false;
    if (!kind) return true;
    const operations = r.body?.Operations;
    const manager = Array.isArray(operations) && operations.length > 0 && operations.every(touchesManager);
    return kind === 'manager' ? manager : !manager;
  });
  if (!request) return null;
  const path = targetId === undefined ? request.path : `/Users/${targetId}`;
  return request.body ? { method, path, body: request.body } : { method, path };
}

function withId(target: JsonObject | null, id: string): JsonObject {
  return { ...(target ?? {}), id };
}

/** The check, start to end; cleanup runs in `finally`, also after a failure or a cancel. */
export async function runEndpointCheck(options: EndpointCheckOptions): Promise<CheckResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const runId = options.runId ?? newRunId();
  const client = options.client;
  const primary: ScimDialect = options.dialect === 'default' || options.dialect === 'aadOptscim062020' ? options.dialect : client.dialect;
  const dialects: ScimDialect[] = options.dialect === 'both' ? [primary, OTHER[primary]] : [primary];
  const compiledFor = (dialect: ScimDialect) => compileMappingSet(options.set, { dialect, baseUrl: client.base });
  const compiled = compiledFor(primary);
  if (!compiled.usable) throw new EndpointCheckInputError('The mapping set has no user mapping, so Entra would send nothing to check.');
  const run = new CheckRun(options);
  let cancelled = false;
  let cleanup: CheckResult['cleanup'];
  try {
    await discoverySteps(run, options);
    const connected = await testConnection(run, compiled);
    if (!options.readOnly) {
      if (connected) await fullSequence(run, options, runId, compiledFor, dialects);
      else run.skip({ id: 'sequence', title: 'Provisioning sequence' }, 'Test Connection failed, so Entra would not start provisioning; nothing was created.');
    }
  } catch (error) {
    if (!(error instanceof Cancelled)) throw error;
    cancelled = true;
  } finally {
    cleanup = await cleanUp(run, client);
  }
  const count = (outcome: StepOutcome) => run.steps.filter((s) => s.outcome === outcome).length;
  return {
    target: client.base,
    runId,
    mode: options.readOnly ? 'read-only' : 'full',
    dialects,
    passed: count('pass'),
    failed: count('fail'),
    skipped: count('skip'),
    cancelled,
    steps: run.steps,
    cleanup,
    startedAt,
    durationMs: Math.round(performance.now() - started),
  };
}

async function discoverySteps(run: CheckRun, options: EndpointCheckOptions): Promise<void> {
  if (options.signal?.aborted) throw new Cancelled();
  const discovery = await readDiscovery(options.client, options.signal);
  options.onDiscovery?.(discovery);
  for (const endpoint of DISCOVERY_ENDPOINTS) {
    const exchange = discovery.exchanges[endpoint];
    if (exchange.errorCode === 'Cancelled') throw new Cancelled();
    const ok = exchange.status === 200 && (isObject(exchange.responseBody) || Array.isArray(exchange.responseBody));
    run.record({
      id: `discover-${endpoint.toLowerCase()}`,
      title: `Read /${endpoint}`,
      outcome: ok ? 'pass' : 'skip',
      request: { method: exchange.method, url: exchange.url, headers: exchange.requestHeaders, body: null },
      response: { status: exchange.status, body: exchange.responseBody },
      explanation: ok
        ? `The service describes itself at /${endpoint}; \`scim-planner discover\` drafts a profile from it.`
        : `No /${endpoint} (${exchange.status === null ? (exchange.errorCode ?? 'no answer') : `HTTP ${exchange.status}`}). Entra never reads it, so this is not a failure; the profile draft has less to go on.`,
      durationMs: exchange.durationMs,
      errorCode: ok ? null : exchange.errorCode,
    });
  }
}

/** Test Connection: a filter on the matching attribute for a random GUID must answer 200 with an empty list. */
async function testConnection(run: CheckRun, compiled: CompiledMappingSet): Promise<boolean> {
  const attribute = compiled.matching[0]?.target ?? 'userName';
  const exchange = await run.step(
    {
      id: 'test-connection',
      title: 'Test Connection',
      behaviour: `Entra's Test Connection sends GET /Users?filter=${attribute} eq "<random GUID>" and needs 200 with an empty ListResponse; anything else fails Test Connection in the portal.`,
      passed: `The vendor answered the probe on ${attribute} with an empty list, as Test Connection needs.`,
    },
    matchQuery('Users', attribute, crypto.randomUUID()),
    emptyList,
  );
  return exchange !== null;
}

type Compile = (dialect: ScimDialect) => CompiledMappingSet;

async function fullSequence(run: CheckRun, options: EndpointCheckOptions, runId: string, compiledFor: Compile, dialects: ScimDialect[]): Promise<void> {
  const primary = dialects[0]!;
  const compiled = compiledFor(primary);
  const [manager, employee] = syntheticUsers(runId, options.sampleUser);
  const context = { previous: NO_PREVIOUS, provisioned: new Map<string, string>() };
  const created = previewUser(compiled, employee.source, context);
  if (created.action !== 'create') {
    throw new EndpointCheckInputError(`The plan would not create the synthetic test user (${created.action}: ${created.reason ?? 'see the preview'}); check the scoping filter and the Create target action.`);
  }
  const post = previewRequest(created, 'POST');
  assertMarked(post?.body, runId, 'test user');

  const match = created.requests[0]!;
  await run.step(
    {
      ...named('user-match'),
      behaviour: `Before creating a user Entra looks it up with ${decodeURIComponent(match.path)}, and needs 200 with an empty list for a user the vendor does not hold.`,
      passed: 'The vendor answered the match query with an empty list, so Entra would create the user.',
      remedy: 'If the vendor cannot filter on this attribute, change "Match objects using this attribute" to one it can filter on (a mapping change), or open a vendor ticket.',
    },
    { method: match.method, path: match.path },
    emptyList,
  );
  const createdExchange = await run.step(
    {
      ...named('user-create'),
      behaviour: 'Entra creates the user with exactly this POST: both user schemas, booleans as JSON, an empty "roles" and meta.resourceType, and needs 201 with the new id.',
      passed: 'The vendor created the test user and returned its id.',
      remedy: 'If the vendor names an attribute, change or delete that mapping (a mapping change); otherwise open a vendor ticket with this request and response.',
    },
    post!,
    createdWithId,
  );
  if (!createdExchange) {
    for (const id of ['manager-create', 'user-manager', 'user-update', 'user-update-several', 'user-disable', 'user-enable', 'user-deprovision', 'user-delete', ...GROUP_STEPS] as const) {
      run.skip(named(id), 'Skipped: the vendor did not create the test user these steps need.');
    }
    return;
  }
  const employeeId = String((createdExchange.responseBody as JsonObject).id);
  context.provisioned.set(String(employee.source.objectId), employeeId);
  let held: PreviousTarget = { targetId: employeeId, resource: withId(created.target, employeeId), source: employee.source };

  // The manager: a second test user, then the manager PATCH Entra sends once both exist.
  let managerId: string | null = null;
  if (compiled.managerRow) {
    const managerPreview = previewUser(compiled, manager.source, { previous: NO_PREVIOUS, provisioned: new Map() });
    const managerPost = previewRequest(managerPreview, 'POST');
    assertMarked(managerPost?.body, runId, 'test manager');
    const managerExchange = managerPost
      ? await run.step(
          {
            ...named('manager-create'),
            behaviour: 'A second test user, to be the first one’s manager.',
            passed: 'The vendor created the test manager.',
          },
          managerPost,
          createdWithId,
        )
      : null;
    if (managerExchange) {
      managerId = String((managerExchange.responseBody as JsonObject).id);
      context.provisioned.set(String(manager.source.objectId), managerId);
      const withManager = previewUser(compiled, employee.source, context);
      const patch = previewRequest(withManager, 'PATCH', employeeId, 'manager');
      if (patch) {
        const linked = await run.step(
          {
            ...named('user-manager'),
            behaviour: 'After both users exist Entra links the manager with a separate PATCH carrying the manager’s id as a plain string at the enterprise extension path.',
            passed: 'The vendor accepted the manager PATCH.',
          },
          patch,
        );
        if (linked) held = { ...held, resource: withId(withManager.target, employeeId) };
      }
    } else run.skip(named('user-manager'), 'Skipped: the test manager could not be created.');
  } else {
    run.skip(named('manager-create'), 'The plan maps no manager, so Entra sends no manager PATCH.');
    run.skip(named('user-manager'), 'The plan maps no manager, so Entra sends no manager PATCH.');
  }

  for (const dialect of dialects) {
    const second = dialect === primary ? undefined : dialect;
    const dialectCompiled = compiledFor(dialect);
    const mark = second ? `${runId} ${dialect}` : runId;
    held = await userPatchStep(run, dialectCompiled, held, changedUser(held.source, mark, 'one'), context, {
      ...named('user-update', second),
      behaviour: `When one attribute changes Entra sends a PATCH with one ${dialect === 'default' ? 'capitalised' : 'lower-case'} operation and its path.`,
      passed: 'The vendor accepted the update.',
    }, 'the plan maps none of the attributes the check changes (jobTitle)');
    held = await userPatchStep(run, dialectCompiled, held, changedUser(held.source, mark, 'several'), context, {
      ...named('user-update-several', second),
      behaviour: dialect === 'default'
        ? 'When several attributes change Entra sends one capitalised operation per attribute, each with its path.'
        : 'When several attributes change Entra with aadOptscim062020 sends one path-less replace whose value keys are attribute paths.',
      passed: 'The vendor accepted the update of several attributes.',
    }, 'the plan maps none of the attributes the check changes');
    held = await userPatchStep(run, dialectCompiled, held, { ...held.source, accountEnabled: false }, context, {
      ...named('user-disable', second),
      behaviour: `When a user is disabled or unassigned Entra sends active = ${dialect === 'default' ? '"False" as a string' : 'false'} in a PATCH.`,
      passed: 'The vendor accepted the disable.',
    }, 'the plan has no active mapping, so Entra cannot disable (it deletes instead)');
    held = await userPatchStep(run, dialectCompiled, held, { ...held.source, accountEnabled: true }, context, {
      ...named('user-enable', second),
      behaviour: `When a user is enabled again Entra sends active = ${dialect === 'default' ? '"True" as a string' : 'true'} in a PATCH.`,
      passed: 'The vendor accepted the re-enable.',
    }, 'the plan has no active mapping');
  }

  // Deprovisioning as Entra does it when the user is deleted in Entra: the preview's leaver (disable, or delete).
  const leaver = previewLeaver(compiled, held, { previous: NO_PREVIOUS, provisioned: context.provisioned });
  const deprovisionRequest = leaver.action === 'delete' ? previewRequest(leaver, 'DELETE', employeeId) : leaver.action === 'deactivate' ? previewRequest(leaver, 'PATCH', employeeId) : null;
  const profileSays = options.profile ? ` The profile says the vendor ${options.profile.features.deprovision.value === 'delete' ? 'deletes' : options.profile.features.deprovision.value === 'deactivate' ? 'deactivates' : 'does not say what it does with'} such a user.` : '';
  if (deprovisionRequest) {
    const exchange = await run.step(
      {
        ...named('user-deprovision'), title: `${TITLES['user-deprovision']} (${deprovisionRequest.method === 'DELETE' ? 'DELETE' : 'PATCH active'})`,
        behaviour: `When the user is deleted in Entra, Entra ${deprovisionRequest.method === 'DELETE' ? 'deletes the user (the plan has no active mapping)' : 'disables the user with a PATCH of active'}.${profileSays}`,
        passed: `The vendor accepted the deprovisioning.${profileSays}`,
      },
      deprovisionRequest,
      deprovisionRequest.method === 'DELETE' ? deleted : accepted,
    );
    if (exchange && deprovisionRequest.method === 'DELETE') run.gone.set(`/Users/${employeeId}`, 'user-deprovision');
  } else run.skip(named('user-deprovision'), `Entra sends nothing: ${leaver.reason ?? 'no active mapping and the Delete target action is off'}.`);
  if (!run.gone.has(`/Users/${employeeId}`)) {
    const exchange = await run.step(
      {
        ...named('user-delete'),
        behaviour: 'When a user is hard-deleted in Entra (or the Delete target action applies), Entra sends DELETE /Users/{id} and needs 204.',
        passed: 'The vendor deleted the test user.',
      },
      deleteRequest('Users', employeeId),
      deleted,
    );
    if (exchange) run.gone.set(`/Users/${employeeId}`, 'user-delete');
  }

  await groupSequence(run, options, runId, dialects, context.provisioned, [String(employee.source.objectId), ...(managerId ? [String(manager.source.objectId)] : [])]);
}

/** One user PATCH as the preview builds it for the changed source; returns what the vendor holds afterwards. */
async function userPatchStep(
  run: CheckRun,
  compiled: CompiledMappingSet,
  held: PreviousTarget,
  changed: SourceObject,
  context: { provisioned: ReadonlyMap<string, string> },
  spec: StepSpec,
  nothingToSend: string,
): Promise<PreviousTarget> {
  const preview = previewUser(compiled, changed, { previous: new Map([[String(changed.objectId), held]]), provisioned: context.provisioned });
  const patch = previewRequest(preview, 'PATCH', held.targetId, 'attributes');
  if (!patch) {
    run.skip(spec, `Entra would send nothing here: ${nothingToSend}.`);
    return { ...held, source: changed };
  }
  const expected = withId(preview.target, held.targetId);
  await run.step({ ...spec, verify: () => readBack(run, compiled, held.resource, expected) }, patch);
  // The next step builds on what the vendor would hold had it accepted this one, so each step checks one behaviour
  // (a refused disable must not hide the re-enable).
  return { ...held, resource: expected, source: changed };
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Reads the user back after an accepted PATCH: a vendor that answers 200 but keeps "False" as a string, or ignores
 * the change, passes Entra's own check and still holds the wrong value. Attributes the vendor does not return are
 * not judged.
 */
async function readBack(run: CheckRun, compiled: CompiledMappingSet, before: JsonObject, expected: JsonObject): Promise<string | null> {
  const read = await run.read(`/Users/${String(expected.id)}`);
  if (!is2xx(read) || !isObject(read.responseBody)) return null;
  const held = read.responseBody;
  const wrong: string[] = [];
  for (const row of compiled.rows) {
    if (row.isManager || row.compileFailed) continue;
    const want = readValue(expected, row.path);
    if (want === undefined || sameValue(want, readValue(before, row.path))) continue;
    const has = readValue(held, row.path);
    if (has !== undefined && !sameValue(has, want)) wrong.push(`${row.target} = ${JSON.stringify(has)} instead of ${JSON.stringify(want)}`);
  }
  return wrong.length === 0 ? null : `the vendor accepted it, but GET /Users/{id} shows ${wrong.join('; ')}`;
}

/**
 * Deletes what the run created and has not deleted yet, groups first: only ids the vendor returned for this run's
 * POSTs, and, for a POST that got no answer, a resource found by its run-id name. Never uses the run's signal, so a
 * cancelled run still cleans up.
 */
async function cleanUp(run: CheckRun, client: ScimClient): Promise<CheckResult['cleanup']> {
  const result: CheckResult['cleanup'] = { deleted: [], leftOver: [] };
  for (const lost of run.unanswered) {
    const resource = lost.resourceType === 'Group' ? 'Groups' : 'Users';
    const found = await client.send(matchQuery(resource, lost.attribute, lost.value));
    for (const hit of listOf(found.responseBody) ?? []) {
      if (typeof hit.id !== 'string' || hit[lost.attribute] !== lost.value) continue;
      if (!run.created.some((c) => c.id === hit.id)) run.created.push({ resourceType: lost.resourceType, id: hit.id, path: `/${resource}/${hit.id}`, label: lost.value });
    }
  }
  const ordered = [...run.created.filter((c) => c.resourceType === 'Group'), ...run.created.filter((c) => c.resourceType === 'User').reverse()];
  for (const resource of ordered) {
    if (run.gone.has(resource.path)) {
      result.deleted.push(resource);
      continue;
    }
    const exchange = await client.send(deleteRequest(resource.resourceType === 'Group' ? 'Groups' : 'Users', resource.id));
    if (deleted(exchange) === null) result.deleted.push(resource);
    else result.leftOver.push({ ...resource, reason: exchange.errorMessage ?? exchange.errorCode ?? `HTTP ${exchange.status}` });
  }
  return result;
}

