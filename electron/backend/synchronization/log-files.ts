/**
 * The portal's provisioning-log download as the app receives it (browser upload or Electron's file dialog): held in
 * memory until compared, then read as the JSON download or the CSV pair (Microsoft Learn "How to download and analyze
 * the Microsoft Entra provisioning logs").
 */
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { LogUploadDto } from '../../../shared/api/log-comparison.ts';
import { UserFacingError } from '../errors.ts';
import { entriesOfCsv, entriesOfJson, LogFileError, modifiedPropertiesFileName, type LogEntry } from './provisioning-logs.ts';

interface LogFile {
  fileName: string;
  text: string;
}

/** The JSON download starts with an array (or Graph's `{value: [...]}`); anything else is read as CSV. */
export function isJsonDownload(text: string): boolean {
  return /^\uFEFF?\s*[[{]/.test(text);
}

/** A download's largest file the app holds; the portal's downloads are a few MiB for a day of a busy job. */
export const MAX_LOG_FILE_BYTES = 64 * 1024 * 1024;
/** Files waiting to be compared; the oldest is dropped beyond this (an admin who chose files and walked away). */
const MAX_HELD = 8;
/**
 * And beyond this many bytes in all: room for the largest CSV pair (two files at the limit), so eight large
 * uploads never pin half a gigabyte in the backend while the pair being compared always fits.
 */
export const MAX_HELD_BYTES = 2 * MAX_LOG_FILE_BYTES;

/** Uploaded files waiting for `synchronization.logs.compareFiles`, taken (and forgotten) when compared. */
export class LogUploads {
  private readonly held = new Map<string, LogFile & { bytes: number }>();
  private heldBytes = 0;

  add(fileName: string, text: string): LogUploadDto {
    const uploadId = randomUUID();
    const bytes = Buffer.byteLength(text);
    this.held.set(uploadId, { fileName, text, bytes });
    this.heldBytes += bytes;
    while (this.held.size > MAX_HELD || (this.heldBytes > MAX_HELD_BYTES && this.held.size > 1)) this.forget(this.held.keys().next().value!);
    return { uploadId, fileName, bytes };
  }

  private forget(uploadId: string): void {
    this.heldBytes -= this.held.get(uploadId)?.bytes ?? 0;
    this.held.delete(uploadId);
  }

  take(uploadIds: readonly string[]): LogFile[] {
    const files = uploadIds.map((id) => {
      const file = this.held.get(id);
      if (!file) throw new UserFacingError('not-found', 'The provisioning-log file is no longer held by the app: choose it again.');
      return { fileName: file.fileName, text: file.text };
    });
    for (const id of uploadIds) this.forget(id);
    return files;
  }
}

/** Electron: the files the admin chose in the file dialog, read from disk and held (the renderer never sees a path). */
export async function holdLogFiles(uploads: LogUploads, paths: readonly string[]): Promise<LogUploadDto[]> {
  const held: LogUploadDto[] = [];
  for (const path of paths) {
    const fileName = basename(path);
    if ((await stat(path)).size > MAX_LOG_FILE_BYTES) {
      throw new UserFacingError('invalid-input', `"${fileName}" is larger than ${MAX_LOG_FILE_BYTES / 1024 / 1024} MiB: download a shorter time range in the portal.`);
    }
    held.push(uploads.add(fileName, await readFile(path, 'utf8')));
  }
  return held;
}

function isModifiedProperties(file: LogFile): boolean {
  return /modifiedproperties/i.test(file.fileName.replace(/[^a-z]/gi, ''));
}

/**
 * The entries of a download: one JSON file, or the CSV ProvisioningLogs file with its ModifiedProperties file (which
 * is which is told by the names the portal gives them). The message of a refusal names the file and what to give.
 */
export function entriesOfDownload(files: readonly LogFile[]): LogEntry[] {
  try {
    const json = files.filter((file) => isJsonDownload(file.text));
    if (json.length > 0) {
      if (files.length > 1) throw new LogFileError(`Give the JSON download alone: "${json[0]!.fileName}" is JSON, so the other file is not needed.`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(json[0]!.text.replace(/^\uFEFF/, ''));
      } catch (error) {
        throw new LogFileError(`The provisioning-log file "${json[0]!.fileName}" is not valid JSON: ${(error as Error).message}`);
      }
      return entriesOfJson(parsed, json[0]!.fileName);
    }
    const props = files.find(isModifiedProperties);
    const logs = files.find((file) => file !== props);
    if (!logs || !props) {
      const named = files[0]!.fileName;
      throw new LogFileError(
        props
          ? `"${named}" is the modified-properties file of a CSV download: give its ProvisioningLogs file too.`
          : `The CSV download has a second file with the attributes Entra sent: give "${modifiedPropertiesFileName(named)}" together with "${named}".`,
      );
    }
    return entriesOfCsv({ path: logs.fileName, text: logs.text }, { path: props.fileName, text: props.text });
  } catch (error) {
    if (error instanceof LogFileError) throw new UserFacingError('invalid-input', error.message);
    throw error;
  }
}
