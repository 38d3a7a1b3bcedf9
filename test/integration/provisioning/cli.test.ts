import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { command } from '../../../electron/cli/provision.ts';
import { UsageError, type CliIO } from '../../../electron/cli/command.ts';
import { tempDir } from '../../support/temp.ts';
import { heldUsers, startMock, vendorBehaviour, type MockTarget } from './helpers.ts';

const USERS = 'resources/demo-tenant/users.json';
const MAPPINGS = 'resources/templates/entra-scim-default.schema.json';

function fakeIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), stdin: new PassThrough(), env: {} };
  return { io, out, err };
}

let mock: MockTarget | null = null;
const dir = tempDir('provision-cli-');
afterEach(async () => {
  await mock?.stop();
  mock = null;
});
afterAll(() => dir.cleanup());

describe('scim-planner provision', () => {
  it('--dry-run prints the plan and sends nothing', async () => {
    mock = await startMock();
    const { io, out } = fakeIo();
    const code = await command.run(['--target', mock.server.url, '--token', 'test-token', '--mappings', MAPPINGS, '--users', USERS, '--dry-run'], io);
    expect(code).toBe(0);
    expect(out.join('')).toMatch(/Dry run: 191 to create, 0 to change, 0 to disable, 0 to delete, 0 unchanged, 9 skipped\. Nothing was sent\./);
    expect(mock.server.requestLog({ limit: 10 })).toEqual([]);
  });

  it('sends to a loopback target without asking, prints the summary line and writes the audit log', async () => {
    mock = await startMock();
    const { io, out } = fakeIo();
    const log = join(dir.path, 'audit.json');
    const code = await command.run(['--target', mock.server.url, '--token', 'test-token', '--mappings', MAPPINGS, '--users', USERS, '--log', log, '--concurrency', '8'], io);
    expect(code).toBe(0);
    expect(out.join('')).toMatch(/^initial cycle completed, 191 created, 0 updated, 0 disabled, 0 deleted, 0 unchanged, 9 skipped, 0 failed; \d+ requests in [\d.]+ s\n$/);
    expect(heldUsers(mock.server).size).toBe(191);
    const written = JSON.parse(readFileSync(log, 'utf8'));
    expect(written.run.summary.created).toBe(191);
    expect(written.entries.length).toBeGreaterThan(191);
    expect(readFileSync(log, 'utf8')).not.toContain('test-token');
  });

  it('provisions one user on demand with Entra’s steps', async () => {
    mock = await startMock();
    const { io, out } = fakeIo();
    const log = join(dir.path, 'on-demand.json');
    const code = await command.run(['--target', mock.server.url, '--token', 'test-token', '--mappings', MAPPINGS, '--users', USERS, '--user', 'megan.bowen@contoso.com', '--log', log], io);
    expect(code).toBe(0);
    expect(out.join('')).toMatch(/^on-demand cycle completed, 1 created/);
    const [entry] = JSON.parse(readFileSync(log, 'utf8')).entries;
    expect(entry.steps.map((s: { name: string }) => s.name)).toEqual(['Test connection', 'Import', 'Scope', 'Match', 'Action']);
  });

  it('exits 1 when any object failed (Forms On Fire refuses users without a given name)', async () => {
    mock = await startMock(vendorBehaviour('formsonfire'));
    const { io, err } = fakeIo();
    const code = await command.run(['--target', mock.server.url, '--token', 'test-token', '--mappings', 'test/fixtures/vendors/formsonfire.recommended.schema.json', '--users', USERS], io);
    expect(code).toBe(1);
    expect(err.join('')).toMatch(/failed: User alex\.k@gmail\.com BadRequest/);
  });

  it('needs --yes for a target that is not on this machine, and says how many objects would change', async () => {
    const { io } = fakeIo();
    const run = command.run(['--target', 'https://scim.example.invalid/scim/v2', '--token', 't', '--mappings', MAPPINGS, '--users', USERS], io);
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(/would send: 191 to create, 0 to change, 0 to disable.*--yes/s);
  });

  it('rejects an incremental cycle without --previous', async () => {
    const { io } = fakeIo();
    await expect(command.run(['--target', 'http://127.0.0.1:9/scim', '--token', 't', '--mappings', MAPPINGS, '--users', USERS, '--cycle', 'incremental'], io)).rejects.toThrow(/--previous/);
  });
});
