import { describe, expect, it } from 'vitest';
import { graphGroupToSource } from '../../../shared/directory/graph-to-source.ts';
import { findObjectMapping, withTenantUrl } from '../../../shared/mapping/model.ts';
import { previewGroups } from '../../../shared/preview/groups.ts';
import { defaultTemplate } from './helpers.ts';

const group = (id: string, displayName: string, members: string[]) =>
  graphGroupToSource({ id, displayName, members: members.map((m) => ({ id: m, '@odata.type': '#microsoft.graph.user' })) } as never);

const SALES = '8aa1a0c0-0000-4000-8000-000000000001';
const provisioned = new Map([
  ['u-1', 'target-1'],
  ['u-2', 'target-2'],
]);

describe('group preview (entra-scim.md §1.10)', () => {
  it('a new group: match GET without members, POST without members, then one PATCH adding the provisioned members', () => {
    const result = previewGroups({ set: defaultTemplate(), groups: [group(SALES, 'Sales', ['u-1', 'u-2', 'u-out', 'nested-group'])], provisionedUsers: provisioned });
    expect(result.enabled).toBe(true);
    const sales = result.groups[0]!;
    expect(sales.action).toBe('create');
    expect(sales.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /Groups?excludedAttributes=members&filter=displayName+eq+%22Sales%22',
      'POST /Groups',
      'PATCH /Groups/{id:Sales}',
    ]);
    expect(sales.requests[1]!.body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      displayName: 'Sales',
      externalId: SALES,
      meta: { resourceType: 'Group' },
    });
    // Only provisioned users become members; unknown ids (out of scope, nested groups) are skipped.
    expect(sales.requests[2]!.body!.Operations).toEqual([
      { op: 'Add', path: 'members', value: [{ $ref: null, value: 'target-1' }, { $ref: null, value: 'target-2' }] },
    ]);
    expect(sales.target!.members).toEqual([{ value: 'target-1' }, { value: 'target-2' }]);
  });

  it('a group without members is created by the POST alone', () => {
    const result = previewGroups({ set: defaultTemplate(), groups: [group(SALES, 'Sales', [])], provisionedUsers: provisioned });
    expect(result.groups[0]!.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
  });

  it('a rename and a member change in the default dialect: Replace displayName, then Add and Remove with value arrays', () => {
    const result = previewGroups({
      set: defaultTemplate(),
      previousGroups: [group(SALES, 'Sales', ['u-1'])],
      groups: [group(SALES, 'Sales EMEA', ['u-2'])],
      provisionedUsers: provisioned,
      previousProvisionedUsers: provisioned,
    });
    const sales = result.groups[0]!;
    expect(sales.action).toBe('update');
    expect(sales.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /Groups?excludedAttributes=members&filter=displayName+eq+%22Sales%22',
      'PATCH /Groups/{id:Sales}',
      'PATCH /Groups/{id:Sales}',
    ]);
    expect(sales.requests[1]!.body!.Operations).toEqual([{ op: 'Replace', path: 'displayName', value: 'Sales EMEA' }]);
    expect(sales.requests[2]!.body!.Operations).toEqual([
      { op: 'Add', path: 'members', value: [{ $ref: null, value: 'target-2' }] },
      { op: 'Remove', path: 'members', value: [{ $ref: null, value: 'target-1' }] },
    ]);
  });

  it('with aadOptscim062020 a removal is one members[value eq …] operation per member', () => {
    const set = withTenantUrl(defaultTemplate(), 'https://scim.example.com/scim?aadOptscim062020');
    const result = previewGroups({ set, previousGroups: [group(SALES, 'Sales', ['u-1', 'u-2'])], groups: [group(SALES, 'Sales', [])], provisionedUsers: provisioned, previousProvisionedUsers: provisioned });
    expect(result.groups[0]!.requests.at(-1)!.body!.Operations).toEqual([
      { op: 'remove', path: 'members[value eq "target-1"]' },
      { op: 'remove', path: 'members[value eq "target-2"]' },
    ]);
  });

  it('an unchanged group sends nothing, and a group gone from the directory is deleted', () => {
    const other = group('g-2', 'Engineering', []);
    const result = previewGroups({ set: defaultTemplate(), previousGroups: [group(SALES, 'Sales', ['u-1']), other], groups: [group(SALES, 'Sales', ['u-1'])], provisionedUsers: provisioned, previousProvisionedUsers: provisioned });
    expect(result.groups.map((g) => [g.displayName, g.action])).toEqual([
      ['Sales', 'none'],
      ['Engineering', 'delete'],
    ]);
    expect(result.groups[1]!.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /Groups?excludedAttributes=members&filter=displayName+eq+%22Engineering%22',
      'DELETE /Groups/{id:Engineering}',
    ]);
    expect(result.byAction).toMatchObject({ none: 1, delete: 1 });
  });

  it('nothing is previewed for groups when group provisioning is disabled in the set', () => {
    const set = defaultTemplate();
    findObjectMapping(set, 'Group')!.objectMapping.enabled = false;
    const result = previewGroups({ set, groups: [group(SALES, 'Sales', ['u-1'])], provisionedUsers: provisioned });
    expect(result).toMatchObject({ enabled: false, groups: [], reason: 'group provisioning is disabled in the mapping set' });
  });
});
