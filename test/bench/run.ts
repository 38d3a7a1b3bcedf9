// `npm run bench`: runs every test/bench/*.bench.ts in its own process, one after another (the
// machine has 2 cores; running them side by side would measure each other). Each prints its own
// Markdown table with ratios against a baseline measured in the same run.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// `npm run bench -- --users 1000000 [names…]`: the benchmarks that take a tenant size as their first argument run at
// that size (issue 18's figures are at a million users); the others keep their own sizes.
const TENANT_SIZED = ['delta-refresh', 'graph-fetch', 'import', 'preview.bench', 'report', 'snapshot-compare', 'ui-tables'];
const args = process.argv.slice(2);
const usersAt = args.indexOf('--users');
const users = usersAt >= 0 ? (args.splice(usersAt, 2)[1] ?? '') : undefined;
if (users !== undefined && !/^[1-9]\d*$/.test(users)) {
  console.error(`--users wants a whole number of users, got ${users || 'nothing'}`);
  process.exit(2);
}
const only = args;
const dir = join(process.cwd(), 'test', 'bench');
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((name) => f.includes(name)))
  .sort();

let failed = 0;
for (const file of benches) {
  console.log(`\n## ${file}\n`);
  const size = users && TENANT_SIZED.some((name) => file.startsWith(name)) ? [users] : [];
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(dir, file), ...size], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.log(`\n${file} failed (exit ${result.status ?? result.signal})`);
  }
}
console.log(`\n${benches.length - failed} benchmarks ran, ${failed} failed`);
process.exit(failed ? 1 : 0);
