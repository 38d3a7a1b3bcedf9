/**
 * Snapshot compare (issue 18: two 1,000,000-user snapshots with 1% changed in ≤ 10 s).
 * Run: npx tsx test/bench/snapshot-compare.bench.ts [users]   (default 100,000)
 *
 * Floor, measured in the same run: one pass of SQLite over both snapshots' stored source JSON (sum of its length),
 * which any comparison has to read. Each variant runs in its own child process, so its peak RSS is its own.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourceUsage } from 'node:process';
import { fileURLToPath } from 'node:url';
import { diffSnapshots } from '../../shared/directory/snapshot-diff.ts';
import { compareStoredSnapshots } from '../../electron/backend/workspace/snapshot-compare.ts';
import { WorkspaceStore } from '../../electron/backend/workspace/store.ts';

const USERS = Number(process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 100_000);

/** A user with about the attributes and size of a real one's source object (~1 KB). */
function user(i: number, changed: boolean) {
  const id = `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`;
  const source: Record<string, unknown> = {
    objectId: id,
    userPrincipalName: `user${i}@contoso.com`,
    displayName: `User ${i}`,
    givenName: `Given${i}`,
    surname: `Surname${i}`,
    mail: `user${i}@contoso.com`,
    mailNickname: `user${i}`,
    department: changed ? `Moved ${i}` : `Department ${i % 40}`,
    jobTitle: `Title ${i % 90}`,
    companyName: 'Contoso',
    employeeId: String(100000 + i),
    employeeHireDate: '2021-03-01T00:00:00Z',
    accountEnabled: i % 50 !== 0,
    telephoneNumber: `+1 555 ${String(i).padStart(7, '0')}`,
    mobile: `+1 556 ${String(i).padStart(7, '0')}`,
    city: 'Seattle',
    country: 'US',
    streetAddress: `${i} Main Street`,
    postalCode: '98101',
    preferredLanguage: 'en-US',
    usageLocation: 'US',
    proxyAddresses: [`SMTP:user${i}@contoso.com`, `smtp:u${i}@contoso.onmicrosoft.com`],
    manager: i > 0 ? `${String(Math.floor(i / 10)).padStart(8, '0')}-0000-4000-8000-000000000000` : null,
  };
  return { raw: { id, userPrincipalName: source.userPrincipalName }, source };
}

interface Measurement {
  ms: number;
  peakMb: number;
  changed: number;
}

function child(variant: string, path: string): void {
  const store = new WorkspaceStore(path, { readOnly: true });
  const [from, to] = store.listSnapshots(store.listProjects()[0]!.id).map((s) => s.id).sort((a, b) => a - b);
  const start = performance.now();
  let changed = 0;
  if (variant === 'floor') {
    store.db.prepare('SELECT sum(length(source)) FROM snapshot_users WHERE snapshot_id IN (?, ?)').pluck().get(from, to);
  } else if (variant === 'sql') {
    changed = compareStoredSnapshots(store.db, from!, to!).changed.length;
  } else {
    changed = diffSnapshots(store.iterateUsers(from!), store.iterateUsers(to!)).changed.length;
  }
  const ms = performance.now() - start;
  store.close();
  console.log(JSON.stringify({ ms, peakMb: resourceUsage().maxRSS / 1024, changed } satisfies Measurement));
}

function measure(variant: string, path: string): Measurement {
  const result = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), String(USERS), '--child', variant, path], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${variant} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Measurement;
}

function parent(): void {
  const dir = mkdtempSync(join(tmpdir(), 'compare-bench-'));
  try {
    const path = join(dir, 'bench.scimplanner');
    const store = new WorkspaceStore(path);
    const project = store.createProject('bench');
    const written = performance.now();
    function* users(changedEvery: number) {
      for (let i = 0; i < USERS; i++) yield user(i, changedEvery > 0 && i % changedEvery === 0);
    }
    store.addSnapshot({ projectId: project.id, label: 'before', origin: 'json', users: users(0) });
    store.addSnapshot({ projectId: project.id, label: 'after', origin: 'json', users: users(100) });
    store.close();
    const writeSeconds = (performance.now() - written) / 1000;
    const floor = measure('floor', path);
    const variants: [string, Measurement][] = [
      ['compare inside SQLite (the app\'s path)', measure('sql', path)],
      ['both snapshots read into memory and compared (before issue 18)', measure('memory', path)],
    ];
    console.log(`Compare of two ${USERS.toLocaleString('en-US')}-user snapshots, 1% changed (${variants[0]![1].changed} users); snapshots written in ${writeSeconds.toFixed(1)} s\n`);
    console.log('| variant | wall time | ratio to the floor | peak RSS (process) |');
    console.log('|---|---|---|---|');
    const line = (name: string, m: Measurement) => `| ${name} | ${(m.ms / 1000).toFixed(2)} s | ${(m.ms / floor.ms).toFixed(2)}× | ${m.peakMb.toFixed(0)} MB |`;
    console.log(line('floor: one SQLite pass over both snapshots\' source JSON', floor));
    for (const [name, m] of variants) console.log(line(name, m));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const childIndex = process.argv.indexOf('--child');
if (childIndex >= 0) child(process.argv[childIndex + 1]!, process.argv[childIndex + 2]!);
else parent();
