// The fallback preview worker (worker-script.ts): used when neither the packaged bundle nor esbuild is available.
// Worker threads do not inherit the parent's TypeScript loader on Node 20 (`--import tsx` in a worker's
// execArgv is not applied), so the worker registers tsx itself before loading the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
