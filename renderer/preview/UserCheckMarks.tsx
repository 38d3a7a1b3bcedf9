import type { RevisionCheckDto } from '../../shared/api.ts';
import { checkedOn, entraValueText, ourValueText, VERDICT_LABELS } from '../../shared/reports/microsoft-check.ts';

const MARK_CLASS = {
  agree: 'ok',
  differ: 'warn',
  'entra-refused': 'error',
  'ours-refused': 'error',
  'both-refused': 'error',
} as const;

/**
 * For a user of the check's sample: each checked mapping row marked as Microsoft answered it (agrees, differs with
 * Entra's value, or refused). A user outside the sample gets a line saying so, so no mark is read into silence.
 */
export function UserCheckMarks({ check, userId }: { check: RevisionCheckDto | null; userId: string }) {
  if (!check) return null;
  const mine = check.evaluations.filter((evaluation) => evaluation.userId === userId);
  const heading = `Checked with Microsoft (revision ${check.revision}, ${checkedOn(check.checkedAt)})`;
  if (mine.length === 0) {
    return (
      <p className="muted" data-testid="user-microsoft-check">
        {heading}: this user was not in the sample Entra evaluated.
      </p>
    );
  }
  return (
    <>
      <h3>{heading}</h3>
      <table className="attribute-table user-microsoft-check" data-testid="user-microsoft-check">
        <thead>
          <tr>
            <th scope="col">Target attribute</th>
            <th scope="col">Microsoft</th>
            <th scope="col">Entra’s value</th>
            <th scope="col">Preview</th>
          </tr>
        </thead>
        <tbody>
          {mine.map((evaluation) => (
            <tr key={evaluation.targetAttribute} data-verdict={evaluation.verdict}>
              <th scope="row">{evaluation.targetAttribute}</th>
              <td>
                <span className={`badge ${MARK_CLASS[evaluation.verdict]}`}>{VERDICT_LABELS[evaluation.verdict]}</span>
              </td>
              <td>
                <code>{entraValueText(evaluation.entra)}</code>
              </td>
              <td>
                <code>{ourValueText(evaluation.ours)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
