import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Which script a preview worker runs. A worker started on the TypeScript sources registers tsx and transpiles
 * every module again in its own loader thread: about a second per worker, more than previewing 20,000 users.
 * So, in order:
 *  1. `preview-worker.mjs` beside this module: the packaged app's bundle (scripts/build-electron.mjs);
 *  2. a bundle esbuild makes from the sources, cached in node_modules/.cache (so its package imports resolve
 *     from the project's node_modules) and rebuilt when a source file changes;
 *  3. worker-entry.mjs, which registers tsx (when esbuild is not available).
 */
const PREBUILT = new URL('./preview-worker.mjs', import.meta.url);
const TSX_ENTRY = new URL('./worker-entry.mjs', import.meta.url);
const SOURCE_ENTRY = fileURLToPath(new URL('./worker.ts', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface CacheManifest {
  inputs: Record<string, number>;
}

let resolved: Promise<URL> | undefined;

export function previewWorkerScript(): Promise<URL> {
  resolved ??= resolveScript();
  return resolved;
}

async function resolveScript(): Promise<URL> {
  if (PREBUILT.protocol === 'file:' && existsSync(fileURLToPath(PREBUILT))) return PREBUILT;
  if (!existsSync(SOURCE_ENTRY)) return TSX_ENTRY;
  try {
    return await cachedBundle();
  } catch {
    return TSX_ENTRY;
  }
}

function upToDate(manifest: CacheManifest): boolean {
  for (const [path, mtime] of Object.entries(manifest.inputs)) {
    try {
      if (statSync(path).mtimeMs !== mtime) return false;
    } catch {
      return false;
    }
  }
  return true;
}

async function cachedBundle(): Promise<URL> {
  const dir = join(PROJECT_ROOT, 'node_modules', '.cache', 'scim-planner-preview-worker');
  const key = createHash('sha256').update(SOURCE_ENTRY).digest('hex').slice(0, 16);
  const bundlePath = join(dir, `${key}.mjs`);
  const manifestPath = join(dir, `${key}.json`);
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as CacheManifest;
    if (existsSync(bundlePath) && upToDate(manifest)) return pathToFileURL(bundlePath);
  } catch {
    // no cache yet, or an unreadable one: build below
  }
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [SOURCE_ENTRY],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    // Native and runtime packages load from node_modules as usual.
    packages: 'external',
    logLevel: 'silent',
  });
  const inputs: Record<string, number> = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const path = isAbsolute(input) ? input : join(PROJECT_ROOT, input);
    inputs[path] = statSync(path).mtimeMs;
  }
  mkdirSync(dir, { recursive: true });
  // Write then rename, so a worker started by another process never reads half a file.
  const temporary = `${bundlePath}.${process.pid}.tmp`;
  writeFileSync(temporary, result.outputFiles[0]!.text);
  renameSync(temporary, bundlePath);
  writeFileSync(manifestPath, JSON.stringify({ inputs } satisfies CacheManifest));
  return pathToFileURL(bundlePath);
}
