import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import type { ImportResult } from '../../shared/api.ts';
import { USERS_FILE_UPLOAD_PATH } from '../../shared/api/directory.ts';
import { UsersFileImportError } from '../../shared/directory/import-problems.ts';
import { UsersFileReader } from '../../shared/directory/users-file.ts';
import { fileTextChunks } from '../backend/directory/snapshot.ts';
import { rejectedImport } from '../backend/directory/users-file-import.ts';

/**
 * Browser mode's import of a users file of any size: `POST /api/upload/users-file?name=FILE[&label=TEXT]` with the
 * file's bytes as the body (not the JSON API, whose bodies are capped at 1 MiB). The body is checked as it arrives and
 * copied to a private temporary file; a file that is refused stops being checked and copied at once (the rest of the
 * upload is read and dropped, so the answer reaches the browser), and a good one is then imported from the copy.
 */
export { USERS_FILE_UPLOAD_PATH };

type ImportUsersFile = (input: { fileName: string; label?: string | undefined; chunks: Iterable<string> }) => ImportResult;

interface UploadAnswer {
  status: number;
  body: unknown;
}

function refusal(status: number, code: string, message: string): UploadAnswer {
  return { status, body: { ok: false, error: { code, message } } };
}

export async function receiveUsersFile(req: IncomingMessage, url: URL, importUsersFile: ImportUsersFile): Promise<UploadAnswer | null> {
  if (req.method !== 'POST') return refusal(405, 'method-not-allowed', 'Upload a users file with POST');
  const fileName = (url.searchParams.get('name') ?? '').trim();
  if (fileName === '' || fileName.length > 260) return refusal(400, 'invalid-input', 'The upload needs the file name (?name=, 1 to 260 characters)');
  const label = url.searchParams.get('label')?.trim() || undefined;
  if (label !== undefined && label.length > 200) return refusal(400, 'invalid-input', 'The snapshot label is limited to 200 characters');

  // The copy holds tenant data: a folder only this user can read, removed whatever happens.
  const dir = await mkdtemp(join(tmpdir(), 'scim-planner-upload-'));
  try {
    const copy = join(dir, 'users');
    const out = createWriteStream(copy, { mode: 0o600 });
    const decoder = new StringDecoder('utf8');
    const reader = new UsersFileReader(fileName);
    let refused = false;
    try {
      for await (const chunk of req as AsyncIterable<Buffer>) {
        if (refused) continue;
        reader.push(decoder.write(chunk));
        if (reader.stopped) refused = true;
        // once a problem is found nothing will be imported: the rest is only checked, to count its problems
        else if (!reader.hasProblems && !out.write(chunk)) await once(out, 'drain');
      }
    } catch {
      out.destroy();
      return null; // the browser went away mid-upload: no one to answer
    }
    out.end();
    await once(out, 'close');
    if (!refused) reader.push(decoder.end());
    try {
      reader.end();
    } catch (error) {
      if (error instanceof UsersFileImportError) return { status: 200, body: { ok: true, value: rejectedImport(error) } };
      throw error;
    }
    return { status: 200, body: { ok: true, value: importUsersFile({ fileName, label, chunks: fileTextChunks(copy) }) } };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function sendUploadAnswer(res: ServerResponse, answer: UploadAnswer): void {
  res.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(JSON.stringify(answer.body));
}
