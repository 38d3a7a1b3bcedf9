import { useMemo } from 'react';
import type { PreviewUserRow } from '../../shared/api.ts';
import type { UserAction } from './types.ts';
import { api } from '../api-client.ts';
import { usePagedRows, type PageFetcher } from '../state/use-paged-rows.ts';

export { PAGE_SIZE } from '../state/use-paged-rows.ts';

export interface PreviewUserFilters {
  action: UserAction | null;
  findingCode: string | null;
  search: string;
}

/** A preview run's users via `preview.listUsers`, paged for the virtualised table. */
export function usePreviewUsers(runId: string | null, filters: PreviewUserFilters) {
  const { action, findingCode, search } = filters;
  const fetchPage = useMemo<PageFetcher<PreviewUserRow>>(
    () =>
      runId === null
        ? null
        : (offset, limit, countLimit) =>
            api['preview.listUsers']({
              runId,
              search,
              offset,
              limit,
              ...(action ? { action } : {}),
              ...(findingCode ? { findingCode } : {}),
              // every user's count is the run's: only a narrowed list has one to walk
              ...(search.trim() !== '' || action || findingCode ? { countLimit } : {}),
            }),
    [runId, action, findingCode, search],
  );
  return usePagedRows(fetchPage);
}
