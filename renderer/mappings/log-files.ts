import { LOG_FILE_UPLOAD_PATH, type Envelope, type LogUploadDto, type PreloadLogFiles } from '../../shared/api.ts';

declare global {
  interface Window {
    /** present in the Electron window (electron/preload.ts): the native file dialog, the backend reads the files */
    logFiles?: PreloadLogFiles;
  }
}

function valueOf<T>(envelope: Envelope<T> | null, status: number): T {
  if (envelope && typeof envelope === 'object' && 'ok' in envelope) {
    if (envelope.ok) return envelope.value;
    throw new Error(envelope.error.message);
  }
  throw new Error(`The backend answered HTTP ${status}`);
}

/**
 * Browser mode: each file of the portal's download goes to the bridge's upload route (the JSON API caps bodies at
 * 1 MiB), which holds it until it is compared.
 */
export async function uploadLogFiles(files: readonly File[]): Promise<LogUploadDto[]> {
  const held: LogUploadDto[] = [];
  for (const file of files) {
    const response = await fetch(`.${LOG_FILE_UPLOAD_PATH}?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      credentials: 'same-origin',
      body: file,
    });
    held.push(valueOf((await response.json().catch(() => null)) as Envelope<LogUploadDto> | null, response.status));
  }
  return held;
}

/** Electron: the native file dialog (the JSON file, or both CSV files); null when the admin cancels it. */
export async function chooseLogFiles(logFiles: PreloadLogFiles): Promise<LogUploadDto[] | null> {
  const envelope = await logFiles.choose();
  return envelope === null ? null : valueOf(envelope, 200);
}
