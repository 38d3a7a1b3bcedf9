import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError, type CliIO } from '../../../electron/cli/command.ts';
import { commandLoaders } from '../../../electron/cli/registry.ts';

const repo = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const USERS = repo('resources/demo-tenant/users.json');
const GROUPS = repo('resources/demo-tenant/groups.json');
const DEFAULTS = repo('resources/templates/entra-scim-default.schema.json');
const recommended = (id: string) => repo(`test/fixtures/vendors/${id}.recommended.schema.json`);

const temp = mkdtempSync(join(tmpdir(), 'scim-planner-validate-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

async function run(name: string, args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const io: CliIO = { out: (text) => (out += text), err: () => {}, stdin: Readable.from([]), env: {} };
  const command = await commandLoaders[name]!();
  const code = await command.run(args, io);
  return { code, out };
}

describe('scim-planner validate', () => {
  it('exits 1 on Entra’s defaults for HiThrive and prints the errors with their guide lines (table)', async () => {
    const { code, out } = await run('validate', ['--mappings', DEFAULTS, '--users', USERS, '--groups', GROUPS, '--vendor', 'hithrive']);
    expect(code).toBe(1);
    expect(out).toMatch(/^Vendor: HiThrive \(hithrive\)/);
    expect(out).toMatch(/ERROR {3}VENDOR_GROUPS_UNSUPPORTED/);
    expect(out).toMatch(/Fix \(one click\): Delete the \[mailNickname\] → externalId mapping\./);
    expect(out).toMatch(/\d+ errors, \d+ warnings, \d+ infos; \d+ with a mechanical fix\.\n$/);
  });

  it('exits 0 on the recommended Hector configuration and reports the ";" group as a warning (json)', async () => {
    const { code, out } = await run('validate', ['--mappings', recommended('hector'), '--users', USERS, '--groups', GROUPS, '--vendor', 'hector', '--format', 'json']);
    expect(code).toBe(0);
    const report = JSON.parse(out) as { vendor: { id: string }; summary: { errors: number }; findings: Array<{ code: string; severity: string; message: string; userPrincipalName?: string }> };
    expect(report.vendor.id).toBe('hector');
    expect(report.summary.errors).toBe(0);
    expect(report.findings.find((f) => f.code === 'VENDOR_GROUP_NAME_CHARACTER')).toMatchObject({ severity: 'warning', message: expect.stringContaining('Facilities; Field Ops') });
    expect(report.findings.find((f) => f.code === 'VENDOR_GUEST_USERNAME')?.userPrincipalName).toMatch(/@/);
  });

  it('exits 1 for Forms On Fire on the demo tenant’s duplicate reception mailbox', async () => {
    const { code, out } = await run('validate', ['--mappings', recommended('formsonfire'), '--users', USERS, '--vendor', 'formsonfire', '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(out) as { findings: Array<{ code: string; userPrincipalName?: string }> };
    expect(report.findings.filter((f) => f.code === 'VENDOR_DUPLICATE_VALUE' && f.userPrincipalName).map((f) => f.userPrincipalName).sort()).toEqual([
      'reception.backup@contoso.com',
      'reception.redmond@contoso.com',
    ]);
  });

  it('marks a date finding fixable only when the fix can convert that row, with the advice for that row (issue 20)', async () => {
    const HIRE_DATE = 'urn:ietf:params:scim:schemas:extension:hithrive:1.0:User:hire_date';
    const withHireDate = (expression: string) => {
      const set = JSON.parse(readFileSync(recommended('hithrive'), 'utf8')) as { synchronizationRules: Array<{ objectMappings: Array<{ sourceObjectName: string; attributeMappings: Array<{ targetAttributeName: string; source: unknown }> }> }> };
      const row = set.synchronizationRules[0]!.objectMappings.find((m) => m.sourceObjectName === 'User')!.attributeMappings.find((r) => r.targetAttributeName === HIRE_DATE)!;
      row.source = { type: 'Function', name: null, expression, parameters: [] };
      const file = join(temp, `hire-date-${expression.length}.json`);
      writeFileSync(file, JSON.stringify(set));
      return file;
    };
    const dateFindings = async (expression: string) => {
      const { out } = await run('validate', ['--mappings', withHireDate(expression), '--users', USERS, '--vendor', 'hithrive', '--format', 'json']);
      const report = JSON.parse(out) as { findings: Array<{ code: string; attribute?: string; fix?: string; fixable: boolean }> };
      return report.findings.filter((f) => f.code === 'VENDOR_FORMAT' && f.attribute === HIRE_DATE);
    };
    const german = await dateFindings('FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "dd.MM.yyyy")');
    expect(german.length).toBeGreaterThan(100);
    expect(german.every((f) => f.fixable && f.fix === 'Change the output format of FormatDateTime to yyyy-MM-dd (was dd.MM.yyyy).')).toBe(true);
    const joined = await dateFindings('Join("", [employeeHireDate], " ")');
    expect(joined.length).toBeGreaterThan(100);
    expect(joined.some((f) => f.fixable)).toBe(false);
  });

  it('accepts an admin’s profile file', async () => {
    const { code, out } = await run('validate', ['--mappings', DEFAULTS, '--users', USERS, '--vendor', repo('test/fixtures/vendors/custom-profile.json')]);
    expect(code).toBe(1);
    expect(out).toMatch(/^Vendor: Acme HR \(acme-hr\)/);
    expect(out).toMatch(/Source: Acme HR SCIM notes line 2\./);
  });

  it('refuses a broken profile file with the path of the bad field (exit 2 through UsageError)', async () => {
    const path = join(temp, 'broken.json');
    writeFileSync(path, JSON.stringify({ formatVersion: 1, id: 'broken', name: 'Broken' }));
    await expect(run('validate', ['--mappings', DEFAULTS, '--users', USERS, '--vendor', path])).rejects.toThrow(UsageError);
    await expect(run('validate', ['--mappings', DEFAULTS, '--users', USERS, '--vendor', path])).rejects.toThrow(/product: .*\n {2}sources: /);
  });

  it('refuses an unknown vendor id, a missing option and an unreadable mappings file', async () => {
    await expect(run('validate', ['--mappings', DEFAULTS, '--users', USERS, '--vendor', 'smarp'])).rejects.toThrow(/Unknown vendor "smarp"/);
    await expect(run('validate', ['--mappings', DEFAULTS, '--users', USERS])).rejects.toThrow(/--vendor is required/);
    await expect(run('validate', ['--mappings', join(temp, 'nope.json'), '--users', USERS, '--vendor', 'generic'])).rejects.toThrow(/Cannot read the mappings file/);
  });
});

describe('scim-planner vendors', () => {
  it('lists the six built-in profiles with the names vendors give the tenant URL', async () => {
    const { code, out } = await run('vendors', []);
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+GROUPS\s+DEPROVISION\s+TENANT URL/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['hithrive', 'haiilo', 'thrive', 'formsonfire', 'hector', 'generic']);
    expect(out).toMatch(/haiilo\s+Haiilo \(Advocacy\)\s+unsupported\s+delete/);
  });

  it('prints one profile in full with --show, and the list as JSON', async () => {
    const shown = JSON.parse((await run('vendors', ['--show', 'thrive'])).out) as { features: { filterableAttributes: { value: string[] } } };
    expect(shown.features.filterableAttributes.value).toEqual(['userName']);
    const list = JSON.parse((await run('vendors', ['--format', 'json'])).out) as Array<{ id: string; secretToken: string }>;
    expect(list.find((p) => p.id === 'formsonfire')?.secretToken).toMatch(/^Password/);
  });
});
