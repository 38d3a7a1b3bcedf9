import { defineConfig, type Rollup } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * zod ships `@__PURE__` notes inside comments Rollup cannot place and prints two warnings for them on every build;
 * they change nothing in our bundle. Only that known warning is silenced: every other one still prints.
 */
export function onBuildWarning(warning: Rollup.RollupLog, warn: (warning: Rollup.RollupLog) => void): void {
  if (warning.code === 'INVALID_ANNOTATION' && /[\\/]node_modules[\\/]zod[\\/]/.test(warning.id ?? '')) return;
  warn(warning);
}

// The renderer is one static bundle: the Electron window loads it from its own scheme (scimplanner://app,
// electron/app-scheme.ts), browser mode serves it through the bridge. `base: './'` keeps asset URLs relative so both work.
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
    rollupOptions: { onwarn: onBuildWarning },
  },
});
