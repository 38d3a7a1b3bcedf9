import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is one static bundle: the Electron window loads it from disk, browser mode serves it
// through the bridge. `base: './'` keeps asset URLs relative so both work.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  // Monaco's editor worker (renderer/editor/monaco-setup.ts imports it with `?worker`) is an ES module
  // with imports of its own: bundle it as an ES module worker file served from 'self' (CSP worker-src).
  worker: { format: 'es' },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 4096,
  },
});
