import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../electron/cli/command.ts';
import { resolveVendorBehaviour } from '../../../electron/cli/mock-server.ts';
import { loadBuiltInProfile } from '../../../shared/vendors/index.ts';
import { scim, startTestServer, type TestServer } from './helpers.ts';

/**
 * One rejection per built-in vendor, through the same resolver `--vendor ID|FILE` uses: each vendor answers
 * a request its guide says it refuses with that vendor's kind of error, and the request log names the rule.
 */

let running: TestServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const user = (userName: string, extra: Record<string, unknown> = {}) => ({ schemas: [CORE], userName, active: true, ...extra });

async function vendorServer(id: string) {
  running = await startTestServer({ behaviour: resolveVendorBehaviour(id) });
  return { call: scim(running.server), lastRule: () => running!.server.requestLog({ limit: 1 })[0]?.rule };
}

describe('--vendor emulates each built-in vendor', () => {
  it('HiThrive refuses a group push with 404 and a hire date that is not YYYY-MM-DD with 400 invalidValue', async () => {
    const { call, lastRule } = await vendorServer('hithrive');
    const group = await call('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Sales' });
    expect(group.status).toBe(404);
    expect(group.json?.detail).toContain('HiThrive does not support groups');
    expect(lastRule()).toBe('vendor.groups-unsupported');
    const hithriveUrn = 'urn:ietf:params:scim:schemas:extension:hithrive:1.0:User';
    const badDate = await call('POST', '/Users', user('adele@contoso.test', { [hithriveUrn]: { hire_date: '2020-01-31T00:00:00Z' } }));
    expect(badDate.status).toBe(400);
    expect(badDate.json?.scimType).toBe('invalidValue');
    expect(lastRule()).toBe(`vendor.format:${hithriveUrn}:hire_date`);
  });

  it('Haiilo deletes a user Entra deactivates instead of keeping it inactive, and wants an email as userName', async () => {
    const { call, lastRule } = await vendorServer('haiilo');
    const created = await call('POST', '/Users', user('megan@contoso.test'));
    expect(created.status).toBe(201);
    const disable = { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] };
    expect((await call('PATCH', `/Users/${created.json!.id}`, disable)).status).toBe(204);
    expect(lastRule()).toBe('vendor.deactivation-deletes');
    expect((await call('GET', `/Users/${created.json!.id}`)).status).toBe(404);
    const notEmail = await call('POST', '/Users', user('megan'));
    expect(notEmail.status).toBe(400);
    expect(lastRule()).toBe('vendor.format:userName');
  });

  it('Thrive refuses a filter on anything but userName with 400 invalidFilter', async () => {
    const { call, lastRule } = await vendorServer('thrive');
    const byEmail = await call('GET', `/Users?filter=${encodeURIComponent('emails[type eq "work"].value eq "a@contoso.test"')}`);
    expect(byEmail.status).toBe(400);
    expect(byEmail.json?.scimType).toBe('invalidFilter');
    expect(lastRule()).toBe('vendor.filter-unsupported:emails');
    const byUserName = await call('GET', `/Users?filter=${encodeURIComponent('userName eq "a@contoso.test"')}`);
    expect(byUserName.status).toBe(200);
  });

  it('Forms On Fire answers 409 uniqueness to a second user with the same work email', async () => {
    const { call, lastRule } = await vendorServer('formsonfire');
    const body = (userName: string, email: string) =>
      user(userName, { name: { givenName: 'Alex', familyName: 'Wilber' }, emails: [{ type: 'work', value: email, primary: true }] });
    expect((await call('POST', '/Users', body('alex@contoso.test', 'alex@contoso.test'))).status).toBe(201);
    const duplicate = await call('POST', '/Users', body('alex.w@contoso.test', 'ALEX@contoso.test'));
    expect(duplicate.status).toBe(409);
    expect(duplicate.json?.scimType).toBe('uniqueness');
    expect(lastRule()).toBe('vendor.unique:emails[type eq "work"].value');
  });

  it('Hector refuses a group whose name holds the semicolon it separates role groups with', async () => {
    const { call, lastRule } = await vendorServer('hector');
    const group = (displayName: string) => ({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName });
    const refused = await call('POST', '/Groups', group('Field; North'));
    expect(refused.status).toBe(400);
    expect(refused.json?.detail).toContain(';');
    expect(lastRule()).toBe('vendor.group-name');
    expect((await call('POST', '/Groups', group('Field North'))).status).toBe(201);
  });

  it('generic SCIM answers 409 to a second user with the same userName in another case', async () => {
    const { call, lastRule } = await vendorServer('generic');
    expect((await call('POST', '/Users', user('Pradeep@contoso.test'))).status).toBe(201);
    const duplicate = await call('POST', '/Users', user('pradeep@CONTOSO.test'));
    expect(duplicate.status).toBe(409);
    expect(lastRule()).toBe('scim.uniqueness:userName');
  });

  it('names the built-in vendors when the id is unknown', () => {
    expect(() => resolveVendorBehaviour('acme')).toThrow(UsageError);
    expect(() => resolveVendorBehaviour('acme')).toThrow(/hithrive, haiilo, thrive, formsonfire, hector, generic/);
  });
});

describe('--vendor FILE on the command line', () => {
  it('loads a profile file and emulates it: a Thrive copy renamed still filters on userName only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mock-vendor-'));
    try {
      const file = join(dir, 'acme.json');
      writeFileSync(file, JSON.stringify({ ...loadBuiltInProfile('thrive'), id: 'acme', name: 'Acme HR' }));
      const cli = join(import.meta.dirname, '../../../bin/scim-planner.mjs');
      const child = spawn(process.execPath, [cli, 'mock-server', '--port', '0', '--db', ':memory:', '--token', 't', '--vendor', file], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await expect.poll(() => stdout, { timeout: 30_000 }).toContain('\n');
      const { url } = JSON.parse(stdout.trim()) as { url: string };
      const response = await fetch(`${url}/Users?filter=${encodeURIComponent('externalId eq "1"')}`, { headers: { Authorization: 'Bearer t' } });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { detail: string }).detail).toContain('Acme HR cannot filter on "externalId"');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toContain('vendor Acme HR');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
