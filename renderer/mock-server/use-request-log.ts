import { useCallback, useEffect, useRef, useState } from 'react';
import type { MockRequestSummary } from '../../shared/api.ts';
import { api, onEvent } from '../api-client.ts';

const PAGE_SIZE = 200;
/** Live entries are applied in batches, so a burst of thousands of requests re-renders a few times a second. */
const LIVE_BATCH_MS = 200;

interface RequestLogFilter {
  search: string;
  status: number | null;
  method: string | null;
}

/**
 * The mock server's request log, newest first: the first page on open, older pages as the list scrolls,
 * and new requests as they arrive over the `mockServer.request` event. With a filter set, a live request
 * may or may not match (the search covers bodies the event does not carry), so the first page is re-read.
 */
export function useRequestLog(filter: RequestLogFilter) {
  const [entries, setEntries] = useState<MockRequestSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);
  const loadingMore = useRef(false);
  const entriesRef = useRef<MockRequestSummary[]>([]);
  entriesRef.current = entries;

  const filtered = filter.search !== '' || filter.status !== null || filter.method !== null;
  const query = useCallback(
    (offset: number) =>
      api['mockServer.requestLog']({
        search: filter.search,
        offset,
        limit: PAGE_SIZE,
        ...(filter.status !== null ? { status: filter.status } : {}),
        ...(filter.method !== null ? { method: filter.method } : {}),
      }),
    [filter.search, filter.status, filter.method],
  );

  const reload = useCallback(() => {
    const mine = ++generation.current;
    query(0).then(
      (page) => {
        if (mine !== generation.current) return;
        setEntries(page.items);
        setTotal(page.total);
        setLoaded(true);
        setError(null);
      },
      (e: Error) => mine === generation.current && setError(e.message),
    );
  }, [query]);

  useEffect(() => {
    setLoaded(false);
    reload();
  }, [reload]);

  useEffect(() => {
    let pending: MockRequestSummary[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const apply = () => {
      timer = undefined;
      if (filtered) {
        pending = [];
        reload();
        return;
      }
      const newest = entriesRef.current[0]?.seq ?? 0;
      const fresh = pending.filter((e) => e.seq > newest).sort((a, b) => b.seq - a.seq);
      pending = [];
      if (fresh.length === 0) return;
      setEntries((list) => [...fresh, ...list]);
      setTotal((n) => n + fresh.length);
    };
    const off = onEvent('mockServer.request', (entry) => {
      pending.push(entry);
      timer ??= setTimeout(apply, LIVE_BATCH_MS);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [filtered, reload]);

  /** Loads the next older page; the offset is the number of rows held, which live updates keep exact. */
  const loadMore = useCallback(() => {
    if (loadingMore.current || entriesRef.current.length >= total) return;
    loadingMore.current = true;
    const mine = generation.current;
    query(entriesRef.current.length).then(
      (page) => {
        loadingMore.current = false;
        if (mine !== generation.current) return;
        setEntries((list) => {
          const known = new Set(list.map((e) => e.seq));
          return [...list, ...page.items.filter((e) => !known.has(e.seq))];
        });
        setTotal(page.total);
      },
      (e: Error) => {
        loadingMore.current = false;
        setError(e.message);
      },
    );
  }, [query, total]);

  return { entries, total, loaded, error, loadMore, reload };
}
