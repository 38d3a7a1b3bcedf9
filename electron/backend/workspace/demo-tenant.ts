import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { graphGroupToSource, graphUserToSource } from '../../../shared/directory/graph-to-source.ts';
import { resourcesDir } from '../paths.ts';
import type { NewSnapshot, WorkspaceStore, SnapshotGroupInput, SnapshotUserInput } from './store.ts';

export const DEMO_PROJECT_NAME = 'Contoso demo';
/** When the demo tenant was "read": fixed, like its data, so every load of it is the same snapshot. */
const DEMO_FETCHED_AT = '2026-01-05T09:00:00.000Z';

type GraphList = { value?: Record<string, unknown>[] };

function readGraphList(path: string): Record<string, unknown>[] {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as GraphList;
  if (!Array.isArray(parsed.value)) throw new Error(`${path} is not a Graph list ({"value": [...]})`);
  return parsed.value;
}

/** Graph users converted once for the snapshot; raw JSON is kept beside the source object. */
export function toSnapshotUsers(users: Record<string, unknown>[]): SnapshotUserInput[] {
  return users.map((raw) => ({ raw, source: { ...graphUserToSource(raw as never) } }));
}

export function toSnapshotGroups(groups: Record<string, unknown>[]): SnapshotGroupInput[] {
  return groups.map((raw) => {
    const members = Array.isArray(raw.members) ? (raw.members as Record<string, unknown>[]) : [];
    return {
      raw,
      source: { ...graphGroupToSource(raw as never) },
      members: members
        .filter((m) => typeof m.id === 'string')
        .map((m) => ({
          id: m.id as string,
          type: String(m['@odata.type'] ?? '#microsoft.graph.user').replace('#microsoft.graph.', ''),
        })),
    };
  });
}

/** The built-in demo tenant as a snapshot of `projectId`: the one loader, for first start and "Use demo tenant". */
export function demoTenantSnapshot(projectId: number, resources = resourcesDir()): NewSnapshot {
  const demoDir = join(resources, 'demo-tenant');
  return {
    projectId,
    label: 'Contoso demo tenant',
    origin: 'demo',
    tenantName: DEMO_PROJECT_NAME,
    fetchedAt: DEMO_FETCHED_AT,
    users: toSnapshotUsers(readGraphList(join(demoDir, 'users.json'))),
    groups: toSnapshotGroups(readGraphList(join(demoDir, 'groups.json'))),
  };
}

/**
 * First start: the built-in "Contoso demo" tenant is loaded so the app is useful offline, before
 * any sign-in. Runs only when the workspace has no project at all.
 */
export function ensureDemoProject(store: WorkspaceStore, resources = resourcesDir()): number {
  const existing = store.listProjects();
  if (existing.length > 0) return existing[0]!.id;
  return store.db.transaction(() => {
    const project = store.createProject(DEMO_PROJECT_NAME, 'generic');
    store.addSnapshot(demoTenantSnapshot(project.id, resources));
    return project.id;
  })();
}
