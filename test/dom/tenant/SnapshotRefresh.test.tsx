import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DirectoryAccount, FetchJobStatus, SnapshotSummary } from '../../../shared/api.ts';
import { render, settle } from './render.ts';

const refreshMock = vi.fn<(input: { snapshotId: number; accountId?: string }) => Promise<{ jobId: string }>>();
vi.mock('../../../renderer/api-client.ts', () => ({
  api: { 'directory.refresh': (input: { snapshotId: number; accountId?: string }) => refreshMock(input) },
  onEvent: () => () => undefined,
}));
const { SnapshotList } = await import('../../../renderer/tenant/SnapshotList.tsx');
const { useSnapshotRefresh } = await import('../../../renderer/tenant/snapshot-refresh.ts');
const { useFetchJob } = await import('../../../renderer/tenant/fetch-job.ts');

const snap = (id: number, label: string, extra: Partial<SnapshotSummary> = {}): SnapshotSummary => ({
  id,
  projectId: 1,
  label,
  origin: 'graph',
  tenantName: 'contoso.example',
  fetchedAt: '2026-02-01T10:00:00.000Z',
  userCount: 3,
  groupCount: 0,
  parentId: null,
  refreshable: true,
  ...extra,
});
const account: DirectoryAccount = {
  accountId: 'acc-1',
  kind: 'signed-in',
  username: 'admin@contoso.example',
  displayName: 'Admin',
  tenantId: 'tid',
  cloud: 'global',
  clientId: 'cid',
  expiresAt: null,
  storage: 'in memory only',
};
const snapshots = [snap(3, 'Graph: Monday'), snap(2, 'Graph: assigned to Slack', { refreshable: false }), snap(1, 'users.csv', { origin: 'csv', refreshable: false })];

function Harness({ accounts, onRefreshed }: { accounts: DirectoryAccount[]; onRefreshed: (id: number) => void }) {
  const { refreshSnapshot, refreshBlocked } = useSnapshotRefresh(accounts, onRefreshed, () => undefined);
  return (
    <SnapshotList snapshots={snapshots} selectedId={3} onSelect={() => undefined} onDelete={() => undefined} onRefresh={(s) => void refreshSnapshot(s)} refreshBlocked={refreshBlocked} />
  );
}

const refreshButton = (container: HTMLElement, label: string) =>
  container.querySelector<HTMLButtonElement>(`button[aria-label="Refresh snapshot ${label}"]`);

afterEach(() => {
  refreshMock.mockReset();
  act(() => useFetchJob.getState().dismiss());
});

describe('the Refresh button beside a Graph snapshot', () => {
  it('is offered only for Graph snapshots, and disabled with the reason when there is no deltaLink or no sign-in', async () => {
    const signedOut = await render(<Harness accounts={[]} onRefreshed={() => undefined} />);
    expect(refreshButton(signedOut.container, 'users.csv')).toBeNull();
    const noLink = refreshButton(signedOut.container, 'Graph: assigned to Slack')!;
    expect(noLink.disabled).toBe(true);
    expect(noLink.title).toMatch(/keeps no Graph deltaLinks/);
    const monday = refreshButton(signedOut.container, 'Graph: Monday')!;
    expect(monday.disabled).toBe(true);
    expect(monday.title).toMatch(/Sign in \(or paste an access token\)/);
    await signedOut.unmount();

    const signedIn = await render(<Harness accounts={[account]} onRefreshed={() => undefined} />);
    expect(refreshButton(signedIn.container, 'Graph: Monday')!.disabled).toBe(false);
    await signedIn.unmount();
  });

  it('starts a refresh job with the sign-in, shows it as the running fetch and selects the new snapshot when done', async () => {
    refreshMock.mockResolvedValue({ jobId: 'job-7' });
    const refreshed: number[] = [];
    const view = await render(<Harness accounts={[account]} onRefreshed={(id) => refreshed.push(id)} />);
    await act(async () => refreshButton(view.container, 'Graph: Monday')!.click());
    await settle();
    expect(refreshMock).toHaveBeenCalledWith({ snapshotId: 3, accountId: 'acc-1' });
    expect(useFetchJob.getState().jobId).toBe('job-7');
    // While it runs, another refresh waits.
    expect(refreshButton(view.container, 'Graph: Monday')!.title).toMatch(/A fetch is running/);

    const done: FetchJobStatus = { jobId: 'job-7', state: 'done', progress: null, snapshot: snap(4, 'Graph: Monday · refreshed', { parentId: 3 }), error: null, notes: [] };
    await act(async () => useFetchJob.getState().finished(done));
    await settle();
    expect(refreshed).toEqual([4]);
    await view.unmount();
  });

  it("uses the sign-in of the snapshot's tenant when there are several", async () => {
    refreshMock.mockResolvedValue({ jobId: 'job-8' });
    const fabrikam = { ...account, accountId: 'acc-fabrikam', tenantId: 'fabrikam.example' };
    const contoso = { ...account, accountId: 'acc-contoso', tenantId: 'contoso.example' };
    const view = await render(<Harness accounts={[fabrikam, contoso]} onRefreshed={() => undefined} />);
    await act(async () => refreshButton(view.container, 'Graph: Monday')!.click());
    await settle();
    expect(refreshMock).toHaveBeenCalledWith({ snapshotId: 3, accountId: 'acc-contoso' });
    await view.unmount();
  });
});
