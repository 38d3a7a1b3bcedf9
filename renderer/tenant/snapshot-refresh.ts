import { useEffect, useState } from 'react';
import type { DirectoryAccount, SnapshotSummary } from '../../shared/api.ts';
import { api } from '../api-client.ts';
import { useFetchJob } from './fetch-job.ts';

/**
 * The Tenant screen's "Refresh" of a Graph snapshot: a fetch job (same progress panel, same cancel) that reads only
 * Graph's changes since the snapshot, with the sign-in of the snapshot's tenant (else the first one); the new snapshot
 * is selected when it is done.
 */
export function useSnapshotRefresh(
  accounts: readonly DirectoryAccount[],
  onRefreshed: (snapshotId: number) => void,
  onError: (message: string) => void,
) {
  const running = useFetchJob((s) => s.jobId !== null && s.result === null);
  const started = useFetchJob((s) => s.started);
  const result = useFetchJob((s) => s.result);
  const [refreshJobId, setRefreshJobId] = useState<string | null>(null);

  useEffect(() => {
    if (!refreshJobId || result?.jobId !== refreshJobId) return;
    setRefreshJobId(null);
    if (result.state === 'done' && result.snapshot) onRefreshed(result.snapshot.id);
  }, [refreshJobId, result, onRefreshed]);

  const refreshSnapshot = async (snapshot: SnapshotSummary) => {
    // A fetch names its snapshot's tenant by the tenant the admin signed in to, or a pasted token's tenant id.
    const account = accounts.find((a) => a.tenantId !== null && a.tenantId === snapshot.tenantName) ?? accounts[0];
    if (!account) return;
    try {
      const { jobId } = await api['directory.refresh']({ snapshotId: snapshot.id, accountId: account.accountId });
      setRefreshJobId(jobId);
      started(jobId);
    } catch (e) {
      onError((e as Error).message);
    }
  };

  const refreshBlocked = (): string | null => {
    if (accounts.length === 0) return 'Sign in (or paste an access token) for this tenant to refresh it';
    if (running) return 'A fetch is running: wait for it or cancel it';
    return null;
  };

  return { refreshSnapshot, refreshBlocked };
}
