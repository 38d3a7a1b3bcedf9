import { useCallback, useEffect, useRef, useState } from 'react';
import type { PreviewUserRow } from '../../shared/api.ts';
import type { UserAction } from './types.ts';
import { api } from '../api-client.ts';

export const PAGE_SIZE = 200;

export interface PreviewUserFilters {
  action: UserAction | null;
  findingCode: string | null;
  search: string;
}

/**
 * Pages of a preview run's users fetched on demand via `preview.listUsers`, so the table stays light
 * at 100,000 users: only the pages the virtualised table shows are ever requested.
 */
export function usePreviewUsers(runId: string | null, filters: PreviewUserFilters) {
  const { action, findingCode, search } = filters;
  const [total, setTotal] = useState(0);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const pages = useRef(new Map<number, PreviewUserRow[]>());
  const inFlight = useRef(new Set<number>());
  const generation = useRef(0);

  const loadPage = useCallback(
    (page: number) => {
      if (runId === null || pages.current.has(page) || inFlight.current.has(page)) return;
      const requestGeneration = generation.current;
      inFlight.current.add(page);
      api['preview.listUsers']({
        runId,
        search,
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
        ...(action ? { action } : {}),
        ...(findingCode ? { findingCode } : {}),
      }).then(
        (result) => {
          if (requestGeneration !== generation.current) return;
          inFlight.current.delete(page);
          pages.current.set(page, result.users);
          setTotal(result.total);
          setVersion((v) => v + 1);
        },
        (e: Error) => {
          if (requestGeneration !== generation.current) return;
          inFlight.current.delete(page);
          setError(e.message);
        },
      );
    },
    [runId, action, findingCode, search],
  );

  useEffect(() => {
    generation.current++;
    pages.current = new Map();
    inFlight.current = new Set();
    setTotal(0);
    setError(null);
    setVersion((v) => v + 1);
    loadPage(0);
  }, [loadPage]);

  const rowAt = useCallback(
    (index: number): PreviewUserRow | undefined => {
      const page = Math.floor(index / PAGE_SIZE);
      const rows = pages.current.get(page);
      if (!rows) loadPage(page);
      return rows?.[index % PAGE_SIZE];
    },
    // `version` is a dependency on purpose: a new identity makes the table re-read after a page arrives
    [loadPage, version],
  );

  return { total, rowAt, error, loaded: pages.current.has(0) };
}
