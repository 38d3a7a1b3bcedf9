import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startMockScimProcess } from '../support/mock-scim-process.ts';
import { tempDir } from '../support/temp.ts';

// PROVISIONING_MEMORY_USERS overrides the size (the goal is a million); the default runs in a few minutes.
const USERS = Number(process.env.PROVISIONING_MEMORY_USERS ?? 20_000);
// Far below what the tenant's source objects and audit entries would take held whole (about 6 KB an entry with its
// requests and responses): the rehearsal must read, send, audit and forget a batch at a time.
const HEAP_MB = Number(process.env.PROVISIONING_MEMORY_HEAP_MB ?? 128);

interface Rehearsal {
  users: number;
  summary: { created: number; updated: number; skipped: number; failed: number; notProcessed: number; status: string };
  processed: number;
  sample: number;
  sampleLimit: number;
  auditRows: number;
  failedRows: number;
  cycleSeconds: number;
  impactSeconds: number;
  impact: { users: number; skipped: number; disables: number; updates: number; outOfScope: number; outOfScopeCount: number; accidentalDeletions: { exceeded: boolean } };
  forecastUsers: number;
}

describe('provisioning rehearsal and go-live impact of a large snapshot with a capped heap', () => {
  const dir = tempDir('provisioning-memory-');
  afterAll(() => dir.cleanup());

  it(`rehearses ${USERS.toLocaleString('en-US')} users against the mock server and works out the impact with a ${HEAP_MB} MB heap`, { timeout: 3_600_000 }, async () => {
    const server = await startMockScimProcess(dir.path);
    try {
      const script = fileURLToPath(new URL('../support/provisioning-rehearsal.ts', import.meta.url));
      const reporter = new URL('../support/report-peak-rss.mjs', import.meta.url).href;
      const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', '--import', reporter, script, dir.path, String(USERS), server.url, server.token], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
      const peak = /@peak-rss-kb (\d+)/.exec(stderr);
      console.log(`provisioning rehearsal of ${USERS} users with --max-old-space-size=${HEAP_MB}: exit ${code}, peak RSS ${peak ? Math.round(Number(peak[1]) / 1024) : '?'} MB\n${stdout}`);
      expect({ code, signal, stderr: stderr.replace(/\n@peak-rss-kb \d+\n$/, '').trim() }).toEqual({ code: 0, signal: null, stderr: '' });
      const result = JSON.parse(stdout) as Rehearsal;
      // Every user reached the server or was skipped by the scoping, and every entry is in the workspace's log.
      expect(result.users).toBe(USERS);
      expect(result.summary.status).toBe('completed');
      expect(result.summary.failed).toBe(0);
      expect(result.summary.notProcessed).toBe(0);
      expect(result.summary.created + result.summary.updated + result.summary.skipped).toBe(USERS);
      expect(result.auditRows).toBe(result.processed);
      expect(result.processed).toBeGreaterThanOrEqual(USERS);
      expect(result.failedRows).toBe(0);
      // The result keeps a bounded sample, not the log.
      expect(result.sample).toBe(Math.min(result.sampleLimit, result.processed));
      // The impact counts every user and names a bounded list of those the Sales filter drops.
      expect(result.impact.users + result.impact.skipped).toBe(USERS);
      expect(result.impact.outOfScope).toBe(Math.min(result.impact.outOfScopeCount, 10_000));
      expect(result.impact.outOfScopeCount).toBe(result.impact.disables);
      expect(result.impact.accidentalDeletions.exceeded).toBe(true);
      expect(result.forecastUsers).toBe(result.impact.users);
    } finally {
      await server.stop();
    }
  });
});
