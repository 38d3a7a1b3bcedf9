import { useState } from 'react';
import type { PreviewCheckDto } from '../../shared/api.ts';
import {
  checkSummary,
  entraValueText,
  notCheckedText,
  ourValueText,
  rowVerdicts,
  VERDICT_LABELS,
} from '../../shared/reports/microsoft-check.ts';
import { CheckVectorExport } from './CheckVectorExport.tsx';

interface MicrosoftCheckSectionProps {
  /** the previewed revision; null for Entra's defaults */
  revision: number | null;
  snapshotId: number;
  check: { data: PreviewCheckDto | null; error: string | null };
}

/**
 * What Microsoft confirmed about the previewed revision (issue 14): one line with how many rows agree on every sampled
 * user, and the rows that differ with each user's two values. Another revision's check is never shown as this one's.
 */
/** Differences listed on screen; the vector export carries them all. */
const LISTED_DIFFERENCES = 200;

export function MicrosoftCheckSection({ revision, snapshotId, check: { data, error } }: MicrosoftCheckSectionProps) {
  const [open, setOpen] = useState(false);
  if (error) return <p className="error-text">Could not read the checks with Microsoft: {error}</p>;
  if (revision === null || (data && !data.check)) {
    return (
      <p className="microsoft-check-line muted" data-testid="preview-microsoft-check">
        {notCheckedText(revision, data?.newestChecked ?? null)}
      </p>
    );
  }
  if (!data?.check) return null;
  const rows = rowVerdicts(data.check.evaluations);
  const differing = rows.filter((row) => row.disagreements.length > 0);
  const disagreements = differing.flatMap((row) => row.disagreements);
  return (
    <section
      className={`microsoft-check-line ${differing.length > 0 ? 'warn' : 'ok'}`}
      aria-label="Checked with Microsoft"
      data-testid="preview-microsoft-check"
    >
      <p>{checkSummary(data.check)}</p>
      {differing.length > 0 && (
        <details open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
          <summary>
            Where Microsoft differs ({differing.length} row{differing.length === 1 ? '' : 's'})
          </summary>
          {/* rendered only when open: a closed <details> still lays out its content */}
          {open && (
            <>
              <table className="attribute-table microsoft-differences">
                <thead>
                  <tr>
                    <th scope="col">Target attribute</th>
                    <th scope="col">User</th>
                    <th scope="col">Verdict</th>
                    <th scope="col">Preview</th>
                    <th scope="col">Microsoft Entra</th>
                  </tr>
                </thead>
                <tbody>
                  {disagreements.slice(0, LISTED_DIFFERENCES).map((evaluation) => (
                    <tr key={`${evaluation.targetAttribute}|${evaluation.userId}`}>
                      <th scope="row">{evaluation.targetAttribute}</th>
                      <td>{evaluation.userPrincipalName ?? evaluation.userId}</td>
                      <td>{VERDICT_LABELS[evaluation.verdict]}</td>
                      <td>
                        <code>{ourValueText(evaluation.ours)}</code>
                      </td>
                      <td>
                        <code>{entraValueText(evaluation.entra)}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {disagreements.length > LISTED_DIFFERENCES && (
                <p className="muted">
                  {disagreements.length - LISTED_DIFFERENCES} more not listed here: the export below carries every one.
                </p>
              )}
            </>
          )}
          <CheckVectorExport revision={data.check.revision} snapshotId={snapshotId} />
        </details>
      )}
    </section>
  );
}
