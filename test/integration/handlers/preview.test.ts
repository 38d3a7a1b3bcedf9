import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../../electron/backend/backend.ts';
import { dispatch } from '../../../electron/backend/dispatch.ts';
import { toSnapshotUsers } from '../../../electron/backend/workspace/demo-tenant.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import type { MethodName, PreviewRunSummary, PreviewUserDetail, PreviewUserRow } from '../../../shared/api.ts';
import { tempDir } from '../../support/temp.ts';

const root = new URL('../../../', import.meta.url);
const TEMPLATE_JSON = readFileSync(new URL('resources/templates/entra-scim-default.schema.json', root), 'utf8');

/** The preview handlers on a real workspace (the demo project, 200 users), through the dispatch every door uses. */
describe('preview handlers on a temp workspace', () => {
  const dir = tempDir('scim-planner-preview-');
  let backend: Backend;
  const progress: Array<{ runId: string; done: number; total: number }> = [];

  async function call<T = unknown>(name: MethodName, input: unknown): Promise<T> {
    const envelope = await dispatch(backend.handlers, name, input);
    if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), { code: envelope.error.code });
    return envelope.value as T;
  }

  /** A second connection to the same file, as another screen (Mappings) would write it. */
  function secondConnection(): WorkspaceStore {
    const store = new WorkspaceStore(backend.workspacePath);
    opened.push(store);
    return store;
  }
  const opened: WorkspaceStore[] = [];

  beforeAll(() => {
    backend = new Backend({ mode: 'browser', version: 'test', workspacePath: join(dir.path, 'w.scimplan') });
    backend.events.subscribe((name, payload) => {
      if (name === 'preview.progress') progress.push(payload as (typeof progress)[number]);
    });
  });
  afterAll(async () => {
    for (const store of opened) store.close();
    await backend.close();
    dir.cleanup();
  });

  it('vendors.list offers the built-in profiles', async () => {
    const vendors = await call<Array<{ id: string; name: string; builtIn: boolean }>>('vendors.list', {});
    expect(vendors.map((v) => v.id)).toEqual(['hithrive', 'haiilo', 'thrive', 'formsonfire', 'hector', 'generic']);
    expect(vendors.every((v) => v.builtIn)).toBe(true);
  });

  it('runs the latest snapshot with Entra defaults when no revision is saved: counts, coverage, groups, progress', async () => {
    const summary = await call<PreviewRunSummary>('preview.run', {});
    expect(summary.revision).toBeNull();
    expect(summary.vendorId).toBe('generic');
    expect(summary.dialect).toBe('default');
    expect(summary.dialectSource).toBe('tenant-url');
    expect(summary.users).toBe(200);
    expect(summary.byAction.create).toBeGreaterThan(150);
    expect(summary.byAction.create + summary.byAction.skip + summary.byAction.error).toBe(200);
    // one coverage row per user mapping row, each counting every evaluated user once
    const userName = summary.coverage.find((row) => row.target === 'userName')!;
    expect(userName.value).toBe(summary.byAction.create);
    const department = summary.coverage.find((row) => row.target.endsWith(':department'))!;
    expect(department.value + department.empty + department.null + department.error).toBe(userName.value);
    expect(summary.findingGroups.length).toBeGreaterThan(0);
    expect(summary.findingGroups.every((g) => g.count >= 1 && typeof g.fixable === 'boolean')).toBe(true);
    // The demo tenant's groups with Entra's default group mapping: every group is created.
    expect(summary.groups).toMatchObject({ enabled: true, reason: null });
    expect(summary.groups!.byAction.create).toBe(summary.groups!.total);
    expect(summary.groups!.total).toBeGreaterThan(10);
    const events = progress.filter((p) => p.runId === summary.runId);
    expect(events[0]).toEqual({ runId: summary.runId, done: 0, total: 200 });
    expect(events.at(-1)).toEqual({ runId: summary.runId, done: 200, total: 200 });
  });

  it('pages users by action and search, and opens one user with source, target, requests and curl', async () => {
    const summary = await call<PreviewRunSummary>('preview.run', { dialect: 'aadOptscim062020' });
    expect(summary.dialectSource).toBe('override');
    const skipped = await call<{ total: number; items: PreviewUserRow[] }>('preview.listUsers', { runId: summary.runId, action: 'skip' });
    expect(skipped.total).toBe(summary.byAction.skip);
    expect(skipped.items.every((u) => u.action === 'skip' && u.reason !== null)).toBe(true);
    const page = await call<{ total: number; offset: number; items: PreviewUserRow[] }>('preview.listUsers', { runId: summary.runId, offset: 10, limit: 5 });
    expect(page).toMatchObject({ total: 200, offset: 10 });
    expect(page.items).toHaveLength(5);
    const found = await call<{ total: number; items: PreviewUserRow[] }>('preview.listUsers', { runId: summary.runId, search: 'MEGAN' });
    expect(found.items.map((u) => u.userPrincipalName)).toContain('megan.bowen@contoso.com');

    const megan = found.items.find((u) => u.userPrincipalName === 'megan.bowen@contoso.com')!;
    const detail = await call<PreviewUserDetail>('preview.getUser', { runId: summary.runId, userId: megan.id });
    expect(detail.action).toBe('create');
    expect(detail.source.userPrincipalName).toBe('megan.bowen@contoso.com');
    expect(detail.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
    expect(detail.requests[1]!.curl).toMatch(/^curl -g -X POST .*--data-raw '/);
    expect(detail.target).toMatchObject({ userName: 'megan.bowen@contoso.com', active: true });
    expect(detail.requests.length).toBe(megan.requestCount);
  });

  it('filters users by finding code, and runs a vendor profile whose findings reach the user detail', async () => {
    const summary = await call<PreviewRunSummary>('preview.run', { vendorId: 'hithrive' });
    const perUser = summary.findingGroups.find((g) => g.exampleUserIds.length > 0)!;
    expect(perUser).toBeDefined();
    const listed = await call<{ total: number; items: PreviewUserRow[] }>('preview.listUsers', { runId: summary.runId, findingCode: perUser.code, limit: 1000 });
    expect(listed.total).toBeGreaterThan(0);
    expect(listed.items.map((u) => u.id)).toEqual(expect.arrayContaining(perUser.exampleUserIds));
    const vendorGroup = summary.findingGroups.find((g) => g.code.startsWith('VENDOR_'));
    expect(vendorGroup).toBeDefined();
    const userWithVendorFinding = summary.findingGroups.find((g) => g.code.startsWith('VENDOR_') && g.exampleUserIds.length > 0);
    if (userWithVendorFinding) {
      const detail = await call<PreviewUserDetail>('preview.getUser', { runId: summary.runId, userId: userWithVendorFinding.exampleUserIds[0]! });
      expect(detail.findings.map((f) => f.code)).toContain(userWithVendorFinding.code);
    }
  });

  it('applies a fix as a new revision whose preview no longer has the finding, and compares the two revisions', async () => {
    // Revision 1: Entra's defaults as saved by the Mappings screen.
    const store = secondConnection();
    const projectId = store.listProjects()[0]!.id;
    const first = store.saveMappingRevision(projectId, 'Entra defaults', TEMPLATE_JSON);

    const before = await call<PreviewRunSummary>('preview.run', { vendorId: 'hithrive' });
    expect(before.revision).toBe(first.revision);
    const fixable = before.findingGroups.find((g) => g.fixable && g.code === 'VENDOR_ROW_MISSING')!;
    expect(fixable).toBeDefined();
    const fixed = await call<{ revision: number; label: string }>('preview.applyFix', { runId: before.runId, code: fixable.code, attribute: fixable.attribute });
    expect(fixed.revision).toBe(first.revision + 1);
    expect(fixed.label).toContain('HiThrive');
    expect(fixed.label).toContain(fixable.attribute!);

    const after = await call<PreviewRunSummary>('preview.run', { vendorId: 'hithrive' });
    expect(after.revision).toBe(fixed.revision);
    expect(after.findingGroups.some((g) => g.code === fixable.code && g.attribute === fixable.attribute)).toBe(false);

    const diff = await call<{ changedUsers: number; users: Array<{ changes: Array<{ attribute: string }> }> }>('preview.compareRevisions', {
      fromRevision: first.revision,
      toRevision: fixed.revision,
      limit: 3,
    });
    expect(diff.changedUsers).toBeGreaterThan(0);
    expect(diff.users).toHaveLength(3);
    expect(diff.users[0]!.changes.length).toBeGreaterThan(0);
  });

  it('validates input and names missing runs, revisions and vendors', async () => {
    await expect(call('preview.listUsers', { runId: '' })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(call('preview.getUser', { runId: 'gone', userId: 'x' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(call('preview.run', { revision: 99 })).rejects.toMatchObject({ code: 'not-found' });
    await expect(call('preview.run', { vendorId: 'nobody' })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(call('preview.run', { mappingSet: { nonsense: true } })).rejects.toMatchObject({ code: 'invalid-input' });
    expect(await call('preview.cancel', { runId: 'not-running' })).toEqual({ cancelled: false });
  });

  it('cancels a running preview named by its first progress event', async () => {
    const unsubscribe = backend.events.subscribe((name, payload) => {
      if (name === 'preview.progress') void call('preview.cancel', { runId: (payload as { runId: string }).runId });
    });
    try {
      await expect(call('preview.run', {})).rejects.toMatchObject({ code: 'cancelled' });
    } finally {
      unsubscribe();
    }
  });

  it('previews a large snapshot in worker threads that read it from the workspace, pages and details included', async () => {
    const store = secondConnection();
    const projectId = store.listProjects()[0]!.id;
    const demo = (JSON.parse(readFileSync(new URL('resources/demo-tenant/users.json', root), 'utf8')) as { value: Array<Record<string, unknown>> }).value;
    const users: Array<Record<string, unknown>> = [];
    for (let copy = 0; users.length < 2400; copy++) {
      for (const user of demo) {
        const id = (raw: string) => `${raw.slice(0, 24)}${String(copy).padStart(12, '0')}`;
        const manager = user.manager as { id: string } | null | undefined;
        users.push({ ...user, id: id(user.id as string), userPrincipalName: String(user.userPrincipalName).replace('@', `.${copy}@`), manager: manager ? { ...manager, id: id(manager.id) } : null });
      }
    }
    const snapshot = store.addSnapshot({ projectId, label: 'large', origin: 'json', users: toSnapshotUsers(users) });
    const summary = await call<PreviewRunSummary>('preview.run', { snapshotId: snapshot.id });
    expect(summary.users).toBe(users.length);
    expect(summary.byAction.create).toBeGreaterThan(2000);
    // Rows come back in snapshot order although the workers read key ranges.
    const page = await call<{ items: PreviewUserRow[] }>('preview.listUsers', { runId: summary.runId, offset: 0, limit: 3 });
    expect(page.items.map((u) => u.id)).toEqual(users.slice(0, 3).map((u) => u.id));
    // The last created user lives in the second worker's key range (or the first's): either answers it.
    const created = await call<{ total: number; items: PreviewUserRow[] }>('preview.listUsers', { runId: summary.runId, action: 'create', offset: summary.byAction.create - 1 });
    const last = created.items[0]!;
    const detail = await call<PreviewUserDetail>('preview.getUser', { runId: summary.runId, userId: last.id });
    expect(detail.userPrincipalName).toBe(last.userPrincipalName);
    expect(detail.action).toBe('create');
    expect(detail.requests.length).toBe(last.requestCount);
    expect(detail.requests.every((r) => r.curl.startsWith('curl '))).toBe(true);
  });
});
