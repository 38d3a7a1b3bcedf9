import { useEffect, useMemo, useState } from 'react';
import type { MappingTemplate, RevisionSummary } from '../../shared/api.ts';
import type { MappingSet } from '../../shared/mapping/model.ts';
import { api } from '../api-client.ts';
import { RevisionDiff } from './RevisionDiff.tsx';
import { diffMappingSets } from './revision-diff.ts';

interface RevisionsPanelProps {
  revisions: readonly RevisionSummary[];
  working: MappingSet;
  template: MappingTemplate | undefined;
}

type Side = 'template' | 'working' | `r${number}`;

/** Saved revisions, and the row-level comparison of any two of them (or the unsaved working copy). */
export function RevisionsPanel({ revisions, working, template }: RevisionsPanelProps) {
  const latest = revisions.at(-1);
  const [from, setFrom] = useState<Side>(latest ? `r${latest.revision}` : 'template');
  const [to, setTo] = useState<Side>('working');
  const [loaded, setLoaded] = useState<ReadonlyMap<number, MappingSet>>(new Map());
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    for (const side of [from, to]) {
      if (!side.startsWith('r')) continue;
      const revision = Number(side.slice(1));
      if (loaded.has(revision)) continue;
      api['mappings.getRevision']({ revision }).then(
        (r) => setLoaded((m) => new Map(m).set(revision, r.mappingSet)),
        (e: Error) => setError(e.message),
      );
    }
  }, [from, to, loaded]);

  const setOf = (side: Side): MappingSet | undefined => {
    if (side === 'working') return working;
    if (side === 'template') return template?.mappingSet;
    return loaded.get(Number(side.slice(1)));
  };
  const labelOf = (side: Side) => (side === 'working' ? 'Unsaved changes' : side === 'template' ? 'Entra default mappings' : `Revision ${side.slice(1)}`);
  // A long label is cut in the closed select (it must not push "To" away): its tooltip shows it whole.
  const fullLabelOf = (side: Side) => {
    const summary = side.startsWith('r') ? revisions.find((r) => `r${r.revision}` === side) : undefined;
    return summary ? `Revision ${summary.revision}: ${summary.label}` : labelOf(side);
  };
  const a = setOf(from);
  const b = setOf(to);
  const diff = useMemo(() => (a && b ? diffMappingSets(a, b) : null), [a, b]);

  const options = (
    <>
      <option value="template">Entra default mappings</option>
      {revisions.map((r) => (
        <option key={r.revision} value={`r${r.revision}`}>
          Revision {r.revision}: {r.label}
        </option>
      ))}
      <option value="working">Unsaved changes</option>
    </>
  );

  return (
    <section className="revisions" aria-label="Revisions">
      <table className="mapping-table revision-list">
        <thead>
          <tr>
            <th scope="col">Revision</th>
            <th scope="col">Label</th>
            <th scope="col">Saved</th>
          </tr>
        </thead>
        <tbody>
          {revisions.map((r) => (
            <tr key={r.revision}>
              <td>{r.revision}</td>
              <td>{r.label}</td>
              <td>{new Date(r.createdAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {revisions.length === 0 && <p className="muted">Nothing is saved yet: the mappings are Entra’s defaults until the first Save.</p>}
      <div className="compare-bar">
        <h3>Compare</h3>
        <label className="field">
          <span>From</span>
          <select aria-label="Compare from" title={fullLabelOf(from)} value={from} onChange={(e) => setFrom(e.target.value as Side)}>
            {options}
          </select>
        </label>
        <label className="field">
          <span>To</span>
          <select aria-label="Compare to" title={fullLabelOf(to)} value={to} onChange={(e) => setTo(e.target.value as Side)}>
            {options}
          </select>
        </label>
      </div>
      {error && <p className="error-text">{error}</p>}
      {diff ? <RevisionDiff diff={diff} fromLabel={labelOf(from)} toLabel={labelOf(to)} /> : <p className="muted">Loading…</p>}
    </section>
  );
}
