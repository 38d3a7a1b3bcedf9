import { describe, expect, it } from 'vitest';
import { assignedScope, prefetchLink } from '../../../electron/backend/directory/graph-reader.ts';
import { graphOrigin } from '../../../electron/backend/directory/graph-client.ts';
import { CLOUDS, graphScopes } from '../../../electron/backend/directory/clouds.ts';

describe('prefetchLink', () => {
  it('reads @odata.nextLink from the head of a page when it precedes "value"', () => {
    const text =
      '{"@odata.context":"x","@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$skiptoken=a\\u0026b","value":[{"id":"1"}]}';
    expect(prefetchLink(text)).toBe('https://graph.microsoft.com/v1.0/users?$skiptoken=a&b');
  });

  it('gives null when the link comes after "value" or is absent', () => {
    expect(prefetchLink('{"value":[],"@odata.nextLink":"https://graph.microsoft.com/v1.0/users?x"}')).toBeNull();
    expect(prefetchLink('{"@odata.context":"x","value":[]}')).toBeNull();
  });
});

describe('graphOrigin', () => {
  it('keeps every national cloud on https', () => {
    for (const cloud of Object.values(CLOUDS)) expect(graphOrigin(cloud.graphBaseUrl)).toBe(cloud.graphBaseUrl);
  });

  it('refuses plain http to a non-loopback host and malformed URLs', () => {
    expect(() => graphOrigin('http://10.0.0.5/')).toThrow(/must use https/);
    expect(() => graphOrigin('graph.microsoft.com')).toThrow(/not a valid Graph base URL/);
  });
});

describe('graphScopes', () => {
  it("asks for read-only delegated scopes on the cloud's own Graph, Synchronization.Read.All only on request", () => {
    expect(graphScopes('china')).toEqual([
      'https://microsoftgraph.chinacloudapi.cn/User.Read.All',
      'https://microsoftgraph.chinacloudapi.cn/Group.Read.All',
      'https://microsoftgraph.chinacloudapi.cn/Application.Read.All',
    ]);
    expect(graphScopes('global', { synchronization: true }).at(-1)).toBe(
      'https://graph.microsoft.com/Synchronization.Read.All',
    );
  });

  it('asks for AuditLog.Read.All only for the provisioning logs, beside the job’s Synchronization.Read.All', () => {
    expect(graphScopes('usgov', { synchronization: true, auditLog: true }).slice(-2)).toEqual([
      'https://graph.microsoft.us/Synchronization.Read.All',
      'https://graph.microsoft.us/AuditLog.Read.All',
    ]);
    expect(graphScopes('global', { synchronization: 'write' }).some((s) => s.endsWith('/AuditLog.Read.All'))).toBe(false);
  });
});

describe('assignedScope', () => {
  const roles = [
    { id: 'role-user', value: 'User', displayName: 'User' },
    { id: '00000000-0000-0000-0000-000000000000', value: null, displayName: 'Default Access' },
  ];
  const groups = [
    {
      id: 'g1',
      members: [
        { '@odata.type': '#microsoft.graph.user', id: 'u1' },
        { '@odata.type': '#microsoft.graph.group', id: 'g2' },
      ],
    },
    { id: 'g2', members: [{ '@odata.type': '#microsoft.graph.user', id: 'nested' }] },
  ];

  it('puts direct members of assigned groups in scope but not members of nested groups', () => {
    const scope = assignedScope(
      [{ id: 'a1', appRoleId: 'role-user', principalId: 'g1', principalType: 'Group', resourceId: 'sp' }],
      groups,
      { appRoles: roles },
    );
    expect([...scope.userIds]).toEqual(['u1']);
    expect(scope.appRolesByUser.u1).toEqual([{ id: 'role-user', value: 'User', displayName: 'User' }]);
  });

  it('puts a user assigned with the default access role in scope without an app role', () => {
    const scope = assignedScope(
      [
        {
          id: 'a2',
          appRoleId: '00000000-0000-0000-0000-000000000000',
          principalId: 'u9',
          principalType: 'User',
          resourceId: 'sp',
        },
      ],
      groups,
      { appRoles: roles },
    );
    expect(scope.userIds.has('u9')).toBe(true);
    expect(scope.appRolesByUser.u9).toBeUndefined();
  });
});
