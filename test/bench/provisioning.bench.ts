/**
 * Provisioning cycle benchmark (issue 9): an initial cycle of 10,000 users (the demo tenant's users cloned
 * under new names) against the local mock SCIM server running in its own process, so the cycle and the
 * server each get a core. Baseline measured in the same run: the same POST bodies sent straight to the
 * server with the same concurrency (no matching, no cycle logic). Entra documents 0.01–0.08 minutes per
 * object for an initial cycle (entra-scim.md §1.4), i.e. 0.2–1.7 objects per second.
 *
 *   npx tsx test/bench/provisioning.bench.ts
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphUserToSource, type GraphUser } from '../../shared/directory/graph-to-source.ts';
import type { SourceObject } from '../../shared/directory/source-object.ts';
import { importMappingSet } from '../../shared/mapping/model.ts';
import { previewSnapshot } from '../../shared/preview/run.ts';
import { runCycle } from '../../electron/backend/provisioning/cycle.ts';
import { ScimClient } from '../../electron/backend/provisioning/scim-client.ts';
import { MemoryProvisioningState } from '../../electron/backend/provisioning/types.ts';

const USERS = 10_000;
const CONCURRENCY = 24;
const LIMIT_S = 30;
const root = new URL('../../', import.meta.url);

function tenUsers(count: number): SourceObject[] {
  const demo = (JSON.parse(readFileSync(new URL('resources/demo-tenant/users.json', root), 'utf8')) as { value: GraphUser[] }).value.filter(
    // guests' #EXT# part is stripped from userName, so clones of a guest would collide (entra-scim.md §1.6 step 9)
    (u) => u.accountEnabled !== false && !String(u.userPrincipalName).includes('#EXT#'),
  );
  const users: SourceObject[] = [];
  for (let i = 0; i < count; i++) {
    const base = demo[i % demo.length]!;
    const [local, domain] = String(base.userPrincipalName).split('@');
    const upn = `${local}.${i}@${domain}`;
    const clone: GraphUser = { ...base, id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, userPrincipalName: upn, mail: upn, mailNickname: `${local}.${i}`, manager: undefined } as GraphUser;
    users.push(graphUserToSource(clone));
  }
  return users;
}

async function startServer(dir: string): Promise<{ url: string; token: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/mock-server-entry.ts', '--port', '0', '--token', 'bench-token', '--db', join(dir, 'mock.sqlite')], {
    cwd: new URL('.', root).pathname,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /\{"url".*\}/.exec(text);
      if (match) resolve(match[0]);
    });
    child.once('exit', (code) => reject(new Error(`mock server exited with ${code}`)));
  });
  const { url, token } = JSON.parse(line) as { url: string; token: string };
  return {
    url,
    token,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function main(): Promise<void> {
  const imported = importMappingSet(JSON.parse(readFileSync(new URL('resources/templates/entra-scim-default.schema.json', root), 'utf8')));
  if (!imported.ok) throw new Error(imported.issues.join('\n'));
  const set = imported.set;
  const users = tenUsers(USERS);

  // Baseline: the preview's POST bodies, posted directly.
  const baselineDir = mkdtempSync(join(tmpdir(), 'bench-provisioning-'));
  const baselineServer = await startServer(baselineDir);
  const bodies = previewSnapshot({ set, users }).users.flatMap((u) => u.requests.filter((r) => r.method === 'POST').map((r) => r.body!));
  const client = new ScimClient({ tenantUrl: baselineServer.url, auth: { kind: 'bearer', token: baselineServer.token } });
  let next = 0;
  const baselineStart = performance.now();
  const baselineEnd = await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const exchange = await client.send({ method: 'POST', path: '/Users', body });
        if (exchange.status !== 201) throw new Error(`baseline POST failed: ${exchange.status} ${exchange.errorMessage}`);
      }
    }),
  )
    .then(() => performance.now())
    .finally(async () => {
      await baselineServer.stop();
      rmSync(baselineDir, { recursive: true, force: true });
    });
  const baselineS = (baselineEnd - baselineStart) / 1000;

  // The cycle: match → create for every user.
  const cycleDir = mkdtempSync(join(tmpdir(), 'bench-provisioning-'));
  const server = await startServer(cycleDir);
  const cycleClient = new ScimClient({ tenantUrl: server.url, auth: { kind: 'bearer', token: server.token } });
  const started = performance.now();
  const { summary, ended } = await runCycle(cycleClient, { kind: 'initial', set, current: { users }, state: new MemoryProvisioningState(), concurrency: CONCURRENCY })
    .then((result) => ({ ...result, ended: performance.now() }))
    .finally(async () => {
      await server.stop();
      rmSync(cycleDir, { recursive: true, force: true });
    });
  const cycleS = (ended - started) / 1000;
  if (summary.failed > 0 || summary.created !== bodies.length) throw new Error(`cycle incomplete: ${JSON.stringify(summary)}`);

  const rate = USERS / cycleS;
  const entraFast = 1 / (0.01 * 60);
  const entraSlow = 1 / (0.08 * 60);
  console.log(`Initial cycle, ${USERS.toLocaleString('en-US')} users, concurrency ${CONCURRENCY}, mock server in its own process (${summary.requests} requests)\n`);
  console.log('| run | time (s) | users/s | ratio to baseline |');
  console.log('|---|---|---|---|');
  console.log(`| baseline: POST bodies sent directly | ${baselineS.toFixed(1)} | ${(USERS / baselineS).toFixed(0)} | 1.00 |`);
  console.log(`| initial cycle (match GET + POST per user) | ${cycleS.toFixed(1)} | ${rate.toFixed(0)} | ${(cycleS / baselineS).toFixed(2)} |`);
  console.log(`| Entra, documented 0.01 min/object | ${(USERS / entraFast).toFixed(0)} | ${entraFast.toFixed(2)} | ${(USERS / entraFast / baselineS).toFixed(0)} |`);
  console.log(`| Entra, documented 0.08 min/object | ${(USERS / entraSlow).toFixed(0)} | ${entraSlow.toFixed(2)} | ${(USERS / entraSlow / baselineS).toFixed(0)} |`);
  console.log(`\n${cycleS <= LIMIT_S ? 'PASS' : 'FAIL'}: ${cycleS.toFixed(1)} s (limit ${LIMIT_S} s)`);
  if (cycleS > LIMIT_S) process.exitCode = 1;
}

await main();
