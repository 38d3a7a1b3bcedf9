import { type FormEvent, useEffect, useState } from 'react';
import type { MethodOutput } from '../../shared/api.ts';
import { api } from '../api-client.ts';
import { formatCount, showPayloadValue as show } from './labels.ts';

type Comparison = MethodOutput<'preview.compareRevisions'>;
type RevisionEntry = { revision: number; label: string | null };

interface RevisionDiffProps {
  snapshotId: number;
  vendorId: string;
  /** the newest saved revision, or null while Entra's defaults are unsaved */
  latestRevision: number | null;
}

/** What changes in the payloads between two saved mapping revisions, for the same users. */
export function RevisionDiff({ snapshotId, vendorId, latestRevision }: RevisionDiffProps) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [result, setResult] = useState<Comparison | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [revisions, setRevisions] = useState<RevisionEntry[]>([]);

  // Suggest the last step (previous → newest) whenever a new revision is saved, e.g. by "Fix it".
  useEffect(() => {
    if (latestRevision === null) return;
    setFrom(String(Math.max(1, latestRevision - 1)));
    setTo(String(latestRevision));
    setResult(null);
    // Numbers alone still let the admin compare when the revision labels cannot be read.
    const numbersOnly = Array.from({ length: latestRevision }, (_, i) => ({ revision: i + 1, label: null }));
    setRevisions(numbersOnly);
    let current = true;
    api['mappings.listRevisions']({}).then(
      (list) => current && list.length > 0 && setRevisions(list.map((r) => ({ revision: r.revision, label: r.label }))),
      () => {},
    );
    return () => {
      current = false;
    };
  }, [latestRevision]);

  if (latestRevision === null) {
    return <p className="muted">No mapping revision is saved yet: the preview uses Entra’s default mappings. Save or fix a mapping to compare revisions.</p>;
  }

  const compare = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setResult(await api['preview.compareRevisions']({ snapshotId, vendorId, fromRevision: Number(from), toRevision: Number(to) }));
    } catch (e) {
      setResult(null);
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const valid = from !== '' && to !== '' && from !== to;
  const options = revisions.map((r) => (
    <option key={r.revision} value={r.revision}>
      {r.revision}
      {r.label ? ` — ${r.label}` : ''}
    </option>
  ));
  return (
    <section className="revision-diff" aria-label="Compare revisions">
      <form className="revision-form" onSubmit={compare}>
        <label className="field">
          <span>From revision</span>
          <select value={from} onChange={(e) => setFrom(e.target.value)}>
            {options}
          </select>
        </label>
        <label className="field">
          <span>To revision</span>
          <select value={to} onChange={(e) => setTo(e.target.value)}>
            {options}
          </select>
        </label>
        <button type="submit" className="primary" disabled={!valid || busy}>
          {busy ? 'Comparing…' : 'Compare'}
        </button>
      </form>
      {error && <p className="error-text">{error}</p>}
      {result && (
        <div className="revision-result" role="status">
          <p>
            {result.changedUsers === 0
              ? `No user’s payload differs between revision ${from} and revision ${to}.`
              : `${formatCount(result.changedUsers)} ${result.changedUsers === 1 ? 'user’s payload changes' : 'users’ payloads change'}` +
                (result.users.length < result.changedUsers ? ` (the first ${result.users.length} are shown).` : '.')}
          </p>
          {result.users.map((user) => (
            <article key={user.id} className="revision-user">
              <h4>{user.userPrincipalName ?? user.id}</h4>
              <table className="diff-table">
                <thead>
                  <tr>
                    <th scope="col">Target attribute</th>
                    <th scope="col">Revision {from}</th>
                    <th scope="col">Revision {to}</th>
                  </tr>
                </thead>
                <tbody>
                  {user.changes.map((change) => (
                    <tr key={change.attribute}>
                      <th scope="row">{change.attribute}</th>
                      <td className="diff-from">
                        <del>{show(change.from)}</del>
                      </td>
                      <td className="diff-to">
                        <ins>{show(change.to)}</ins>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </article>
          ))}
        </div>
      )}
    </section>
  );
}
