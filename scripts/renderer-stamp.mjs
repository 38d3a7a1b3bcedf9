// Whether dist/renderer was built from the sources as they are now, so `npm start` and `npm run web`
// reuse an up-to-date build instead of spending half a minute rebuilding the same bundle.
// A hash of the inputs' contents, not their times: a checkout or a copy changes every mtime.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** What the renderer bundle is built from: its sources, the shared domain code, the JSON it imports, the build's settings. */
const INPUTS = ['renderer', 'shared', 'resources/vendors', 'resources/templates', 'vite.config.ts', 'package.json', 'package-lock.json'];
export const STAMP_FILE = '.build-inputs';

function* filesUnder(path) {
  if (!existsSync(path)) return;
  if (!statSync(path).isDirectory()) {
    yield path;
    return;
  }
  const names = readdirSync(path).sort();
  for (const name of names) yield* filesUnder(join(path, name));
}

export function rendererInputsHash(root) {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of filesUnder(join(root, input))) {
      hash.update(relative(root, file).split(sep).join('/'));
      hash.update('\0');
      hash.update(readFileSync(file));
      hash.update('\0');
    }
  }
  return hash.digest('hex');
}

/** True when `outDir` holds a build whose stamp matches the inputs as they are now. */
export function isRendererBuildCurrent(root, outDir) {
  const stamp = join(outDir, STAMP_FILE);
  if (!existsSync(join(outDir, 'index.html')) || !existsSync(stamp)) return false;
  return readFileSync(stamp, 'utf8').trim() === rendererInputsHash(root);
}
