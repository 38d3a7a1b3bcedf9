import { useMemo } from 'react';
import type { UserRow } from '../../shared/api.ts';
import { api } from '../api-client.ts';
import { usePagedRows, type PageFetcher } from './use-paged-rows.ts';

/** A snapshot's users, paged for the Tenant screen's virtualised table. */
export function usePagedUsers(snapshotId: number | null, search: string) {
  const fetchPage = useMemo<PageFetcher<UserRow>>(
    () =>
      snapshotId === null ? null : (offset, limit) => api['tenant.listUsers']({ snapshotId, search, offset, limit }),
    [snapshotId, search],
  );
  return usePagedRows(fetchPage);
}
