import { useCallback, useEffect, useRef, useState } from 'react';
import type { MockResourceRow } from '../../shared/api.ts';
import { api } from '../api-client.ts';

const PAGE_SIZE = 200;

/**
 * Pages of the users or groups the mock server holds, fetched as the virtualised list shows them.
 * `refreshKey` changes when the data may have changed (a write answered 2xx, a reset): the pages are re-read.
 */
export function useMockResources(kind: 'users' | 'groups', search: string, refreshKey: number) {
  const [total, setTotal] = useState(0);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const pages = useRef(new Map<number, MockResourceRow[]>());
  const inFlight = useRef(new Set<number>());
  const generation = useRef(0);

  const loadPage = useCallback(
    (page: number) => {
      if (pages.current.has(page) || inFlight.current.has(page)) return;
      const mine = generation.current;
      inFlight.current.add(page);
      const method = kind === 'users' ? 'mockServer.listUsers' : 'mockServer.listGroups';
      api[method]({ search, offset: page * PAGE_SIZE, limit: PAGE_SIZE }).then(
        (result) => {
          if (mine !== generation.current) return;
          inFlight.current.delete(page);
          pages.current.set(page, result.rows);
          setTotal(result.total);
          setLoaded(true);
          setVersion((v) => v + 1);
        },
        (e: Error) => {
          inFlight.current.delete(page);
          if (mine === generation.current) setError(e.message);
        },
      );
    },
    [kind, search],
  );

  useEffect(() => {
    generation.current++;
    // keep showing the old rows until the new first page arrives, so a live refresh does not flicker
    const previous = pages.current;
    pages.current = new Map();
    inFlight.current = new Set();
    setError(null);
    if (previous.size === 0) setTotal(0);
    loadPage(0);
  }, [loadPage, refreshKey]);

  const rowAt = useCallback(
    (index: number): MockResourceRow | undefined => {
      const page = Math.floor(index / PAGE_SIZE);
      const rows = pages.current.get(page);
      if (!rows) loadPage(page);
      return rows?.[index % PAGE_SIZE];
    },
    // `version` on purpose: a new identity makes the list re-read after a page arrives
    [loadPage, version],
  );

  return { total, rowAt, error, loaded };
}
