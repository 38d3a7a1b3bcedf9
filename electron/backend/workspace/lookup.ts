import type { SourceObject } from '../../../shared/directory/source-object.ts';
import { withWorkspace } from '../session/workspace-session.ts';

/**
 * The source object of one user of the workspace's newest snapshot, by object id or UPN — what
 * `scim-planner eval --user` evaluates against.
 */
export function loadSourceObject(workspacePath: string, userRef: string): Promise<{ id: string; source: SourceObject }> {
  // only reads: a missing workspace is an error, never a new one filled with the demo tenant
  return withWorkspace(
    workspacePath,
    ({ store, projectId }) => {
      const snapshot = store.listSnapshots(projectId)[0];
      if (!snapshot) throw new Error(`The workspace ${workspacePath} has no directory snapshot yet: fetch or import users first`);
      const user = store.getUser(snapshot.id, userRef);
      if (!user) throw new Error(`No user "${userRef}" in snapshot "${snapshot.label}" (searched by object id and userPrincipalName)`);
      return { id: user.id, source: user.source as SourceObject };
    },
    { readOnly: true },
  );
}
