import { workerScript } from '../worker-script.ts';

/** Which script a preview worker runs: the packaged bundle, a cached esbuild bundle, or tsx (../worker-script.ts). */
export function previewWorkerScript(): Promise<URL> {
  return workerScript({
    prebuilt: new URL('./preview-worker.mjs', import.meta.url),
    source: new URL('./worker.ts', import.meta.url),
    tsxEntry: new URL('./worker-entry.mjs', import.meta.url),
  });
}
