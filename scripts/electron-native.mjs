// Builds better-sqlite3 for Electron's ABI into build/electron-native/, beside (not instead of) the
// Node build in node_modules that tests and the CLI use. main.ts hands this file to better-sqlite3
// through its `nativeBinding` option. Needs network once (Electron's headers); skipped when present.
import { cpSync, existsSync, mkdirSync, mkdtempSync, copyFileSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const target = join('build', 'electron-native', 'better_sqlite3.node');
const stamp = `${target}.${electronVersion}`;
if (existsSync(target) && existsSync(stamp)) process.exit(0);

const source = dirname(require.resolve('better-sqlite3/package.json'));
const work = mkdtempSync(join(tmpdir(), 'scim-planner-sqlite-'));
cpSync(source, work, { recursive: true, filter: (p) => !p.includes(`${join('build', 'Release')}`) });
console.log(`Building better-sqlite3 for Electron ${electronVersion}…`);
const result = spawnSync(
  process.platform === 'win32' ? 'npx.cmd' : 'npx',
  ['--yes', 'node-gyp', 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'],
  { cwd: work, stdio: 'inherit' },
);
if (result.status !== 0) {
  console.error('Could not build better-sqlite3 for Electron (this needs network access once for Electron’s headers).');
  process.exit(result.status ?? 1);
}
mkdirSync(dirname(target), { recursive: true });
copyFileSync(join(work, 'build', 'Release', 'better_sqlite3.node'), target);
copyFileSync(target, stamp);
