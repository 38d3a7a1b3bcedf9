import { useCallback, useEffect, useRef, useState } from 'react';
import type { UserRow } from '../../shared/api.ts';
import { api } from '../api-client.ts';

const PAGE_SIZE = 200;

/**
 * Pages of a snapshot's users fetched on demand, so the table stays light at 100,000 users: only the
 * pages the virtualised table shows are ever requested.
 */
export function usePagedUsers(snapshotId: number | null, search: string) {
  const [total, setTotal] = useState(0);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const pages = useRef(new Map<number, UserRow[]>());
  const inFlight = useRef(new Set<number>());
  const generation = useRef(0);

  const loadPage = useCallback(
    (page: number) => {
      if (snapshotId === null || pages.current.has(page) || inFlight.current.has(page)) return;
      const requestGeneration = generation.current;
      inFlight.current.add(page);
      api['tenant.listUsers']({ snapshotId, search, offset: page * PAGE_SIZE, limit: PAGE_SIZE }).then(
        (result) => {
          if (requestGeneration !== generation.current) return;
          inFlight.current.delete(page);
          pages.current.set(page, result.users);
          setTotal(result.total);
          setVersion((v) => v + 1);
        },
        (e: Error) => {
          inFlight.current.delete(page);
          if (requestGeneration === generation.current) setError(e.message);
        },
      );
    },
    [snapshotId, search],
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
    (index: number): UserRow | undefined => {
      const page = Math.floor(index / PAGE_SIZE);
      const rows = pages.current.get(page);
      if (!rows) loadPage(page);
      return rows?.[index % PAGE_SIZE];
    },
    // `version` is a dependency on purpose: a new function identity makes the table re-read after a page arrives
    [loadPage, version],
  );

  return { total, rowAt, error, loaded: pages.current.has(0) };
}
