import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Which script a worker thread runs (the preview's workers, the fetch's snapshot writer). A worker started on the
 * TypeScript sources registers tsx and transpiles every module again in its own loader thread: about a second per
 * worker, more than previewing 20,000 users. So, in order:
 *  1. the packaged app's bundle beside the bundled main process (scripts/build-electron.mjs);
 *  2. a bundle esbuild makes from the sources, cached in node_modules/.cache (so its package imports resolve
 *     from the project's node_modules) and rebuilt when a source file changes;
 *  3. an entry that registers tsx and imports the sources (when esbuild is not available).
 */
interface WorkerEntry {
  /** the packaged app's bundle: a URL made beside the caller's module, which the app bundles into main.mjs */
  prebuilt: URL;
  /** the worker's TypeScript entry */
  source: URL;
  /** an .mjs that registers tsx, then imports `source` */
  tsxEntry: URL;
}

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface CacheManifest {
  inputs: Record<string, number>;
}

const resolved = new Map<string, Promise<URL>>();

export function workerScript(entry: WorkerEntry): Promise<URL> {
  let script = resolved.get(entry.source.href);
  if (!script) resolved.set(entry.source.href, (script = resolveScript(entry)));
  return script;
}

async function resolveScript({ prebuilt, source, tsxEntry }: WorkerEntry): Promise<URL> {
  if (prebuilt.protocol === 'file:' && existsSync(fileURLToPath(prebuilt))) return prebuilt;
  const sourcePath = fileURLToPath(source);
  if (!existsSync(sourcePath)) return tsxEntry;
  try {
    return await cachedBundle(sourcePath);
  } catch {
    return tsxEntry;
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

async function cachedBundle(sourceEntry: string): Promise<URL> {
  const dir = join(PROJECT_ROOT, 'node_modules', '.cache', 'scim-planner-workers');
  const key = createHash('sha256').update(sourceEntry).digest('hex').slice(0, 16);
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
    entryPoints: [sourceEntry],
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
