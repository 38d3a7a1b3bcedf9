import { describe, expect, it } from 'vitest';
import { findObjectMapping } from '../../../shared/mapping/model.ts';
import { previewSnapshot } from '../../../shared/preview/run.ts';
import { adele, defaultTemplate, source } from './helpers.ts';

function withRolesRow(expression: string) {
  const set = defaultTemplate();
  findObjectMapping(set, 'User')!.objectMapping.attributeMappings.push({
    targetAttributeName: 'roles',
    source: { type: 'Function', name: expression.slice(0, expression.indexOf('(')), expression },
    matchingPriority: 0,
    flowType: 'Always',
  } as never);
  return set;
}

const roles = [
  { id: 'r1', value: 'Admin', displayName: 'Administrator' },
  { id: 'r2', value: 'Reader', displayName: 'Reader' },
];

describe('the ExprValue complex kind in the preview', () => {
  it('AppRoleAssignmentsComplex sends every role as an object in the POST, and the target holds them', () => {
    const result = previewSnapshot({ set: withRolesRow('AppRoleAssignmentsComplex([appRoleAssignments])'), users: [source({ ...adele, manager: null }, { appRoleAssignments: roles })] });
    const user = result.users[0]!;
    const post = user.requests.find((r) => r.method === 'POST')!;
    expect(post.body!.roles).toEqual([
      { primary: false, type: 'WindowsAzureActiveDirectoryRole', displayName: 'Admin', value: 'Admin' },
      { primary: false, type: 'WindowsAzureActiveDirectoryRole', displayName: 'Reader', value: 'Reader' },
    ]);
    expect(user.target!.roles).toEqual(post.body!.roles);
  });

  it('a user without roles keeps the empty roles array every Microsoft example carries', () => {
    const result = previewSnapshot({ set: withRolesRow('AppRoleAssignmentsComplex([appRoleAssignments])'), users: [source({ ...adele, manager: null })] });
    expect(result.users[0]!.requests.find((r) => r.method === 'POST')!.body!.roles).toEqual([]);
  });

  it('an update adds the newly assigned role only (Add, never Remove)', () => {
    const set = withRolesRow('AppRoleAssignmentsComplex([appRoleAssignments])');
    const before = source({ ...adele, manager: null }, { appRoleAssignments: roles.slice(0, 1) });
    const after = source({ ...adele, manager: null }, { appRoleAssignments: roles });
    const user = previewSnapshot({ set, users: [after], previousUsers: [before] }).users[0]!;
    expect(user.action).toBe('update');
    const patch = user.requests.find((r) => r.method === 'PATCH')!;
    expect(patch.body!.Operations).toEqual([{ op: 'Add', path: 'roles', value: [{ value: '{"value":"Reader","displayName":"Reader"}' }] }]);
  });

  it('a value resting on an unverified rule names it on the user (AppRoleAssignments is undocumented)', () => {
    const result = previewSnapshot({ set: withRolesRow('AppRoleAssignments([appRoleAssignments])'), users: [source({ ...adele, manager: null }, { appRoleAssignments: roles })] });
    expect(result.users[0]!.unverifiedRules).toContain('AppRoleAssignments undocumented');
    const plain = previewSnapshot({ set: defaultTemplate(), users: [source({ ...adele, manager: null })] });
    expect(plain.users[0]!.unverifiedRules).toBeUndefined();
  });
});
