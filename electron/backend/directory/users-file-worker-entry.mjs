// The fallback users file reader thread (../worker-script.ts): used when neither the packaged bundle nor esbuild is
// available. Worker threads do not inherit the parent's TypeScript loader on Node 20, so it registers tsx itself.
import { register } from 'tsx/esm/api';

register();
await import('./users-file-worker.ts');
