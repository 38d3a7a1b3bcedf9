import type { SetDiff } from './revision-diff.ts';

const OBJECT_NAMES = { User: 'Users', Group: 'Groups' } as const;

/** Row-level difference between two mapping sets: added, removed, and changed fields with before → after. */
export function RevisionDiff({ diff, fromLabel, toLabel }: { diff: SetDiff; fromLabel: string; toLabel: string }) {
  if (diff.unchanged) return <p className="diff-empty">{fromLabel} and {toLabel} have the same mappings.</p>;
  return (
    <div className="mapping-revision-diff" aria-label="Revision differences">
      {diff.notes.map((note) => (
        <p key={note} className="diff-note">
          {note}
        </p>
      ))}
      {diff.objects
        .filter((o) => o.rows.length > 0 || o.notes.length > 0)
        .map((object) => (
          <section key={object.objectType} aria-label={`${OBJECT_NAMES[object.objectType]} changes`}>
            <h3>Provision Microsoft Entra ID {OBJECT_NAMES[object.objectType]}</h3>
            {object.notes.map((note) => (
              <p key={note} className="diff-note">
                {note}
              </p>
            ))}
            {object.rows.length > 0 && (
              <table className="mapping-diff-table">
                <thead>
                  <tr>
                    <th scope="col">Change</th>
                    <th scope="col">Target attribute</th>
                    <th scope="col">Field</th>
                    <th scope="col">{fromLabel}</th>
                    <th scope="col">{toLabel}</th>
                  </tr>
                </thead>
                <tbody>
                  {object.rows.flatMap((change) => {
                    if (change.kind === 'changed') {
                      return change.fields.map((f, i) => (
                        <tr key={`${change.target}:${f.field}`} className="diff-changed">
                          <td>{i === 0 ? 'Changed' : ''}</td>
                          <td>{i === 0 ? change.target : ''}</td>
                          <td>{f.field}</td>
                          <td>
                            <code>{f.from}</code>
                          </td>
                          <td>
                            <code>{f.to}</code>
                          </td>
                        </tr>
                      ));
                    }
                    const fields = change.kind === 'added' ? change.to : change.from;
                    return [
                      <tr key={`${change.kind}:${change.target}`} className={`diff-${change.kind}`}>
                        <td>{change.kind === 'added' ? 'Added' : 'Removed'}</td>
                        <td>{change.target}</td>
                        <td>{fields['Mapping type']}</td>
                        <td>{change.kind === 'removed' ? <code>{fields['Source attribute / Expression']}</code> : ''}</td>
                        <td>{change.kind === 'added' ? <code>{fields['Source attribute / Expression']}</code> : ''}</td>
                      </tr>,
                    ];
                  })}
                </tbody>
              </table>
            )}
          </section>
        ))}
    </div>
  );
}
