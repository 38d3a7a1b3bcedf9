import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDemoProject } from '../../../electron/backend/workspace/demo-tenant.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import { tempDir } from '../../support/temp.ts';

// The CLI as an admin runs it: the package's bin through node, no build step.
function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['bin/scim-planner.mjs', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('scim-planner CLI', () => {
  it('prints its version from package.json', () => {
    const { code, stdout } = cli(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('lists its commands with --help and exits 0', () => {
    const { code, stdout } = cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: scim-planner <command>');
    expect(stdout).toContain('snapshots');
    expect(stdout).toMatch(/Exit codes: 0 success, 1 .*, 2 bad input/);
  });

  it('eval: 0 with a value, 1 for a runtime error, 2 for an expression that does not parse', () => {
    expect(cli(['eval', 'ToUpper("abc")'])).toMatchObject({ code: 0, stdout: 'ABC\n' });
    const runtime = cli(['eval', 'CBool("maybe")']);
    expect(runtime.code).toBe(1);
    expect(runtime.stderr).toContain('NOT_A_BOOLEAN');
    const unbalanced = cli(['eval', '"abc']);
    expect(unbalanced.code).toBe(2);
    expect(unbalanced.stderr).toContain('This string is not closed');
  });

  it('says on stderr why the README\'s preview example exits 1', () => {
    const { code, stdout, stderr } = cli(['preview', '--mappings', 'resources/templates/entra-scim-default.schema.json', '--users', 'resources/demo-tenant/users.json', '--vendor', 'hithrive', '--format', 'table']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/200 users: create 191, skip 9\. \d+ errors/);
    expect(stderr).toMatch(/^Exit code 1: the preview found \d+ errors \(0 means none, 2 bad input\)\.$/m);
  });

  it('exits 2 naming an unknown command', () => {
    const { code, stderr } = cli(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "frobnicate"');
  });

  it('exits 2 naming an unknown option, with one line on where help is instead of the whole usage', () => {
    const { code, stderr } = cli(['snapshots', '--bogus']);
    expect(code).toBe(2);
    expect(stderr).toContain('--bogus');
    expect(stderr).toContain('Run `scim-planner snapshots --help` for its options.');
    expect(stderr).not.toContain('Usage: scim-planner snapshots');
    expect(stderr.trim().split('\n')).toHaveLength(2);
  });

  it('says a users file that is neither JSON nor CSV is neither, and why each failed', () => {
    const dir = tempDir();
    try {
      const path = join(dir.path, 'notjson.json');
      writeFileSync(path, 'this is not json\n');
      const { code, stderr } = cli(['preview', '--mappings', 'resources/templates/entra-scim-default.schema.json', '--users', path]);
      expect(code).toBe(2);
      expect(stderr).toContain('is neither Graph users JSON (it starts with "t", where JSON starts with "{" or "[") nor a users CSV (1 problem)');
      expect(stderr).toContain('no userPrincipalName column');
    } finally {
      dir.cleanup();
    }
  });

  it('says a missing input file is missing, in words', () => {
    const { code, stderr } = cli(['preview', '--mappings', 'no-such-mappings.json', '--users', 'resources/demo-tenant/users.json']);
    expect(code).toBe(2);
    expect(stderr).toContain('Cannot read the mappings file "no-such-mappings.json": there is no such file');
    expect(stderr).not.toContain('ENOENT');
  });

  it('lists the demo tenant snapshot of the workspace given by --workspace', () => {
    const dir = tempDir();
    const workspace = join(dir.path, 'cli.scimplan');
    // the app's first start creates it; `snapshots` only reads (test below)
    const store = WorkspaceStore.open(workspace);
    ensureDemoProject(store);
    store.close();
    const { code, stdout } = cli(['snapshots', '--workspace', workspace, '--json']);
    expect(code).toBe(0);
    const snapshots = JSON.parse(stdout);
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]).toMatchObject({ origin: 'demo', label: 'Contoso demo tenant' });
    expect(snapshots[0].userCount).toBeGreaterThanOrEqual(150);
    dir.cleanup();
  });

  it('exits 2 with a clear message when --workspace is not a workspace', () => {
    const dir = tempDir();
    const notWorkspace = join(dir.path, 'users.csv');
    writeFileSync(notWorkspace, 'userPrincipalName\n'.repeat(50));
    const { code, stderr } = cli(['snapshots', '--workspace', notWorkspace]);
    expect(code).toBe(2);
    expect(stderr).toContain('is not a SCIM Planner workspace');
    dir.cleanup();
  });

  it('refuses to list a workspace that does not exist, and creates nothing there', () => {
    const dir = tempDir();
    const workspace = join(dir.path, 'fresh.scimplan');
    const { code, stdout, stderr } = cli(['snapshots', '--workspace', workspace, '--json']);
    expect(code).toBe(2);
    expect(stderr).toContain(`There is no SCIM Planner workspace at ${workspace}`);
    expect(stdout).toBe('');
    expect(existsSync(workspace)).toBe(false);
    expect(existsSync(`${workspace}-wal`) || existsSync(`${workspace}-shm`)).toBe(false);
    dir.cleanup();
  });

  it('lists without changing a byte of the workspace or leaving -wal/-shm beside it', () => {
    const dir = tempDir();
    const workspace = join(dir.path, 'listed.scimplan');
    const store = WorkspaceStore.open(workspace);
    ensureDemoProject(store);
    store.close();
    const before = readFileSync(workspace);
    expect(cli(['snapshots', '--workspace', workspace]).code).toBe(0);
    expect(readFileSync(workspace).equals(before)).toBe(true);
    expect(existsSync(`${workspace}-wal`) || existsSync(`${workspace}-shm`)).toBe(false);
    dir.cleanup();
  });

  it('exits 2 on another program’s SQLite database and leaves it byte for byte, with no -wal/-shm', () => {
    const dir = tempDir();
    const other = join(dir.path, 'inventory.db');
    const db = new Database(other);
    db.exec("CREATE TABLE parts (sku TEXT PRIMARY KEY, qty INTEGER); INSERT INTO parts VALUES ('A-1', 3)");
    db.close();
    const users = join(dir.path, 'users.csv');
    writeFileSync(users, 'userPrincipalName,displayName\r\nalex@contoso.com,Alex\r\n');
    const before = readFileSync(other);
    for (const args of [['snapshots'], ['snapshots', '--delete', '1'], ['import', users]]) {
      const { code, stderr } = cli([...args, '--workspace', other]);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr, args.join(' ')).toContain('is a SQLite database of another program (tables parts), not a SCIM Planner workspace');
    }
    expect(readFileSync(other).equals(before)).toBe(true);
    expect(existsSync(`${other}-wal`) || existsSync(`${other}-shm`) || existsSync(`${other}-journal`)).toBe(false);
    dir.cleanup();
  });
});
