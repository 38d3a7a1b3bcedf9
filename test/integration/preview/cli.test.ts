import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as preview from '../../../electron/cli/preview.ts';
import type { CliIO } from '../../../electron/cli/command.ts';

const root = new URL('../../../', import.meta.url).pathname;
const TEMPLATE = join(root, 'resources/templates/entra-scim-default.schema.json');
const DEMO_USERS = join(root, 'resources/demo-tenant/users.json');
const DEMO_GROUPS = join(root, 'resources/demo-tenant/groups.json');


function fakeIO() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), stdin: new PassThrough(), env: {} };
  return { io, out, err };
}

describe('scim-planner preview', () => {
  it('prints the JSON shape of the issue for the demo tenant with the default mappings', async () => {
    const { io, out } = fakeIO();
    const code = await preview.command.run(['--mappings', TEMPLATE, '--users', DEMO_USERS], io);
    const result = JSON.parse(out.join(''));
    expect(Object.keys(result)).toEqual(['vendor', 'dialect', 'findings', 'users', 'summary']);
    expect(result.dialect).toBe('default');
    const created = result.users.find((u: { action: string }) => u.action === 'create');
    expect(Object.keys(created)).toEqual(expect.arrayContaining(['id', 'userPrincipalName', 'inScope', 'action', 'target', 'requests', 'findings']));
    expect(created.requests[0].method).toBe('GET');
    expect(Object.keys(created.requests[0])).toEqual(['method', 'path', 'headers', 'body', 'curl']);
    expect(result.summary.users).toBe(result.users.length);
    expect(code).toBe(result.summary.errors > 0 ? 1 : 0);
  });

  it('--dialect overrides, --format table prints one line per user', async () => {
    const { io, out } = fakeIO();
    await preview.command.run(['--mappings', TEMPLATE, '--users', DEMO_USERS, '--dialect', 'aadOptscim062020', '--format', 'table'], io);
    const text = out.join('');
    const users = JSON.parse(readFileSync(DEMO_USERS, 'utf8')).value.length;
    expect(text).toMatch(/^Dialect: aadOptscim062020/);
    expect(text.split('\n').filter((line) => /^(create|update|deactivate|delete|none|skip|error) /.test(line))).toHaveLength(users);
  });

  it('--previous makes it incremental: an unchanged tenant sends nothing', async () => {
    const { io, out } = fakeIO();
    await preview.command.run(['--mappings', TEMPLATE, '--users', DEMO_USERS, '--previous', DEMO_USERS], io);
    const result = JSON.parse(out.join(''));
    expect(result.users.every((u: { requests: unknown[] }) => u.requests.length === 0)).toBe(true);
  });

  it('rejects bad input with a usage error that names the problem', async () => {
    const { io } = fakeIO();
    await expect(preview.command.run(['--users', DEMO_USERS], io)).rejects.toThrow('--mappings FILE is required');
    await expect(preview.command.run(['--mappings', TEMPLATE, '--users', DEMO_USERS, '--dialect', 'rfc'], io)).rejects.toThrow('--dialect must be');
    await expect(preview.command.run(['--mappings', DEMO_USERS, '--users', DEMO_USERS], io)).rejects.toThrow(/not a Graph synchronization schema/);
  });

  it('runs from a plain Node process with workers (a 2,500-user tenant)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preview-cli-'));
    const demo = JSON.parse(readFileSync(DEMO_USERS, 'utf8')).value as Array<{ id: string; userPrincipalName: string }>;
    const many = Array.from({ length: 2500 }, (_, i) => {
      const user = demo[i % demo.length]!;
      return { ...user, id: `${user.id.slice(0, 24)}${String(i).padStart(12, '0')}`, userPrincipalName: `u${i}.${user.userPrincipalName}`, manager: null };
    });
    const usersFile = join(dir, 'users.json');
    writeFileSync(usersFile, JSON.stringify({ value: many }));
    const script = `import('./electron/cli/preview.ts').then(async (m) => { let text = ''; const code = await m.command.run(['--mappings', ${JSON.stringify(TEMPLATE)}, '--users', ${JSON.stringify(usersFile)}], { out: (t) => { text += t; }, err: (t) => process.stderr.write(t), stdin: process.stdin, env: process.env }); const r = JSON.parse(text); console.log(JSON.stringify(r.summary)); process.exitCode = code; })`;
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, maxBuffer: 1 << 26 });
      expect(JSON.parse(stdout).users).toBe(2500);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--vendor adds the vendor findings, per user and about the mapping set, to the output and its counts', async () => {
    const plain = fakeIO();
    await preview.command.run(['--mappings', TEMPLATE, '--users', DEMO_USERS], plain.io);
    const { io, out } = fakeIO();
    const code = await preview.command.run(['--mappings', TEMPLATE, '--users', DEMO_USERS, '--vendor', 'hithrive'], io);
    const result = JSON.parse(out.join(''));
    const before = JSON.parse(plain.out.join(''));
    expect(result.vendor).toBe('hithrive');
    expect(result.findings.some((f: { code: string }) => f.code === 'VENDOR_ROW_MISSING')).toBe(true);
    expect(result.summary.errors).toBeGreaterThan(before.summary.errors);
    expect(code).toBe(1);
    await expect(preview.command.run(['--mappings', TEMPLATE, '--users', DEMO_USERS, '--vendor', 'nobody'], io)).rejects.toThrow(/Unknown vendor "nobody"/);
  });

  it('--groups adds group creates with member PATCHes; --users also reads a CSV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preview-cli-'));
    try {
      const { exportUsersCsv } = await import('../../../shared/directory/csv-import.ts');
      const csv = join(dir, 'users.csv');
      writeFileSync(csv, exportUsersCsv(JSON.parse(readFileSync(DEMO_USERS, 'utf8')).value));
      const { io, out } = fakeIO();
      await preview.command.run(['--mappings', TEMPLATE, '--users', csv, '--groups', DEMO_GROUPS], io);
      const result = JSON.parse(out.join(''));
      const fromJson = fakeIO();
      await preview.command.run(['--mappings', TEMPLATE, '--users', DEMO_USERS], fromJson.io);
      expect(result.summary.byAction).toEqual(JSON.parse(fromJson.out.join('')).summary.byAction);
      expect(result.groups.enabled).toBe(true);
      const created = result.groups.groups.filter((g: { action: string }) => g.action === 'create');
      expect(created.length).toBe(JSON.parse(readFileSync(DEMO_GROUPS, 'utf8')).value.length);
      const withMembers = created.find((g: { requests: unknown[] }) => g.requests.length === 3);
      expect(withMembers.requests.map((r: { method: string }) => r.method)).toEqual(['GET', 'POST', 'PATCH']);
      expect(withMembers.requests[1].body.members).toBeUndefined();
      expect(withMembers.requests[2].body.Operations[0]).toMatchObject({ op: 'Add', path: 'members' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
