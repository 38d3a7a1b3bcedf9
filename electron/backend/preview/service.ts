import { randomUUID } from 'node:crypto';
import type { Page } from '../../../shared/api/define.ts';
import type { FindingGroup, FixImpact, FixImpactUser, PreviewRunSummary, PreviewUserDetail, PreviewUserRow } from '../../../shared/api/preview.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { exportMappingSet, type MappingSet, type ScimDialect } from '../../../shared/mapping/model.ts';
import { previewGroups, type GroupPreviewResult } from '../../../shared/preview/groups.ts';
import type { Finding, UserAction, UserPreview } from '../../../shared/preview/types.ts';
import type { JsonObject, JsonValue } from '../../../shared/scim/requests/target-path.ts';
import {
  FixNotApplicableError,
  isFixable,
  planFix,
  VENDOR_FINDING_CODES,
  type VendorProfile,
} from '../../../shared/vendors/index.ts';
import type { WorkspaceChange } from '../../../shared/api.ts';
import { notFound, UserFacingError } from '../errors.ts';
import { projectMappingSet } from '../services/mapping-sets.ts';
import { projectVendorEntries, projectVendorProfile, vendorProfileOf, type VendorEntry } from '../services/vendors.ts';
import { placeVendorFindings, vendorFindingsOfRun } from '../services/preview.ts';
import type { Disposable } from '../session/disposables.ts';
import type { WorkspaceSession } from '../session/workspace-session.ts';
import { PreviewCancelledError, PreviewRunner, type PreviewJob, type PreviewSession } from './runner.ts';

/**
 * The Preview screen's backend (issue 8 over issues 4 and 5): runs a preview of a mapping revision over a
 * snapshot off the main thread, adds the vendor's findings, and keeps a few recent runs in memory so the
 * screen can page through users, open one, and apply a fix. Runs are keyed by a random runId.
 */

interface PreviewServiceHost {
  /** the open workspace; a run keeps the one it started in and goes away when that one closes */
  session(): WorkspaceSession;
  progress(payload: { runId: string; done: number; total: number }): void;
  changed(session: WorkspaceSession, change: Omit<WorkspaceChange, 'workspacePath'>): void;
}

interface RunInput {
  snapshotId?: number | undefined;
  revision?: number | undefined;
  mappingSet?: MappingSet | undefined;
  /** omitted = the project's vendor */
  vendorId?: string | undefined;
  dialect?: ScimDialect | undefined;
}

interface PreviewRun {
  runId: string;
  workspace: WorkspaceSession;
  /** closes the run's workers when its workspace closes */
  release: Disposable;
  snapshotId: number;
  set: MappingSet;
  /** the saved revision the run previewed, or 'unsaved' for a set the caller gave */
  basedOn: number | null | 'unsaved';
  /** the dialect override the run was started with */
  dialect: ScimDialect | undefined;
  profile: VendorProfile;
  session: PreviewSession;
  /** fix previews of this run by finding, so Apply saves exactly what the admin saw */
  impacts: Map<string, Promise<FixImpact>>;
  /** engine and vendor findings about the mapping set (no userId) */
  findings: Finding[];
  /** the vendor's duplicate-value findings by user (found on this thread; a user's other vendor findings stay with its chunk) */
  duplicatesByUser: Map<string, Finding[]>;
  summary: PreviewRunSummary;
}

/** Runs kept for paging; a fourth evicts the oldest (and stops its workers). */
const KEPT_RUNS = 3;
/**
 * Users the kept runs and a starting run may hold together: each worker keeps every kept run's chunk, and a second
 * million-user run beside a kept one peaked at 1.9 GB (docs/benchmarks.md), past issue 18's 1.5 GB per process.
 */
const KEPT_USERS = 1_000_000;
/** Snapshots below this size are previewed on this thread from the store's objects (worker start-up costs more). */
const IN_PROCESS_BELOW = 2000;
/** The shortest time between two progress events of a run (the first and the last are always sent). */
const PROGRESS_MS = 100;

export class PreviewService {
  private readonly runner: PreviewRunner;
  private readonly runs = new Map<string, PreviewRun>();
  private readonly active = new Map<string, AbortController>();
  private readonly inProcessBelow: number;
  private readonly keptUsers: number;

  constructor(
    private readonly host: PreviewServiceHost,
    { keptUsers = KEPT_USERS, ...options }: { inProcessBelow?: number; workers?: number; keptUsers?: number } = {},
  ) {
    this.runner = new PreviewRunner({ cacheSize: 0, inProcessBelow: IN_PROCESS_BELOW, ...options });
    this.inProcessBelow = options.inProcessBelow ?? IN_PROCESS_BELOW;
    this.keptUsers = keptUsers;
  }

  /** The vendor profile given, or the project's: built-in or one of the project's custom profiles. */
  profile(session: WorkspaceSession, vendorId: string | undefined): VendorProfile {
    const project = session.project();
    return vendorId === undefined ? projectVendorProfile(session.store, project) : vendorProfileOf(session.store, project.id, vendorId);
  }

  /** The mapping set to preview: the unsaved one given, a saved revision, the latest saved one, or Entra's defaults. */
  mappingSet(session: WorkspaceSession, input: { revision?: number | undefined; mappingSet?: MappingSet | undefined }): { set: MappingSet; revision: number | null } {
    // an unsaved set was validated against the synchronization schema at the API boundary
    if (input.mappingSet) return { set: input.mappingSet, revision: null };
    const { set, revision } = projectMappingSet(session.store, session.projectId, input.revision);
    return { set, revision: revision?.revision ?? null };
  }

  private snapshotOf(session: WorkspaceSession, snapshotId: number | undefined): { id: number; userCount: number } {
    return snapshotId === undefined ? session.latestSnapshot() : session.snapshot(snapshotId);
  }

  /** The preview job for a snapshot: small ones from the store's objects, large ones read by the workers. */
  private job(session: WorkspaceSession, set: MappingSet, snapshot: { id: number; userCount: number }, dialect: ScimDialect | undefined, vendor: VendorProfile, withRules = true): PreviewJob {
    const store = session.store;
    const base = { set, vendor: vendor.id, ...(withRules ? { vendorProfile: vendor } : {}), ...(dialect ? { dialect } : {}) };
    if (snapshot.userCount < this.inProcessBelow) {
      const users: SourceObject[] = [];
      for (const user of store.iterateUsers(snapshot.id)) users.push(user.source as SourceObject);
      return { ...base, users };
    }
    return { ...base, workspace: { workspacePath: store.path, snapshotId: snapshot.id, userCount: snapshot.userCount } };
  }

  async run(input: RunInput): Promise<PreviewRunSummary> {
    const workspace = this.host.session();
    // A job of its workspace: File > Open cancels it before that workspace's database closes.
    const controller = new AbortController();
    return workspace.job('preview run', () => this.runIn(workspace, input, controller), controller);
  }

  private async runIn(workspace: WorkspaceSession, input: RunInput, controller: AbortController): Promise<PreviewRunSummary> {
    const started = performance.now();
    const snapshot = this.snapshotOf(workspace, input.snapshotId);
    const profile = this.profile(workspace, input.vendorId);
    const { set, revision } = this.mappingSet(workspace, input);
    const runId = randomUUID();
    this.active.set(runId, controller);
    // The first event carries the runId, so the screen can cancel before the run answers.
    this.host.progress({ runId, done: 0, total: snapshot.userCount });
    this.makeRoomFor(snapshot.userCount);
    let session: PreviewSession | undefined;
    try {
      // Progress at most every PROGRESS_MS, and the last: each event re-renders the screen, whose process shares
      // the two cores with the workers.
      let lastProgress = performance.now();
      session = await this.runner.start(this.job(workspace, set, snapshot, input.dialect, profile), {
        signal: controller.signal,
        onProgress: (p) => {
          const now = performance.now();
          if (p.done < p.total && now - lastProgress < PROGRESS_MS) return;
          lastProgress = now;
          this.host.progress({ runId, done: p.done, total: p.total });
        },
      });
      if (controller.signal.aborted) throw new PreviewCancelledError();
      const { groupPreview, mappingVendor, duplicatesByUser, errors, warnings } = this.vendorHalf(workspace, snapshot.id, set, profile, input.dialect, session);
      const summary: PreviewRunSummary = {
        runId,
        revision,
        snapshotId: snapshot.id,
        vendorId: profile.id,
        dialect: session.dialect,
        dialectSource: input.dialect ? 'override' : 'tenant-url',
        users: session.summary.users,
        byAction: session.summary.byAction,
        errors,
        warnings,
        findingGroups: session.groups.list().map((group): FindingGroup => ({ ...group, fixable: isFixable(findingOfGroup(group), profile, set) })),
        coverage: session.coverage,
        groups: {
          enabled: groupPreview.enabled,
          reason: groupPreview.reason ?? null,
          total: groupPreview.groups.length,
          byAction: groupPreview.byAction,
        },
        durationMs: Math.round(performance.now() - started),
      };
      const kept = session;
      this.keep({
        runId,
        workspace,
        release: workspace.onClose(() => this.drop(runId, kept)),
        snapshotId: snapshot.id,
        set,
        basedOn: input.mappingSet ? 'unsaved' : revision,
        dialect: input.dialect,
        profile,
        session,
        impacts: new Map(),
        findings: [...session.findings, ...mappingVendor],
        duplicatesByUser,
        summary,
      });
      return summary;
    } catch (error) {
      await session?.close();
      if (error instanceof PreviewCancelledError || controller.signal.aborted) throw new UserFacingError('cancelled', 'The preview was cancelled.');
      throw error;
    } finally {
      this.active.delete(runId);
    }
  }

  /**
   * The half of a run the backend thread adds once the workers are done: the vendor's per-user rules ran in the
   * workers (each user's findings are on its row and in the groups already); here the mapping-level findings and
   * the duplicates found by merging the chunks, and the error and warning counts the summary shows.
   */
  private vendorHalf(workspace: WorkspaceSession, snapshotId: number, set: MappingSet, profile: VendorProfile, dialect: ScimDialect | undefined, session: PreviewSession) {
    const groups = workspace.store.listGroupSources(snapshotId) as SourceObject[];
    const groupPreview: GroupPreviewResult = previewGroups({ set, groups, provisionedUsers: session.provisioned, ...(dialect ? { dialect } : {}) });
    const { mapping: mappingVendor, duplicates } = vendorFindingsOfRun(session, profile, set, groups);
    const duplicatesByUser = placeVendorFindings(duplicates).byUser;
    for (const [userId, findings] of duplicatesByUser) session.addUserFindings(userId, findings);
    // A per-user duplicate before its summary line, as vendorFindings orders them: the group takes the first fix.
    session.groups.addAll(duplicates);
    session.groups.addAll(mappingVendor);
    // One counting rule (shared/preview/summary.ts): each finding group counts the users it covers.
    const totals = session.groups.totals();
    return { groupPreview, mappingVendor, duplicatesByUser, errors: totals.errors, warnings: totals.warnings };
  }

  private keep(run: PreviewRun): void {
    this.runs.set(run.runId, run);
    while (this.runs.size > KEPT_RUNS) this.evict(this.runs.values().next().value!);
  }

  /**
   * Before a run starts, the oldest kept runs go until the kept ones and the new one fit KEPT_USERS together, so the
   * workers never hold the new run beside runs that already fill the budget (a run over it alone still runs).
   */
  private makeRoomFor(users: number): void {
    let kept = 0;
    for (const run of this.runs.values()) kept += run.summary.users;
    for (const run of [...this.runs.values()]) {
      if (kept + users <= this.keptUsers) break;
      this.evict(run);
      kept -= run.summary.users;
    }
  }

  private evict(run: PreviewRun): void {
    run.workspace.remove(run.release);
    void this.drop(run.runId, run.session);
  }

  /** Forgets a run and stops its workers (evicted, or its workspace closed). */
  private async drop(runId: string, session: PreviewSession): Promise<void> {
    if (this.runs.get(runId)?.session === session) this.runs.delete(runId);
    await session.close();
  }

  cancel(runId: string): boolean {
    const controller = this.active.get(runId);
    if (!controller) return false;
    controller.abort();
    return true;
  }

  private runOf(runId: string): PreviewRun {
    const run = this.runs.get(runId);
    if (!run || run.workspace !== this.host.session()) throw notFound(`Preview run ${runId} is no longer available; run the preview again.`);
    return run;
  }

  listUsers(input: {
    runId: string;
    action?: UserAction | undefined;
    findingCode?: string | undefined;
    search: string;
    offset: number;
    limit: number;
    countLimit?: number | undefined;
  }): Page<PreviewUserRow> {
    const run = this.runOf(input.runId);
    // Filtered and paged by the run's row store (SQLite), so a million users never cross into this thread's heap.
    const filter = { action: input.action, findingCode: input.findingCode, search: input.search };
    const { total, rows, counting } = run.session.pageRows(filter, input.offset, input.limit, input.countLimit);
    const items = rows.map((row): PreviewUserRow => ({
      id: row.id,
      userPrincipalName: row.userPrincipalName,
      displayName: row.displayName,
      action: row.action,
      reason: row.reason,
      errors: row.errors,
      warnings: row.warnings,
      requestCount: row.requestCount,
    }));
    return { total, offset: input.offset, items, ...(counting ? { counting } : {}) };
  }

  async getUser(input: { runId: string; userId: string }): Promise<PreviewUserDetail> {
    const run = this.runOf(input.runId);
    const preview = await run.session.user(input.userId);
    if (!preview) throw notFound(`No user ${input.userId} in preview run ${input.runId}`);
    const stored = run.workspace.store.getUser(run.snapshotId, preview.id);
    return {
      id: preview.id,
      userPrincipalName: preview.userPrincipalName,
      action: preview.action,
      reason: preview.reason ?? null,
      inScope: preview.inScope,
      source: stored?.source ?? {},
      target: preview.target,
      requests: preview.requests.map((request) => ({
        method: request.method,
        path: request.path,
        headers: { ...request.headers },
        body: request.body,
        curl: request.curl,
      })),
      findings: withDuplicates(preview.findings, run.duplicatesByUser.get(preview.id)),
      unverifiedRules: preview.unverifiedRules ?? [],
    };
  }

  /** The finding "Fix it" names: the mapping-level one carries the fix for all users; a per-user one is the fallback. */
  private findingOf(run: PreviewRun, code: string, attribute: string | null): Finding {
    const sameAttribute = (f: Finding) => attribute === null || (f.attribute ?? '').toLowerCase() === attribute.toLowerCase();
    const candidates = [...run.findings, ...[...run.duplicatesByUser.values()].flat()].filter((f) => f.code === code && sameAttribute(f));
    // Per-user findings stay with their chunk, so one comes from the finding groups (their first user's message and fix).
    const finding = candidates.find((f) => f.userId === undefined) ?? candidates[0] ?? userFindingOf(run.session, code, sameAttribute);
    if (!finding) throw notFound(`The preview run has no ${code} finding${attribute ? ` on ${attribute}` : ''}.`);
    return finding;
  }

  /**
   * Previews a finding's fix without saving it: the fixed set runs over the run's snapshot through the same
   * runner, job and vendor half as the run itself, and is compared with the run user by user.
   */
  fixImpact(input: { runId: string; code: string; attribute: string | null; sample?: number | undefined }): Promise<FixImpact> {
    const run = this.runOf(input.runId);
    const sample = input.sample ?? FIX_SAMPLE;
    const key = `${input.code}\u0000${(input.attribute ?? '').toLowerCase()}\u0000${sample}`;
    let impact = run.impacts.get(key);
    if (!impact) {
      // A job of the run's workspace: File > Open stops it before that workspace's database closes.
      impact = run.workspace.job('fix preview', (signal) => this.computeImpact(run, input.code, input.attribute, sample, signal));
      run.impacts.set(key, impact);
      // A failed preview is not remembered: the next look tries again.
      impact.catch(() => run.impacts.delete(key));
    }
    return impact;
  }

  private async computeImpact(run: PreviewRun, code: string, attribute: string | null, sample: number, signal: AbortSignal): Promise<FixImpact> {
    const finding = this.findingOf(run, code, attribute);
    let planned;
    try {
      planned = planFix(run.set, finding, run.profile);
    } catch (error) {
      if (error instanceof FixNotApplicableError) throw new UserFacingError('not-fixable', `${code} has no one-click fix: ${error.message}`);
      throw error;
    }
    const snapshot = run.workspace.snapshot(run.snapshotId);
    const after = await this.runner.start(this.job(run.workspace, planned.set, snapshot, run.dialect, run.profile), { signal });
    try {
      const half = this.vendorHalf(run.workspace, run.snapshotId, planned.set, run.profile, run.dialect, after);
      const added = addedErrors(run.summary.findingGroups, after.groups.list());
      const compared = await changedUsers(run.session, after, sample);
      const notOffered =
        half.errors > run.summary.errors
          ? `This fix is not offered: it would leave ${half.errors} errors where the preview has ${run.summary.errors}.`
          : added.length > 0
            ? `This fix is not offered: it would add ${added.map((e) => `${e.code}${e.attribute ? ` on ${e.attribute}` : ''} (${e.users} user(s))`).join(', ')}.`
            : null;
      return {
        runId: run.runId,
        code,
        attribute: finding.attribute ?? null,
        description: planned.description,
        before: exportMappingSet(run.set),
        after: exportMappingSet(planned.set),
        users: after.summary.users,
        changedUsers: compared.changedUsers,
        sample: compared.users.map(({ id, userPrincipalName, changes, after: user }): FixImpactUser => ({
          id,
          userPrincipalName,
          changes,
          errorsAfter: [...user.findings, ...(half.duplicatesByUser.get(user.id) ?? [])].filter((f) => f.severity === 'error').map((f) => f.message),
        })),
        errorsBefore: run.summary.errors,
        errorsAfter: half.errors,
        newErrors: added,
        offered: notOffered === null,
        notOffered,
      };
    } finally {
      await after.close();
    }
  }

  /**
   * Applies the fix of a finding of the run to its mapping set and saves a new revision: only the fix whose
   * preview adds no error, and only onto the revision the run previewed (a later save is never undone).
   */
  async applyFix(input: { runId: string; code: string; attribute: string | null }): Promise<{ revision: number; label: string }> {
    const run = this.runOf(input.runId);
    if (run.basedOn !== 'unsaved') {
      const latest = projectMappingSet(run.workspace.store, run.workspace.projectId).revision?.revision ?? null;
      if (latest !== run.basedOn) {
        throw new UserFacingError('not-fixable', `The mappings were saved as revision ${latest} after this preview ran; run the preview again, then apply the fix.`);
      }
    }
    const impact = await this.fixImpact(input);
    if (!impact.offered) throw new UserFacingError('not-fixable', impact.notOffered!);
    const what = VENDOR_FINDING_CODES[input.code as keyof typeof VENDOR_FINDING_CODES] ?? input.code;
    const label = `Fix for ${run.profile.name}: ${what}${impact.attribute ? ` (${impact.attribute})` : ''}`;
    const saved = run.workspace.store.saveMappingRevision(run.workspace.projectId, label, JSON.stringify(impact.after));
    this.host.changed(run.workspace, { change: 'mapping-revision-saved', revision: saved.revision });
    return { revision: saved.revision, label };
  }

  /** Per user, the POST-body attributes (or target attributes, for users not created) that differ between two revisions. */
  async compareRevisions(input: { snapshotId?: number | undefined; fromRevision: number; toRevision: number; vendorId?: string | undefined; limit: number }): Promise<{
    changedUsers: number;
    users: Array<{ id: string; userPrincipalName: string | null; changes: Array<{ attribute: string; from: unknown; to: unknown }> }>;
  }> {
    const workspace = this.host.session();
    const snapshot = this.snapshotOf(workspace, input.snapshotId);
    const profile = this.profile(workspace, input.vendorId);
    const from = this.mappingSet(workspace, { revision: input.fromRevision }).set;
    const to = this.mappingSet(workspace, { revision: input.toRevision }).set;
    const [before, after] = await Promise.all([
      this.runner.start(this.job(workspace, from, snapshot, undefined, profile, false)),
      this.runner.start(this.job(workspace, to, snapshot, undefined, profile, false)),
    ]);
    try {
      const { changedUsers: count, users } = await changedUsers(before, after, input.limit);
      return { changedUsers: count, users: users.map(({ id, userPrincipalName, changes }) => ({ id, userPrincipalName, changes })) };
    } finally {
      await Promise.all([before.close(), after.close()]);
    }
  }

  vendors(): VendorEntry[] {
    const session = this.host.session();
    return projectVendorEntries(session.store, session.projectId);
  }

  async close(): Promise<void> {
    for (const controller of this.active.values()) controller.abort();
    const runs = [...this.runs.values()];
    this.runs.clear();
    for (const run of runs) run.workspace.remove(run.release);
    await Promise.all(runs.map((run) => run.session.close()));
    await this.runner.close();
  }
}

/** How many changed users a fix preview shows by default. */
const FIX_SAMPLE = 10;

type PayloadChange = { attribute: string; from: unknown; to: unknown };

/** The users whose payload differs between two sessions over the same snapshot, the first `limit` with their changes. */
async function changedUsers(
  before: PreviewSession,
  after: PreviewSession,
  limit: number,
): Promise<{ changedUsers: number; users: Array<{ id: string; userPrincipalName: string | null; changes: PayloadChange[]; after: UserPreview }> }> {
  const users: Array<{ id: string; userPrincipalName: string | null; changes: PayloadChange[]; after: UserPreview }> = [];
  let count = 0;
  const PAGE = 500;
  for (let start = 0; start < before.summary.users; start += PAGE) {
    const page = before.indexRows(start, PAGE).map((row) => row.id);
    const [left, right] = await Promise.all([before.users(page), after.users(page)]);
    const rightById = new Map(right.map((user) => [user.id, user]));
    for (const user of left) {
      const other = rightById.get(user.id);
      if (!other) continue;
      const changes = payloadChanges(user, other);
      if (changes.length === 0) continue;
      count++;
      if (users.length < limit) users.push({ id: user.id, userPrincipalName: user.userPrincipalName, changes, after: other });
    }
  }
  return { changedUsers: count, users };
}

/**
 * The errors a fix adds, by the finding groups the Preview screen lists: a (code, attribute) that had no error
 * before, or that more users have after.
 */
function addedErrors(before: readonly Pick<FindingGroup, 'code' | 'attribute' | 'severity' | 'count' | 'message'>[], after: ReturnType<PreviewSession['groups']['list']>): FixImpact['newErrors'] {
  const key = (g: { code: string; attribute: string | null }) => `${g.code}\u0000${(g.attribute ?? '').toLowerCase()}`;
  const errorsBefore = new Map(before.filter((g) => g.severity === 'error').map((g) => [key(g), g.count]));
  return after
    .filter((g) => g.severity === 'error' && g.count > (errorsBefore.get(key(g)) ?? 0))
    .map((g) => ({ code: g.code, attribute: g.attribute, users: g.count - (errorsBefore.get(key(g)) ?? 0), message: g.message }));
}

/** A finding rebuilt from its group, as isFixable and the fixers read it. */
function findingOfGroup(group: { code: string; severity: Finding['severity']; message: string; attribute: string | null; fix: string | null }): Finding {
  return {
    severity: group.severity,
    code: group.code,
    message: group.message,
    ...(group.attribute !== null ? { attribute: group.attribute } : {}),
    ...(group.fix !== null ? { fix: group.fix } : {}),
  };
}

/** A user's findings in vendorFindings' order: the duplicates (found on this thread) go before the guest check. */
function withDuplicates(findings: Finding[], duplicates: readonly Finding[] | undefined): Finding[] {
  if (!duplicates) return findings;
  const guest = findings.findIndex((f) => f.code === 'VENDOR_GUEST_USERNAME');
  return guest < 0 ? [...findings, ...duplicates] : [...findings.slice(0, guest), ...duplicates, ...findings.slice(guest)];
}

/** A per-user finding of the run rebuilt from its group, or undefined when no user has one. */
function userFindingOf(session: PreviewSession, code: string, sameAttribute: (f: Finding) => boolean): Finding | undefined {
  const group = session.groups.list().find((g) => g.code === code && g.exampleUserIds.length > 0 && sameAttribute({ code, severity: g.severity, message: g.message, ...(g.attribute !== null ? { attribute: g.attribute } : {}) }));
  if (!group) return undefined;
  return {
    severity: group.severity,
    code,
    message: group.message,
    userId: group.exampleUserIds[0]!,
    ...(group.attribute !== null ? { attribute: group.attribute } : {}),
    ...(group.fix !== null ? { fix: group.fix } : {}),
  };
}

/** The payload a user gets: the POST body when the user is created, otherwise the resource as the vendor holds it. */
function payloadOf(user: UserPreview): JsonObject {
  const post = user.requests.find((request) => request.method === 'POST');
  return (post?.body ?? user.target ?? {}) as JsonObject;
}

/** Top-level attributes, with extension objects opened one level (`urn:…:User:department`); meta is Entra's own. */
function flatten(payload: JsonObject): Map<string, JsonValue> {
  const out = new Map<string, JsonValue>();
  for (const [key, value] of Object.entries(payload)) {
    if (key === 'meta') continue;
    if (key.startsWith('urn:') && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [sub, subValue] of Object.entries(value)) out.set(`${key}:${sub}`, subValue);
    } else out.set(key, value);
  }
  return out;
}

function payloadChanges(before: UserPreview, after: UserPreview): Array<{ attribute: string; from: unknown; to: unknown }> {
  const changes: Array<{ attribute: string; from: unknown; to: unknown }> = [];
  if (before.action !== after.action) changes.push({ attribute: '(action)', from: before.action, to: after.action });
  const left = flatten(payloadOf(before));
  const right = flatten(payloadOf(after));
  for (const key of new Set([...left.keys(), ...right.keys()])) {
    const a = left.get(key) ?? null;
    const b = right.get(key) ?? null;
    if (canonical(a) !== canonical(b)) changes.push({ attribute: key, from: a, to: b });
  }
  return changes;
}

/** JSON with object keys sorted: two revisions that order their rows differently build the same payload. */
function canonical(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key]!)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
