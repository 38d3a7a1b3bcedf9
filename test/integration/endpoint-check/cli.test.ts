import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { resolveVendorBehaviour } from '../../../electron/cli/mock-server.ts';
import { parseVendorProfileText } from '../../../shared/vendors/index.ts';
import { tempDir } from '../../support/temp.ts';
import { DEFAULT_MAPPINGS, DEMO_USERS, fakeIo, main, heldResources, startMock, type Mock } from './helpers.ts';
import { startIndependentServer, type IndependentServer } from './independent-server.ts';

const dir = tempDir('endpoint-check-cli-');
let mock: Mock | null = null;
let indie: IndependentServer | null = null;
afterEach(async () => {
  await mock?.stop();
  await indie?.stop();
  mock = null;
  indie = null;
});
afterAll(() => dir.cleanup());

const checkArgs = (url: string, ...extra: string[]) => ['check-endpoint', '--target', url, '--token', 'mock-token', '--mappings', DEFAULT_MAPPINGS, '--users', DEMO_USERS, ...extra];

describe('scim-planner check-endpoint', () => {
  it('exits 0 against the mock in Entra mode, prints the issue’s JSON and writes a Postman collection without the token', async () => {
    mock = await startMock('entra');
    const { io, text } = fakeIo();
    const postman = join(dir.path, 'run.postman.json');
    const code = await main(checkArgs(mock.server.url, '--yes', '--postman', postman), io);
    expect(code).toBe(0);
    const printed = JSON.parse(text());
    expect(Object.keys(printed).slice(0, 6)).toEqual(['target', 'passed', 'failed', 'skipped', 'steps', 'cleanup']);
    expect(Object.keys(printed.steps[0]).slice(0, 6)).toEqual(['id', 'title', 'outcome', 'request', 'response', 'explanation']);
    expect(printed.failed).toBe(0);
    expect(printed.cleanup.leftOver).toEqual([]);
    expect(heldResources(mock.server)).toEqual({ users: 0, groups: 0 });
    const collection = readFileSync(postman, 'utf8');
    expect(JSON.parse(collection).info.schema).toBe('https://schema.getpostman.com/json/collection/v2.1.0/collection.json');
    expect(collection).toContain('{{userCreateId}}');
    expect(collection + text()).not.toContain('mock-token');
  });

  it('exits 1 against the strict mock, its table names the flag and the report section carries the evidence', async () => {
    mock = await startMock('strict');
    const { io, text, errors } = fakeIo();
    const report = join(dir.path, 'check.md');
    const code = await main(checkArgs(mock.server.url, '--yes', '--format', 'table', '--report', report), io);
    expect(code).toBe(1);
    const markdown = readFileSync(report, 'utf8');
    expect(markdown).toMatch(/^## Vendor endpoint check\n/);
    expect(markdown).toMatch(/\| Disable \(soft delete, PATCH active\) \| fail \| 400 \|/);
    expect(markdown).toContain('#### Disable (soft delete, PATCH active) (`user-disable`)');
    expect(markdown).toContain('"value": "False"');
    expect(markdown).not.toContain('mock-token');
    expect(text()).toMatch(/FAIL {2}user-disable/);
    expect(text()).toContain('aadOptscim062020');
    expect(errors()).toMatch(/Exit code 1: \d+ steps? failed/);
    expect(heldResources(mock.server)).toEqual({ users: 0, groups: 0 });
  });

  it('refuses the full check without --yes when stdin is not a terminal, saying what it would create (exit 2)', async () => {
    mock = await startMock('entra');
    const { io, errors } = fakeIo();
    const code = await main(checkArgs(mock.server.url), io);
    expect(code).toBe(2);
    expect(errors()).toMatch(/writes to http:\/\/127\.0\.0\.1:\d+\/scim\/v2: it creates 2 test users and 1 test group marked "[0-9a-f]{8}"/);
    expect(errors()).toContain('--yes');
    expect(mock.server.requestLog({ limit: 10 })).toEqual([]);
  });

  it('at a terminal, asks for confirmation naming the target and sends nothing unless the answer is yes', async () => {
    mock = await startMock('entra');
    const answer = (text: string) => {
      const stdin = Object.assign(new PassThrough(), { isTTY: true });
      stdin.end(text);
      return fakeIo(stdin);
    };
    const declined = answer('no\n');
    expect(await main(checkArgs(mock.server.url), declined.io)).toBe(2);
    expect(declined.errors()).toContain(`The full check writes to ${mock.server.url}`);
    expect(declined.errors()).toContain('Not confirmed: nothing was sent.');
    expect(mock.server.requestLog({ limit: 10 })).toEqual([]);

    const accepted = answer('yes\n');
    expect(await main(checkArgs(mock.server.url), accepted.io)).toBe(0);
    expect(JSON.parse(accepted.text()).passed).toBeGreaterThan(10);
    expect(heldResources(mock.server)).toEqual({ users: 0, groups: 0 });
  });

  it('runs --read-only without confirmation and sends only GETs', async () => {
    mock = await startMock('entra');
    const { io, text } = fakeIo();
    const code = await main(checkArgs(mock.server.url, '--read-only'), io);
    expect(code).toBe(0);
    expect(JSON.parse(text()).steps.map((s: { id: string }) => s.id)).toEqual(['discover-serviceproviderconfig', 'discover-resourcetypes', 'discover-schemas', 'test-connection']);
    expect(mock.server.requestLog({ limit: 100 }).every((entry) => entry.method === 'GET')).toBe(true);
  });

  it('exits 2 for an unreachable target and for bad credentials flags', async () => {
    const closed = await startIndependentServer();
    const url = closed.url;
    await closed.stop();
    const unreachable = fakeIo();
    expect(await main(['check-endpoint', '--target', url, '--token', 't', '--mappings', DEFAULT_MAPPINGS, '--read-only'], unreachable.io)).toBe(2);
    expect(unreachable.errors()).toContain('could not be reached');
    const both = fakeIo();
    expect(await main(['check-endpoint', '--target', url, '--token', 't', '--client-id', 'x', '--mappings', DEFAULT_MAPPINGS], both.io)).toBe(2);
    expect(both.errors()).toContain('not both');
    const partial = fakeIo();
    expect(await main(['check-endpoint', '--target', url, '--client-id', 'x', '--mappings', DEFAULT_MAPPINGS], partial.io)).toBe(2);
    expect(partial.errors()).toContain('--oauth-token-url, --client-secret');
    const dialect = fakeIo();
    expect(await main(['check-endpoint', '--target', url, '--token', 't', '--mappings', DEFAULT_MAPPINGS, '--dialect', 'strict'], dialect.io)).toBe(2);
  });
});

describe('scim-planner discover', () => {
  it('writes a profile that --vendor FILE accepts everywhere, and prints the diff against the plan', async () => {
    indie = await startIndependentServer();
    const out = join(dir.path, 'discovered.json');
    const { io, text } = fakeIo();
    const code = await main(['discover', '--target', indie.url, '--token', 'indie-token', '--out', out, '--mappings', DEFAULT_MAPPINGS], io);
    expect(code).toBe(1);
    const printed = JSON.parse(text());
    expect(printed.discovered).toBe(true);
    expect(printed.diff.some((d: { kind: string; target: string }) => d.kind === 'required-not-mapped' && d.target.endsWith(':badgeNumber'))).toBe(true);
    expect(parseVendorProfileText(readFileSync(out, 'utf8')).ok).toBe(true);

    // The mock server emulates it: the required custom attribute is enforced.
    expect(resolveVendorBehaviour(out).userAttributes.some((rule) => rule.path.endsWith(':badgeNumber') && rule.required)).toBe(true);
    const validate = fakeIo();
    expect(await main(['validate', '--mappings', DEFAULT_MAPPINGS, '--users', DEMO_USERS, '--vendor', out, '--format', 'json'], validate.io)).toBe(1);
    expect(JSON.parse(validate.text()).findings.some((f: { code: string }) => f.code === 'VENDOR_REQUIRED_NOT_MAPPED')).toBe(true);
    const check = fakeIo();
    expect(await main(['check-endpoint', '--target', indie.url, '--token', 'indie-token', '--mappings', DEFAULT_MAPPINGS, '--vendor', out, '--read-only'], check.io)).toBe(0);

    // A mock server emulating the saved profile refuses the create the way the service would: badgeNumber is required.
    mock = await startMock('entra', resolveVendorBehaviour(out));
    const emulated = fakeIo();
    expect(await main(checkArgs(mock.server.url, '--yes', '--vendor', out), emulated.io)).toBe(1);
    const create = JSON.parse(emulated.text()).steps.find((s: { id: string }) => s.id === 'user-create');
    expect(create.outcome).toBe('fail');
    expect(JSON.stringify(create.response.body)).toContain('badgeNumber');
    expect(heldResources(mock.server)).toEqual({ users: 0, groups: 0 });
  });

  it('a profile discovered from the mock drives preview findings, the mock server and the report like a built-in one', async () => {
    mock = await startMock('entra', resolveVendorBehaviour('hithrive'));
    const out = join(dir.path, 'discovered-from-mock.json');
    expect(await main(['discover', '--target', mock.server.url, '--token', 'mock-token', '--out', out], fakeIo().io)).toBe(0);
    const preview = async (vendor: string) => {
      const run = fakeIo();
      await main(['preview', '--mappings', DEFAULT_MAPPINGS, '--users', DEMO_USERS, '--vendor', vendor, '--format', 'summary'], run.io);
      return JSON.parse(run.text()) as { vendor: string; findings: { code: string; message: string }[] };
    };
    // findings: the discovered profile's rules fire and cite the discovery, like a built-in's cite its guide
    const discovered = await preview(out);
    expect(discovered.vendor).toBe('discovered-127-0-0-1');
    const vendorFindings = discovered.findings.filter((f) => f.code.startsWith('VENDOR_'));
    expect(vendorFindings.map((f) => f.code)).toEqual(expect.arrayContaining(['VENDOR_TARGET_UNSUPPORTED', 'VENDOR_GROUPS_UNSUPPORTED']));
    for (const finding of vendorFindings) expect(finding.message).toMatch(/discovered from http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/\w+ on \d{4}-\d{2}-\d{2}/);
    // HiThrive takes no groups: the built-in says so from its guide, the discovered profile from /ResourceTypes
    expect((await preview('hithrive')).findings.some((f) => f.code === 'VENDOR_GROUPS_UNSUPPORTED')).toBe(true);

    // the mock server: emulating the discovered profile answers a group create as emulating HiThrive does
    const createGroup = async (server: Mock) => {
      const response = await fetch(`${server.server.url}/Groups`, {
        method: 'POST', headers: { Authorization: 'Bearer mock-token', 'Content-Type': 'application/scim+json' },
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Sales' }),
      });
      return response.status;
    };
    const asBuiltIn = await createGroup(mock);
    expect(asBuiltIn).toBeGreaterThanOrEqual(400);
    await mock.stop();
    mock = await startMock('entra', resolveVendorBehaviour(out));
    expect(await createGroup(mock)).toBe(asBuiltIn);

    // the report: the discovered profile's name and its findings, as a built-in's would be
    const report = join(dir.path, 'discovered-report.md');
    expect(await main(['report', '--mappings', DEFAULT_MAPPINGS, '--users', DEMO_USERS, '--vendor', out, '--format', 'md', '--out', report], fakeIo().io)).toBe(0);
    const markdown = readFileSync(report, 'utf8');
    expect(markdown).toContain('(discovered)');
    expect(markdown).toContain('VENDOR_GROUPS_UNSUPPORTED');
    expect(markdown).toMatch(/discovered from http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/ResourceTypes/);
  });

  it('says so and falls back to the generic profile when the service has no discovery endpoints', async () => {
    mock = await startMock('entra');
    const { io, text, errors } = fakeIo();
    // the mock serves discovery under its base; a base without it answers 404 for all three
    const code = await main(['discover', '--target', mock.server.url.replace(/\/scim\/v2$/, '/nothing'), '--token', 'mock-token'], io);
    expect(code).toBe(0);
    expect(errors()).toContain('publishes no SCIM discovery endpoints');
    expect(JSON.parse(text()).profile.id).toBe('generic');
  });
});
