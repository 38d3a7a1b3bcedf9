import type { IncomingMessage } from 'node:http';
import type { LogUploadDto } from '../../shared/api/log-comparison.ts';
import { BodyTooLargeError, readRequestBody } from '../backend/http/request-body.ts';
import { MAX_LOG_FILE_BYTES } from '../backend/synchronization/log-files.ts';

/**
 * Browser mode's hand-over of a provisioning-log download (the JSON file, or each file of the CSV pair):
 * `POST /api/upload/provisioning-logs?name=FILE` with the file's bytes as the body, beside the JSON API whose bodies
 * are capped at 1 MiB. The file is held by the backend until `synchronization.logs.compareFiles` reads it.
 */
type AcceptLogFile = (fileName: string, text: string) => LogUploadDto;

interface UploadAnswer {
  status: number;
  body: unknown;
}

const refusal = (status: number, code: string, message: string): UploadAnswer => ({ status, body: { ok: false, error: { code, message } } });

export async function receiveLogFile(req: IncomingMessage, url: URL, accept: AcceptLogFile): Promise<UploadAnswer> {
  if (req.method !== 'POST') return refusal(405, 'method-not-allowed', 'Upload a provisioning-log file with POST');
  const fileName = (url.searchParams.get('name') ?? '').trim();
  if (fileName === '' || fileName.length > 260) return refusal(400, 'invalid-input', 'The upload needs the file name (?name=, 1 to 260 characters)');
  let body: Buffer;
  try {
    body = await readRequestBody(req, { maxBytes: MAX_LOG_FILE_BYTES });
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      return refusal(413, 'payload-too-large', `"${fileName}" is larger than ${MAX_LOG_FILE_BYTES / 1024 / 1024} MiB: download a shorter time range in the portal.`);
    }
    throw error;
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
  return { status: 200, body: { ok: true, value: accept(fileName, text) } };
}
