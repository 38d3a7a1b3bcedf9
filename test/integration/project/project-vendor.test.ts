import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Backend } from '../../../electron/backend/backend.ts';
import { dispatch } from '../../../electron/backend/dispatch.ts';
import { openWorkspaceDatabase } from '../../../electron/backend/workspace/db.ts';
import { LATEST_VERSION, migrations } from '../../../electron/backend/workspace/migrations.ts';
import { vendorMigrations } from '../../../electron/backend/workspace/migrations/vendors.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import type { MethodName, MethodOutput } from '../../../shared/api.ts';
import { tempDir } from '../../support/temp.ts';

/** An admin-defined profile: the generic one under another id and name, as a consultant would write it. */
function customProfileText(id = 'acme-hr', name = 'Acme HR'): string {
  const generic = JSON.parse(readFileSync(join(process.cwd(), 'resources/vendors/generic.json'), 'utf8')) as Record<string, unknown>;
  return JSON.stringify({ ...generic, id, name, product: `${name} SCIM 2.0 service` });
}

describe('the project’s vendor in the workspace', () => {
  let dir: ReturnType<typeof tempDir>;
  let path: string;
  let backend: Backend | undefined;

  const open = () => (backend = new Backend({ mode: 'browser', version: 'test', workspacePath: path }));
  async function call<M extends MethodName>(name: M, input: unknown): Promise<MethodOutput<M>> {
    const envelope = await dispatch(backend!.handlers, name, input);
    if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), { code: envelope.error.code });
    return envelope.value as MethodOutput<M>;
  }
  async function reopen() {
    await backend!.close();
    open();
  }

  beforeEach(() => {
    dir = tempDir('scim-planner-project-vendor-');
    path = join(dir.path, 'w.scimplan');
  });
  afterEach(async () => {
    await backend?.close();
    backend = undefined;
    dir.cleanup();
  });

  it('migration 5 upgrades a version-3 workspace, keeping its project and vendor, with a STRICT vendor_profiles table', () => {
    expect(vendorMigrations.map((m) => m.version)).toEqual([5]);
    const v3 = openWorkspaceDatabase(path, { migrations: migrations.filter((m) => m.version <= 3) });
    v3.prepare("INSERT INTO projects (name, vendor_id, created_at) VALUES ('Contoso', 'hector', '2025-01-01')").run();
    expect(v3.prepare("SELECT name FROM sqlite_master WHERE name = 'vendor_profiles'").get()).toBeUndefined();
    v3.close();

    const store = WorkspaceStore.open(path);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      expect(store.listProjects().map((p) => [p.name, p.vendorId])).toEqual([['Contoso', 'hector']]);
      const sql = store.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'vendor_profiles'").pluck().get() as string;
      expect(sql).toMatch(/STRICT/);
      expect(store.vendorProfiles.list(store.listProjects()[0]!.id)).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('a version-3 workspace opened read-only (report --workspace) has no custom profile and stays at version 3', () => {
    const v3 = openWorkspaceDatabase(path, { migrations: migrations.filter((m) => m.version <= 3) });
    v3.prepare("INSERT INTO projects (name, vendor_id, created_at) VALUES ('Contoso', NULL, '2025-01-01')").run();
    v3.close();
    const store = WorkspaceStore.open(path, { readOnly: true });
    try {
      expect(store.vendorProfiles.list(1)).toEqual([]);
      expect(store.vendorProfiles.get(1, 'acme-hr')).toBeUndefined();
    } finally {
      store.close();
    }
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(3);
    raw.close();
  });

  it('keeps the chosen vendor across a reopen, and the preview, the mock server and reports use it', async () => {
    open();
    expect(await call('project.vendor', {})).toEqual({ vendorId: 'generic', name: 'Generic SCIM 2.0', builtIn: true });
    const events: unknown[] = [];
    backend!.events.subscribe((name, payload) => name === 'workspace.changed' && events.push(payload));
    expect(await call('project.setVendor', { vendorId: 'hithrive' })).toEqual({ vendorId: 'hithrive', name: 'HiThrive', builtIn: true });
    expect(events).toEqual([{ change: 'vendor-changed', vendorId: 'hithrive', workspacePath: path }]);

    await reopen();
    expect((await call('project.vendor', {})).vendorId).toBe('hithrive');
    expect((await call('preview.run', {})).vendorId).toBe('hithrive');
    expect((await call('mockServer.status', {})).vendorId).toBe('hithrive');
    const report = await call('reports.preview', { options: {} });
    expect(report.html).toContain('SCIM mapping report — Contoso demo → HiThrive');
    expect(report.fileName).toBe('contoso-demo-hithrive-report.html');
  });

  it('refuses a vendor that names no profile and keeps the chosen one', async () => {
    open();
    await call('project.setVendor', { vendorId: 'haiilo' });
    await expect(call('project.setVendor', { vendorId: 'nobody' })).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('There is no vendor profile "nobody"'),
    });
    await expect(call('project.setVendor', { vendorId: '' })).rejects.toMatchObject({ code: 'invalid-input' });
    expect((await call('project.vendor', {})).vendorId).toBe('haiilo');
  });

  it('imports a custom profile that the project can choose, and it drives the preview, the mock server and the report title', async () => {
    open();
    expect(await call('vendors.import', { profile: customProfileText() })).toEqual({ id: 'acme-hr', name: 'Acme HR', builtIn: false, summary: 'Acme HR SCIM 2.0 service' });
    expect((await call('vendors.list', {})).map((v) => v.id)).toContain('acme-hr');
    await call('project.setVendor', { vendorId: 'acme-hr' });

    await reopen();
    expect(await call('project.vendor', {})).toEqual({ vendorId: 'acme-hr', name: 'Acme HR', builtIn: false });
    expect((await call('preview.run', {})).vendorId).toBe('acme-hr');
    const started = await call('mockServer.start', { port: 0 });
    expect([started.vendorId, started.vendorName]).toEqual(['acme-hr', 'Acme HR']);
    await call('mockServer.stop', {});
    expect((await call('reports.preview', { options: {} })).html).toContain('Contoso demo → Acme HR');
  });

  it('refuses a profile that is not valid, one that shadows a built-in id, and a silent replace', async () => {
    open();
    await expect(call('vendors.import', { profile: '{ not json' })).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringContaining('not valid JSON') });
    await expect(call('vendors.import', { profile: JSON.stringify({ id: 'x' }) })).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/^The vendor profile is not valid: .*formatVersion/),
    });
    await expect(call('vendors.import', { profile: customProfileText('hithrive', 'Mine') })).rejects.toMatchObject({ message: expect.stringContaining('built-in') });
    await call('vendors.import', { profile: customProfileText() });
    await expect(call('vendors.import', { profile: customProfileText('acme-hr', 'Acme HR v2') })).rejects.toMatchObject({ code: 'confirmation-required' });
    expect((await call('vendors.list', {})).find((v) => v.id === 'acme-hr')?.name).toBe('Acme HR');
    await call('vendors.import', { profile: customProfileText('acme-hr', 'Acme HR v2'), replace: true });
    expect((await call('vendors.list', {})).find((v) => v.id === 'acme-hr')?.name).toBe('Acme HR v2');
  });
});
