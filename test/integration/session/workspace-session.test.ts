import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toDisposable } from '../../../electron/backend/session/disposables.ts';
import { WorkspaceClosedError, WorkspaceSession } from '../../../electron/backend/session/workspace-session.ts';
import { tempDir } from '../../support/temp.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function workspace(): string {
  const dir = tempDir('workspace-session-');
  cleanups.push(() => dir.cleanup());
  return join(dir.path, 'w.scimplan');
}

describe('WorkspaceSession', () => {
  it('on close: aborts its jobs, waits for them (they may still write), then its services, then closes the database', async () => {
    const session = WorkspaceSession.open(workspace());
    const order: string[] = [];
    session.add(toDisposable(() => void order.push(`service stopped, database open: ${session.store.db.open}`)));
    let reason: unknown;
    const job = session.job('slow writer', async (signal) => {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      reason = signal.reason;
      await new Promise((resolve) => setTimeout(resolve, 20));
      // What a cancelled cycle does last: record itself in the workspace it ran against.
      session.store.saveMappingRevision(session.projectId, 'written while closing', '{}');
      order.push('job finished');
      return 'cancelled';
    });
    await session.close();
    expect(await job).toBe('cancelled');
    expect(reason).toBeInstanceOf(WorkspaceClosedError);
    expect(order).toEqual(['job finished', 'service stopped, database open: true']);
    expect(session.store.db.open).toBe(false);
    expect(() => session.job('late', async () => 1)).toThrow(WorkspaceClosedError);

    const reopened = WorkspaceSession.open(session.path);
    cleanups.push(() => reopened.close());
    expect(reopened.store.listMappingRevisions(reopened.projectId).map((r) => r.label)).toEqual(['written while closing']);
  });

  it('write() reaches its own file even after it was closed, and only that file', async () => {
    const path = workspace();
    const session = WorkspaceSession.open(path);
    await session.close();
    const other = WorkspaceSession.open(workspace());
    cleanups.push(() => other.close());
    const saved = session.write((store, projectId) => store.saveMappingRevision(projectId, 'late', '{}'));
    expect(saved.revision).toBe(1);
    expect(other.store.listMappingRevisions(other.projectId)).toEqual([]);
    const reopened = WorkspaceSession.open(path);
    cleanups.push(() => reopened.close());
    expect(reopened.store.listMappingRevisions(reopened.projectId).map((r) => r.label)).toEqual(['late']);
  });

  it('opens a new file with the demo project and its snapshot, and answers not-found for a foreign snapshot', async () => {
    const session = WorkspaceSession.open(workspace());
    cleanups.push(() => session.close());
    expect(session.project().name).toBe('Contoso demo');
    const latest = session.latestSnapshot();
    expect(latest).toMatchObject({ origin: 'demo', fetchedAt: '2026-01-05T09:00:00.000Z' });
    expect(() => session.snapshot(latest.id + 100)).toThrow(/does not exist in this project/);
  });
});
