import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../../electron/backend/backend.ts';
import { dispatch } from '../../../electron/backend/dispatch.ts';
import type { MethodName } from '../../../shared/api.ts';
import { tempDir } from '../../support/temp.ts';

function cli(args: string[]) {
  const result = spawnSync(process.execPath, ['bin/scim-planner.mjs', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `report --workspace` without --vendor reports for the vendor chosen in the app, built-in or the project's own. */
describe('scim-planner report --workspace and the project’s vendor', () => {
  const dir = tempDir('scim-planner-cli-vendor-');
  const workspace = join(dir.path, 'w.scimplan');

  beforeAll(async () => {
    const backend = new Backend({ mode: 'browser', version: 'test', workspacePath: workspace });
    const call = async (name: MethodName, input: unknown) => {
      const envelope = await dispatch(backend.handlers, name, input);
      if (!envelope.ok) throw new Error(envelope.error.message);
    };
    const generic = JSON.parse(readFileSync(join(process.cwd(), 'resources/vendors/generic.json'), 'utf8')) as Record<string, unknown>;
    await call('vendors.import', { profile: JSON.stringify({ ...generic, id: 'acme-hr', name: 'Acme HR' }) });
    await call('project.setVendor', { vendorId: 'hithrive' });
    await backend.close();
  });
  afterAll(() => dir.cleanup());

  const title = (path: string) => readFileSync(path, 'utf8').split('\n').find((line) => line.startsWith('# '));

  it('uses the project’s vendor when --vendor is not given, and says so in its help', () => {
    const out = join(dir.path, 'project.md');
    const run = cli(['report', '--workspace', workspace, '--format', 'md', '--out', out]);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(title(out)).toBe('# SCIM mapping report — Contoso demo → HiThrive');
    expect(cli(['report', '--help']).stdout).toContain("when omitted the\n                       project's vendor");
  });

  it('takes --vendor as a built-in id or one of the project’s own profiles', () => {
    const builtIn = join(dir.path, 'thrive.md');
    expect(cli(['report', '--workspace', workspace, '--vendor', 'thrive', '--format', 'md', '--out', builtIn]).code).toBe(0);
    expect(title(builtIn)).toBe('# SCIM mapping report — Contoso demo → Thrive');
    const custom = join(dir.path, 'acme.md');
    expect(cli(['report', '--workspace', workspace, '--vendor', 'acme-hr', '--format', 'md', '--out', custom]).code).toBe(0);
    expect(title(custom)).toBe('# SCIM mapping report — Contoso demo → Acme HR');
  });

  it('refuses a vendor the project does not have with exit 2, naming the ones it has', () => {
    const run = cli(['report', '--workspace', workspace, '--vendor', 'nobody', '--format', 'md', '--out', join(dir.path, 'x.md')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('There is no vendor profile "nobody"');
    expect(run.stderr).toContain("this project's own: acme-hr");
  });
});
