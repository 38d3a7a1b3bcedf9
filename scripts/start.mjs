// `npm start`: the desktop app when Electron's binary can be had, browser mode otherwise.
// Electron 45 downloads its binary on first use; where that is impossible (no network, CI, a
// locked-down machine) we say so in one line and serve the same app to the browser instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describeNodeSupport } from './node-support.mjs';

const require = createRequire(import.meta.url);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function electronBinary() {
  try {
    const pkgDir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(pkgDir, 'path.txt');
    if (existsSync(pathFile)) {
      const binary = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
      if (existsSync(binary)) return binary;
    }
    // First use: let Electron's own installer try to fetch the binary, briefly.
    const install = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { stdio: 'ignore', timeout: 120_000 });
    if (install.status === 0 && existsSync(pathFile)) {
      const binary = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
      if (existsSync(binary)) return binary;
    }
  } catch {
    // the electron package itself is missing: fall through to browser mode
  }
  return null;
}

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const node = describeNodeSupport(process.version);
console.log(node.line);
if (!node.ok) process.exit(1);

const binary = process.env.SCIM_PLANNER_BROWSER_MODE ? null : electronBinary();
if (!binary) {
  console.log('Electron’s binary is not available on this machine (it could not be downloaded), so SCIM Planner opens in browser mode instead.');
  const child = spawn(npm, ['run', 'web', '--', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  run(npm, ['run', 'build']);
  run(process.execPath, ['scripts/electron-native.mjs']);
  const child = spawn(binary, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}
