/**
 * A revision checked with Microsoft where Entra partly disagrees, for the Preview, report and vector-export tests:
 * Entra folds Chloé's accents in displayName (differ) and refuses `active` for Bob (entra-refused); the rest agrees.
 */
import type { CheckRunStatus, EventName, MethodInput, MethodName, MethodOutput } from '../../../shared/api.ts';
import {
  evaluated,
  evaluationError,
  type ParseExpressionAnswer,
  type ParseExpressionInput,
  type SynchronizationChecksData,
} from '../../support/fake-graph/synchronization-checks.ts';
import {
  ACTIVE_EXPRESSION,
  DISPLAY_NAME_EXPRESSION,
  JOB_ID,
  mappingSet,
  SERVICE_PRINCIPAL_ID,
  USERS,
} from './tenant.ts';

export const BOB_REFUSAL = 'The attribute IsSoftDeleted could not be read for this object';

export function partlyDisagreeing(checks: SynchronizationChecksData): void {
  const answers = checks.parseExpression!;
  const displayName = answers[DISPLAY_NAME_EXPRESSION] as (input: ParseExpressionInput) => ParseExpressionAnswer;
  const active = answers[ACTIVE_EXPRESSION] as (input: ParseExpressionInput) => ParseExpressionAnswer;
  answers[DISPLAY_NAME_EXPRESSION] = (input) =>
    input.properties.get('givenName') === 'Chloé' ? evaluated(['Chloe Dupre']) : displayName(input);
  answers[ACTIVE_EXPRESSION] = (input) =>
    input.properties.get('givenName') === 'Bob' ? evaluationError(BOB_REFUSAL) : active(input);
}

type Call = <M extends MethodName>(name: M, input: MethodInput<M>) => Promise<MethodOutput<M>>;
type Subscribe = (listener: (name: EventName, payload: unknown) => void) => () => void;

/** A pasted token, revision 1 of the tenant's mappings, a snapshot of its three users, and revision 1 checked. */
export async function checkRevisionOne(
  call: Call,
  subscribe: Subscribe,
  graphBaseUrl: string,
  accessToken: string,
  /** the users to check (default: the sample the app chooses, here all three) */
  users?: string[],
): Promise<{ revision: number; snapshotId: number; status: CheckRunStatus }> {
  const { accountId } = await call('directory.useAccessToken', { token: accessToken, cloud: 'global' });
  const { revision } = await call('mappings.save', { label: 'Contoso', mappingSet: mappingSet() as never });
  const imported = await call('directory.import', {
    fileName: 'users.json',
    content: JSON.stringify({ value: USERS }),
  });
  if (imported.status !== 'imported') throw new Error(imported.message);
  const snapshotId = imported.snapshot.id;
  let resolveFinished: (status: CheckRunStatus) => void = () => {};
  const finished = new Promise<CheckRunStatus>((resolve) => (resolveFinished = resolve));
  const stop = subscribe(
    (name, payload) => name === 'synchronization.check.finished' && resolveFinished(payload as CheckRunStatus),
  );
  try {
    await call('synchronization.check.start', {
      accountId,
      graphBaseUrl,
      servicePrincipalId: SERVICE_PRINCIPAL_ID,
      jobId: JOB_ID,
      revision,
      snapshotId,
      ...(users ? { users } : {}),
    });
    const status = await finished;
    if (status.state !== 'done') throw new Error(`The check ended ${status.state}: ${status.error?.message ?? ''}`);
    return { revision, snapshotId, status };
  } finally {
    stop();
  }
}
