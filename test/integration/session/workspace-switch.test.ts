import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName, MethodInput, MethodName, MethodOutput } from '../../../shared/api.ts';
import { Backend } from '../../../electron/backend/backend.ts';
import { dispatch } from '../../../electron/backend/dispatch.ts';
import { demoGraphData } from '../../support/fake-graph/demo-data.ts';
import { startFakeGraph } from '../../support/fake-graph/server.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * File > Open while work runs against the open workspace (issue 17): the work belongs to the workspace it
 * started in. A provisioning cycle is cancelled with it; a Graph fetch lands in it, never in the next one.
 */

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function harness(path: string, directory: ConstructorParameters<typeof Backend>[0]['directory'] = {}) {
  const backend = new Backend({ mode: 'browser', version: 'test', workspacePath: path, directory });
  cleanups.push(() => backend.close());
  const events: { name: EventName; payload: unknown }[] = [];
  backend.events.subscribe((name, payload) => events.push({ name, payload }));
  return {
    backend,
    events,
    async call<M extends MethodName>(name: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      const envelope = await dispatch(backend.handlers, name, input);
      if (!envelope.ok) throw new Error(`${name}: ${envelope.error.code}: ${envelope.error.message}`);
      return envelope.value as never;
    },
    next<T>(name: EventName, match: (payload: T) => boolean): Promise<T> {
      return new Promise((resolve) => {
        const stop = backend.events.subscribe((n, payload) => {
          if (n === name && match(payload as T)) {
            stop();
            resolve(payload as T);
          }
        });
      });
    },
  };
}

/** Opens a workspace file on its own connection, as a later app start would, and checks it is sound. */
function inspect(path: string): { integrity: string; snapshots: { label: string; origin: string }[]; runs: { status: string }[]; auditRows: number } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }) as string,
      snapshots: db.prepare('SELECT label, origin FROM snapshots ORDER BY id').all() as { label: string; origin: string }[],
      runs: db.prepare('SELECT status FROM provisioning_runs ORDER BY id').all() as { status: string }[],
      auditRows: (db.prepare('SELECT count(*) AS n FROM provisioning_audit').get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

describe('switching the workspace while work runs', () => {
  it('File > Open during a provisioning cycle against the mock server ends the cycle as cancelled and keeps both files intact', async () => {
    const dir = tempDir('session-switch-');
    cleanups.push(() => dir.cleanup());
    const a = join(dir.path, 'a.scimplan');
    const b = join(dir.path, 'b.scimplan');
    const h = harness(a);
    // Latency keeps the 200-user cycle running long enough to switch in the middle of it.
    await h.call('mockServer.start', { latencyMs: 15 });
    const { runId } = await h.call('provisioning.run', { cycle: 'initial', target: 'mock', concurrency: 2 });
    const finished = h.next<{ runId: number; status: string }>('provisioning.progress', (p) => p.runId === runId && p.status !== 'running');
    await h.next<{ name: string; payload: unknown }>('provisioning.step', () => true);

    await h.backend.openWorkspace(b);
    expect((await finished).status).toBe('cancelled');
    expect(h.backend.workspacePath).toBe(b);
    // The new workspace answers, and the mock server of the old one is stopped.
    expect((await h.call('app.info', {})).workspacePath).toBe(b);
    expect((await h.call('mockServer.status', {})).running).toBe(false);
    expect(h.events.filter((e) => e.name === 'workspace.changed').map((e) => e.payload)).toEqual([{ change: 'opened', workspacePath: b }]);
    await h.backend.close();

    const old = inspect(a);
    expect(old.integrity).toBe('ok');
    expect(old.runs).toEqual([{ status: 'cancelled' }]);
    expect(old.auditRows).toBeGreaterThan(0);
    expect(old.snapshots.map((s) => s.origin)).toEqual(['demo']);
    const fresh = inspect(b);
    expect(fresh.integrity).toBe('ok');
    expect(fresh.runs).toEqual([]);
    expect(fresh.snapshots.map((s) => s.origin)).toEqual(['demo']);
  });

  it('a Graph fetch started in workspace A that finishes after a switch to B writes its snapshot to A only', async () => {
    const dir = tempDir('session-fetch-');
    cleanups.push(() => dir.cleanup());
    const graph = await startFakeGraph(demoGraphData(600), { latencyMs: 30 });
    cleanups.push(() => graph.close());
    const a = join(dir.path, 'a.scimplan');
    const b = join(dir.path, 'b.scimplan');
    const h = harness(a, { graph: { pageSize: 100 } });
    const { jobId } = await h.call('directory.fetch', { token: graph.accessToken, graphBaseUrl: graph.baseUrl, label: 'Fetched in A' });
    const finished = h.next<MethodOutput<'directory.fetch.status'>>('directory.fetch.finished', (s) => s.jobId === jobId);
    await h.next<{ jobId: string; fetched: number }>('directory.fetch.progress', (p) => p.jobId === jobId && p.fetched > 0);

    await h.backend.openWorkspace(b);
    const status = await finished;
    expect(status.state).toBe('done');
    expect(status.snapshot).toMatchObject({ label: 'Fetched in A', userCount: 600 });
    // B, open now, did not receive it: its only snapshot is the demo tenant.
    expect((await h.call('tenant.listSnapshots', {})).map((s) => s.label)).toEqual(['Contoso demo tenant']);
    // The workspace.changed event names the workspace the snapshot went to.
    const changed = h.events.filter((e) => e.name === 'workspace.changed').map((e) => e.payload as Record<string, unknown>);
    expect(changed).toContainEqual(expect.objectContaining({ change: 'snapshot-added', workspacePath: a }));
    await h.backend.close();

    expect(inspect(a).snapshots.map((s) => s.label)).toEqual(['Contoso demo tenant', 'Fetched in A']);
    expect(inspect(a).integrity).toBe('ok');
    expect(inspect(b).snapshots.map((s) => s.label)).toEqual(['Contoso demo tenant']);
  });

  it('the demo tenant loaded again is the same snapshot as on first start (one loader, one fetchedAt)', async () => {
    const dir = tempDir('session-demo-');
    cleanups.push(() => dir.cleanup());
    const h = harness(join(dir.path, 'w.scimplan'));
    const [first] = await h.call('tenant.listSnapshots', {});
    await h.call('tenant.deleteSnapshot', { snapshotId: first!.id });
    const again = await h.call('directory.useDemoTenant', {});
    const { id: _first, ...before } = first!;
    const { id: _again, ...after } = again;
    expect(after).toEqual(before);
  });
});
