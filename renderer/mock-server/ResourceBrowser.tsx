import { useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useShallow } from 'zustand/react/shallow';
import type { MockResourceRow } from '../../shared/api.ts';
import { useRowNavigation } from '../components/use-row-navigation.ts';
import { useMockServerUi } from '../state/mock-server.ts';
import { useMockResources } from './use-mock-resources.ts';

const ROW_HEIGHT = 30;

/** The users or groups as the emulated vendor holds them now, with the stored SCIM resource of the selected one. */
export function ResourceBrowser({ kind, refreshKey }: { kind: 'users' | 'groups'; refreshKey: number }) {
  const { search, selectedId, setSearch, select } = useMockServerUi(
    useShallow((s) => ({ search: s.resourceSearch, selectedId: s.selectedResourceId, setSearch: s.setResourceSearch, select: s.selectResource })),
  );
  const [searchText, setSearchText] = useState(search);
  useEffect(() => {
    const timer = setTimeout(() => setSearch(searchText.trim()), 250);
    return () => clearTimeout(timer);
  }, [searchText, setSearch]);

  const { total, rowAt, error, loaded } = useMockResources(kind, search, refreshKey);
  const [selected, setSelected] = useState<MockResourceRow | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const label = kind === 'users' ? 'Users' : 'Groups';

  useEffect(() => {
    if (selectedId === null) setSelected(null);
  }, [selectedId]);

  const choose = (row: MockResourceRow) => {
    select(row.id);
    setSelected(row);
  };
  // The stored resource comes with the row, so showing it on every arrow press costs nothing.
  const navigation = useRowNavigation({
    virtualizer,
    rowAt,
    keyOf: (row) => row.id,
    idPrefix: `mock-${kind}`,
    onOpen: choose,
    openKey: selectedId,
    selectionFollowsFocus: true,
    listKey: JSON.stringify([kind, search]),
  });

  return (
    <div className="mock-split">
      <div className="mock-log">
        <div className="mock-filters">
          <input
            type="search"
            className="search"
            placeholder={`Search ${kind} by any value`}
            aria-label={`Search ${kind}`}
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
          />
        </div>
        <div className="mock-table" role="grid" aria-label={`Mock server ${kind}`} aria-rowcount={total} {...navigation.gridProps}>
          <div className="mock-resource-row mock-table-head" role="row">
            <span role="columnheader">{kind === 'users' ? 'userName' : 'displayName'}</span>
            <span role="columnheader">externalId</span>
            <span role="columnheader">{kind === 'users' ? 'active' : 'members'}</span>
            <span role="columnheader">Last modified</span>
          </div>
          <div className="mock-table-body" ref={scrollRef}>
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((item) => {
                const row = rowAt(item.index);
                const isSelected = row !== undefined && row.id === selectedId;
                return (
                  <div
                    key={item.key}
                    id={navigation.rowId(item.index)}
                    role="row"
                    aria-rowindex={item.index + 1}
                    aria-selected={isSelected}
                    className={['mock-resource-row mock-row', isSelected ? 'selected' : '', item.index === navigation.activeIndex ? 'active' : ''].filter(Boolean).join(' ')}
                    style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                    onClick={() => navigation.openRow(item.index)}
                  >
                    {row ? (
                      <>
                        <span role="gridcell">{row.name}</span>
                        <span role="gridcell">{row.externalId ?? '—'}</span>
                        <span role="gridcell">
                          {kind === 'users' ? (row.active === false ? <span className="badge warn">inactive</span> : row.active === true ? 'active' : '—') : row.members}
                        </span>
                        <span role="gridcell">{row.lastModified ? new Date(row.lastModified).toLocaleString() : '—'}</span>
                      </>
                    ) : (
                      <span role="gridcell" className="muted">
                        Loading…
                      </span>
                    )}
                  </div>
                );
              })}
            </div>
          </div>
          <div className="mock-table-foot">
            {error ? <span className="error-text">{error}</span> : loaded ? `${total} ${total === 1 ? kind.slice(0, -1) : kind}${search ? ` matching “${search}”` : ''}` : `Loading ${kind}…`}
          </div>
        </div>
      </div>
      {selected && selected.id === selectedId ? (
        <section className="mock-detail" aria-label={`${label.slice(0, -1)} detail`}>
          <h2>{selected.name}</h2>
          <p className="muted">
            id {selected.id}
            {kind === 'groups' ? ` · ${selected.members} members (not listed here: Entra reads groups without members)` : ''}
          </p>
          <pre className="json" aria-label="Stored resource">
            {JSON.stringify(selected.resource, null, 2)}
          </pre>
        </section>
      ) : (
        <div className="mock-detail empty">Select one to see the SCIM resource exactly as the vendor holds it.</div>
      )}
    </div>
  );
}
