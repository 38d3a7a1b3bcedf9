import { USERS_FILE_UPLOAD_PATH, type Envelope, type ImportResult, type PreloadUsersFile } from '../../shared/api.ts';

declare global {
  interface Window {
    /** present in the Electron window (electron/preload.ts): the native file dialog, read by the backend as a stream */
    usersFile?: PreloadUsersFile;
  }
}

/** Bytes sent to the backend so far; the backend checks them as they arrive. */
export interface UploadProgress {
  sent: number;
  total: number;
}

export interface UsersFileUpload {
  result: Promise<ImportResult>;
  cancel(): void;
}

function answerOf(envelope: Envelope<ImportResult> | null, status: number): ImportResult {
  if (envelope && typeof envelope === 'object' && 'ok' in envelope) {
    if (envelope.ok) return envelope.value;
    throw new Error(envelope.error.message);
  }
  throw new Error(`The backend answered HTTP ${status}`);
}

/**
 * Browser mode: the file's bytes go to the bridge's upload route as a stream (the browser reads the file, never a
 * script), so a file of any size imports and junk is refused while it is still arriving. Progress is upload progress.
 */
export function uploadUsersFile(file: File, onProgress: (progress: UploadProgress) => void): UsersFileUpload {
  const xhr = new XMLHttpRequest();
  const result = new Promise<ImportResult>((resolve, reject) => {
    xhr.open('POST', `.${USERS_FILE_UPLOAD_PATH}?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (event) => onProgress({ sent: event.loaded, total: event.lengthComputable ? event.total : file.size });
    xhr.onload = () => {
      let envelope: Envelope<ImportResult> | null = null;
      try {
        envelope = JSON.parse(xhr.responseText) as Envelope<ImportResult>;
      } catch {
        envelope = null;
      }
      try {
        resolve(answerOf(envelope, xhr.status));
      } catch (error) {
        reject(error as Error);
      }
    };
    xhr.onerror = () => reject(new Error('The upload to the backend failed: is `npm run web` still running?'));
    xhr.onabort = () => reject(new Error('Import cancelled; nothing was imported.'));
    xhr.send(file);
  });
  return { result, cancel: () => xhr.abort() };
}

/** Electron: the native file dialog; null when the admin cancels it. */
export async function chooseAndImportUsersFile(usersFile: PreloadUsersFile): Promise<ImportResult | null> {
  const envelope = await usersFile.chooseAndImport();
  return envelope === null ? null : answerOf(envelope, 200);
}
