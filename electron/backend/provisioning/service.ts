/**
 * The app side of the provisioning simulator: reads the project's snapshot and mapping set from the workspace,
 * resolves the target, enforces the safety rules (issue 9: nothing to a non-loopback endpoint without
 * confirmation), runs one cycle at a time in the background, and writes runs and the audit log.
 */
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { MappingSet } from '../../../shared/mapping/model.ts';
import type { DirectoryEdit, ProvisioningPlan, ProvisioningTarget, RunStatus } from '../../../shared/api/provisioning.ts';
import { UserFacingError } from '../errors.ts';
import { projectMappingSet } from '../services/mapping-sets.ts';
import type { WorkspaceSession } from '../session/workspace-session.ts';
import type { WorkspaceStore } from '../workspace/store.ts';
import { connectionFailureCode, planCycleObjects, runCycle, type CycleOptions, type PlannedObject } from './cycle.ts';
import { auditToCsv, auditToJson } from './export.ts';
import { ScimClient, TargetUrlError, type TargetConfig } from './scim-client.ts';
import type { ProvisioningStore} from './store.ts';
import { targetKeyOf } from './store.ts';
import type { AuditEntry, CycleKind, CycleSummary, DirectoryReader, DirectoryState, GroupSource } from './types.ts';
import { matchQuery } from '../../../shared/scim/requests/user.ts';
import { compileMappingSet } from '../../../shared/preview/compile.ts';
import { isBuiltInProfileId, loadBuiltInProfile } from '../../../shared/vendors/index.ts';
import { forecastTallyOf } from '../go-live/impact.ts';
import { snapshotUsers, type DirectoryUsers } from './directory-users.ts';

interface CycleRequest {
  cycle: CycleKind;
  target: ProvisioningTarget;
  snapshotId?: number | undefined;
  previousSnapshotId?: number | undefined;
  user?: string | undefined;
  edits: DirectoryEdit[];
  concurrency: number;
}

interface ProvisioningServiceDeps {
  /** the open workspace; a cycle keeps the one it started in and is cancelled when that one closes */
  session: () => WorkspaceSession;
  /** this app's mock SCIM server (the mock-server area's status), or null when it does not run */
  mockServer: () => Promise<{ url: string | null; token: string | null; running: boolean }>;
  onProgress: (event: { runId: number; done: number; total: number; status: RunStatus; summary: CycleSummary | null }) => void;
  onEntry: (runId: number, row: ReturnType<ProvisioningStore['auditLog']>['items'][number]) => void;
}

/** A snapshot's groups, each with its direct user members. */
function snapshotGroups(store: WorkspaceStore, snapshotId: number): GroupSource[] {
  const members = new Map<string, string[]>();
  for (const m of store.listMemberships(snapshotId)) {
    if (m.memberType !== 'user') continue;
    const list = members.get(m.groupId);
    if (list) list.push(m.memberId);
    else members.set(m.groupId, [m.memberId]);
  }
  return store.listGroupSources(snapshotId).map((source) => ({ source: source as SourceObject, memberIds: members.get(String(source.objectId ?? '')) ?? [] }));
}

/** A snapshot as a cycle reads it: users in batches by ordinal ranges, and each group with its direct user members. */
export function snapshotReader(store: WorkspaceStore, snapshotId: number): DirectoryReader {
  return { users: snapshotUsers(store, snapshotId), groups: snapshotGroups(store, snapshotId) };
}

/** A snapshot whole in memory: every user's source object (the CLI's apply, which closes the workspace before it reads). */
export function snapshotDirectory(store: WorkspaceStore, snapshotId: number): DirectoryState {
  const users: SourceObject[] = [];
  for (const user of store.iterateUsers(snapshotId)) users.push(user.source as SourceObject);
  return { users, groups: snapshotGroups(store, snapshotId) };
}

/** Progress events at most this often: a 10,000-user cycle must not flood the event door. */
const PROGRESS_INTERVAL_MS = 100;
const FLUSH_EVERY = 100;
/** Planned objects the Provisioning screen lists; the counts cover the rest. */
const PLAN_OBJECTS_SHOWN = 500;

export class ProvisioningService {
  private readonly running = new Map<number, { controller: AbortController; done: Promise<void> }>();

  constructor(private readonly deps: ProvisioningServiceDeps) {}


  async targetConfig(target: ProvisioningTarget): Promise<TargetConfig> {
    if (target === 'mock') {
      const status = await this.deps.mockServer();
      if (!status.running || !status.url || !status.token) {
        throw new UserFacingError('mock-server-stopped', 'The mock server is not running: start it on the Mock server screen (or here), then try again.');
      }
      return { tenantUrl: status.url, auth: { kind: 'bearer', token: status.token } };
    }
    return { tenantUrl: target.url, auth: { kind: 'bearer', token: target.token } };
  }

  async client(target: ProvisioningTarget): Promise<ScimClient> {
    try {
      return new ScimClient(await this.targetConfig(target));
    } catch (error) {
      if (error instanceof TargetUrlError) throw new UserFacingError('invalid-target', error.message);
      throw error;
    }
  }

  /** The project's mapping set: the newest saved revision, or Entra's default mappings when none is saved. */
  mappingSet(session = this.deps.session()): MappingSet {
    return projectMappingSet(session.store, session.projectId).set;
  }

  directory(snapshotId: number, session = this.deps.session()): DirectoryReader {
    return snapshotReader(session.store, snapshotId);
  }

  private cycleOptions(session: WorkspaceSession, request: CycleRequest, tenantUrl: string): Omit<CycleOptions, 'signal' | 'onEntry'> {
    const snapshotId = request.snapshotId ?? session.latestSnapshot().id;
    const base = this.directory(snapshotId, session);
    const current = applyEdits(base, request.edits);
    const client = new ScimClient({ tenantUrl, auth: { kind: 'bearer', token: 'plan' } });
    const state = session.provisioning.stateFor(session.projectId, targetKeyOf(client.base));
    if (request.cycle === 'on-demand' && !request.user) throw new UserFacingError('invalid-input', 'Provision on demand needs a user (userPrincipalName or object id)');
    return {
      kind: request.cycle,
      set: this.mappingSet(session),
      current,
      ...(request.cycle === 'incremental' && request.previousSnapshotId ? { previous: this.directory(request.previousSnapshotId, session) } : {}),
      ...(request.user ? { user: request.user } : {}),
      state,
      tenantUrl,
      concurrency: request.concurrency,
    };
  }

  async plan(request: CycleRequest): Promise<ProvisioningPlan> {
    const config = await this.targetConfig(request.target);
    const client = await this.client(request.target);
    const session = this.deps.session();
    const options = this.cycleOptions(session, request, config.tenantUrl);
    // The plan streams: the screen gets its first objects, the counts and the forecast, never the whole plan.
    const shown: PlannedObject[] = [];
    let totalObjects = 0;
    const forecast = forecastTallyOf(options.current.groups ?? []);
    const plan = planCycleObjects(options, (object) => {
      totalObjects++;
      if (shown.length < PLAN_OBJECTS_SHOWN) shown.push(object);
      forecast.add(object);
    });
    const vendorId = session.project().vendorId;
    const rateLimits = vendorId && isBuiltInProfileId(vendorId) ? loadBuiltInProfile(vendorId).rateLimits : null;
    return {
      kind: plan.kind,
      targetUrl: client.base,
      loopback: client.loopback,
      dialect: plan.dialect,
      counts: plan.counts,
      objects: shown.map((o) => ({
        objectType: o.objectType,
        sourceId: o.sourceId,
        label: o.label,
        action: o.action,
        reason: o.reason,
        requests: o.requests.map((r) => ({ method: r.method, path: r.path, body: r.body })),
      })),
      totalObjects,
      quarantine: options.state.quarantine(),
      forecast: plan.kind === 'initial' ? forecast.forecast(options.set, rateLimits) : null,
    };
  }

  async testConnection(target: ProvisioningTarget) {
    const client = await this.client(target);
    const compiled = compileMappingSet(this.mappingSet(), { baseUrl: client.base });
    const attribute = compiled.matching[0]?.target ?? 'userName';
    const exchange = await client.send(matchQuery('Users', attribute, crypto.randomUUID()));
    const list = exchange.responseBody as { totalResults?: unknown; Resources?: unknown } | null;
    const empty = exchange.status === 200 && (list?.totalResults === 0 || (Array.isArray(list?.Resources) && list.Resources.length === 0));
    const errorCode = empty ? null : connectionFailureCode(exchange);
    return {
      ok: empty,
      targetUrl: client.base,
      status: exchange.status,
      errorCode,
      message: empty
        ? `The target answered the probe ${attribute} eq "<random GUID>" with an empty list: the connection works.`
        : exchange.status === 200
          ? 'The target answered 200 but not with an empty list: Entra needs a ListResponse with no Resources for a user that cannot exist.'
          : `Test connection failed (${errorCode}): ${exchange.errorMessage ?? `HTTP ${exchange.status}`}`,
      durationMs: exchange.durationMs,
    };
  }

  async run(request: CycleRequest & { confirm: boolean }): Promise<{ runId: number }> {
    if (this.running.size > 0) throw new UserFacingError('busy', 'A provisioning cycle is already running; wait for it or cancel it.');
    const session = this.deps.session();
    const config = await this.targetConfig(request.target);
    const client = await this.client(request.target);
    const options = this.cycleOptions(session, request, config.tenantUrl);
    if (!client.loopback && !request.confirm) {
      const c = planCycleObjects(options, () => {}).counts;
      throw new UserFacingError(
        'confirmation-required',
        `${client.base} is not on this machine. This cycle would create ${c.create}, change ${c.update} and disable ${c.deactivate + c.delete} objects. Confirm to send.`,
      );
    }
    const store = session.provisioning;
    const run = store.createRun({
      projectId: session.projectId,
      kind: request.cycle,
      targetUrl: client.base,
      targetKey: targetKeyOf(client.base),
      dialect: request.cycle === 'on-demand' ? 'default' : client.dialect,
      dryRun: false,
    });
    const controller = new AbortController();
    let pending: AuditEntry[] = [];
    let written = 0;
    let lastProgress = 0;
    const flush = () => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      store.appendEntries(run.id, written, batch);
      const page = store.auditLog({ runId: run.id, offset: written, limit: batch.length });
      written += batch.length;
      for (const row of page.items) this.deps.onEntry(run.id, row);
    };
    // A job of the workspace it started in: File > Open cancels it (recorded as cancelled) and waits for it
    // before that workspace's database closes.
    const done = session.job('provisioning cycle', async () => {
      let summary: CycleSummary | null = null;
      try {
        const result = await runCycle(client, {
          ...options,
          signal: controller.signal,
          onEntry: (entry, progress) => {
            pending.push(entry);
            if (pending.length >= FLUSH_EVERY || request.cycle === 'on-demand') flush();
            const now = performance.now();
            if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
              lastProgress = now;
              flush();
              this.deps.onProgress({ runId: run.id, done: progress.done, total: progress.total, status: 'running', summary: null });
            }
          },
        });
        summary = result.summary;
        flush();
        store.finishRun(run.id, summary, summary.status);
        this.deps.onProgress({ runId: run.id, done: result.processed, total: result.processed, status: summary.status, summary });
      } catch (error) {
        flush();
        store.finishRun(run.id, summary, 'failed');
        this.deps.onProgress({ runId: run.id, done: written, total: written, status: 'failed', summary: null });
        console.error('[provisioning] cycle failed:', error);
      } finally {
        this.running.delete(run.id);
      }
    }, controller);
    this.running.set(run.id, { controller, done });
    this.deps.onProgress({ runId: run.id, done: 0, total: 0, status: 'running', summary: null });
    return { runId: run.id };
  }

  cancel(runId: number): boolean {
    const job = this.running.get(runId);
    if (!job) return false;
    job.controller.abort(new Error('cancelled by the admin'));
    return true;
  }

  /** Waits for a run to finish (tests, and the backend closing). */
  async settle(runId?: number): Promise<void> {
    const jobs = runId === undefined ? [...this.running.values()] : [this.running.get(runId)].filter((j) => j !== undefined);
    await Promise.all(jobs.map((j) => j.done));
  }

  async stop(): Promise<void> {
    for (const job of this.running.values()) job.controller.abort(new Error('the app is closing'));
    await this.settle();
  }

  runs() {
    const session = this.deps.session();
    return session.provisioning
      .listRuns(session.projectId)
      .map(({ id, kind, targetUrl, dialect, status, startedAt, finishedAt, summary }) => ({ id, kind, targetUrl, dialect, status, startedAt, finishedAt, summary }));
  }

  runOfProject(runId: number) {
    const session = this.deps.session();
    const run = session.provisioning.getRun(runId);
    if (!run || run.projectId !== session.projectId) throw new UserFacingError('not-found', `Provisioning run ${runId} does not exist in this project`);
    return run;
  }

  auditLog(query: { runId: number; status?: 'success' | 'failure' | 'skipped' | undefined; search: string; offset: number; limit: number }) {
    this.runOfProject(query.runId);
    return this.deps.session().provisioning.auditLog(query);
  }

  auditEntry(id: number) {
    const entry = this.deps.session().provisioning.auditEntry(id);
    if (!entry) throw new UserFacingError('not-found', `Audit entry ${id} does not exist`);
    this.runOfProject(entry.runId);
    return entry;
  }

  exportAuditLog(runId: number, format: 'csv' | 'json') {
    const run = this.runOfProject(runId);
    const entries = this.deps.session().provisioning.allEntries(runId);
    const stamp = run.startedAt.replace(/[:.]/g, '-');
    if (format === 'csv') return { fileName: `provisioning-${run.kind}-${stamp}.csv`, mediaType: 'text/csv', content: auditToCsv(entries) };
    return { fileName: `provisioning-${run.kind}-${stamp}.json`, mediaType: 'application/json', content: auditToJson({ ...run }, entries) };
  }
}

/** Applies what-if edits to a directory (joiner added, mover changed, leaver disabled or deleted), batch by batch. */
function applyEdits(directory: DirectoryReader, edits: readonly DirectoryEdit[]): DirectoryReader {
  if (edits.length === 0) return directory;
  const base = directory.users;
  const joiners: SourceObject[] = [];
  // each edited user by its object id: null when deleted
  const edited = new Map<string, SourceObject | null>();
  for (const edit of edits) {
    if (edit.kind === 'joiner') {
      const source = { accountEnabled: true, ...edit.source } as SourceObject;
      joiners.push(source.objectId ? source : { ...source, objectId: crypto.randomUUID() });
      continue;
    }
    // an earlier edit's result wins over the snapshot's row (a mover may have changed the userPrincipalName)
    const id = [...edited].find(([key, user]) => key === edit.userId || (user !== null && matchesRef(user, edit.userId)))?.[0] ?? idOf(base.find(edit.userId));
    const current = id === null ? null : edited.has(id) ? edited.get(id)! : (base.find(id) ?? null);
    if (id !== null && current) {
      edited.set(id, editedUser(current, edit));
      continue;
    }
    const joiner = joiners.findIndex((u) => matchesRef(u, edit.userId));
    if (joiner < 0) throw new UserFacingError('not-found', `No user ${edit.userId} in the snapshot to edit`);
    const next = editedUser(joiners[joiner]!, edit);
    if (next) joiners[joiner] = next;
    else joiners.splice(joiner, 1);
  }
  const removed = [...edited.values()].filter((u) => u === null).length;
  const users: DirectoryUsers = {
    count: base.count - removed + joiners.length,
    *batches() {
      for (const batch of base.batches()) {
        yield batch.flatMap((u) => {
          const change = edited.get(idOf(u) ?? '');
          return change === undefined ? [u] : change === null ? [] : [change];
        });
      }
      if (joiners.length > 0) yield joiners;
    },
    find: (ref) => {
      const joiner = joiners.find((u) => matchesRef(u, ref));
      if (joiner) return joiner;
      const found = base.find(ref);
      const change = found ? edited.get(idOf(found) ?? '') : undefined;
      return change === undefined ? found : (change ?? undefined);
    },
    byId: (id) => {
      const change = edited.get(id);
      return joiners.find((u) => u.objectId === id) ?? (change === undefined ? base.byId(id) : (change ?? undefined));
    },
    has: (id) => joiners.some((u) => u.objectId === id) || (base.has(id) && edited.get(id) !== null),
  };
  return { ...directory, users };
}

/** A mover's or leaver's user after the edit; null when the leaver is deleted. */
function editedUser(user: SourceObject, edit: Exclude<DirectoryEdit, { kind: 'joiner' }>): SourceObject | null {
  if (edit.kind === 'mover') return { ...user, ...edit.set } as SourceObject;
  return edit.how === 'disable' ? { ...user, accountEnabled: false } : null;
}

const idOf = (source: SourceObject | undefined): string | null => (source?.objectId === undefined ? null : String(source.objectId));
const matchesRef = (source: SourceObject, ref: string) => source.objectId === ref || String(source.userPrincipalName ?? '').toLowerCase() === ref.toLowerCase();
