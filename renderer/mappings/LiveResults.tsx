import type { Program } from '../../shared/expressions/index.ts';
import { evaluateLive, unverifiedNote, userLabelOf, type LiveResult, type LiveUser } from '../editor/language/live.ts';

interface LiveResultsProps {
  program: Program | null;
  /** why there is no program (the first error), shown instead of results */
  problem: string | null;
  selected: LiveUser | null;
  samples: readonly LiveUser[];
  defaultValue: string | null;
  onSelectUser(id: string): void;
}

function ResultValue({ result }: { result: LiveResult }) {
  const note = unverifiedNote(result.unverified);
  return (
    <>
      <span className={`live-value status-${result.status}`}>{result.status === 'value' || result.status === 'default' ? result.text : <em>{result.text}</em>}</span>
      {result.status === 'default' && <span className="muted"> (Default value if null)</span>}
      {note && <span className="unverified-note">{note}</span>}
    </>
  );
}

/** The live result for the selected user and a strip of sample users, recomputed on every edit. */
export function LiveResults({ program, problem, selected, samples, defaultValue, onSelectUser }: LiveResultsProps) {
  if (!selected) return <p className="muted">Live results need a directory snapshot with users.</p>;
  const others = samples.filter((u) => u.id !== selected.id).slice(0, 5);
  const main = program ? evaluateLive(program, selected, defaultValue) : null;
  return (
    <section className="live-results" aria-label="Live result">
      <h3>Live result</h3>
      <div className="live-selected" data-testid="live-selected">
        <span className="live-user">{userLabelOf(selected)}</span>
        {main ? <ResultValue result={main} /> : <span className="error-text">{problem ?? 'No value'}</span>}
      </div>
      {program && others.length > 0 && (
        <ul className="live-strip" aria-label="Sample users">
          {others.map((user) => {
            const result = evaluateLive(program, user, defaultValue);
            return (
              <li key={user.id}>
                <button type="button" className="live-user link" onClick={() => onSelectUser(user.id)} title="Show this user’s result above">
                  {result.userLabel}
                </button>
                <ResultValue result={result} />
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
