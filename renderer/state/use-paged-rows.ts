import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../../shared/api.ts';

export const PAGE_SIZE = 200;

/**
 * How many matches a page asks the backend to count at most: a list's first page shows at once however many rows
 * match (a common word matches most of a million), and its exact count follows in a request of its own.
 */
export const COUNT_LIMIT = 5 * PAGE_SIZE;

/**
 * Fetches one page; null while there is nothing to page through (no run, no snapshot yet). `countLimit`, when the
 * method takes one, lets the backend answer a lower bound (`counting`) instead of walking every match.
 */
export type PageFetcher<T> = ((offset: number, limit: number, countLimit?: number) => Promise<Page<T>>) | null;

/**
 * Rows of a long list fetched a page at a time, on demand, for a virtualised table: only the pages
 * the table shows are ever requested, so 100,000 rows stay light. A new `fetchPage` identity (its
 * query changed) or `refreshKey` starts over; answers to an older query are dropped.
 * `keepWhileRefreshing` keeps showing the old rows until the new first page arrives (live lists).
 */
export function usePagedRows<T>(fetchPage: PageFetcher<T>, refreshKey: unknown = 0, keepWhileRefreshing = false) {
  const [total, setTotal] = useState(0);
  /** `total` is a lower bound while the exact count is on its way */
  const [counting, setCounting] = useState(false);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const pages = useRef(new Map<number, readonly T[]>());
  const inFlight = useRef(new Set<number>());
  const generation = useRef(0);
  /** this query's count: exact once known, else the most counted so far, and whether the exact count was asked for */
  const count = useRef({ exact: false, counted: 0, asked: false });

  const failed = useCallback((mine: number, e: Error) => {
    if (mine === generation.current) setError(e.message);
  }, []);

  /** Takes a page's count: an exact one settles the total, a lower bound raises it until the exact one is known. */
  const takeCount = useCallback((result: Page<T>) => {
    if (!result.counting) {
      count.current.exact = true;
      setTotal(result.total);
      setCounting(false);
    } else if (!count.current.exact) {
      count.current.counted = Math.max(count.current.counted, result.total);
      setTotal(count.current.counted);
      setCounting(true);
    }
  }, []);

  const loadPage = useCallback(
    (page: number) => {
      if (fetchPage === null || pages.current.has(page) || inFlight.current.has(page)) return;
      const mine = generation.current;
      inFlight.current.add(page);
      fetchPage(page * PAGE_SIZE, PAGE_SIZE, COUNT_LIMIT).then(
        (result) => {
          if (mine !== generation.current) return;
          inFlight.current.delete(page);
          pages.current.set(page, result.items);
          takeCount(result);
          setLoaded(true);
          setVersion((v) => v + 1);
          if (result.counting && !count.current.asked) {
            // the first page is on screen: now the exact count (the same first page, without the cap)
            count.current.asked = true;
            fetchPage(0, PAGE_SIZE).then(
              (exact) => {
                if (mine === generation.current) takeCount(exact);
              },
              (e: Error) => failed(mine, e),
            );
          }
        },
        (e: Error) => {
          if (mine === generation.current) inFlight.current.delete(page);
          failed(mine, e);
        },
      );
    },
    [fetchPage, takeCount, failed],
  );

  useEffect(() => {
    generation.current++;
    const hadRows = pages.current.size > 0;
    pages.current = new Map();
    inFlight.current = new Set();
    count.current = { exact: false, counted: 0, asked: false };
    setError(null);
    setCounting(false);
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

  return { total, counting, rowAt, error, loaded };
}
