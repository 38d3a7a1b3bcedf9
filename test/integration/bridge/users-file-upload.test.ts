import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult, SnapshotSummary, UserDetail } from '../../../shared/api.ts';
import { exportUsersCsv } from '../../../shared/directory/csv-import.ts';
import type { GraphUser } from '../../../shared/directory/graph-to-source.ts';
import { Backend } from '../../../electron/backend/backend.ts';
import { startBridge, type RunningBridge } from '../../../electron/bridge/server.ts';
import { USERS_FILE_UPLOAD_PATH } from '../../../electron/bridge/users-file-upload.ts';
import { demoUserCopies, writeGraphUsersFile, writeJunkFile } from '../../support/users-files.ts';
import { tempDir } from '../../support/temp.ts';

interface Reply {
  status: number;
  body: string;
}

/** A POST whose body is written in pieces of `pieceBytes` (chunked transfer, as a browser streams a file). */
function post(port: number, path: string, headers: Record<string, string>, body: Buffer, pieceBytes = 64 * 1024, abortAfter?: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (abortAfter !== undefined) resolve({ status: 0, body: '' });
      else reject(error);
    });
    let offset = 0;
    const writeNext = () => {
      while (offset < body.length) {
        if (abortAfter !== undefined && offset >= abortAfter) {
          req.destroy();
          return;
        }
        const piece = body.subarray(offset, offset + pieceBytes);
        offset += piece.length;
        if (!req.write(piece)) {
          req.once('drain', writeNext);
          return;
        }
      }
      req.end();
    };
    writeNext();
  });
}

describe('the bridge’s streaming upload of a users file', () => {
  const dir = tempDir();
  let backend: Backend;
  let bridge: RunningBridge;
  let headers: Record<string, string>;

  beforeAll(async () => {
    const staticDir = join(dir.path, 'renderer');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>SCIM Planner</title>');
    backend = new Backend({ mode: 'browser', workspacePath: join(dir.path, 'w.scimplan'), version: 'test' });
    const token = 'test-token-abcdefghijklmnop';
    bridge = await startBridge({
      handlers: backend.handlers,
      events: backend.events,
      staticDir,
      token,
      importUsersFile: (input) => backend.importUsersFile(input),
    });
    headers = { host: `127.0.0.1:${bridge.port}`, cookie: `${bridge.cookieName}=${token}`, 'content-type': 'application/octet-stream' };
  });
  afterAll(async () => {
    await bridge.close();
    await backend.close();
    dir.cleanup();
  });

  const upload = async (name: string, body: Buffer, pieceBytes?: number): Promise<ImportResult> => {
    const reply = await post(bridge.port, `${USERS_FILE_UPLOAD_PATH}?name=${encodeURIComponent(name)}`, headers, body, pieceBytes);
    expect(reply.status).toBe(200);
    const envelope = JSON.parse(reply.body) as { ok: true; value: ImportResult };
    expect(envelope.ok).toBe(true);
    return envelope.value;
  };
  const snapshots = async () => {
    const answer = await backend.handlers['tenant.listSnapshots']({});
    return answer as SnapshotSummary[];
  };
  const user = async (snapshotId: number, userId: string) => (await backend.handlers['tenant.getUser']({ snapshotId, userId })) as UserDetail;

  it('imports a 9,000-user CSV that the JSON API refuses for its 1 MiB body limit', async () => {
    const users = [...demoUserCopies(9000)];
    const csv = Buffer.from(exportUsersCsv(users));
    expect(csv.length).toBeGreaterThan(1024 * 1024);
    const viaApi = await post(bridge.port, '/api/directory.import', { ...headers, 'content-type': 'application/json' }, Buffer.from(JSON.stringify({ fileName: 'users.csv', content: csv.toString('utf8') })));
    expect(viaApi.status).toBe(413);

    const result = await upload('users.csv', csv);
    expect(result).toMatchObject({ status: 'imported', format: 'csv', snapshot: { userCount: 9000, label: 'users.csv', origin: 'csv' } });
    if (result.status !== 'imported') return;
    const last = users.at(-1)!;
    expect((await user(result.snapshot.id, last.id)).raw).toMatchObject({ userPrincipalName: last.userPrincipalName, manager: { id: last.manager!.id } });
  });

  it('imports Graph users JSON sent in pieces that split multi-byte characters, keeping every character', async () => {
    const file = join(dir.path, 'users.json');
    writeGraphUsersFile(file, 3000);
    const text = readFileSync(file, 'utf8');
    const special: GraphUser = { id: 'utf8-user', userPrincipalName: 'zoe@contoso.com', displayName: 'Zoë Lefèvre 日本語 😀 "quoted" \\ back', jobTitle: 'Ingénieure' };
    const body = Buffer.from(text.replace('"value":[\n', `"value":[\n${JSON.stringify(special)},\n`));
    // 4,093-byte pieces: not a multiple of anything, so the 2-, 3- and 4-byte characters fall across piece boundaries
    const result = await upload('users.json', body, 4093);
    expect(result).toMatchObject({ status: 'imported', format: 'json', snapshot: { userCount: 3001, origin: 'json' } });
    if (result.status !== 'imported') return;
    const stored = await user(result.snapshot.id, 'utf8-user');
    expect(stored.raw).toMatchObject({ displayName: special.displayName, jobTitle: 'Ingénieure' });
    expect(stored.source).toMatchObject({ displayName: special.displayName });
  });

  it('refuses a junk file with its first problems and imports nothing', async () => {
    const file = join(dir.path, 'junk.json');
    writeJunkFile(file, 5 * 1024 * 1024);
    const before = (await snapshots()).length;
    const started = performance.now();
    const result = await upload('junk.csv', readFileSync(file));
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(result.status).toBe('rejected');
    if (result.status !== 'rejected') return;
    expect(result.issues.length).toBeGreaterThan(0);
    expect(result.issues.length).toBeLessThanOrEqual(50);
    expect(result.issues[0]).toMatchObject({ line: 1 });
    expect((await snapshots()).length).toBe(before);
  });

  it('refuses a JSON file with a syntax error at its line and column, from the piece where it occurs', async () => {
    const bad = '  {"id": "x", "userPrincipalName": "x@contoso.com",}';
    const text = `{"value": [\n${[...demoUserCopies(500)].map((u) => JSON.stringify(u)).join(',\n')},\n${bad}\n]}`;
    const result = await upload('users.json', Buffer.from(text), 1000);
    // the "}" after the trailing comma, on the 502nd line
    const column = bad.indexOf(',}') + 2;
    expect(result).toMatchObject({ status: 'rejected', format: 'json', issues: [{ line: 502, column, message: expect.stringMatching(/not valid JSON/) }] });
  });

  it('keeps nothing when the browser goes away mid-upload: no snapshot, no temporary copy', async () => {
    const uploads = () => readdirSync(tmpdir()).filter((name) => name.startsWith('scim-planner-upload-')).length;
    const leftBefore = uploads();
    const file = join(dir.path, 'abandoned.json');
    writeGraphUsersFile(file, 4000);
    const before = (await snapshots()).length;
    await post(bridge.port, `${USERS_FILE_UPLOAD_PATH}?name=abandoned.json`, headers, readFileSync(file), 64 * 1024, 1024 * 1024);
    // the bridge notices the closed connection and cleans up on its own schedule
    for (let i = 0; i < 50 && uploads() > leftBefore; i++) await new Promise((r) => setTimeout(r, 100));
    expect(uploads()).toBeLessThanOrEqual(leftBefore);
    expect((await snapshots()).length).toBe(before);
    expect(existsSync(file)).toBe(true);
  });
});
