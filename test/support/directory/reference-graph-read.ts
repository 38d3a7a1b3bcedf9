/**
 * The Graph fetch as it was before it streamed (issue 18): every user and every group with its members read into
 * memory, the assigned-only scope applied to those arrays, then one addSnapshot. Kept as the reference the streamed
 * fetch must match, row for row; it reads through the same GraphReader, one request at a time.
 */
import type { GraphGroup } from '../../../shared/directory/graph-to-source.ts';
import { assignedScope, type GraphReader } from '../../../electron/backend/directory/graph-reader.ts';
import { toSourceSnapshotUsers } from '../../../electron/backend/directory/snapshot.ts';
import { toSnapshotGroups } from '../../../electron/backend/workspace/demo-tenant.ts';
import type { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import type { SnapshotSummary } from '../../../shared/api.ts';

export async function referenceGraphSnapshot(
  reader: GraphReader,
  store: WorkspaceStore,
  projectId: number,
  options: { assignedToAppId?: string; extraSelect?: readonly string[]; label: string; who: string },
): Promise<SnapshotSummary> {
  const directoryExtensions = await reader.readDirectoryExtensions();
  let users = await reader.readUsers({ directoryExtensions: directoryExtensions.map((e) => e.name), extraSelect: options.extraSelect });
  let groups: GraphGroup[] = [];
  await reader.streamGroups({}, (page) => void groups.push(...page));
  for (const group of groups) group.members = await reader.readGroupMembers(group.id);
  let scope: ReturnType<typeof assignedScope> | null = null;
  let label = `Graph: ${options.who}`;
  if (options.assignedToAppId) {
    const servicePrincipal = (await reader.findServicePrincipal(options.assignedToAppId))!;
    const assignments = await reader.readAppRoleAssignedTo(servicePrincipal.id);
    scope = assignedScope(assignments, groups, servicePrincipal);
    const assignedGroupIds = new Set(assignments.filter((a) => a.principalType === 'Group').map((a) => a.principalId));
    users = users.filter((u) => scope!.userIds.has(u.id));
    groups = groups.filter((g) => assignedGroupIds.has(g.id));
    label = `Graph: assigned to ${servicePrincipal.displayName}`;
  }
  return store.addSnapshot({
    projectId,
    label,
    origin: 'graph',
    tenantName: null,
    users: toSourceSnapshotUsers(users, {
      directoryExtensions: directoryExtensions.map((e) => e.name),
      assignedUserIds: scope?.userIds ?? null,
      appRolesByUser: scope?.appRolesByUser,
    }),
    groups: toSnapshotGroups(groups as unknown as Record<string, unknown>[]),
  });
}
