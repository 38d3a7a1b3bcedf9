/**
 * Calling the backend's handlers through the dispatcher, as the doors do: `call` answers the value or throws with the
 * envelope's code and message, `failure` answers the error envelope of a call expected to fail.
 */
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api.ts';
import type { Backend } from '../../electron/backend/backend.ts';
import { dispatch } from '../../electron/backend/dispatch.ts';

export function backendCalls(backend: () => Backend) {
  return {
    async call<M extends MethodName>(name: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      const envelope = await dispatch(backend().handlers, name, input);
      if (!envelope.ok) throw new Error(`${name}: ${envelope.error.code}: ${envelope.error.message}`);
      return envelope.value as MethodOutput<M>;
    },
    async failure(name: MethodName, input: unknown): Promise<{ code: string; message: string }> {
      const envelope = await dispatch(backend().handlers, name, input);
      if (envelope.ok) throw new Error(`${name} was expected to fail`);
      return envelope.error;
    },
  };
}
