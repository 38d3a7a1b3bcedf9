import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EventName, MethodInput, MethodName, MethodOutput, PreloadApi } from '../../../shared/api.ts';
import type { DirectoryServiceOptions } from '../../../electron/backend/directory/options.ts';
import { tempDir } from '../../support/temp.ts';

type Listener = (name: EventName, payload: unknown) => void;

/** One relay for the window's whole life: the renderer subscribes once (api-client.ts), each test's backend feeds it. */
const relay = new Set<Listener>();

// Vitest runs DOM tests' modules as for a browser page: `new URL(file, import.meta.url)` in the backend becomes a path
// from the project root resolved against the page's location. With the page at the project root's file URL, the
// backend finds its files (worker scripts, resources) where Node would.
(window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(pathToFileURL(`${process.cwd()}/`).href);
const { Backend } = await import('../../../electron/backend/backend.ts');
const { dispatch } = await import('../../../electron/backend/dispatch.ts');

export interface RealBackend {
  backend: InstanceType<typeof Backend>;
  workspacePath: string;
  /** calls the backend as the renderer does, for a test's own set-up */
  call<M extends MethodName>(name: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  close(): Promise<void>;
}

/**
 * The real backend on a temp workspace (the demo tenant loads on first open) behind the preload's `window.api`: the
 * renderer in happy-dom reaches it through the same dispatch as the Electron door, with answers cloned as IPC would.
 */
export function startRealBackend(options: { directory?: DirectoryServiceOptions } = {}): RealBackend {
  const dir = tempDir('scim-planner-dom-');
  const workspacePath = join(dir.path, 'w.scimplan');
  const backend = new Backend({ mode: 'electron', version: 'test', workspacePath, ...options });
  const unsubscribe = backend.events.subscribe((name, payload) => relay.forEach((listener) => listener(name, structuredClone(payload))));
  window.api = new Proxy({} as PreloadApi, {
    get: (_target, name: string) => async (input: unknown) => structuredClone(await dispatch(backend.handlers, name, structuredClone(input))),
  });
  window.apiEvents = {
    on: (listener) => {
      relay.add(listener);
      return () => relay.delete(listener);
    },
  };
  return {
    backend,
    workspacePath,
    call: async (name, input) => {
      const envelope = await dispatch(backend.handlers, name, input);
      if (!envelope.ok) throw new Error(envelope.error.message);
      return envelope.value as never;
    },
    close: async () => {
      unsubscribe();
      await backend.close();
      dir.cleanup();
    },
  };
}
