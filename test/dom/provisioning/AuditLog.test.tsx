import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MethodOutput } from '../../../shared/api.ts';
import { AuditLog } from '../../../renderer/provisioning/AuditLog.tsx';
import { useProvisioningUi } from '../../../renderer/state/provisioning.ts';
import { cleanup, press, render, settle } from '../preview/render.tsx';
import { callsOf, resetFakeApi, setHandler } from '../preview/fake-api.ts';
import { mockStatus } from './fixtures.ts';

vi.mock('../../../renderer/api-client.ts', async () => await import('../preview/fake-api.ts'));

type AuditRow = MethodOutput<'provisioning.auditLog'>['items'][number];
const initialUi = useProvisioningUi.getState();
const run: MethodOutput<'provisioning.runs'>[number] = {
  id: 7,
  kind: 'initial',
  targetUrl: mockStatus.url!,
  dialect: 'default',
  status: 'completed',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  summary: null,
};
const rows: AuditRow[] = Array.from({ length: 40 }, (_, i) => ({
  id: 100 + i,
  runId: 7,
  seq: i + 1,
  objectType: 'User',
  sourceId: `u${i}`,
  label: `user${i}@contoso.test`,
  action: 'create',
  status: 'success',
  reason: null,
  errorCode: null,
  targetId: `t${i}`,
  startedMs: i * 10,
  durationMs: 20,
}));

beforeEach(() => {
  resetFakeApi();
  useProvisioningUi.setState({ ...initialUi, auditRunId: 7 }, true);
  // 300 px of 30 px rows: ten rows in view, so Page Down moves ten
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(300);
  setHandler('provisioning.auditLog', ({ offset = 0, limit = 200 }) => ({
    total: rows.length,
    offset,
    items: rows.slice(offset, offset + limit),
  }));
  setHandler('provisioning.auditEntry', ({ id }) => ({ ...rows.find((r) => r.id === id)!, steps: [] }));
});
afterEach(async () => {
  await cleanup();
  vi.restoreAllMocks();
});

describe('AuditLog', () => {
  it('moves through the entries from the keyboard and opens one with Enter, fetching only that entry', async () => {
    const view = await render(<AuditLog runs={[run]} />);
    await settle();
    const grid = view.querySelector('[role="grid"]')!;
    await press(grid, 'ArrowDown');
    await press(grid, 'PageDown');
    expect(grid.getAttribute('aria-activedescendant')).toBe('prov-audit-10');
    expect(view.querySelector('.prov-audit-row.active .prov-audit-label')!.textContent).toContain(
      'user10@contoso.test',
    );
    await press(grid, 'End');
    expect(grid.getAttribute('aria-activedescendant')).toBe('prov-audit-39');
    await press(grid, 'Home');
    await press(grid, 'ArrowDown');
    expect(callsOf('provisioning.auditEntry')).toEqual([]);

    await press(grid, 'Enter');
    await settle();
    expect(useProvisioningUi.getState().selectedEntryId).toBe(101);
    expect(callsOf('provisioning.auditEntry')).toEqual([{ id: 101 }]);
    expect(view.querySelector('[aria-label="Provisioning log details"] h3')!.textContent).toContain(
      'user1@contoso.test',
    );
  });

  it('forgets the keyboard position when the status filter changes', async () => {
    const view = await render(<AuditLog runs={[run]} />);
    await settle();
    const grid = view.querySelector('[role="grid"]')!;
    await press(grid, 'End');
    expect(grid.getAttribute('aria-activedescendant')).toBe('prov-audit-39');
    await act(async () => useProvisioningUi.getState().setAuditFilter({ auditStatus: 'failure' }));
    await settle();
    expect(grid.getAttribute('aria-activedescendant')).toBeNull();
  });
});
