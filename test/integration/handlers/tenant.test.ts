import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName, MethodOutput } from '../../../shared/api.ts';
import { Backend } from '../../../electron/backend/backend.ts';
import { dispatch } from '../../../electron/backend/dispatch.ts';
import { tempDir } from '../../support/temp.ts';

describe('tenant.listUsers: the Tenant table from the backend', () => {
  const dir = tempDir('scim-planner-tenant-');
  let backend: Backend;
  let snapshotId: number;
  const envelope = (name: MethodName, input: unknown) => dispatch(backend.handlers, name, input);
  const listUsers = async (input: Record<string, unknown>) => {
    const answer = await envelope('tenant.listUsers', { snapshotId, ...input });
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.value as MethodOutput<'tenant.listUsers'>;
  };

  beforeAll(async () => {
    backend = new Backend({ mode: 'browser', version: 'test', workspacePath: join(dir.path, 'w.scimplan') });
    const snapshots = await envelope('tenant.listSnapshots', {});
    snapshotId = (snapshots.ok && (snapshots.value as { id: number }[])[0]!.id) || 0;
  });
  afterAll(async () => {
    await backend.close();
    dir.cleanup();
  });

  it('sorts and filters the demo tenant as asked, each page no longer than its limit', async () => {
    const all = await listUsers({ limit: 1000 });
    const guests = await listUsers({ filters: ['guest'], limit: 1000 });
    expect(guests.total).toBe(all.items.filter((u) => u.userType === 'Guest').length);
    expect(guests.items.every((u) => u.userType === 'Guest')).toBe(true);
    const disabledMembers = await listUsers({ filters: ['disabled', 'member'], limit: 1000 });
    expect(disabledMembers.items.map((u) => u.id)).toEqual(all.items.filter((u) => u.accountEnabled === false && u.userType !== 'Guest').map((u) => u.id));
    const sorted = await listUsers({ sort: { by: 'userPrincipalName', direction: 'descending' }, offset: 5, limit: 10 });
    // UPNs are unique, so no tie needs the snapshot order; compared as SQLite's NOCASE does (ASCII case folded)
    const upn = (u: { userPrincipalName: string | null }) => (u.userPrincipalName ?? '').toLowerCase();
    const want = [...all.items].sort((a, b) => (upn(a) < upn(b) ? 1 : upn(a) > upn(b) ? -1 : 0));
    expect(sorted).toMatchObject({ total: all.total, offset: 5 });
    expect(sorted.items.map((u) => u.userPrincipalName)).toEqual(want.slice(5, 15).map((u) => u.userPrincipalName));
  });

  it('refuses a sort or filter it does not know, naming it', async () => {
    const badSort = await envelope('tenant.listUsers', { snapshotId, sort: { by: 'jobTitle', direction: 'ascending' } });
    expect(badSort).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(!badSort.ok && badSort.error.message).toMatch(/sort/);
    const badFilter = await envelope('tenant.listUsers', { snapshotId, filters: ['admins'] });
    expect(badFilter).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(!badFilter.ok && badFilter.error.message).toMatch(/filters/);
  });
});
