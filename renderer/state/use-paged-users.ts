import { useMemo } from 'react';
import type { TenantUserFilter, TenantUserSort, UserRow } from '../../shared/api.ts';
import { api } from '../api-client.ts';
import { usePagedRows, type PageFetcher } from './use-paged-rows.ts';

/** What narrows and orders the Tenant table; the backend answers it a page at a time. */
export interface UserTableView {
  search: string;
  /** kept by identity (the UI store's): a new array starts the list over */
  filters?: readonly TenantUserFilter[];
  sort?: TenantUserSort | null;
}

const NO_FILTERS: readonly TenantUserFilter[] = [];

/** A snapshot's users, paged for the Tenant screen's virtualised table. */
export function usePagedUsers(snapshotId: number | null, { search, filters = NO_FILTERS, sort = null }: UserTableView) {
  const fetchPage = useMemo<PageFetcher<UserRow>>(
    () =>
      snapshotId === null
        ? null
        : (offset, limit, countLimit) =>
            api['tenant.listUsers']({
              snapshotId,
              search,
              offset,
              limit,
              filters: [...filters],
              ...(sort ? { sort } : {}),
              // a whole snapshot's count is its user count: only a narrowed list has one to walk
              ...(search.trim() !== '' || filters.length > 0 ? { countLimit } : {}),
            }),
    [snapshotId, search, filters, sort],
  );
  return usePagedRows(fetchPage);
}
