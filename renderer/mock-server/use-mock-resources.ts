import { useMemo } from 'react';
import type { MockResourceRow } from '../../shared/api.ts';
import { api } from '../api-client.ts';
import { usePagedRows, type PageFetcher } from '../state/use-paged-rows.ts';

/**
 * Pages of the users or groups the mock server holds, fetched as the virtualised list shows them.
 * `refreshKey` changes when the data may have changed (a write answered 2xx, a reset): the pages are
 * re-read, and the old rows stay on screen until the new first page arrives, so a live refresh does not flicker.
 */
export function useMockResources(kind: 'users' | 'groups', search: string, refreshKey: number) {
  const fetchPage = useMemo<PageFetcher<MockResourceRow>>(
    () => (offset, limit) =>
      api[kind === 'users' ? 'mockServer.listUsers' : 'mockServer.listGroups']({ search, offset, limit }),
    [kind, search],
  );
  return usePagedRows(fetchPage, refreshKey, true);
}
