import { describe, expect, it } from 'vitest';
import { LogUploads, MAX_HELD_BYTES, MAX_LOG_FILE_BYTES } from '../../../../electron/backend/synchronization/log-files.ts';

const fileOf = (bytes: number) => 'x'.repeat(bytes);

describe('provisioning-log files held until compared', () => {
  it('holds a CSV pair at the size limit and hands both over once', () => {
    const uploads = new LogUploads();
    const logs = uploads.add('ProvisioningLogs.csv', fileOf(MAX_LOG_FILE_BYTES));
    const modified = uploads.add('ModifiedProperties.csv', fileOf(MAX_LOG_FILE_BYTES));
    const files = uploads.take([logs.uploadId, modified.uploadId]);
    expect(files.map((f) => [f.fileName, f.text.length])).toEqual([
      ['ProvisioningLogs.csv', MAX_LOG_FILE_BYTES],
      ['ModifiedProperties.csv', MAX_LOG_FILE_BYTES],
    ]);
    expect(() => uploads.take([logs.uploadId])).toThrow(/no longer held/);
  });

  it('drops the oldest uploads once the held bytes pass the limit, never the newest', () => {
    const uploads = new LogUploads();
    const size = MAX_HELD_BYTES / 4;
    const ids = Array.from({ length: 6 }, (_, i) => uploads.add(`day-${i}.json`, fileOf(size)).uploadId);
    // four files fill the limit: the two oldest are gone, the four newest are still there
    expect(() => uploads.take([ids[0]!])).toThrow(/no longer held/);
    expect(() => uploads.take([ids[1]!])).toThrow(/no longer held/);
    expect(uploads.take(ids.slice(2)).map((f) => f.fileName)).toEqual(['day-2.json', 'day-3.json', 'day-4.json', 'day-5.json']);
  });

  it('counts the bytes of what was taken as freed', () => {
    const uploads = new LogUploads();
    const first = uploads.add('a.json', fileOf(MAX_HELD_BYTES / 2));
    uploads.take([first.uploadId]);
    const second = uploads.add('b.json', fileOf(MAX_HELD_BYTES / 2));
    const third = uploads.add('c.json', fileOf(MAX_HELD_BYTES / 2));
    expect(uploads.take([second.uploadId, third.uploadId]).map((f) => f.fileName)).toEqual(['b.json', 'c.json']);
  });

  it('still drops the oldest beyond eight small files', () => {
    const uploads = new LogUploads();
    const ids = Array.from({ length: 9 }, (_, i) => uploads.add(`f${i}.json`, '[]').uploadId);
    expect(() => uploads.take([ids[0]!])).toThrow(/no longer held/);
    expect(uploads.take(ids.slice(1))).toHaveLength(8);
  });
});
