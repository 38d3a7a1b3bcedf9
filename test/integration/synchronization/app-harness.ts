/**
 * Calling the backend's handlers as the app's panels do, for the "check against Microsoft" tests: the envelope's value
 * or its error, the state every panel starts from (a pasted token, a saved revision, a snapshot), and a run's end event.
 */
import type { EventName, MethodInput, MethodName, MethodOutput } from '../../../shared/api.ts';
import type { Backend } from '../../../electron/backend/backend.ts';
import { dispatch } from '../../../electron/backend/dispatch.ts';
import { mappingSet, USERS, type Tenant } from './tenant.ts';

export function appHarness(backend: () => Backend, tenant: () => Tenant, events: () => { name: EventName; payload: unknown }[]) {
  async function call<M extends MethodName>(name: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    const envelope = await dispatch(backend().handlers, name, input);
    if (!envelope.ok) throw new Error(`${name}: ${envelope.error.code}: ${envelope.error.message}`);
    return envelope.value as MethodOutput<M>;
  }

  async function failure(name: MethodName, input: unknown): Promise<{ code: string; message: string }> {
    const envelope = await dispatch(backend().handlers, name, input);
    if (envelope.ok) throw new Error(`${name} was expected to fail`);
    return envelope.error;
  }

  /** A pasted token, a saved mapping revision and a snapshot of the tenant's users: what the panels start from. */
  async function prepare(): Promise<{ accountId: string; revision: number; snapshotId: number }> {
    const { accountId } = await call('directory.useAccessToken', { token: tenant().graph.accessToken, cloud: 'global' });
    const { revision } = await call('mappings.save', { label: 'Contoso', mappingSet: mappingSet() as never });
    const imported = await call('directory.import', { fileName: 'users.json', content: JSON.stringify({ value: USERS }) });
    if (imported.status !== 'imported') throw new Error(imported.message);
    return { accountId, revision, snapshotId: imported.snapshot.id };
  }

  /** The first event `name` whose payload `matches`, already emitted or still to come. */
  function eventOf<T>(name: EventName, matches: (payload: T) => boolean): Promise<T> {
    return new Promise((resolve) => {
      const seen = events().find((e) => e.name === name && matches(e.payload as T));
      if (seen) return resolve(seen.payload as T);
      const stop = backend().events.subscribe((emitted, payload) => {
        if (emitted === name && matches(payload as T)) {
          stop();
          resolve(payload as T);
        }
      });
    });
  }

  return { call, failure, prepare, eventOf };
}
