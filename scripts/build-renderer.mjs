// `npm run web` and `npm start` (browser mode): build the renderer only when its inputs changed since the
// last build (scripts/renderer-stamp.mjs), then record what it was built from.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRendererBuildCurrent, rendererInputsHash, STAMP_FILE } from './renderer-stamp.mjs';

const root = process.cwd();
const outDir = join(root, 'dist', 'renderer');
if (isRendererBuildCurrent(root, outDir)) {
  console.log('Renderer build is up to date (dist/renderer): reusing it.');
} else {
  const inputs = rendererInputsHash(root);
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  const build = spawnSync(npx, ['vite', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  writeFileSync(join(outDir, STAMP_FILE), `${inputs}\n`);
}
