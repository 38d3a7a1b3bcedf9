import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDemoProject } from '../../electron/backend/workspace/demo-tenant.ts';
import { WorkspaceStore } from '../../electron/backend/workspace/store.ts';
import { entraDefaultMappingSet } from '../../electron/backend/services/mapping-sets.ts';
import { graphUserToSource } from '../../shared/directory/graph-to-source.ts';
import type { SourceObject } from '../../shared/directory/source-object.ts';
import { previewSnapshot } from '../../shared/preview/run.ts';
import { USER_ACTIONS, type UserAction } from '../../shared/preview/types.ts';
import { tempDir } from '../support/temp.ts';
import { demoUserCopies } from '../support/users-files.ts';

// PREVIEW_APP_MEMORY_USERS overrides the size (issue 18's goal is a million users on one laptop).
const USERS = Number(process.env.PREVIEW_APP_MEMORY_USERS ?? 200_000);
// The heap cap of the backend process: its workers stream the snapshot and the run's rows go to a SQLite file, so
// nothing the process holds grows by more than a few hundred bytes a user.
const HEAP_MB = Number(process.env.PREVIEW_APP_MEMORY_HEAP_MB ?? 384);
// The whole process (main thread and both workers): the runner before issue 18 held every user's source objects in
// its workers and every index row on the main thread, and peaked at 525 MB for 100,000 and 1,187 MB for 300,000 users.
const RSS_MB = Number(process.env.PREVIEW_APP_MEMORY_RSS_MB ?? 700);
const CHILD = fileURLToPath(new URL('../support/preview-app-path.ts', import.meta.url));
const PEAK_RSS = new URL('../support/report-peak-rss.mjs', import.meta.url).href;

interface ChildAnswer {
  users: number;
  byAction: Record<UserAction, number>;
  listed: Record<UserAction, number>;
  found: { total: number; upns: string[] };
  last: { total: number; count: number; id: string };
  detail: { id: string; requests: number; action: UserAction };
  heapUsedMb: number;
}

/** The Preview screen's calls in a process of its own with a capped heap: its answer, exit and peak RSS. */
async function runCapped(workspacePath: string, snapshotId: number, search: string): Promise<{ code: number | null; stderr: string; answer: ChildAnswer | null; seconds: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', '--import', PEAK_RSS, CHILD, workspacePath, String(snapshotId), search], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const line = stdout.trim().split('\n').at(-1);
  return { code, stderr, answer: line ? (JSON.parse(line) as ChildAnswer) : null, seconds: (performance.now() - started) / 1000 };
}

describe('the Preview screen on a large workspace snapshot with a capped heap', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it(`previews ${USERS.toLocaleString('en-US')} users with a ${HEAP_MB} MB heap, and its totals, pages and search match a direct count`, { timeout: 1_800_000 }, async () => {
    const workspacePath = join(dir.path, 'large.scimplanner');
    const store = new WorkspaceStore(workspacePath);
    let snapshotId: number;
    try {
      const projectId = ensureDemoProject(store);
      const users = (function* () {
        for (const raw of demoUserCopies(USERS)) yield { raw: raw as unknown as Record<string, unknown>, source: { ...graphUserToSource(raw) } };
      })();
      snapshotId = store.addSnapshot({ projectId, label: 'large', origin: 'json', users }).id;
    } finally {
      store.close();
    }

    // The direct count: the snapshot is copies of the demo tenant (managers inside each copy), so each user's
    // action is its demo original's, previewed here in memory with the same mappings (Entra's defaults).
    const demo = (JSON.parse(readFileSync(new URL('../../resources/demo-tenant/users.json', import.meta.url), 'utf8')) as { value: unknown[] }).value.length;
    const originals = previewSnapshot({ set: entraDefaultMappingSet(), users: [...demoUserCopies(demo)].map((raw) => graphUserToSource(raw) as SourceObject) }).users;
    const expected = Object.fromEntries(USER_ACTIONS.map((action) => [action, 0])) as Record<UserAction, number>;
    for (let i = 0; i < USERS; i++) expected[originals[i % demo]!.action]++;
    // A search for one copy's UPN suffix finds that copy's users whose previewed UPN (a guest's is its mail) has it.
    const copy = Math.floor((USERS - 1) / demo / 2);
    const term = `.${copy}@`;
    const copyUsers = [...demoUserCopies((copy + 1) * demo)].slice(copy * demo).map((raw) => graphUserToSource(raw) as SourceObject);
    const found = previewSnapshot({ set: entraDefaultMappingSet(), users: copyUsers }).users.filter(
      (user, i) => (user.userPrincipalName ?? '').toLowerCase().includes(term) || String(copyUsers[i]!.displayName ?? '').toLowerCase().includes(term),
    ).length;

    const run = await runCapped(workspacePath, snapshotId, term);
    const peak = /@peak-rss-kb (\d+)/.exec(run.stderr);
    console.log(`Preview screen on ${USERS} users with --max-old-space-size=${HEAP_MB}: exit ${run.code} in ${run.seconds.toFixed(1)} s, peak RSS ${peak ? Math.round(Number(peak[1]) / 1024) : '?'} MB, backend heap after ${run.answer?.heapUsedMb} MB`);
    expect(run.stderr.replace(/\n@peak-rss-kb \d+\n$/, '')).toBe('');
    expect(run.code).toBe(0);
    expect(peak && Number(peak[1]) / 1024).toBeLessThanOrEqual(RSS_MB);
    const answer = run.answer!;
    expect(answer.users).toBe(USERS);
    expect(answer.byAction).toEqual(expected);
    // The table's filter by action pages from the same rows the summary counts.
    expect(answer.listed).toEqual(expected);
    expect(answer.found.total).toBe(found);
    expect(found).toBeGreaterThan(0);
    expect(answer.found.upns.every((upn) => upn.includes(term))).toBe(true);
    // The last page has the last user, and opening it computes its full preview again in its worker.
    expect(answer.last).toMatchObject({ total: USERS, count: 1 });
    expect(answer.detail.id).toBe(answer.last.id);
    expect(answer.detail.action).toBe(originals[(USERS - 1) % demo]!.action);
  });
});
