import { useState } from 'react';
import type { ImportResult, SnapshotSummary } from '../../shared/api.ts';
import { api } from '../api-client.ts';

/**
 * Import users from a file: Entra's "Download users" CSV, the documented CSV template, or Graph users
 * JSON. The file is refused whole when anything is wrong, with every problem by line and column.
 */
export function ImportPanel({ onImported }: { onImported: (snapshot: SnapshotSummary) => void }) {
  const [fileName, setFileName] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const importFile = async (file: File) => {
    setFileName(file.name);
    setResult(null);
    setError(null);
    setBusy(true);
    try {
      const content = await file.text();
      const outcome = await api['directory.import']({ fileName: file.name, content });
      setResult(outcome);
      if (outcome.status === 'imported') onImported(outcome.snapshot);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="connect-panel" aria-label="Import users from a file">
      <h2>Import users from a file</h2>
      <p className="muted">
        A CSV from Entra’s <b>Users › Download users</b>, the CSV template in docs/tenant-setup.md, or Graph users JSON (
        <code>{'{"value": [...]}'}</code>).
      </p>
      <label className="file-picker">
        <span>Users file</span>
        <input
          type="file"
          accept=".csv,.json,text/csv,application/json"
          aria-label="Users file"
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void importFile(file);
            e.target.value = '';
          }}
        />
      </label>
      {busy && <p aria-live="polite">Importing {fileName}…</p>}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {result?.status === 'imported' && (
        <div className="import-result" role="status">
          <p>
            Imported {result.snapshot.userCount.toLocaleString('en-US')} users from {fileName} into the snapshot “
            {result.snapshot.label}”.
          </p>
          {result.warnings.length > 0 && (
            <ul className="import-warnings">
              {result.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {result?.status === 'rejected' && (
        <div className="import-result rejected" role="alert">
          <p>
            {fileName}: {result.issues.length} problem{result.issues.length === 1 ? '' : 's'}; nothing was imported.
          </p>
          <table className="import-issues" aria-label="Import problems">
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Column</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {result.issues.slice(0, 200).map((issue, index) => (
                <tr key={index}>
                  <td>{issue.line}</td>
                  <td>{issue.column > 0 ? `${issue.column}${issue.columnName ? ` (${issue.columnName})` : ''}` : '—'}</td>
                  <td>{issue.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {result.issues.length > 200 && <p className="muted">… and {result.issues.length - 200} more.</p>}
        </div>
      )}
    </div>
  );
}
