import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { MockResourceRow } from '../../shared/api.ts';
import { VirtualGrid } from '../components/VirtualGrid.tsx';
import { useMockServerUi } from '../state/mock-server.ts';
import { useMockResources } from './use-mock-resources.ts';

const CLASS_NAMES = { grid: 'mock-table', head: 'mock-resource-row mock-table-head', body: 'mock-table-body', row: 'mock-resource-row mock-row' };

/** The users or groups as the emulated vendor holds them now, with the stored SCIM resource of the selected one. */
export function ResourceBrowser({ kind, refreshKey }: { kind: 'users' | 'groups'; refreshKey: number }) {
  const { search, selectedId, setSearch, select } = useMockServerUi(
    useShallow((s) => ({ search: s.resourceSearch, selectedId: s.selectedResourceId, setSearch: s.setResourceSearch, select: s.selectResource })),
  );
  const [searchText, setSearchText] = useState(search);
  useEffect(() => {
    // Only a changed search is a new one: applying the same one again would clear the selected resource.
    if (searchText.trim() === search) return;
    const timer = setTimeout(() => setSearch(searchText.trim()), 250);
    return () => clearTimeout(timer);
  }, [searchText, search, setSearch]);

  const { total, rowAt, error, loaded } = useMockResources(kind, search, refreshKey);
  const [selected, setSelected] = useState<MockResourceRow | null>(null);
  const label = kind === 'users' ? 'Users' : 'Groups';

  useEffect(() => {
    if (selectedId === null) setSelected(null);
  }, [selectedId]);

  const choose = (row: MockResourceRow) => {
    select(row.id);
    setSelected(row);
  };

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
        {/* The stored resource comes with the row, so showing it on every arrow press costs nothing. */}
        <VirtualGrid
          label={`Mock server ${kind}`}
          total={total}
          rowAt={rowAt}
          keyOf={(row) => row.id}
          idPrefix={`mock-${kind}`}
          onOpen={choose}
          openKey={selectedId}
          selectionFollowsFocus
          listKey={JSON.stringify([kind, search])}
          columns={[kind === 'users' ? 'userName' : 'displayName', 'externalId', kind === 'users' ? 'active' : 'members', 'Last modified']}
          classNames={CLASS_NAMES}
          rowHeight={30}
          overscan={12}
          renderCells={(row) => (
            <>
              <span role="gridcell">{row.name}</span>
              <span role="gridcell">{row.externalId ?? '—'}</span>
              <span role="gridcell">
                {kind === 'users' ? (row.active === false ? <span className="badge warn">inactive</span> : row.active === true ? 'active' : '—') : row.members}
              </span>
              <span role="gridcell">{row.lastModified ? new Date(row.lastModified).toLocaleString() : '—'}</span>
            </>
          )}
          footer={
            <div className="mock-table-foot">
              {error ? <span className="error-text">{error}</span> : loaded ? `${total} ${total === 1 ? kind.slice(0, -1) : kind}${search ? ` matching “${search}”` : ''}` : `Loading ${kind}…`}
            </div>
          }
        />
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
