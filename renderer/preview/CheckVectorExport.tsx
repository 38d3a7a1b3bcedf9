import { useState } from 'react';
import { api } from '../api-client.ts';
import { downloadReport } from '../reports/download.ts';

/**
 * The disagreements of the check as expression vectors (the `scim-planner eval --jsonl` lines, Entra's value as the
 * expected one) to attach to a bug report. Without the tick a vector names the attributes involved and carries no value.
 */
export function CheckVectorExport({
  revision,
  snapshotId,
  targetAttribute,
}: {
  revision: number;
  snapshotId: number;
  targetAttribute?: string;
}) {
  const [includeValues, setIncludeValues] = useState(false);
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const save = async () => {
    setSaving(true);
    setOutcome(null);
    try {
      const file = await api['synchronization.exportVectors']({
        revision,
        includeValues,
        ...(targetAttribute ? { targetAttribute } : {}),
        // real values are read from the previewed snapshot's users
        ...(includeValues ? { snapshotId } : {}),
      });
      downloadReport(file);
      setOutcome({ ok: true, text: `Saved ${file.fileName} (${file.vectors} vector${file.vectors === 1 ? '' : 's'})` });
    } catch (e) {
      setOutcome({ ok: false, text: (e as Error).message });
    } finally {
      setSaving(false);
    }
  };
  return (
    <div className="check-vector-export" aria-label="Export the disagreements">
      <label>
        <input type="checkbox" checked={includeValues} onChange={(e) => setIncludeValues(e.target.checked)} /> Include
        real values (the sampled users’ source values and both results: personal data)
      </label>{' '}
      <button type="button" onClick={() => void save()} disabled={saving}>
        Export as expression vectors
      </button>
      {outcome && (
        <span role={outcome.ok ? 'status' : 'alert'} className={outcome.ok ? 'muted' : 'error-text'}>
          {' '}
          {outcome.text}
        </span>
      )}
    </div>
  );
}
