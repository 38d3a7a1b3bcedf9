import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../../shared/api.ts';

export const PAGE_SIZE = 200;

/** Fetches one page; null while there is nothing to page through (no run, no snapshot yet). */
export type PageFetcher<T> = ((offset: number, limit: number) => Promise<Page<T>>) | null;

/**
 * Rows of a long list fetched a page at a time, on demand, for a virtualised table: only the pages
 * the table shows are ever requested, so 100,000 rows stay light. A new `fetchPage` identity (its
 * query changed) or `refreshKey` starts over; answers to an older query are dropped.
 * `keepWhileRefreshing` keeps showing the old rows until the new first page arrives (live lists).
 */
export function usePagedRows<T>(fetchPage: PageFetcher<T>, refreshKey: unknown = 0, keepWhileRefreshing = false) {
  const [total, setTotal] = useState(0);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const pages = useRef(new Map<number, readonly T[]>());
  const inFlight = useRef(new Set<number>());
  const generation = useRef(0);

  const loadPage = useCallback(
    (page: number) => {
      if (fetchPage === null || pages.current.has(page) || inFlight.current.has(page)) return;
      const mine = generation.current;
      inFlight.current.add(page);
      fetchPage(page * PAGE_SIZE, PAGE_SIZE).then(
        (result) => {
          if (mine !== generation.current) return;
          inFlight.current.delete(page);
          pages.current.set(page, result.items);
          setTotal(result.total);
          setLoaded(true);
          setVersion((v) => v + 1);
        },
        (e: Error) => {
          if (mine !== generation.current) return;
          inFlight.current.delete(page);
          setError(e.message);
        },
      );
    },
    [fetchPage],
  );

  useEffect(() => {
    generation.current++;
    const hadRows = pages.current.size > 0;
    pages.current = new Map();
    inFlight.current = new Set();
    setError(null);
    if (!keepWhileRefreshing || !hadRows) {
      setTotal(0);
      setLoaded(false);
    }
    setVersion((v) => v + 1);
    loadPage(0);
  }, [loadPage, refreshKey, keepWhileRefreshing]);

  const rowAt = useCallback(
    (index: number): T | undefined => {
      const page = Math.floor(index / PAGE_SIZE);
      const rows = pages.current.get(page);
      if (!rows) loadPage(page);
      return rows?.[index % PAGE_SIZE];
    },
    // `version` is a dependency on purpose: a new identity makes the table re-read after a page arrives
    [loadPage, version],
  );

  return { total, rowAt, error, loaded };
}
