/**
 * Planned vs actual from the app: the job's provisioning logs read from Graph in the background (progress, cancel),
 * or the portal's download, compared (log-comparison.ts) with the plan of a saved mapping revision for a snapshot's
 * users and the project's vendor, and kept in the workspace (log-store.ts). A cancelled read compares what it read.
 */
import { randomUUID } from 'node:crypto';
import type { LogComparisonDto, LogRunStatus, LogSourceDto } from '../../../shared/api/log-comparison.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { MappingSet } from '../../../shared/mapping/model.ts';
import type { VendorProfile } from '../../../shared/vendors/index.ts';
import type { BackendContext } from '../context.ts';
import { GraphCallCancelledError, type GraphClient } from '../directory/graph-client.ts';
import { UserFacingError } from '../errors.ts';
import { BackgroundRuns } from './background-runs.ts';
import { projectMappingSet } from '../services/mapping-sets.ts';
import { projectVendorProfile } from '../services/vendors.ts';
import type { WorkspaceSession } from '../session/workspace-session.ts';
import { failureOf } from './check-runs.ts';
import { compareWithLogs } from './log-comparison.ts';
import { entriesOfDownload, type LogUploads } from './log-files.ts';
import { LogComparisonStore } from './log-store.ts';
import { readJobDefinitions } from './parse-expression.ts';
import { readProvisioningLogs, type LogEntry } from './provisioning-logs.ts';

interface ComparisonTarget {
  revision: number;
  snapshotId: number;
}

interface GraphLogInput extends ComparisonTarget {
  client: GraphClient;
  servicePrincipalId: string;
  jobId: string;
  since?: string;
}

/** What a comparison compares against, read when it starts, so a bad revision or snapshot is refused before any call. */
interface Plan {
  workspace: WorkspaceSession;
  target: ComparisonTarget;
  set: MappingSet;
  users: SourceObject[];
  snapshotTime: string;
  snapshotLabel: string;
  vendor: VendorProfile;
}

function planOf(workspace: WorkspaceSession, target: ComparisonTarget): Plan {
  const chosen = projectMappingSet(workspace.store, workspace.projectId, target.revision);
  const snapshot = workspace.snapshot(target.snapshotId);
  const users = [...workspace.store.iterateUsers(target.snapshotId)].map((user) => user.source as SourceObject);
  if (users.length === 0) throw new UserFacingError('invalid-input', `Snapshot ${target.snapshotId} has no users to compare the logs with.`);
  const vendor = projectVendorProfile(workspace.store, workspace.project());
  return { workspace, target, set: chosen.set, users, snapshotTime: snapshot.fetchedAt, snapshotLabel: snapshot.label, vendor };
}

/** Compares the entries with the plan and keeps the result in the workspace the comparison was started in. */
function compareAndKeep(plan: Plan, entries: readonly LogEntry[], source: LogSourceDto, complete: boolean, jobSchema: MappingSet | null): LogComparisonDto {
  const { workspace, target } = plan;
  const known = new Set(plan.users.map((user) => String(user.objectId ?? '').toLowerCase()));
  const result = compareWithLogs({ entries, set: plan.set, users: plan.users, snapshotTime: plan.snapshotTime, jobSchema, vendor: plan.vendor });
  return workspace.write((store, projectId) =>
    new LogComparisonStore(store.db).save(projectId, {
      comparedAt: new Date().toISOString(),
      source,
      revision: target.revision,
      snapshotId: target.snapshotId,
      snapshotLabel: plan.snapshotLabel,
      complete,
      entries: result.entries,
      matched: result.matched,
      agreed: result.agreed,
      unmatched: result.unmatched,
      skipped: result.skipped,
      differences: result.differences,
      // the CLI's replay command names its files; the app replays with an action instead
      failures: result.failures.map(({ replay: _replay, ...group }) => ({ ...group, inSnapshot: group.sourceIds.map((id) => known.has(id.toLowerCase())) })),
    }),
  );
}

export class LogRuns {
  private readonly runs = new BackgroundRuns<LogRunStatus>('logs comparison');

  constructor(
    private readonly ctx: BackendContext,
    private readonly uploads: LogUploads,
  ) {}

  /** The portal's download (held by the upload route or the file dialog), compared at once. */
  compareFiles(input: ComparisonTarget & { uploadIds: readonly string[] }): LogComparisonDto {
    const plan = planOf(this.ctx.session(), input);
    const files = this.uploads.take(input.uploadIds);
    const entries = entriesOfDownload(files);
    return compareAndKeep(plan, entries, { kind: 'file', fileNames: files.map((file) => file.fileName) }, true, null);
  }

  /** Reads the job's logs from Graph in the background; progress and the end are events, the result is kept. */
  start(input: GraphLogInput): LogRunStatus {
    const plan = planOf(this.ctx.session(), input);
    const runId = randomUUID();
    const controller = new AbortController();
    const status: LogRunStatus = { runId, state: 'running', read: 0, pages: 0, waitSeconds: null, comparison: null, error: null };
    // one event per page: the reporting API allows 5 requests per 10 s, so pages never come fast enough to flood
    const emit = () => this.ctx.events.emit('synchronization.logs.progress', { ...status });
    const job = { servicePrincipalId: input.servicePrincipalId, jobId: input.jobId };
    const source: LogSourceDto = { kind: 'graph', ...job, since: input.since ?? null };

    const run = async () => {
      const read: LogEntry[] = [];
      let schema: MappingSet | null = null;
      let cancelled = false;
      try {
        // the schema Entra runs: a row the plan maps differently is then named "mapping changed"
        ({ schema } = await readJobDefinitions(input.client, job, plan.set, controller.signal));
        await readProvisioningLogs(input.client, {
          jobId: input.jobId,
          since: input.since,
          signal: controller.signal,
          onPage: (page) => {
            read.push(...page);
            status.read = read.length;
            status.pages++;
            status.waitSeconds = null;
            emit();
          },
          onWait: (seconds) => {
            status.waitSeconds = seconds;
            emit();
          },
        });
      } catch (error) {
        if (!controller.signal.aborted && !(error instanceof GraphCallCancelledError)) throw error;
        cancelled = true;
      }
      status.comparison = compareAndKeep(plan, read, source, !cancelled, schema);
      status.waitSeconds = null;
      status.state = cancelled ? 'cancelled' : 'done';
    };
    const settled = run().then(
      () => undefined,
      (error: unknown) => {
        status.state = 'failed';
        status.waitSeconds = null;
        status.error = failureOf(error);
      },
    );
    this.runs.add(runId, { status, controller, settled: settled.then(() => this.ctx.events.emit('synchronization.logs.finished', { ...status })) });
    emit();
    return { ...status };
  }

  status(runId: string): LogRunStatus {
    return this.runs.status(runId);
  }

  cancel(runId: string): boolean {
    return this.runs.cancel(runId);
  }

  close(): Promise<void> {
    return this.runs.close();
  }
}
