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
import { connectionFailureCode, planCycle, runCycle, type CycleOptions } from './cycle.ts';
import { auditToCsv, auditToJson } from './export.ts';
import { ScimClient, TargetUrlError, type TargetConfig } from './scim-client.ts';
import type { ProvisioningStore} from './store.ts';
import { targetKeyOf } from './store.ts';
import type { AuditEntry, CycleKind, CycleSummary, DirectoryState, GroupSource } from './types.ts';
import { matchQuery } from '../../../shared/scim/requests/user.ts';
import { compileMappingSet } from '../../../shared/preview/compile.ts';
import { isBuiltInProfileId, loadBuiltInProfile } from '../../../shared/vendors/index.ts';
import { forecastOfPlan } from '../go-live/impact.ts';

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

/** A snapshot as a cycle reads it: every user's source object, and each group with its direct user members. */
export function snapshotDirectory(store: WorkspaceStore, snapshotId: number): DirectoryState {
  const users: SourceObject[] = [];
  for (const user of store.iterateUsers(snapshotId)) users.push(user.source as SourceObject);
  const members = new Map<string, string[]>();
  for (const m of store.listMemberships(snapshotId)) {
    if (m.memberType !== 'user') continue;
    members.set(m.groupId, [...(members.get(m.groupId) ?? []), m.memberId]);
  }
  const groups: GroupSource[] = store.listGroups(snapshotId).map((g) => ({ source: g.source as SourceObject, memberIds: members.get(g.id) ?? [] }));
  return { users, groups };
}

/** Progress events at most this often: a 10,000-user cycle must not flood the event door. */
const PROGRESS_INTERVAL_MS = 100;
const FLUSH_EVERY = 100;

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

  directory(snapshotId: number, session = this.deps.session()): DirectoryState {
    return snapshotDirectory(session.store, snapshotId);
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
    const plan = planCycle(options);
    const vendorId = session.project().vendorId;
    const rateLimits = vendorId && isBuiltInProfileId(vendorId) ? loadBuiltInProfile(vendorId).rateLimits : null;
    return {
      kind: plan.kind,
      targetUrl: client.base,
      loopback: client.loopback,
      dialect: plan.dialect,
      counts: plan.counts,
      objects: plan.objects.slice(0, 500).map((o) => ({
        objectType: o.objectType,
        sourceId: o.sourceId,
        label: o.label,
        action: o.action,
        reason: o.reason,
        requests: o.requests.map((r) => ({ method: r.method, path: r.path, body: r.body })),
      })),
      totalObjects: plan.objects.length,
      quarantine: options.state.quarantine(),
      forecast: plan.kind === 'initial' ? forecastOfPlan(plan, options.current.groups ?? [], options.set, rateLimits) : null,
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
      const c = planCycle(options).counts;
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
        this.deps.onProgress({ runId: run.id, done: result.entries.length, total: result.entries.length, status: summary.status, summary });
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

/** Applies what-if edits to a directory (joiner added, mover changed, leaver disabled or deleted). */
function applyEdits(directory: DirectoryState, edits: readonly DirectoryEdit[]): DirectoryState {
  if (edits.length === 0) return directory;
  let users = [...directory.users];
  const find = (ref: string) => users.findIndex((u) => u.objectId === ref || String(u.userPrincipalName ?? '').toLowerCase() === ref.toLowerCase());
  for (const edit of edits) {
    if (edit.kind === 'joiner') {
      const source = { accountEnabled: true, ...edit.source } as SourceObject;
      users.push(source.objectId ? source : { ...source, objectId: crypto.randomUUID() });
      continue;
    }
    const index = find(edit.userId);
    if (index < 0) throw new UserFacingError('not-found', `No user ${edit.userId} in the snapshot to edit`);
    if (edit.kind === 'mover') users[index] = { ...users[index]!, ...edit.set } as SourceObject;
    else if (edit.how === 'disable') users[index] = { ...users[index]!, accountEnabled: false };
    else users = users.filter((_, i) => i !== index);
  }
  return { ...directory, users };
}
