import { useRef, useState } from 'react';
import type { ImportResult, SnapshotSummary } from '../../shared/api.ts';
import { stoppedReading } from '../../shared/directory/import-problems.ts';
import { disabledBecause } from '../components/disabled-reason.ts';
import { chooseAndImportUsersFile, uploadUsersFile, type UploadProgress, type UsersFileUpload } from './users-file-upload.ts';

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} MB`;

/** What the panel says while a file is on its way: checked as it arrives, then written as a snapshot. */
function ImportProgress({ fileName, progress, onCancel }: { fileName: string | null; progress: UploadProgress | null; onCancel?: () => void }) {
  const uploading = progress !== null && progress.sent < progress.total;
  const percent = progress && progress.total > 0 ? Math.floor((progress.sent / progress.total) * 100) : null;
  return (
    <div className="import-progress" aria-live="polite">
      <progress aria-label="Import progress" max={progress?.total || undefined} value={progress?.total ? progress.sent : undefined} />
      <span>
        {progress === null
          ? `Importing ${fileName ?? 'the file'}…`
          : uploading
            ? `Reading and checking ${fileName}: ${megabytes(progress.sent)} of ${megabytes(progress.total)} (${percent}%)`
            : `Writing the snapshot from ${fileName}…`}
      </span>
      {onCancel && uploading && (
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}

/**
 * Import users from a file: Entra's "Download users" CSV, the documented CSV template, or Graph users JSON, of any size.
 * The file streams to the backend (browser mode: an upload with progress; Electron: the native dialog's path, read by
 * the backend), is refused whole when anything is wrong, with its first problems by line and column.
 */
export function ImportPanel({ onImported }: { onImported: (snapshot: SnapshotSummary) => void }) {
  const [fileName, setFileName] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const upload = useRef<UsersFileUpload | null>(null);
  const usersFile = window.usersFile;

  const run = async (name: string | null, work: () => Promise<ImportResult | null>) => {
    setFileName(name);
    setResult(null);
    setError(null);
    setProgress(null);
    setBusy(true);
    try {
      const outcome = await work();
      setResult(outcome);
      if (outcome?.status === 'imported') onImported(outcome.snapshot);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      upload.current = null;
      setBusy(false);
    }
  };

  const importFile = (file: File) =>
    run(file.name, () => {
      upload.current = uploadUsersFile(file, setProgress);
      return upload.current.result;
    });

  const chooseFile = () =>
    usersFile &&
    run(null, async () => {
      const outcome = await chooseAndImportUsersFile(usersFile);
      if (outcome) setFileName(outcome.status === 'imported' ? outcome.snapshot.label : 'The file');
      return outcome;
    });

  // One file at a time: a second import would race the first one's snapshot.
  const unavailable = busy && `Importing ${fileName ?? 'the chosen file'}: wait for it${upload.current ? ' or cancel it' : ''}`;
  const shown = result?.status === 'rejected' ? result.issues : [];
  const stoppedAtLine = result?.status === 'rejected' ? (result.stoppedAtLine ?? null) : null;

  return (
    <div className="connect-panel" aria-label="Import users from a file">
      <h2>Import users from a file</h2>
      <p className="muted">
        A CSV from Entra’s <b>Users › Download users</b>, the CSV template in docs/tenant-setup.md, or Graph users JSON (
        <code>{'{"value": [...]}'}</code>), of any size.
      </p>
      {usersFile ? (
        <button type="button" {...disabledBecause(unavailable)} onClick={() => void chooseFile()}>
          Choose users file…
        </button>
      ) : (
        <label className="file-picker">
          <span>Users file</span>
          <input
            type="file"
            accept=".csv,.json,text/csv,application/json"
            aria-label="Users file"
            {...disabledBecause(unavailable)}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void importFile(file);
              e.target.value = '';
            }}
          />
        </label>
      )}
      {busy && <ImportProgress fileName={fileName} progress={progress} onCancel={upload.current ? () => upload.current?.cancel() : undefined} />}
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
            {fileName}: {stoppedAtLine !== null ? 'at least ' : ''}
            {shown.length} problem{shown.length === 1 ? '' : 's'}; nothing was imported.
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
              {shown.map((issue, index) => (
                <tr key={index}>
                  <td>{issue.line}</td>
                  <td>{issue.column > 0 ? `${issue.column}${issue.columnName ? ` (${issue.columnName})` : ''}` : '—'}</td>
                  <td>{issue.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {stoppedAtLine !== null && <p className="muted">{stoppedReading(stoppedAtLine)}</p>}
        </div>
      )}
    </div>
  );
}
