// Adds to package-lock.json the platform-specific optional packages that npm left out.
//
// Why: the npm registry reachable from this project's machines serves only the linux-x64 builds of
// packages such as @rollup/rollup-<platform>, so `npm install` writes a lock without the other
// platforms' entries, and `npm ci` then refuses the lock as out of sync. A complete lock records them
// as optional with their os/cpu, exactly as npm does elsewhere; npm ci skips them on other platforms.
// Run after changing dependencies: `node scripts/complete-lockfile.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const OS = ['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'netbsd', 'openharmony', 'sunos', 'win32', 'aix'];
const CPU = ['arm64', 'arm', 'x64', 'ia32', 'ppc64', 'riscv64', 's390x', 'loong64', 'loongarch64', 'mips64el', 'wasm32'];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  let cpu = parts.find((p) => CPU.includes(p));
  if (cpu === 'loongarch64') cpu = 'loong64';
  const libc = parts.includes('musl') ? 'musl' : parts.includes('gnu') || parts.includes('gnueabihf') ? 'glibc' : undefined;
  return { os, cpu, libc };
}

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [path, meta] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
    // npm resolves a dependency next to its parent, then up the tree; hoisted copies count.
    const candidates = [];
    let base = path;
    for (;;) {
      candidates.push(`${base ? `${base}/` : ''}node_modules/${dep}`);
      const cut = base.lastIndexOf('/node_modules/');
      if (cut < 0) {
        if (base) candidates.push(`node_modules/${dep}`);
        break;
      }
      base = base.slice(0, cut);
    }
    if (candidates.some((c) => packages[c])) continue;
    const { os, cpu, libc } = platformOf(dep);
    if (!os && !cpu) continue; // not a platform package: leave it for npm to resolve
    const target = path ? `${path}/node_modules/${dep}` : `node_modules/${dep}`;
    const hoisted = `node_modules/${dep}`;
    const key = packages[hoisted] ? target : hoisted;
    packages[key] = {
      version: String(version).replace(/^[\^~]/, ''),
      ...(cpu ? { cpu: [cpu] } : {}),
      dev: meta.dev || undefined,
      license: meta.license,
      optional: true,
      ...(os ? { os: [os] } : {}),
      ...(libc ? { libc: [libc] } : {}),
    };
    added++;
  }
}
// npm orders the keys by an English locale comparison ("string_decoder" before "string-width"), not by code
// point: sorting any other way makes the next `npm install` rewrite the lock.
const npmKeyOrder = (a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'en'));
const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => npmKeyOrder(a, b)));
lock.packages = sorted;
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} platform entries`);
