/**
 * A full Graph read as a workspace snapshot, streamed: each page of users is converted to source objects and staged
 * while the next page is in flight, and groups with their members are staged as their lists complete, so the tenant
 * is never held as JavaScript objects (issue 18). One flow for the Tenant screen's fetch and `scim-planner fetch`.
 */
import type { SnapshotSummary } from '../../../shared/api.ts';
import type { GraphUser } from '../../../shared/directory/graph-to-source.ts';
import { toSnapshotGroups } from '../workspace/demo-tenant.ts';
import { StagedSnapshotWriter } from '../workspace/snapshot-writer.ts';
import type { DeltaState, WorkspaceStore } from '../workspace/store.ts';
import {
  streamDirectory,
  type DirectoryReadContext,
  type DirectoryReadSummary,
  type GraphReader,
  type ReadDirectoryOptions,
} from './graph-reader.ts';
import { toSourceSnapshotUsers, type SourceContext } from './snapshot.ts';
import { deltaTracker, type GraphDeltaReader } from './graph-delta.ts';

export interface GraphSnapshotNames {
  label?: string | undefined;
  tenantName: string | null;
  /** who read it (the tenant or Graph's host), for the default label */
  who: string;
  /** the snapshot this read replaces (a refresh whose deltaLink had expired) */
  parentId?: number | null;
}

export interface FetchGraphSnapshotOptions extends Omit<ReadDirectoryOptions, 'beforeUsers'> {
  /** told what the read knows before the first user (the directory extensions, the scope) */
  onStart?: (context: DirectoryReadContext) => void;
  /** each page of kept users as it is staged (`fetch --out` writes them to a file) */
  onUsers?: (users: readonly GraphUser[]) => void;
  /** asked just before users are read for the deltaLinks to keep with the snapshot (graph-delta.ts) */
  trackDelta?: (directoryExtensions: string[]) => Promise<DeltaState | null>;
}

/** A completed read waiting to be stored: `commit` writes it to a workspace, `discard` drops it. */
export interface FetchedGraphSnapshot {
  summary: DirectoryReadSummary;
  commit(store: WorkspaceStore, projectId: number, names: GraphSnapshotNames): SnapshotSummary;
  discard(): void;
}

/**
 * Reads the directory into a staged snapshot. A cancel or a failure discards what was staged and rethrows; on success
 * the caller commits it (into the workspace it belongs to, opened only then) or discards it.
 */
export async function fetchGraphSnapshot(
  reader: GraphReader,
  options: FetchGraphSnapshotOptions,
): Promise<FetchedGraphSnapshot> {
  const writer = new StagedSnapshotWriter();
  let context: SourceContext = {};
  let deltaState: DeltaState | null = null;
  const { trackDelta } = options;
  try {
    const summary = await streamDirectory(
      reader,
      {
        start: (read) => {
          const { directoryExtensions, assignedTo } = read;
          options.onStart?.(read);
          context = {
            directoryExtensions: directoryExtensions.map((e) => e.name),
            assignedUserIds: assignedTo?.assignedUserIds ?? null,
            appRolesByUser: assignedTo?.appRolesByUser,
          };
        },
        users: (page) => {
          options.onUsers?.(page);
          writer.appendUsers(toSourceSnapshotUsers(page, context));
        },
        group: (group, ordinal) => writer.appendGroup(toSnapshotGroups([group as Record<string, unknown>])[0]!, ordinal),
      },
      {
        ...options,
        beforeUsers: trackDelta && (async (directoryExtensions) => void (deltaState = await trackDelta(directoryExtensions))),
      },
    );
    return {
      summary,
      commit: (store, projectId, names) =>
        writer.commit(store, {
          projectId,
          label:
            names.label ??
            (summary.assignedTo ? `Graph: assigned to ${summary.assignedTo.servicePrincipal.displayName}` : `Graph: ${names.who}`),
          origin: 'graph',
          tenantName: names.tenantName,
          // A full read is a whole snapshot (no base); its parent is only the snapshot it replaces, if any.
          parentId: names.parentId ?? null,
          deltaState,
        }),
      discard: () => writer.discard(),
    };
  } catch (error) {
    writer.discard();
    throw error;
  }
}

/** The full read of the Tenant screen's fetch and `scim-planner fetch`: streamed, keeping its Graph deltaLinks. */
export function fetchGraphSnapshotTracked(
  reader: GraphReader,
  deltaReader: GraphDeltaReader,
  options: Omit<FetchGraphSnapshotOptions, 'trackDelta'>,
): Promise<FetchedGraphSnapshot> {
  return fetchGraphSnapshot(reader, { ...options, trackDelta: deltaTracker(deltaReader, options) });
}
