/**
 * Entra's provisioning cycle played against a SCIM target (Microsoft Learn "How Application Provisioning works":
 * initial and incremental cycles, deprovisioning, errors and retries; Microsoft Learn "Application provisioning in
 * quarantine status").
 *
 * Every request comes from the preview engine and the shared request builder: for each user the cycle asks
 * previewUser what Entra would send given what the target *actually* returned (the match query's hit, or the
 * linked object read by id), then sends exactly those requests; each group is decided by the preview's
 * decideGroup the same way. The only requests the cycle builds itself are the reads Entra makes before deciding
 * (match queries with the same builder, GET by cached id).
 *
 * Order within a cycle (§1.4): users (match → create/update/deprovision), then reference updates (manager
 * PATCH with target ids), then groups (match → create/rename → members).
 */
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { diffSources, diffSnapshots } from '../../../shared/directory/snapshot-diff.ts';
import { dialectOfTenantUrl, scimBaseOf, type MappingSet } from '../../../shared/mapping/model.ts';
import { compileMappingSet, type CompiledMappingSet } from '../../../shared/preview/compile.ts';
import { provisionedIds } from '../../../shared/preview/run.ts';
import { escrowThresholdReached } from '../../../shared/go-live/thresholds.ts';
import { previewLeaver, previewUser, type PreviewContext } from '../../../shared/preview/engine.ts';
import {
  compileGroupMapping,
  decideGroup,
  groupPatchRequests,
  groupRequests,
  outOfScopeReason,
  placeholderGroupId,
  type CompiledGroupMapping,
  type HeldGroup,
} from '../../../shared/preview/group-decision.ts';
import { USER_ACTIONS, type PreviousTarget, type UserPreview } from '../../../shared/preview/types.ts';
import { renderRequest, type RenderedRequest, type RequestSpec } from '../../../shared/scim/requests/render.ts';
import type { JsonObject } from '../../../shared/scim/requests/target-path.ts';
import { MANAGER_PATH, deleteRequest, matchQuery, postRequest, withManager } from '../../../shared/scim/requests/user.ts';
import { allUsers, directoryUsers, USER_BATCH, type DirectoryUsers } from './directory-users.ts';
import type { ScimClient, ScimExchange } from './scim-client.ts';
import type {
  AuditEntry,
  AuditStep,
  CycleKind,
  CycleSummary,
  CycleDirectory,
  GroupSource,
  ObjectAction,
  PlanAction,
  ProvisioningState,
  Quarantine,
  TargetLink,
} from './types.ts';

export interface CycleOptions {
  kind: CycleKind;
  set: MappingSet;
  current: CycleDirectory;
  /** incremental: the earlier snapshot; without it the cycle compares with what the links say was provisioned */
  previous?: CycleDirectory;
  /** on-demand: the user's object id or userPrincipalName */
  user?: string;
  state: ProvisioningState;
  /**
   * The Tenant URL the cycle sends to: its aadOptscim062020 flag picks the dialect (§1.2) and its base goes
   * into the rendered requests. Without it, the mapping set's own tenant URL decides.
   */
  tenantUrl?: string;
  concurrency?: number;
  signal?: AbortSignal;
  skipOutOfScopeDeletions?: boolean;
  onEntry?: (entry: AuditEntry, progress: { done: number; total: number }) => void;
  now?: () => Date;
}

interface CycleResult {
  summary: CycleSummary;
  /** the first AUDIT_SAMPLE entries; the whole audit log goes through onEntry as it happens */
  entries: AuditEntry[];
  /** how many audit entries the cycle wrote */
  processed: number;
}

/** Audit entries a cycle keeps in its result: a bounded sample, whatever the tenant's size. */
export const AUDIT_SAMPLE = 1_000;

/** After this many consecutive unanswered or refused requests the target is considered down (§1.13 quarantine). */
const UNREACHABLE_AFTER = 5;

const NO_LINKS: ReadonlyMap<string, PreviousTarget> = new Map();
const NO_IDS: ReadonlyMap<string, string> = new Map();

const idOf = (source: SourceObject) => String(source.objectId ?? '');
const labelOf = (source: SourceObject | null | undefined, fallback: string) =>
  typeof source?.userPrincipalName === 'string' ? source.userPrincipalName : typeof source?.displayName === 'string' ? source.displayName : fallback;

/** One user the cycle looks at: present in the directory (source) and/or gone from it (previousSource only). */
interface UserWork {
  id: string;
  source: SourceObject | null;
  previousSource: SourceObject | null;
}

interface GroupWork {
  id: string;
  group: GroupSource | null;
}

interface CycleSelection {
  /** the users, a batch at a time (read, decided, sent and forgotten); iterable again for the reference pass */
  userBatches(): Iterable<readonly UserWork[]>;
  userCount: number;
  groups: GroupWork[];
}

function compileFor(kind: CycleKind, set: MappingSet, tenantUrl: string | undefined): CompiledMappingSet {
  const dialect = kind === 'on-demand' ? 'default' : tenantUrl !== undefined ? dialectOfTenantUrl(tenantUrl) : undefined;
  // Provision on demand ignores the aadOptscim062020 flag: its payloads use the default shapes (§1.2, §5 item 6).
  return compileMappingSet(set, {
    ...(dialect ? { dialect } : {}),
    ...(tenantUrl !== undefined ? { baseUrl: scimBaseOf(tenantUrl) } : {}),
  });
}

function wouldCreate(compiled: CompiledMappingSet, source: SourceObject): boolean {
  return previewUser(compiled, source, { previous: NO_LINKS, provisioned: NO_IDS }).action === 'create';
}

function* chunks<T>(items: readonly T[]): Generator<readonly T[]> {
  for (let start = 0; start < items.length; start += USER_BATCH) yield items.slice(start, start + USER_BATCH);
}

/** A selection held in memory: the changes of an incremental cycle, or one user on demand. */
function selectionOf(users: readonly UserWork[], groups: GroupWork[]): CycleSelection {
  return { userBatches: () => chunks(users), userCount: users.length, groups };
}

/** Which objects a cycle processes: everything (initial), the changes (incremental), or one user (on demand). */
function selectObjects(options: Pick<CycleOptions, 'kind' | 'current' | 'previous' | 'user' | 'state' | 'set'>, compiled: CompiledMappingSet): CycleSelection {
  const { kind, current, state } = options;
  const directory = directoryUsers(current.users);
  const linked = (source: SourceObject): UserWork => ({ id: idOf(source), source, previousSource: state.getLink('User', idOf(source))?.source ?? null });
  if (kind === 'on-demand') {
    const source = directory.find(options.user ?? '');
    return selectionOf(source ? [linked(source)] : [], []);
  }
  const currentGroups = current.groups ?? [];
  if (kind === 'initial') {
    // Linked users gone from the directory are in the recycle bin: deprovisioned (§1.9).
    const gone = [...state.linkTargets('User').keys()].filter((id) => !directory.has(id));
    const groups: GroupWork[] = currentGroups.map((group) => ({ id: idOf(group.source), group }));
    const present = new Set(currentGroups.map((g) => idOf(g.source)));
    for (const link of state.allLinks('Group')) if (!present.has(link.sourceId)) groups.push({ id: link.sourceId, group: null });
    return {
      *userBatches() {
        for (const batch of directory.batches()) yield batch.map(linked);
        for (const ids of chunks(gone)) {
          yield ids.flatMap((id) => {
            const link = state.getLink('User', id);
            return link ? [{ id, source: null, previousSource: link.source }] : [];
          });
        }
      },
      userCount: directory.count + gone.length,
      groups,
    };
  }

  // Incremental: only what changed since the last cycle (§1.4: no change, no request); the changes are held, not the tenant.
  const users: UserWork[] = [];
  const groups: GroupWork[] = [];
  const chosen = new Set<string>();
  const add = (work: UserWork) => {
    if (chosen.has(work.id)) return;
    chosen.add(work.id);
    users.push(work);
  };
  if (options.previous) {
    // Comparing with an earlier snapshot reads both sides whole.
    const before = allUsers(directoryUsers(options.previous.users));
    const after = allUsers(directory);
    const byId = new Map(after.map((u) => [idOf(u), u]));
    const previousById = new Map(before.map((u) => [idOf(u), u]));
    const diff = diffSnapshots(
      before.map((u) => ({ id: idOf(u), source: u })),
      after.map((u) => ({ id: idOf(u), source: u })),
    );
    for (const id of diff.added) add({ id, source: byId.get(id)!, previousSource: null });
    for (const changed of diff.changed) add({ id: changed.id, source: byId.get(changed.id)!, previousSource: previousById.get(changed.id) ?? null });
    for (const id of diff.removed) add({ id, source: null, previousSource: previousById.get(id)! });
  } else {
    for (const batch of directory.batches()) {
      for (const source of batch) {
        const link = state.getLink('User', idOf(source));
        if (link) {
          if (diffSources(link.source, source).length > 0) add({ id: idOf(source), source, previousSource: link.source });
        } else if (wouldCreate(compiled, source)) {
          add({ id: idOf(source), source, previousSource: null });
        }
      }
    }
    for (const id of state.linkTargets('User').keys()) {
      if (directory.has(id)) continue;
      const link = state.getLink('User', id);
      if (link) add({ id, source: null, previousSource: link.source });
    }
  }
  // Escrowed failures are retried in later cycles (§1.13).
  for (const entry of state.escrowed()) {
    if (entry.objectType !== 'User') continue;
    const source = directory.byId(entry.sourceId) ?? null;
    const link = state.getLink('User', entry.sourceId);
    if (source || link) add({ id: entry.sourceId, source, previousSource: link?.source ?? null });
  }

  const groupIds = new Set<string>();
  const previousGroups = new Map((options.previous?.groups ?? []).map((g) => [idOf(g.source), g]));
  for (const group of currentGroups) {
    const id = idOf(group.source);
    const link = state.getLink('Group', id);
    const before = previousGroups.get(id);
    const changed = !link || (before ? diffSources(before.source, group.source).length > 0 || !sameMembers(before.memberIds, group.memberIds) : diffSources(link.source, group.source).length > 0);
    if (changed || chosen.size > 0) {
      groupIds.add(id);
      groups.push({ id, group });
    }
  }
  const present = new Set(currentGroups.map((g) => idOf(g.source)));
  for (const link of state.allLinks('Group')) if (!present.has(link.sourceId) && !groupIds.has(link.sourceId)) groups.push({ id: link.sourceId, group: null });
  return selectionOf(users, groups);
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((id) => set.has(id));
}

// ----- plan (dry run) ---------------------------------------------------------------------------------

export interface PlannedObject {
  objectType: 'User' | 'Group';
  sourceId: string;
  /** userPrincipalName or group displayName */
  label: string;
  displayName: string | null;
  /** the preview's vocabulary: the plan and the preview can be read side by side */
  action: PlanAction;
  reason: string | null;
  requests: RenderedRequest[];
}

export interface CyclePlan {
  kind: CycleKind;
  dialect: string;
  counts: Record<PlanAction, number>;
  objects: PlannedObject[];
}

/** A group as the decision reads it: the snapshot keeps direct members as rows, the members mapping reads them. */
function groupSourceOf(group: GroupSource): SourceObject {
  return { ...group.source, members: group.memberIds };
}

function heldGroupOf(link: TargetLink): HeldGroup {
  return { targetId: link.targetId, resource: link.resource, members: link.members ?? [] };
}

/** The enabled group mapping with the cycle's dialect and base, or null when groups are not provisioned. */
function groupMappingFor(options: Pick<CycleOptions, 'kind' | 'set'>, compiled: CompiledMappingSet): CompiledGroupMapping | null {
  // Provision on demand is for one user (§1.3).
  if (options.kind === 'on-demand') return null;
  const mapping = compileGroupMapping(options.set, { dialect: compiled.dialect, ...(compiled.baseUrl ? { baseUrl: compiled.baseUrl } : {}) });
  return 'disabled' in mapping ? null : mapping;
}

const displayNameOf = (source: SourceObject | null | undefined) => (typeof source?.displayName === 'string' ? source.displayName : null);

function linkAsPrevious(link: TargetLink): PreviousTarget {
  return { targetId: link.targetId, resource: link.resource, source: link.source };
}

/** The links of a batch as the preview reads them: what the target holds for each of these users. */
function linksOf(state: ProvisioningState, ids: Iterable<string>): Map<string, PreviousTarget> {
  const previous = new Map<string, PreviousTarget>();
  for (const id of ids) {
    const link = state.getLink('User', id);
    if (link) previous.set(id, linkAsPrevious(link));
  }
  return previous;
}

/** The users the target holds after this cycle, as the preview counts them (manager and member references), read batch by batch. */
function provisionedAfter(compiled: CompiledMappingSet, users: DirectoryUsers, state: ProvisioningState): Map<string, string> {
  const provisioned = new Map<string, string>();
  for (const batch of users.batches()) {
    for (const [id, targetId] of provisionedIds(compiled, batch, linksOf(state, batch.map(idOf)))) provisioned.set(id, targetId);
  }
  return provisioned;
}

/** A plan's totals: the objects themselves went to the caller one by one. */
export type CyclePlanTotals = Omit<CyclePlan, 'objects'>;

/**
 * What a cycle would do, computed without sending anything: the preview against what the links say the target
 * holds (users never provisioned are creates; the real cycle matches first, so some may turn into updates).
 * Each planned object goes to `onObject` as it is decided, a batch of users at a time, so a plan of a million
 * users is never held whole.
 */
export function planCycleObjects(options: Omit<CycleOptions, 'signal' | 'onEntry'>, onObject: (object: PlannedObject) => void): CyclePlanTotals {
  const compiled = compileFor(options.kind, options.set, options.tenantUrl);
  const selection = selectObjects(options, compiled);
  const provisioned = provisionedAfter(compiled, directoryUsers(options.current.users), options.state);
  const counts = Object.fromEntries(USER_ACTIONS.map((action) => [action, 0])) as CyclePlan['counts'];
  const skipOutOfScopeDeletions = options.skipOutOfScopeDeletions ?? false;
  for (const batch of selection.userBatches()) {
    const previous = linksOf(options.state, batch.map((work) => work.id));
    const context: PreviewContext = { previous, provisioned, skipOutOfScopeDeletions };
    for (const work of batch) {
      let preview: UserPreview | null = null;
      if (work.source) preview = previewUser(compiled, work.source, context);
      else {
        const link = previous.get(work.id);
        if (link) preview = previewLeaver(compiled, link, context);
      }
      if (!preview) continue;
      counts[preview.action]++;
      onObject({
        objectType: 'User',
        sourceId: work.id,
        label: labelOf(work.source ?? work.previousSource, work.id),
        displayName: displayNameOf(work.source ?? work.previousSource),
        action: preview.action,
        reason: preview.reason ?? null,
        requests: preview.requests,
      });
    }
  }
  const groupMapping = groupMappingFor(options, compiled);
  for (const work of selection.groups) {
    if (!groupMapping) break;
    const link = options.state.getLink('Group', work.id);
    const decision = decideGroup(groupMapping, { source: work.group ? groupSourceOf(work.group) : null, held: link ? heldGroupOf(link) : undefined, provisionedUsers: provisioned });
    const targetId = link?.targetId ?? (work.group ? placeholderGroupId(work.group.source) : work.id);
    counts[decision.action]++;
    onObject({
      objectType: 'Group',
      sourceId: work.id,
      label: labelOf(work.group?.source ?? link?.source, work.id),
      displayName: displayNameOf(work.group?.source ?? link?.source),
      action: decision.action,
      reason: decision.reason ?? null,
      requests: groupRequests(decision, targetId).map((spec) => renderRequest(spec, compiled.baseUrl ? { baseUrl: compiled.baseUrl } : {})),
    });
  }
  return { kind: options.kind, dialect: compiled.dialect, counts };
}

/** The whole plan in memory: for a users file (the CLI's dry run) and tests; the app streams it with planCycleObjects. */
export function planCycle(options: Omit<CycleOptions, 'signal' | 'onEntry'>): CyclePlan {
  const objects: PlannedObject[] = [];
  return { ...planCycleObjects(options, (object) => objects.push(object)), objects };
}

// ----- running a cycle ---------------------------------------------------------------------------------

/** Entra's escrow schedule: 6 h, 12 h, 24 h after the first failure, then every 24 h (§1.13). */
export function nextRetryAt(firstFailedAt: string, attempts: number): Date {
  const hours = attempts <= 1 ? 6 : attempts === 2 ? 12 : 24 * (attempts - 2);
  return new Date(Date.parse(firstFailedAt) + hours * 3_600_000);
}

class CycleAborted extends Error {}

/** What the summary counts, kept as entries pass (the entries themselves are not kept). */
interface Tally {
  entries: number;
  failed: number;
  referenceFailures: number;
  skipped: number;
  unchanged: number;
  succeeded: Partial<Record<ObjectAction, number>>;
}

const newTally = (): Tally => ({ entries: 0, failed: 0, referenceFailures: 0, skipped: 0, unchanged: 0, succeeded: {} });

function countEntry(tally: Tally, entry: AuditEntry): void {
  tally.entries++;
  if (entry.status === 'failure') tally.failed++;
  if (entry.status === 'failure' && entry.action === 'link-manager') tally.referenceFailures++;
  if (entry.status === 'skipped' && entry.action !== 'none') tally.skipped++;
  // An object whose request failed is counted as failed only, not also as unchanged (it never reached a decision).
  if (entry.action === 'none' && entry.status !== 'failure') tally.unchanged++;
  if (entry.status === 'success') tally.succeeded[entry.action] = (tally.succeeded[entry.action] ?? 0) + 1;
}

/** Whether a processed user exists in the target afterwards, so its manager reference can be linked. */
const stillLinked = (entry: AuditEntry) => entry.status !== 'failure' && entry.action !== 'delete' && entry.action !== 'deactivate';

interface Runner {
  compiled: CompiledMappingSet;
  client: ScimClient;
  options: CycleOptions;
  started: number;
  /** the first AUDIT_SAMPLE entries */
  sample: AuditEntry[];
  tally: Tally;
  total: number;
  done: number;
  unreachableStreak: number;
  abortReason: Quarantine | null;
  requestCount: number;
  /** on demand: the Test connection step, shown first in the user's steps (§1.4) */
  connectionStep: AuditStep | null;
}

function isConnectionFailure(exchange: ScimExchange): boolean {
  if (exchange.status === 401 || exchange.status === 403) return true;
  return exchange.status === null && exchange.errorCode !== 'Cancelled';
}

async function send(runner: Runner, spec: { method: RequestSpec['method']; path: string; body?: JsonObject | null }, step: AuditStep): Promise<ScimExchange> {
  if (runner.options.signal?.aborted) throw new CycleAborted('cancelled');
  if (runner.abortReason) throw new CycleAborted(runner.abortReason.reason);
  const exchange = await runner.client.send({ method: spec.method, path: spec.path, body: spec.body ?? null }, runner.options.signal);
  runner.requestCount++;
  step.requests.push(exchange);
  if (isConnectionFailure(exchange)) {
    runner.unreachableStreak++;
    if (runner.unreachableStreak >= UNREACHABLE_AFTER && !runner.abortReason) {
      const credentials = exchange.status === 401 || exchange.status === 403;
      runner.abortReason = {
        reason: credentials ? 'SystemForCrossDomainIdentityManagementCredentialValidationFailure' : 'EncounteredQuarantineException',
        since: (runner.options.now?.() ?? new Date()).toISOString(),
        detail: credentials
          ? `The target refused the credentials ${UNREACHABLE_AFTER} times in a row (HTTP ${exchange.status}); fix the Secret Token and restart.`
          : `The target stopped answering (${exchange.errorMessage ?? exchange.errorCode}); the cycle stopped and the rest is retried in the next cycle.`,
      };
    }
  } else if (exchange.status !== null) {
    runner.unreachableStreak = 0;
  }
  return exchange;
}

function step(name: AuditStep['name'], summary = '', details: Record<string, string> = {}): AuditStep {
  return { name, status: 'success', summary, details, requests: [] };
}

export function listOf(body: unknown): JsonObject[] | null {
  if (!body || typeof body !== 'object') return null;
  const resources = (body as { Resources?: unknown }).Resources;
  if (resources === undefined) return (body as { totalResults?: unknown }).totalResults === 0 ? [] : null;
  return Array.isArray(resources) ? (resources as JsonObject[]) : null;
}

type MatchOutcome = { kind: 'found'; resource: JsonObject } | { kind: 'none' } | { kind: 'failed'; code: string; message: string };

/** Tries each match query in precedence order; stops at the first that yields a unique object (§1.4 step 3, §1.5). */
async function matchByQueries(runner: Runner, queries: readonly RenderedRequest[], matchStep: AuditStep): Promise<MatchOutcome> {
  for (const query of queries) {
    const exchange = await send(runner, query, matchStep);
    const attribute = decodeURIComponent(query.path.replace(/^.*filter=/, '').replace(/\+/g, ' '));
    if (exchange.errorCode) return { kind: 'failed', code: exchange.errorCode, message: exchange.errorMessage ?? '' };
    const list = listOf(exchange.responseBody);
    if (list === null) {
      return { kind: 'failed', code: 'SystemForCrossDomainIdentityManagementServiceIncompatible', message: 'The match query did not answer a SCIM ListResponse' };
    }
    matchStep.details[`Query ${Object.keys(matchStep.details).length + 1}`] = `${attribute} → ${list.length} object(s)`;
    if (list.length > 1) {
      return {
        kind: 'failed',
        code: 'SystemForCrossDomainIdentityManagementMultipleEntriesInResponse',
        message: `${list.length} target objects match ${attribute}; Entra writes nothing (DuplicateTargetEntries)`,
      };
    }
    if (list.length === 1 && typeof list[0]!.id === 'string') return { kind: 'found', resource: list[0]! };
  }
  return { kind: 'none' };
}

/** Match queries for a source without creating anything: used to find a user to deprovision when no link is cached. */
function matchQueriesFor(compiled: CompiledMappingSet, source: SourceObject): RenderedRequest[] {
  const queries: RenderedRequest[] = [];
  for (const row of compiled.matching) {
    if (!row.program) continue;
    const result = row.program.evaluate(source);
    if (!result.ok || result.value.kind !== 'string' || result.value.value === '') continue;
    queries.push(renderRequest(matchQuery('Users', row.target, result.value.value), compiled.baseUrl ? { baseUrl: compiled.baseUrl } : {}));
  }
  return queries;
}

function finishEntry(runner: Runner, entry: AuditEntry, startedAt: number): AuditEntry {
  entry.durationMs = Math.round((performance.now() - startedAt) * 100) / 100;
  const now = (runner.options.now?.() ?? new Date()).toISOString();
  const state = runner.options.state;
  if (entry.status === 'failure' && entry.errorCode) {
    const escrow = state.escrow(entry.objectType, entry.sourceId, entry.errorCode, entry.reason ?? '', now);
    // Entra's log line for an escrowed failure (§1.13).
    entry.reason = `${entry.reason ?? entry.errorCode} This operation was retried ${escrow.attempts - 1} times. It will be retried again after this date: ${nextRetryAt(escrow.firstFailedAt, escrow.attempts).toISOString()}`;
  } else if (entry.status !== 'failure') {
    state.releaseEscrow(entry.objectType, entry.sourceId);
  }
  if (runner.sample.length < AUDIT_SAMPLE) runner.sample.push(entry);
  countEntry(runner.tally, entry);
  runner.done++;
  runner.options.onEntry?.(entry, { done: runner.done, total: runner.total });
  return entry;
}

function newEntry(runner: Runner, objectType: 'User' | 'Group', sourceId: string, label: string): AuditEntry {
  return {
    objectType,
    sourceId,
    label,
    action: 'none',
    status: 'success',
    reason: null,
    errorCode: null,
    targetId: null,
    startedMs: Math.round(performance.now() - runner.started),
    durationMs: 0,
    steps: [],
  };
}

function fail(entry: AuditEntry, at: AuditStep, code: string, message: string): void {
  at.status = 'failure';
  at.summary = at.summary || message;
  entry.status = 'failure';
  entry.errorCode = code;
  entry.reason = message;
}

function scopeStep(compiled: CompiledMappingSet, source: SourceObject | null): AuditStep {
  if (!source) {
    return step('Scope', 'The user is no longer in the directory (recycle bin or deleted)', { 'Active in source system': 'False' });
  }
  const inScope = compiled.scope.inScope(source);
  const details: Record<string, string> = {
    'Active in source system': source.accountEnabled === false ? 'False' : 'True',
    'Assigned to application': source.IsSoftDeleted === true ? 'False' : 'True',
    'Scoping filter evaluation passed': inScope ? 'True' : 'False',
  };
  const reason = compiled.scope.explain(source);
  return step('Scope', inScope ? 'In scope' : `Out of scope: ${reason ?? 'scoping filter'}`, details);
}

async function processUser(runner: Runner, work: UserWork): Promise<AuditEntry> {
  const { compiled, options } = runner;
  const state = options.state;
  const startedAt = performance.now();
  const entry = newEntry(runner, 'User', work.id, labelOf(work.source ?? work.previousSource, work.id));
  const importStep = step('Import', work.source ? 'Imported the user from Entra ID' : 'The user was not found in Entra ID', {
    objectId: work.id,
    userPrincipalName: String(work.source?.userPrincipalName ?? work.previousSource?.userPrincipalName ?? ''),
  });
  if (runner.connectionStep) entry.steps.push(runner.connectionStep);
  entry.steps.push(importStep, scopeStep(compiled, work.source));
  try {
    const link = state.getLink('User', work.id);
    const empty: PreviewContext = { previous: NO_LINKS, provisioned: NO_IDS, skipOutOfScopeDeletions: options.skipOutOfScopeDeletions ?? false };
    const createPlan = work.source ? previewUser(compiled, work.source, empty) : null;
    const matchStep = step('Match');
    entry.steps.push(matchStep);
    let previous: PreviousTarget | undefined;

    if (link) {
      // Linked: Entra reads the cached id (§1.4 "Linked objects"); a 404 is InvalidAnchor.
      matchStep.details['Cached target id'] = link.targetId;
      const exchange = await send(runner, { method: 'GET', path: `/Users/${encodeURIComponent(link.targetId)}` }, matchStep);
      if (exchange.status === 404) {
        state.deleteLink('User', work.id);
        fail(entry, matchStep, 'InvalidAnchor', `The target no longer has the linked object ${link.targetId}; the link was dropped so the next cycle matches again`);
        return finishEntry(runner, entry, startedAt);
      }
      if (exchange.errorCode || !exchange.responseBody || typeof exchange.responseBody !== 'object') {
        fail(entry, matchStep, exchange.errorCode ?? 'SystemForCrossDomainIdentityManagementServiceIncompatible', exchange.errorMessage ?? 'The target answered without a resource');
        return finishEntry(runner, entry, startedAt);
      }
      previous = { targetId: link.targetId, resource: exchange.responseBody as JsonObject, source: link.source };
      matchStep.summary = `Linked to target object ${link.targetId}`;
    } else {
      const wantsTarget = createPlan?.action === 'create';
      // A user the cycle would deprovision but never linked: look it up with what it was provisioned with.
      const deprovisioning = !wantsTarget && options.kind === 'incremental' && work.previousSource !== null;
      if (!wantsTarget && !deprovisioning) {
        entry.action = 'skip';
        entry.status = createPlan?.action === 'error' ? 'failure' : 'skipped';
        entry.reason = createPlan?.reason ?? 'not in the directory and never provisioned';
        if (createPlan?.action === 'error') {
          const userNameMissing = createPlan.findings.some((f) => f.code === 'USERNAME_MISSING');
          fail(entry, matchStep, userNameMissing ? 'MandatoryFieldsMissing' : 'ExpressionEvaluationFailed', createPlan.findings.find((f) => f.severity === 'error')?.message ?? entry.reason);
        } else if (createPlan?.findings.some((f) => f.code === 'NO_MATCHING_VALUE')) {
          entry.errorCode = 'ImportSkipped';
        }
        matchStep.summary = 'Not matched: the user is not provisioned';
        matchStep.status = entry.status === 'failure' ? 'failure' : 'skipped';
        return finishEntry(runner, entry, startedAt);
      }
      const queries = wantsTarget
        ? createPlan!.requests.filter((r) => r.method === 'GET')
        : matchQueriesFor(compiled, work.previousSource ?? work.source!);
      const outcome = await matchByQueries(runner, queries, matchStep);
      if (outcome.kind === 'failed') {
        fail(entry, matchStep, outcome.code, outcome.message);
        return finishEntry(runner, entry, startedAt);
      }
      if (outcome.kind === 'found') {
        previous = { targetId: String(outcome.resource.id), resource: outcome.resource, source: work.previousSource ?? work.source! };
        matchStep.summary = `Matched target object ${previous.targetId}`;
        matchStep.details['Matched target object'] = previous.targetId;
      } else if (!wantsTarget) {
        entry.action = 'skip';
        entry.status = 'skipped';
        entry.reason = 'not found in the target: nothing to deprovision';
        matchStep.summary = 'No target object matched';
        matchStep.status = 'skipped';
        return finishEntry(runner, entry, startedAt);
      } else {
        matchStep.summary = 'No target object matched: the user will be created';
      }
    }

    // Ask the preview what Entra sends given what the target holds; managers are linked after all users (§1.7).
    const context: PreviewContext = previous ? { ...empty, previous: new Map([[work.id, previous]]) } : empty;
    // Nothing matched: the create plan computed above is already what Entra sends.
    const preview = !previous && createPlan ? createPlan : work.source ? previewUser(compiled, work.source, context) : previewLeaver(compiled, previous!, context);
    const actionStep = step('Action');
    entry.steps.push(actionStep);
    entry.action = preview.action === 'error' ? 'skip' : preview.action;
    entry.reason = preview.reason ?? null;
    entry.targetId = previous?.targetId ?? null;
    actionStep.details.Action = preview.action;
    if (preview.action === 'error') {
      fail(entry, actionStep, 'ExpressionEvaluationFailed', preview.findings.find((f) => f.severity === 'error')?.message ?? preview.reason ?? 'a mapping failed to evaluate');
      return finishEntry(runner, entry, startedAt);
    }
    const toSend = preview.requests.filter((r) => r.method !== 'GET');
    let targetId = previous?.targetId ?? null;
    let resource: JsonObject | null = preview.target;
    for (const request of toSend) {
      const exchange = await send(runner, request, actionStep);
      if (exchange.errorCode) {
        fail(entry, actionStep, exchange.errorCode, exchange.errorMessage ?? exchange.errorCode);
        return finishEntry(runner, entry, startedAt);
      }
      if (request.method === 'POST') {
        const body = exchange.responseBody as JsonObject | null;
        if (!body || typeof body.id !== 'string' || body.id === '') {
          fail(entry, actionStep, 'SystemForCrossDomainIdentityManagementServiceIncompatible', 'The create answer has no id, so Entra cannot link the user');
          return finishEntry(runner, entry, startedAt);
        }
        targetId = body.id;
        resource = { ...(preview.target ?? {}), id: body.id };
      }
    }
    entry.targetId = targetId;
    const exported = toSend.find((r) => r.body)?.body;
    if (exported) actionStep.details['Exported attributes'] = Object.keys(exported).filter((k) => k !== 'schemas').join(', ');
    if (preview.action === 'none') {
      entry.status = 'skipped';
      entry.reason = preview.reason ?? 'No attribute differs from the target: nothing to export';
      actionStep.status = 'skipped';
    }
    actionStep.summary = summaryOf(preview.action, targetId);
    if (preview.action === 'delete') state.deleteLink('User', work.id);
    else if (targetId && resource && work.source) state.putLink({ objectType: 'User', sourceId: work.id, targetId, resource, source: work.source });
    else if (targetId && resource && previous) state.putLink({ objectType: 'User', sourceId: work.id, targetId, resource, source: previous.source });
    return finishEntry(runner, entry, startedAt);
  } catch (error) {
    if (!(error instanceof CycleAborted)) throw error;
    const at = entry.steps[entry.steps.length - 1]!;
    fail(entry, at, runner.options.signal?.aborted ? 'Cancelled' : (runner.abortReason?.reason ?? 'Cancelled'), runner.options.signal?.aborted ? 'The cycle was cancelled before this user finished' : (runner.abortReason?.detail ?? 'stopped'));
    return finishEntry(runner, entry, startedAt);
  }
}

function summaryOf(action: string, targetId: string | null): string {
  switch (action) {
    case 'create':
      return `Created the user in the target (id ${targetId})`;
    case 'update':
      return `Updated the user in the target (id ${targetId})`;
    case 'deactivate':
      return `Disabled the user in the target (id ${targetId})`;
    case 'delete':
      return `Deleted the user from the target (id ${targetId})`;
    case 'none':
      return 'Skipped: the target already holds these values';
    default:
      return `Skipped (${action})`;
  }
}

/**
 * Whether the manager mapping yields a value: only those users can need a link. (A removed manager is sent in
 * the user's own update, where the preview already emits the removal.)
 */
function hasManagerValue(compiled: CompiledMappingSet, source: SourceObject): boolean {
  const row = compiled.managerRow;
  if (!row?.program) return false;
  const result = row.program.evaluate(source);
  return result.ok && result.value.kind !== 'null' && result.value.kind !== 'ignore';
}

function isManagerPatch(request: RenderedRequest): boolean {
  if (request.method !== 'PATCH' || !request.body) return false;
  const operations = (request.body.Operations ?? []) as JsonObject[];
  return operations.length > 0 && operations.every((op) => typeof op.path === 'string' && (op.path.toLowerCase() === MANAGER_PATH.toLowerCase() || op.path.toLowerCase().startsWith('manager')));
}

/** Reference updates after every user exists (§1.4 step 6, §1.7): the manager's *target* id, in a separate PATCH. */
async function linkManager(runner: Runner, work: UserWork, provisioned: ReadonlyMap<string, string>): Promise<AuditEntry | null> {
  const { compiled, options } = runner;
  const link = options.state.getLink('User', work.id);
  if (!link || !work.source || !compiled.managerRow) return null;
  const context: PreviewContext = { previous: new Map([[work.id, linkAsPrevious(link)]]), provisioned };
  const preview = previewUser(compiled, work.source, context);
  const patches = preview.requests.filter(isManagerPatch);
  if (patches.length === 0) return null;
  const startedAt = performance.now();
  const entry = newEntry(runner, 'User', work.id, labelOf(work.source, work.id));
  entry.action = 'link-manager';
  entry.targetId = link.targetId;
  const reference = step('Reference', 'Linked the manager with its target id');
  entry.steps.push(reference);
  try {
    let resource = link.resource;
    for (const patch of patches) {
      const exchange = await send(runner, patch, reference);
      if (exchange.errorCode) {
        fail(entry, reference, exchange.errorCode, exchange.errorMessage ?? exchange.errorCode);
        return finishEntry(runner, entry, startedAt);
      }
      const op = ((patch.body!.Operations ?? []) as JsonObject[])[0]!;
      resource = withManager(resource, typeof op.value === 'string' ? op.value : undefined);
      reference.details.Manager = typeof op.value === 'string' ? op.value : 'removed';
    }
    options.state.putLink({ ...link, resource });
  } catch (error) {
    if (!(error instanceof CycleAborted)) throw error;
    fail(entry, reference, runner.abortReason?.reason ?? 'Cancelled', runner.abortReason?.detail ?? 'The cycle was cancelled');
  }
  return finishEntry(runner, entry, startedAt);
}

/**
 * One group (§1.10, S8–S11): the decision the preview shows, taken against what the target returns. A linked
 * group is read by its cached id; an unlinked one is matched first and, when found, decided again as linked.
 */
async function processGroup(runner: Runner, mapping: CompiledGroupMapping, work: GroupWork, provisioned: ReadonlyMap<string, string>): Promise<AuditEntry> {
  const { compiled, options } = runner;
  const state = options.state;
  const link = state.getLink('Group', work.id);
  const startedAt = performance.now();
  const entry = newEntry(runner, 'Group', work.id, labelOf(work.group?.source ?? link?.source, work.id));
  const baseOptions = compiled.baseUrl ? { baseUrl: compiled.baseUrl } : {};
  const matchStep = step('Match');
  const actionStep = step('Action');
  const source = work.group ? groupSourceOf(work.group) : null;
  entry.steps.push(step('Import', work.group ? 'Imported the group from Entra ID' : 'The group was not found in Entra ID', { objectId: work.id }));
  if (source) {
    // The group mapping's own scoping filter (§1.4), as the decision applies it.
    const outside = outOfScopeReason(mapping, source);
    entry.steps.push(step('Scope', outside ? `Out of scope: ${outside}` : 'In scope', { 'Scoping filter evaluation passed': outside ? 'False' : 'True' }));
  }
  entry.steps.push(matchStep);
  const decide = (held: HeldGroup | undefined) => decideGroup(mapping, { source, held, provisionedUsers: provisioned });
  try {
    let held: HeldGroup | undefined;
    if (link && work.group) {
      const exchange = await send(runner, { method: 'GET', path: `/Groups/${encodeURIComponent(link.targetId)}?excludedAttributes=members` }, matchStep);
      if (exchange.status === 404) {
        state.deleteLink('Group', work.id);
        fail(entry, matchStep, 'InvalidAnchor', `The target no longer has the linked group ${link.targetId}; the link was dropped so the next cycle matches again`);
        return finishEntry(runner, entry, startedAt);
      }
      if (exchange.errorCode) {
        fail(entry, matchStep, exchange.errorCode, exchange.errorMessage ?? '');
        return finishEntry(runner, entry, startedAt);
      }
      held = { targetId: link.targetId, resource: exchange.responseBody as JsonObject, members: link.members ?? [] };
      matchStep.summary = `Linked to target group ${link.targetId}`;
    } else if (link) {
      held = heldGroupOf(link);
    }
    let decision = decide(held);
    if (decision.action === 'error') {
      entry.action = 'skip';
      fail(entry, matchStep, 'ExpressionEvaluationFailed', decision.findings.find((f) => f.severity === 'error')?.message ?? decision.reason ?? 'a group mapping failed to evaluate');
      return finishEntry(runner, entry, startedAt);
    }
    if (decision.action === 'skip') {
      entry.action = 'skip';
      entry.status = 'skipped';
      entry.reason = decision.reason ?? null;
      return finishEntry(runner, entry, startedAt);
    }
    if (decision.action === 'create' && decision.match) {
      // Not linked: Entra matches before it creates (§1.5); a hit is linked and decided again against it.
      const query = renderRequest(matchQuery('Groups', decision.match.attribute, decision.match.value), baseOptions);
      const outcome = await matchByQueries(runner, [query], matchStep);
      if (outcome.kind === 'failed') {
        fail(entry, matchStep, outcome.code, outcome.message);
        return finishEntry(runner, entry, startedAt);
      }
      if (outcome.kind === 'found') {
        held = { targetId: String(outcome.resource.id), resource: outcome.resource, members: [] };
        matchStep.summary = `Matched target group ${held.targetId}`;
        decision = decide(held);
      } else matchStep.summary = 'No target group matched: the group will be created';
    }
    entry.steps.push(actionStep);
    entry.action = decision.action === 'error' || decision.action === 'skip' ? 'skip' : decision.action;
    entry.reason = decision.reason ?? null;
    let targetId = held?.targetId ?? null;
    entry.targetId = targetId;
    if (decision.action === 'delete' && held) {
      // S11: a group unassigned, deleted or out of scope is deleted in the target (§1.10).
      const exchange = await send(runner, deleteRequest('Groups', held.targetId), actionStep);
      if (exchange.errorCode && exchange.status !== 404) fail(entry, actionStep, exchange.errorCode, exchange.errorMessage ?? '');
      else {
        state.deleteLink('Group', work.id);
        actionStep.summary = `Deleted the group from the target (id ${held.targetId})`;
      }
      return finishEntry(runner, entry, startedAt);
    }
    if (decision.post && work.group) {
      const exchange = await send(runner, postRequest('Groups', decision.post), actionStep);
      const created = exchange.responseBody as JsonObject | null;
      if (exchange.errorCode || !created || typeof created.id !== 'string') {
        fail(entry, actionStep, exchange.errorCode ?? 'SystemForCrossDomainIdentityManagementServiceIncompatible', exchange.errorMessage ?? 'The create answer has no id');
        return finishEntry(runner, entry, startedAt);
      }
      targetId = created.id;
      entry.targetId = targetId;
      // the group exists now, without members: a failing member PATCH keeps the link (S8)
      state.putLink({ objectType: 'Group', sourceId: work.id, targetId, resource: { ...decision.post, id: targetId }, source: work.group.source, members: [] });
      actionStep.summary = `Created the group in the target (id ${targetId})`;
    }
    if (targetId === null) return finishEntry(runner, entry, startedAt);
    // S8–S10: attribute changes, then members as the users' target ids.
    for (const patch of groupPatchRequests(decision, targetId)) {
      const exchange = await send(runner, patch, actionStep);
      if (exchange.errorCode) {
        fail(entry, actionStep, exchange.errorCode, exchange.errorMessage ?? '');
        return finishEntry(runner, entry, startedAt);
      }
    }
    if (decision.memberOperations.length > 0) {
      actionStep.details['Members added'] = String(decision.addMembers.length);
      actionStep.details['Members removed'] = String(decision.removeMembers.length);
    }
    if (decision.action === 'none') {
      entry.status = 'skipped';
      entry.reason = decision.reason ?? 'No attribute or member differs: nothing to export';
      actionStep.status = 'skipped';
      actionStep.summary = 'Skipped: nothing changed';
    } else if (!actionStep.summary) actionStep.summary = `Updated the group in the target (id ${targetId})`;
    if (work.group && decision.target) {
      state.putLink({ objectType: 'Group', sourceId: work.id, targetId, resource: { ...decision.target, id: targetId }, source: work.group.source, members: decision.members });
    }
    return finishEntry(runner, entry, startedAt);
  } catch (error) {
    if (!(error instanceof CycleAborted)) throw error;
    fail(entry, entry.steps[entry.steps.length - 1]!, runner.abortReason?.reason ?? 'Cancelled', runner.abortReason?.detail ?? 'The cycle was cancelled');
    return finishEntry(runner, entry, startedAt);
  }
}

/** Runs `work` over items with at most `concurrency` in flight; stops taking new items once `stop()` says so. */
async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<unknown>, stop: () => boolean): Promise<number> {
  let next = 0;
  let started = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length && !stop()) {
      const item = items[next++]!;
      started++;
      await work(item);
    }
  });
  await Promise.all(lanes);
  return started;
}

export async function runCycle(client: ScimClient, options: CycleOptions): Promise<CycleResult> {
  const compiled = compileFor(options.kind, options.set, options.tenantUrl ?? client.target.tenantUrl);
  const state = options.state;
  if (options.kind === 'initial') {
    // A restart clears escrows but keeps links (§1.13 "Restart").
    state.clearEscrow();
  }
  const selection = selectObjects(options, compiled);
  const groupMapping = groupMappingFor(options, compiled);
  const runner: Runner = {
    compiled,
    client,
    options,
    started: performance.now(),
    sample: [],
    tally: newTally(),
    total: selection.userCount + (groupMapping ? selection.groups.length : 0),
    done: 0,
    unreachableStreak: 0,
    abortReason: null,
    requestCount: 0,
    connectionStep: null,
  };
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const stop = () => options.signal?.aborted === true || runner.abortReason !== null;
  // Objects the cycle never reached are escrowed, so the next cycle picks them up (§1.13).
  let notProcessed = 0;
  const escrowUnreached = (objectType: 'User' | 'Group', ids: readonly string[]) => {
    const code = options.signal?.aborted ? 'Cancelled' : (runner.abortReason?.reason ?? 'Cancelled');
    const now = (options.now?.() ?? new Date()).toISOString();
    for (const id of ids) state.escrow(objectType, id, code, 'not reached in the previous cycle', now);
    notProcessed += ids.length;
  };

  const connectionFailed = options.kind === 'on-demand' && !(await testConnection(runner, selection));
  if (connectionFailed) {
    // Step 1 failed: the on-demand run stops there and shows it (Entra shows step 1 only when it fails).
    const work = firstUser(selection)!;
    const entry = newEntry(runner, 'User', work.id, labelOf(work.source, work.id));
    entry.steps.push(runner.connectionStep!);
    entry.action = 'skip';
    fail(entry, runner.connectionStep!, runner.abortReason?.reason ?? 'SystemForCrossDomainIdentityManagementCredentialValidationUnavailable', runner.connectionStep!.summary);
    finishEntry(runner, entry, performance.now());
  }

  // Users, a batch at a time; only the ids of those whose manager may need a link are kept for the reference pass.
  const needsManager = new Set<string>();
  for (const batch of connectionFailed ? [] : selection.userBatches()) {
    const started = stop()
      ? 0
      : await pool(
          batch,
          concurrency,
          async (work) => {
            const entry = await processUser(runner, work);
            if (compiled.managerRow && work.source && stillLinked(entry) && hasManagerValue(compiled, work.source)) needsManager.add(work.id);
          },
          stop,
        );
    // a batch is taken in order, so the users not reached are its tail
    if (started < batch.length) escrowUnreached('User', batch.slice(started).map((work) => work.id));
  }

  if (!stop() && needsManager.size > 0) {
    const provisioned = state.linkTargets('User');
    runner.total += needsManager.size;
    for (const batch of selection.userBatches()) {
      if (stop()) break;
      await pool(
        batch.filter((work) => work.source && needsManager.has(work.id)),
        concurrency,
        async (work) => {
          // users whose manager needs no change still count towards the progress
          if ((await linkManager(runner, work, provisioned)) === null) runner.done++;
        },
        stop,
      );
    }
  }
  if (groupMapping) {
    let started = 0;
    if (!stop()) {
      const provisioned = state.linkTargets('User');
      // Each group's requests (match, create, members) are sequential inside processGroup; groups run side by side.
      started = await pool(selection.groups, concurrency, (work) => processGroup(runner, groupMapping, work, provisioned), stop);
    }
    if (stop()) {
      const unreached = selection.groups.slice(started);
      notProcessed += unreached.filter((work) => !work.group).length;
      escrowUnreached('Group', unreached.filter((work) => work.group).map((work) => work.id));
    }
  }

  const summary = summarise(runner, notProcessed);
  return { summary, entries: runner.sample, processed: runner.tally.entries };
}

function firstUser(selection: CycleSelection): UserWork | undefined {
  for (const batch of selection.userBatches()) if (batch.length > 0) return batch[0];
  return undefined;
}

/** On-demand step 1 (§1.3): a match query for a random GUID must answer 200 with an empty list. */
async function testConnection(runner: Runner, selection: CycleSelection): Promise<boolean> {
  const row = runner.compiled.matching[0];
  if (selection.userCount === 0 || !row) return true;
  const connection = step('Test connection');
  runner.connectionStep = connection;
  let exchange: ScimExchange | null = null;
  try {
    exchange = await send(runner, renderRequest(matchQuery('Users', row.target, crypto.randomUUID())), connection);
  } catch (error) {
    if (!(error instanceof CycleAborted)) throw error;
  }
  const ok = exchange !== null && exchange.status === 200 && (listOf(exchange.responseBody)?.length ?? -1) === 0;
  connection.status = ok ? 'success' : 'failure';
  connection.summary = ok ? 'The target answered the probe with an empty list' : `Test connection failed: ${exchange?.errorMessage ?? exchange?.errorCode ?? 'no answer'}`;
  if (!ok) {
    runner.abortReason = {
      reason: connectionFailureCode(exchange),
      since: new Date().toISOString(),
      detail: connection.summary,
    };
  }
  return ok;
}

/** How Entra classifies a failed Test connection (§1.3). */
export function connectionFailureCode(exchange: ScimExchange | null): string {
  if (!exchange || exchange.status === null) return 'SystemForCrossDomainIdentityManagementCredentialValidationUnavailable';
  if (exchange.status === 401 || exchange.status === 403) return 'SystemForCrossDomainIdentityManagementCredentialValidationFailure';
  return 'SystemForCrossDomainIdentityManagementServiceIncompatible';
}

function summarise(runner: Runner, notProcessed: number): CycleSummary {
  const { tally } = runner;
  const succeeded = (action: ObjectAction) => tally.succeeded[action] ?? 0;
  const failed = tally.failed;
  const state = runner.options.state;
  let quarantine = runner.abortReason;
  if (!quarantine && escrowThresholdReached(failed, tally.referenceFailures, tally.entries)) {
    quarantine = { reason: 'EncounteredEscrowProportionThreshold', since: new Date().toISOString(), detail: `${failed} of ${tally.entries} objects failed in this cycle` };
  }
  if (quarantine) state.setQuarantine(quarantine);
  else if (failed === 0 && !runner.options.signal?.aborted) state.setQuarantine(null);
  const cancelled = runner.options.signal?.aborted === true;
  return {
    kind: runner.options.kind,
    created: succeeded('create'),
    updated: succeeded('update'),
    disabled: succeeded('deactivate'),
    deleted: succeeded('delete'),
    skipped: tally.skipped,
    unchanged: tally.unchanged,
    failed,
    notProcessed,
    requests: runner.requestCount,
    durationMs: Math.round(performance.now() - runner.started),
    status: cancelled ? 'cancelled' : quarantine ? 'quarantined' : 'completed',
    quarantine: quarantine ?? state.quarantine(),
  };
}
