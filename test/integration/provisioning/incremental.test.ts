import { afterEach, describe, expect, it } from 'vitest';
import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { previewSnapshot } from '../../../shared/preview/run.ts';
import { runCycle } from '../../../electron/backend/provisioning/cycle.ts';
import { ScimClient } from '../../../electron/backend/provisioning/scim-client.ts';
import { MemoryProvisioningState, type AuditEntry, type DirectoryState } from '../../../electron/backend/provisioning/types.ts';
import { GENERIC_BEHAVIOUR } from '../../../electron/backend/mock-server/vendor-behaviour.ts';
import { demoDirectory, heldUsers, mappingSet, startMock, vendorBehaviour, vendorSet, type MockTarget } from './helpers.ts';

let mock: MockTarget | null = null;
afterEach(async () => {
  await mock?.stop();
  mock = null;
});

const DEFAULT_SET = 'resources/templates/entra-scim-default.schema.json';

function clientFor(target: MockTarget, suffix = ''): ScimClient {
  return new ScimClient({ tenantUrl: target.server.url + suffix, auth: { kind: 'bearer', token: 'test-token' } });
}

function sentWrites(entries: readonly AuditEntry[]): string[] {
  return entries.flatMap((e) => e.steps.flatMap((s) => s.requests)).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${new URL(r.url).pathname.replace(/^.*\/(Users|Groups)/, '/$1')} ${JSON.stringify(r.requestBody)}`);
}

/** The demo directory after a mover (new title and department), a leaver (gone) and a joiner (new). */
function changed(directory: DirectoryState): { next: DirectoryState; mover: SourceObject; leaver: SourceObject; joiner: SourceObject } {
  const users = [...directory.users];
  const moverIndex = users.findIndex((u) => u.userPrincipalName === 'emma.brown@contoso.com');
  const mover = { ...users[moverIndex]!, jobTitle: 'Chief Revenue Officer', department: 'Revenue' };
  users[moverIndex] = mover;
  const leaverIndex = users.findIndex((u) => u.userPrincipalName === 'mason.nowak@contoso.com');
  const leaver = users[leaverIndex]!;
  users.splice(leaverIndex, 1);
  const joiner: SourceObject = {
    ...mover,
    objectId: '11111111-2222-3333-4444-555555555555',
    userPrincipalName: 'new.joiner@contoso.com',
    mail: 'new.joiner@contoso.com',
    mailNickname: 'new.joiner',
    displayName: 'New Joiner',
    givenName: 'New',
    surname: 'Joiner',
    employeeId: '999999',
  };
  users.push(joiner);
  return { next: { users }, mover, leaver, joiner };
}

describe('incremental cycles', () => {
  it('sends only the PATCHes the incremental preview shows, deactivates the leaver and creates the joiner', async () => {
    mock = await startMock(GENERIC_BEHAVIOUR);
    const set = mappingSet(DEFAULT_SET);
    const directory = { users: demoDirectory().users };
    const state = new MemoryProvisioningState();
    const client = clientFor(mock);
    const initial = await runCycle(client, { kind: 'initial', set, current: directory, state });
    expect(initial.summary.failed).toBe(0);

    const { next, mover, leaver, joiner } = changed(directory);
    const { entries, summary } = await runCycle(client, { kind: 'incremental', set, current: next, previous: directory, state });
    expect(summary).toMatchObject({ failed: 0, created: 1, updated: 1, disabled: 1 });
    expect(entries.map((e) => `${e.label} ${e.action}`).sort()).toEqual(
      [
        `${joiner.userPrincipalName} create`,
        // the joiner's manager is linked after the create, with the manager's target id (entra-scim.md §1.7)
        `${joiner.userPrincipalName} link-manager`,
        `${leaver.userPrincipalName} deactivate`,
        `${mover.userPrincipalName} update`,
      ].sort(),
    );

    // The preview of the same change, with its placeholder ids replaced by the ids the target assigned.
    const preview = previewSnapshot({ set, users: next.users, previousUsers: directory.users, baseUrl: client.base });
    const ids = new Map(state.allLinks('User').map((l) => [`{id:${String(l.source.userPrincipalName)}}`, l.targetId]));
    ids.set(`{id:${String(leaver.userPrincipalName)}}`, entries.find((e) => e.label === leaver.userPrincipalName)!.targetId!);
    const expected = preview.users
      .flatMap((u) => u.requests)
      .filter((r) => r.method !== 'GET')
      .map((r) => `${r.method} ${r.path} ${JSON.stringify(r.body)}`.replace(/\{id:[^}]+\}/g, (placeholder) => ids.get(placeholder) ?? placeholder));
    expect(sentWrites(entries).sort()).toEqual(expected.sort());

    const held = heldUsers(mock.server);
    expect(held.get(String(leaver.userPrincipalName))?.active).toBe(false);
    expect(held.get('new.joiner@contoso.com')).toBeDefined();
    expect(held.get(String(mover.userPrincipalName))?.title).toBe('Chief Revenue Officer');

    const again = await runCycle(client, { kind: 'incremental', set, current: next, previous: next, state });
    expect(again.summary.requests).toBe(0);
  });

  it('without a previous snapshot, compares with what was provisioned and sends nothing when nothing changed', async () => {
    mock = await startMock(GENERIC_BEHAVIOUR);
    const set = mappingSet(DEFAULT_SET);
    const directory = { users: demoDirectory().users.slice(0, 40) };
    const state = new MemoryProvisioningState();
    const client = clientFor(mock);
    await runCycle(client, { kind: 'initial', set, current: directory, state });
    const quiet = await runCycle(client, { kind: 'incremental', set, current: directory, state });
    expect(quiet.summary.requests).toBe(0);
    expect(quiet.entries).toEqual([]);
  });

  it('Haiilo deletes the leaver: the PATCH active "False" removes the account', async () => {
    mock = await startMock(vendorBehaviour('haiilo'));
    const set = vendorSet('haiilo');
    const directory = { users: demoDirectory().users };
    const state = new MemoryProvisioningState();
    const client = clientFor(mock);
    await runCycle(client, { kind: 'initial', set, current: directory, state });
    const { next, leaver } = changed(directory);
    expect(heldUsers(mock.server).has(String(leaver.userPrincipalName))).toBe(true);
    const { entries } = await runCycle(client, { kind: 'incremental', set, current: next, previous: directory, state });
    const entry = entries.find((e) => e.label === leaver.userPrincipalName)!;
    expect(entry).toMatchObject({ action: 'deactivate', status: 'success' });
    expect(heldUsers(mock.server).has(String(leaver.userPrincipalName))).toBe(false);
  });

  it('with aadOptscim062020 on the Tenant URL the mover is patched in the flag dialect', async () => {
    mock = await startMock(GENERIC_BEHAVIOUR);
    const set = mappingSet(DEFAULT_SET);
    const directory = { users: demoDirectory().users.slice(0, 30) };
    const state = new MemoryProvisioningState();
    const client = clientFor(mock, '?aadOptscim062020');
    await runCycle(client, { kind: 'initial', set, current: directory, state });
    const moved = directory.users.map((u, i) => (i === 1 ? { ...u, jobTitle: 'Moved', department: 'Elsewhere' } : u));
    const { entries } = await runCycle(client, { kind: 'incremental', set, current: { users: moved }, previous: directory, state });
    const patch = entries[0]!.steps.flatMap((s) => s.requests).find((r) => r.method === 'PATCH')!;
    expect(patch.requestBody).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { title: 'Moved', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department': 'Elsewhere' } }],
    });
  });
});
