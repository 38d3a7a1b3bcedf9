/**
 * Runs the fake Graph in its own process (for benchmarks, so the server's CPU and memory are not
 * counted against the reader): `node --import tsx serve.ts [userCount] [latencyMs | minMs-maxMs]`. Prints one JSON
 * line {"baseUrl", "accessToken"} when listening, and exits when stdin closes.
 *
 * A line `change PERCENT` on stdin changes that share of the tenant for a delta refresh (./delta.ts): most of them a
 * property, then one in twenty a manager, a removal for good, a move to the recycle bin, and as many new users; it
 * answers with one JSON line counting them.
 */
import { createInterface } from 'node:readline';
import type { GraphUser } from '../../../shared/directory/graph-to-source.ts';
import { demoGraphData } from './demo-data.ts';
import { startFakeGraph } from './server.ts';

const count = Number(process.argv[2] ?? 200);
const [min, max = min] = (process.argv[3] ?? '0').split('-').map(Number) as [number, number?];
const graph = await startFakeGraph(demoGraphData(count), min === max ? { latencyMs: min } : { latencyRangeMs: [min, max!] });
process.stdout.write(`${JSON.stringify({ baseUrl: graph.baseUrl, accessToken: graph.accessToken })}\n`);

function change(percent: number): Record<string, number> {
  const tenant = graph.tenant;
  const picked = tenant.users.filter((_, i) => i % Math.round(100 / percent) === 0);
  const counts = { updated: 0, managers: 0, deleted: 0, softDeleted: 0, added: 0 };
  picked.forEach((user, i) => {
    const kind = i % 20;
    if (kind === 1 && picked[i + 1]) {
      tenant.setManager(user.id, picked[i + 1]!.id);
      counts.managers++;
    } else if (kind === 2) {
      tenant.hardDeleteUser(user.id);
      counts.deleted++;
    } else if (kind === 3) {
      tenant.softDeleteUser(user.id);
      counts.softDeleted++;
    } else if (kind === 4) {
      const id = `0000${i.toString(16).padStart(4, '0')}-0000-4000-8000-${user.id.slice(-12)}`;
      tenant.upsertUser({ ...user, id, userPrincipalName: `added.${i}@contoso.example` } as GraphUser);
      counts.added++;
    } else {
      tenant.updateUser(user.id, { department: `Changed ${i}` });
      counts.updated++;
    }
  });
  return counts;
}

createInterface({ input: process.stdin })
  .on('line', (line) => {
    const match = /^change (\d+(?:\.\d+)?)$/.exec(line.trim());
    if (match) process.stdout.write(`${JSON.stringify(change(Number(match[1])))}\n`);
  })
  .on('close', () => {
    void graph.close().then(() => process.exit(0));
  });
