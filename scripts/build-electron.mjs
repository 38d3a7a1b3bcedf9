// Bundles the Electron main process (ESM) and the sandboxed preload (CommonJS: a sandboxed preload
// cannot load ES modules) into dist-electron/. Native and runtime packages stay external.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: false, logLevel: 'warning' };

await build({
  ...common,
  entryPoints: ['electron/main.ts'],
  outfile: 'dist-electron/main.mjs',
  format: 'esm',
  packages: 'external',
});
// The preview runner's worker thread (electron/backend/preview/runner.ts looks for it beside main.mjs).
await build({
  ...common,
  entryPoints: ['electron/backend/preview/worker.ts'],
  outfile: 'dist-electron/preview-worker.mjs',
  format: 'esm',
  packages: 'external',
});
// The Graph fetch's snapshot writer thread (electron/backend/workspace/snapshot-writer-thread.ts, same place).
await build({
  ...common,
  entryPoints: ['electron/backend/workspace/snapshot-writer-worker.ts'],
  outfile: 'dist-electron/snapshot-writer-worker.mjs',
  format: 'esm',
  packages: 'external',
});
// An import's users file reader thread (electron/backend/directory/users-file-thread.ts, same place).
await build({
  ...common,
  entryPoints: ['electron/backend/directory/users-file-worker.ts'],
  outfile: 'dist-electron/users-file-worker.mjs',
  format: 'esm',
  packages: 'external',
});
await build({
  ...common,
  entryPoints: ['electron/preload.ts'],
  outfile: 'dist-electron/preload.cjs',
  format: 'cjs',
  external: ['electron'],
});
console.log('Built dist-electron/main.mjs, preview-worker.mjs, snapshot-writer-worker.mjs, users-file-worker.mjs and preload.cjs');
