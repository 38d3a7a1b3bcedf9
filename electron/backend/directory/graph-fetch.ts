/**
 * A full Graph read as a workspace snapshot, streamed: each page of users is converted to source objects while the
 * next page is in flight and written into the workspace by a writer thread beside both (snapshot-writer-thread.ts),
 * and groups with their members are written as their lists complete, so the tenant is never held as JavaScript
 * objects (issue 18). The snapshot stays out of sight until the read is committed (snapshot-writer.ts). One flow for
 * the Tenant screen's fetch and `scim-planner fetch`.
 */
import type { SnapshotSummary } from '../../../shared/api.ts';
import type { GraphGroup, GraphMemberRef, GraphUser } from '../../../shared/directory/graph-to-source.ts';
import { toSnapshotGroups } from '../workspace/demo-tenant.ts';
import { snapshotGroupColumns } from '../workspace/snapshot-rows.ts';
import type { MembersPage, SnapshotTarget, StagedGroup } from '../workspace/snapshot-writer.ts';
import { SnapshotWriterThread } from '../workspace/snapshot-writer-thread.ts';
import type { DeltaState, WorkspaceStore } from '../workspace/store.ts';
import {
  streamDirectory,
  type DirectoryReadContext,
  type DirectoryReadSummary,
  type GraphReader,
  type ReadDirectoryOptions,
} from './graph-reader.ts';
import type { SourceContext } from './snapshot.ts';
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
  /** the workspace and project the snapshot is written to as it is read (the one the admin fetched from) */
  writeInto: SnapshotTarget;
  /** told what the read knows before the first user (the directory extensions, the scope) */
  onStart?: (context: DirectoryReadContext) => void;
  /** each page of kept users as it is written (`fetch --out` writes them to a file) */
  onUsers?: (users: readonly GraphUser[]) => void;
  /** asked just before users are read for the deltaLinks to keep with the snapshot (graph-delta.ts) */
  trackDelta?: (directoryExtensions: string[]) => Promise<DeltaState | null>;
}

/**
 * A completed read written out of sight: `commit` completes it in its workspace (`store` is that workspace, on any
 * connection), `discard` deletes it.
 */
export interface FetchedGraphSnapshot {
  summary: DirectoryReadSummary;
  commit(store: WorkspaceStore, projectId: number, names: GraphSnapshotNames): SnapshotSummary;
  discard(): void;
}

/**
 * Reads the directory into a snapshot of `options.writeInto` that no reader sees yet. A cancel or a failure deletes
 * what was written and rethrows; on success the caller commits it or discards it.
 */
export async function fetchGraphSnapshot(
  reader: GraphReader,
  options: FetchGraphSnapshotOptions,
): Promise<FetchedGraphSnapshot> {
  const writer = await SnapshotWriterThread.begin(options.writeInto);
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
          return writer.appendGraphUsers(page, context);
        },
        group: (group, ordinal) => ({
          members: (page) => writer.appendMembers(group.id, membersPage(group, page)),
          end: (deleted) => writer.appendStagedGroup(stagedGroup(group, ordinal), deleted),
        }),
      },
      {
        ...options,
        beforeUsers: trackDelta && (async (directoryExtensions) => void (deltaState = await trackDelta(directoryExtensions))),
      },
    );
    // a failure of the writer surfaces here, while the read can still be reported as failed
    await writer.written();
    return {
      summary,
      commit: (store, projectId, names) => {
        if (projectId !== options.writeInto.projectId) throw new Error(`This read was written for project ${options.writeInto.projectId}, not ${projectId}.`);
        return writer.commit(store, {
          label:
            names.label ??
            (summary.assignedTo ? `Graph: assigned to ${summary.assignedTo.servicePrincipal.displayName}` : `Graph: ${names.who}`),
          origin: 'graph',
          tenantName: names.tenantName,
          // A full read is a whole snapshot (no base); its parent is only the snapshot it replaces, if any.
          parentId: names.parentId ?? null,
          deltaState,
        });
      },
      discard: () => writer.discard(),
    };
  } catch (error) {
    writer.discard();
    throw error;
  }
}

/** A group as toSnapshotGroups converts it, with `members` given and no member list of its own from the listing. */
function groupWith(group: GraphGroup, members: readonly GraphMemberRef[]) {
  const { members: _listed, ...rest } = group;
  return toSnapshotGroups([{ ...rest, members } as Record<string, unknown>])[0]!;
}

/**
 * A page of a group's members as the writer stages it: the kept members and the page's part of the group's `raw` and
 * `source` JSON, so the group's columns come out as if its list had been read whole.
 */
function membersPage(group: GraphGroup, page: readonly GraphMemberRef[]): MembersPage {
  const { raw, source, members } = groupWith(group, page);
  return {
    members,
    rawJson: JSON.stringify(raw.members).slice(1, -1),
    sourceJson: JSON.stringify(source.members).slice(1, -1),
  };
}

/** A group's columns (snapshotGroupColumns) around an empty member list, cut where its staged pages go. */
function stagedGroup(group: GraphGroup, ordinal: number): StagedGroup {
  const [, id, displayName, raw, source] = snapshotGroupColumns(groupWith(group, []), ordinal) as [number, string, string | null, string, string];
  const around = (json: string): [string, string] => {
    // members is the last property of both (toSnapshotGroups, graphGroupToSource), so its empty list ends the JSON
    if (!json.endsWith('"members":[]}')) throw new Error(`Group ${id}: its members are not the last property of its JSON.`);
    return [json.slice(0, -2), json.slice(-2)];
  };
  return { ordinal, id, displayName, raw: around(raw), source: around(source) };
}

/** The full read of the Tenant screen's fetch and `scim-planner fetch`: streamed, keeping its Graph deltaLinks. */
export function fetchGraphSnapshotTracked(
  reader: GraphReader,
  deltaReader: GraphDeltaReader,
  options: Omit<FetchGraphSnapshotOptions, 'trackDelta'>,
): Promise<FetchedGraphSnapshot> {
  return fetchGraphSnapshot(reader, { ...options, trackDelta: deltaTracker(deltaReader, options) });
}
