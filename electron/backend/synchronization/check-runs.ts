/**
 * Expression checks started from the app: the saved mapping revision and a sample of a snapshot's users, checked with
 * Entra (expression-check.ts) in the background with progress events and cancel, and kept with the revision by the
 * store the Mappings screen's badges read. A cancelled check keeps what was checked before it stopped.
 */
import { randomUUID } from 'node:crypto';
import type { CheckRunStatus } from '../../../shared/api/synchronization.ts';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import type { GraphUser } from '../../../shared/directory/graph-to-source.ts';
import { compileMappingSet } from '../../../shared/preview/compile.ts';
import type { BackendContext } from '../context.ts';
import { SignInRequiredError } from '../directory/auth.ts';
import { GraphCallCancelledError, GraphRequestError, GraphSignInRequiredError, type GraphClient } from '../directory/graph-client.ts';
import { UserFacingError } from '../errors.ts';
import { BackgroundRuns } from './background-runs.ts';
import { projectMappingSet } from '../services/mapping-sets.ts';
import { checkExpressions, rowsToCheck } from './expression-check.ts';
import { readJobDefinitions } from './parse-expression.ts';
import { CheckPermissionError } from './permissions.ts';
import { chooseSample, DEFAULT_SAMPLE_SIZE, isGuestUser, namedUsers, UnknownUserError, type SampledUser } from './sample.ts';
import { SynchronizationCheckStore } from './store.ts';

interface CheckRunInput {
  client: GraphClient;
  servicePrincipalId: string;
  jobId: string;
  revision: number;
  snapshotId: number;
  sampleSize?: number;
  users?: string[];
  allRows?: boolean;
}

const PROGRESS_INTERVAL_MS = 200;

/** A failed check in the words the panel shows: a 403 names the permission, a refused token asks for a new sign-in. */
export function failureOf(error: unknown): NonNullable<CheckRunStatus['error']> {
  if (error instanceof CheckPermissionError) return { code: 'permission', message: error.message };
  if (error instanceof GraphSignInRequiredError || error instanceof SignInRequiredError) return { code: 'sign-in-required', message: error.message };
  if (error instanceof GraphRequestError) return { code: 'graph', message: error.message };
  return { code: 'internal', message: `The check failed: ${(error as Error).message}` };
}

/** The sample from the snapshot: the named users, or a few chosen to cover what breaks expressions. */
function sampleOf(ctx: BackendContext, input: CheckRunInput, read: readonly string[]): SampledUser[] {
  const session = ctx.session();
  session.snapshot(input.snapshotId);
  const users: SourceObject[] = [];
  const guests = new Set<string>();
  for (const user of session.store.iterateUsers(input.snapshotId)) {
    users.push(user.source as SourceObject);
    if (isGuestUser(user.raw as unknown as GraphUser)) guests.add(user.id);
  }
  if (users.length === 0) throw new UserFacingError('invalid-input', `Snapshot ${input.snapshotId} has no users to check with.`);
  if (!input.users?.length) return chooseSample(users, read, input.sampleSize ?? DEFAULT_SAMPLE_SIZE, guests);
  try {
    return namedUsers(users, input.users);
  } catch (error) {
    if (error instanceof UnknownUserError) throw new UserFacingError('invalid-input', error.message.replace('in the users file', `in snapshot ${input.snapshotId}`));
    throw error;
  }
}

export class CheckRuns {
  private readonly runs = new BackgroundRuns<CheckRunStatus>('check');

  constructor(private readonly ctx: BackendContext) {}

  /** Validates what can be checked now (revision, snapshot, sample), then runs the check in the background. */
  start(input: CheckRunInput): CheckRunStatus {
    const workspace = this.ctx.session();
    const chosen = projectMappingSet(workspace.store, workspace.projectId, input.revision);
    const revision = chosen.revision!;
    const { rows } = rowsToCheck(compileMappingSet(chosen.set), input.allRows ?? false);
    const read = [...new Set(rows.flatMap((row) => row.program?.referencedAttributes ?? []))];
    const sample = sampleOf(this.ctx, input, read);

    const checkId = randomUUID();
    const controller = new AbortController();
    const status: CheckRunStatus = { checkId, revision: input.revision, state: 'running', done: 0, total: rows.length * sample.length, waitSeconds: null, summary: null, error: null };
    let lastEmit = -Infinity;
    const emit = (force: boolean) => {
      const now = performance.now();
      if (!force && now - lastEmit < PROGRESS_INTERVAL_MS) return;
      lastEmit = now;
      this.ctx.events.emit('synchronization.check.progress', { ...status });
    };
    const job = { servicePrincipalId: input.servicePrincipalId, jobId: input.jobId };

    const run = async () => {
      const { definitions } = await readJobDefinitions(input.client, job, chosen.set, controller.signal);
      const result = await checkExpressions({
        client: input.client,
        ...job,
        set: chosen.set,
        sample,
        definitions,
        allRows: input.allRows ?? false,
        signal: controller.signal,
        onProgress: (done, total) => {
          status.done = done;
          status.total = total;
          status.waitSeconds = null;
          emit(done === total);
        },
        onWait: (seconds) => {
          status.waitSeconds = seconds;
          emit(true);
        },
      });
      // kept in the workspace the check was started in, even if another was opened meanwhile
      workspace.write((store) => new SynchronizationCheckStore(store.db).save(revision.id, job, result));
      status.summary = { checked: result.checked, agreed: result.agreed, differed: result.differed, refused: result.refused, skipped: result.skipped };
      status.state = result.cancelled ? 'cancelled' : 'done';
    };
    const settled = run().then(
      () => undefined,
      (error: unknown) => {
        status.state = controller.signal.aborted || error instanceof GraphCallCancelledError ? 'cancelled' : 'failed';
        status.error = status.state === 'cancelled' ? null : failureOf(error);
      },
    );
    this.runs.add(checkId, { status, controller, settled: settled.then(() => this.ctx.events.emit('synchronization.check.finished', { ...status })) });
    emit(true);
    return { ...status };
  }

  status(checkId: string): CheckRunStatus {
    return this.runs.status(checkId);
  }

  cancel(checkId: string): boolean {
    return this.runs.cancel(checkId);
  }

  close(): Promise<void> {
    return this.runs.close();
  }
}
