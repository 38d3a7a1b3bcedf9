import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImportResult, SnapshotSummary } from '../../../shared/api.ts';
import type { UploadProgress } from '../../../renderer/tenant/users-file-upload.ts';
import { render, settle } from './render.ts';

type ImportInput = { fileName: string; content: string };
// A plain stand-in rather than vi.fn: vitest reports a rejection returned by a spy as a test failure,
// and the failure case below needs the upload to reject.
const calls: ImportInput[] = [];
let answer: (input: ImportInput) => Promise<ImportResult> = () => Promise.reject(new Error('no answer set'));
/** what the upload does with its progress callback and cancel, for the progress test */
let onUpload: (progress: (p: UploadProgress) => void, cancelled: Promise<never>) => Promise<ImportResult> | null = () => null;
vi.mock('../../../renderer/tenant/users-file-upload.ts', () => ({
  uploadUsersFile: (file: File, onProgress: (p: UploadProgress) => void) => {
    let cancel: () => void = () => undefined;
    const cancelled = new Promise<never>((_, reject) => {
      cancel = () => reject(new Error('Import cancelled; nothing was imported.'));
    });
    const result =
      onUpload(onProgress, cancelled) ??
      file.text().then((content) => {
        calls.push({ fileName: file.name, content });
        return answer({ fileName: file.name, content });
      });
    return { result, cancel: () => cancel() };
  },
  chooseAndImportUsersFile: () => Promise.reject(new Error('not in Electron')),
}));
const { ImportPanel } = await import('../../../renderer/tenant/ImportPanel.tsx');

const snapshot: SnapshotSummary = {
  id: 7,
  projectId: 1,
  label: 'users.csv',
  origin: 'csv',
  tenantName: null,
  fetchedAt: '2026-02-01T10:00:00.000Z',
  userCount: 1234,
  groupCount: 0,
};

async function chooseFile(container: HTMLElement, name: string, content: string) {
  const input = container.querySelector<HTMLInputElement>('input[type=file]')!;
  const file = new File([content], name, { type: 'text/csv' });
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  await act(async () => {
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await settle();
}

describe('ImportPanel', () => {
  beforeEach(() => {
    calls.length = 0;
    onUpload = () => null;
  });
  afterEach(() => document.body.replaceChildren());

  it('sends the chosen file’s text and name, then reports the new snapshot', async () => {
    answer = async () => ({ status: 'imported', snapshot, format: 'csv', warnings: ['Ignored column: ageGroup'] });
    const onImported = vi.fn();
    const { container } = await render(<ImportPanel onImported={onImported} />);
    await chooseFile(container, 'users.csv', 'userPrincipalName\na@contoso.com\n');
    expect(calls).toEqual([{ fileName: 'users.csv', content: 'userPrincipalName\na@contoso.com\n' }]);
    expect(onImported).toHaveBeenCalledWith(snapshot);
    expect(container.querySelector('[role=status]')!.textContent).toContain('Imported 1,234 users from users.csv');
    expect(container.querySelector('.import-warnings')!.textContent).toBe('Ignored column: ageGroup');
  });

  it('lists every problem of a refused file by line and column and says nothing was imported', async () => {
    answer = async () => ({
      status: 'rejected',
      format: 'csv',
      message: 'The CSV file has 2 problems; nothing was imported.',
      issues: [
        { line: 4, column: 8, columnName: 'accountEnabled', message: 'expected True or False (or Yes/No), got "maybe"' },
        { line: 6, column: 0, columnName: null, message: 'has 41 fields, the header has 40' },
      ],
    });
    const onImported = vi.fn();
    const { container } = await render(<ImportPanel onImported={onImported} />);
    await chooseFile(container, 'bad.csv', 'whatever');
    expect(onImported).not.toHaveBeenCalled();
    const alert = container.querySelector('[role=alert]')!;
    expect(alert.textContent).toContain('bad.csv: 2 problems; nothing was imported.');
    const rows = [...container.querySelectorAll('table[aria-label="Import problems"] tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent),
    );
    expect(rows).toEqual([
      ['4', '8 (accountEnabled)', 'expected True or False (or Yes/No), got "maybe"'],
      ['6', '—', 'has 41 fields, the header has 40'],
    ]);
  });

  it('shows a backend failure instead of a result', async () => {
    answer = () => Promise.reject(new Error('The backend answered HTTP 413'));
    const { container } = await render(<ImportPanel onImported={() => undefined} />);
    await chooseFile(container, 'huge.csv', 'x');
    expect(container.querySelector('[role=alert]')!.textContent).toBe('The backend answered HTTP 413');
  });

  it('shows the upload’s progress while the file is checked, then the writing step, and cancels on request', async () => {
    let report: (p: UploadProgress) => void = () => undefined;
    onUpload = (progress, cancelled) => {
      report = progress;
      return cancelled;
    };
    const onImported = vi.fn();
    const { container } = await render(<ImportPanel onImported={onImported} />);
    await chooseFile(container, 'big.json', '{"value": []}');
    expect(container.querySelector('.import-progress')!.textContent).toContain('Importing big.json…');
    await act(async () => report({ sent: 5 * 1024 * 1024, total: 20 * 1024 * 1024 }));
    const bar = container.querySelector<HTMLProgressElement>('progress[aria-label="Import progress"]')!;
    expect([bar.value, bar.max]).toEqual([5 * 1024 * 1024, 20 * 1024 * 1024]);
    expect(container.querySelector('.import-progress')!.textContent).toContain('Reading and checking big.json: 5.0 MB of 20.0 MB (25%)');
    expect(container.querySelector<HTMLInputElement>('input[type=file]')!.disabled).toBe(true);
    await act(async () => report({ sent: 20 * 1024 * 1024, total: 20 * 1024 * 1024 }));
    expect(container.querySelector('.import-progress')!.textContent).toContain('Writing the snapshot from big.json…');
    await act(async () => report({ sent: 6 * 1024 * 1024, total: 20 * 1024 * 1024 }));
    const cancel = [...container.querySelectorAll('button')].find((b) => b.textContent === 'Cancel')!;
    await act(async () => cancel.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    await settle();
    expect(container.querySelector('.import-progress')).toBeNull();
    expect(container.querySelector('[role=alert]')!.textContent).toBe('Import cancelled; nothing was imported.');
    expect(onImported).not.toHaveBeenCalled();
  });

  it('says why the file input is unavailable while a file is imported, and frees it afterwards', async () => {
    let finish: (result: ImportResult) => void = () => undefined;
    onUpload = () => new Promise<ImportResult>((resolve) => (finish = resolve));
    const { container } = await render(<ImportPanel onImported={() => undefined} />);
    await chooseFile(container, 'big.csv', 'userPrincipalName\n');
    const input = container.querySelector<HTMLInputElement>('input[type=file]')!;
    expect([input.disabled, input.title]).toEqual([true, 'Importing big.csv: wait for it or cancel it']);
    await act(async () => finish({ status: 'imported', snapshot, format: 'csv', warnings: [] }));
    await settle();
    expect([input.disabled, input.title]).toEqual([false, '']);
  });

  it('says where checking stopped when a file has too many problems to go on', async () => {
    answer = async () => ({
      status: 'rejected',
      format: 'csv',
      message: 'The CSV file has at least 50 problems; nothing was imported.',
      issues: Array.from({ length: 50 }, (_, i) => ({ line: i + 2, column: 0, columnName: null, message: 'has 3 fields, the header has 40' })),
      stoppedAtLine: 51,
    });
    const { container } = await render(<ImportPanel onImported={() => undefined} />);
    await chooseFile(container, 'junk.csv', 'whatever');
    const alert = container.querySelector('[role=alert]')!;
    expect(alert.textContent).toContain('junk.csv: at least 50 problems; nothing was imported.');
    expect(container.querySelectorAll('table[aria-label="Import problems"] tbody tr')).toHaveLength(50);
    expect(alert.textContent).toContain('Checking stopped at line 51, after the first 50 problems; the rest of the file was not read.');
  });
});
