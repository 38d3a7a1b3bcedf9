import type { Api, ApiErrorCode, Envelope, EventName, EventPayload, MethodName, PreloadApi, PreloadEvents } from '../shared/api.ts';
import { events, methodNames } from '../shared/api.ts';

declare global {
  interface Window {
    /** present in the Electron window (electron/preload.ts); absent in browser mode */
    api?: PreloadApi;
    apiEvents?: PreloadEvents;
  }
}

/** An API failure with the backend's message, which is written for the admin. */
class ApiCallError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

async function callBridge(name: MethodName, input: unknown): Promise<Envelope<unknown>> {
  const response = await fetch(`./api/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify(input ?? {}),
  });
  const body = (await response.json().catch(() => null)) as Envelope<unknown> | null;
  if (body && typeof body === 'object' && 'ok' in body) return body;
  return { ok: false, error: { code: 'no-envelope', message: `The backend answered HTTP ${response.status}` } };
}

function call(name: MethodName, input: unknown): Promise<Envelope<unknown>> {
  const preload = window.api?.[name] as ((input: unknown) => Promise<Envelope<unknown>>) | undefined;
  return preload ? preload(input) : callBridge(name, input);
}

/** The renderer's only way to the backend: window.api in Electron, the HTTP bridge in a browser. */
export const api: Api = Object.fromEntries(
  methodNames.map((name) => [
    name,
    async (input: unknown) => {
      const envelope = await call(name, input);
      if (!envelope.ok) throw new ApiCallError(envelope.error.code, envelope.error.message);
      return envelope.value;
    },
  ]),
) as Api;

type Listener = (name: EventName, payload: unknown) => void;
const listeners = new Set<Listener>();
let subscribed = false;

/** One backend subscription for all listeners: IPC in Electron, one EventSource in a browser. */
function ensureStream(): void {
  if (subscribed) return;
  subscribed = true;
  if (window.apiEvents) {
    window.apiEvents.on((name, payload) => listeners.forEach((l) => l(name, payload)));
    return;
  }
  const stream = new EventSource('./api/events');
  for (const name of Object.keys(events) as EventName[]) {
    stream.addEventListener(name, (event) => {
      const payload = JSON.parse((event as MessageEvent<string>).data) as unknown;
      listeners.forEach((l) => l(name, payload));
    });
  }
}

export function onEvent<E extends EventName>(name: E, handler: (payload: EventPayload<E>) => void): () => void {
  const listener: Listener = (eventName, payload) => {
    if (eventName === name) handler(payload as EventPayload<E>);
  };
  listeners.add(listener);
  ensureStream();
  return () => listeners.delete(listener);
}
