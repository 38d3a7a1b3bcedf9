import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../../shared/api.ts';
import { methods } from '../../../shared/api.ts';

/**
 * Stands in for renderer/api-client.ts in DOM tests (vi.mock): each method answers from a handler
 * the test sets, every call is recorded, and answers are parsed with the contract's output schema,
 * so a fixture that drifts from shared/api/preview.ts fails the test instead of passing silently.
 */
type Handler<M extends MethodName> = (input: MethodInput<M>) => MethodOutput<M> | Promise<MethodOutput<M>>;

const handlers = new Map<MethodName, Handler<MethodName>>();
export const calls: { name: MethodName; input: unknown }[] = [];

export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

export function setHandler<M extends MethodName>(name: M, handler: Handler<M>): void {
  handlers.set(name, handler as unknown as Handler<MethodName>);
}

export function callsOf<M extends MethodName>(name: M): MethodInput<M>[] {
  return calls.filter((c) => c.name === name).map((c) => c.input as MethodInput<M>);
}

export function resetFakeApi(): void {
  handlers.clear();
  calls.length = 0;
  listeners.clear();
}

export const api = new Proxy(
  {},
  {
    get: (_target, name: string) => async (input: unknown) => {
      calls.push({ name: name as MethodName, input });
      const handler = handlers.get(name as MethodName);
      if (!handler) throw new ApiCallError('not-implemented', `No fake answer for ${name}`);
      const output = await handler(input as never);
      return methods[name as MethodName].output.parse(output);
    },
  },
);

const listeners = new Set<{ name: EventName; handler: (payload: unknown) => void }>();

export function onEvent<E extends EventName>(name: E, handler: (payload: EventPayload<E>) => void): () => void {
  const entry = { name, handler: handler as (payload: unknown) => void };
  listeners.add(entry);
  return () => listeners.delete(entry);
}

export function emitEvent<E extends EventName>(name: E, payload: EventPayload<E>): void {
  for (const entry of listeners) if (entry.name === name) entry.handler(payload);
}
