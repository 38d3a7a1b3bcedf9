import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Esbuild from 'esbuild';
import type { BuildOptions, BuildResult } from 'esbuild';

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

/** Where a worker's bundle is cached, and the cached bundle if it is still up to date. */
function cached(sourceEntry: string): { bundlePath: string; manifestPath: string; fresh: URL | null } {
  const dir = join(PROJECT_ROOT, 'node_modules', '.cache', 'scim-planner-workers');
  const key = createHash('sha256').update(sourceEntry).digest('hex').slice(0, 16);
  const bundlePath = join(dir, `${key}.mjs`);
  const manifestPath = join(dir, `${key}.json`);
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as CacheManifest;
    if (existsSync(bundlePath) && upToDate(manifest)) return { bundlePath, manifestPath, fresh: pathToFileURL(bundlePath) };
  } catch {
    // no cache yet, or an unreadable one: the caller builds
  }
  return { bundlePath, manifestPath, fresh: null };
}

interface BundleOptions extends BuildOptions {
  write: false;
  metafile: true;
}

function bundleOptions(sourceEntry: string): BundleOptions {
  return {
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
  };
}

/** Keeps a bundle esbuild made, with the modification times of its inputs. */
function keep(result: BuildResult<BundleOptions>, bundlePath: string, manifestPath: string): URL {
  const inputs: Record<string, number> = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const path = isAbsolute(input) ? input : join(PROJECT_ROOT, input);
    inputs[path] = statSync(path).mtimeMs;
  }
  mkdirSync(dirname(bundlePath), { recursive: true });
  // Write then rename, so a worker started by another process never reads half a file.
  const temporary = `${bundlePath}.${process.pid}.tmp`;
  writeFileSync(temporary, result.outputFiles[0]!.text);
  renameSync(temporary, bundlePath);
  writeFileSync(manifestPath, JSON.stringify({ inputs } satisfies CacheManifest));
  return pathToFileURL(bundlePath);
}

async function cachedBundle(sourceEntry: string): Promise<URL> {
  const { bundlePath, manifestPath, fresh } = cached(sourceEntry);
  if (fresh) return fresh;
  const { build } = await import('esbuild');
  return keep(await build(bundleOptions(sourceEntry)), bundlePath, manifestPath);
}

/**
 * workerScript for a caller that cannot wait (an import inside one synchronous transaction): the same choice, with
 * esbuild's synchronous build.
 */
export function workerScriptSync({ prebuilt, source, tsxEntry }: WorkerEntry): URL {
  if (prebuilt.protocol === 'file:' && existsSync(fileURLToPath(prebuilt))) return prebuilt;
  const sourcePath = fileURLToPath(source);
  if (!existsSync(sourcePath)) return tsxEntry;
  try {
    const { bundlePath, manifestPath, fresh } = cached(sourcePath);
    if (fresh) return fresh;
    const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof Esbuild;
    return keep(buildSync(bundleOptions(sourcePath)), bundlePath, manifestPath);
  } catch {
    return tsxEntry;
  }
}
