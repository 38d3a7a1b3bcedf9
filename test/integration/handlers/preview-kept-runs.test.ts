import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Backend } from '../../../electron/backend/backend.ts';
import { dispatch } from '../../../electron/backend/dispatch.ts';
import type { MethodName, PreviewRunSummary } from '../../../shared/api.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * The Preview screen keeps its last runs for paging, within a budget of users: a run that would not fit beside the
 * kept ones evicts the oldest before it starts (at a million users, two runs held at once went past 1.5 GB).
 */
describe('runs kept for paging', () => {
  const opened: { backend: Backend; cleanup(): void }[] = [];
  afterEach(async () => {
    for (const { backend, cleanup } of opened.splice(0)) {
      await backend.close();
      cleanup();
    }
  });

  function backendKeeping(keptUsers?: number) {
    const dir = tempDir('scim-planner-kept-runs-');
    const backend = new Backend({ mode: 'browser', version: 'test', workspacePath: join(dir.path, 'w.scimplan'), ...(keptUsers ? { preview: { keptUsers } } : {}) });
    opened.push({ backend, cleanup: dir.cleanup });
    return async <T,>(name: MethodName, input: unknown): Promise<{ ok: true; value: T } | { ok: false; code: string; message: string }> => {
      const envelope = await dispatch(backend.handlers, name, input);
      return envelope.ok ? { ok: true, value: envelope.value as T } : { ok: false, code: envelope.error.code, message: envelope.error.message };
    };
  }

  async function twoRuns(keptUsers?: number) {
    const call = backendKeeping(keptUsers);
    const first = await call<PreviewRunSummary>('preview.run', {});
    const second = await call<PreviewRunSummary>('preview.run', { vendorId: 'hithrive' });
    if (!first.ok || !second.ok) throw new Error('a run failed');
    const page = (runId: string) => call('preview.listUsers', { runId, offset: 0, limit: 5 });
    return { first: await page(first.value.runId), second: await page(second.value.runId), users: first.value.users };
  }

  it('keeps the earlier run when both fit the budget (the demo tenant, 200 users, twice)', async () => {
    const { first, second, users } = await twoRuns();
    expect(users).toBe(200);
    expect(first.ok).toBe(true);
    expect(second.ok).toBe(true);
  });

  it('evicts the earlier run before the next starts when together they would pass the budget', async () => {
    const { first, second } = await twoRuns(300);
    expect(second.ok).toBe(true);
    expect(first).toMatchObject({ ok: false, message: expect.stringMatching(/no longer available; run the preview again/) });
  });
});
