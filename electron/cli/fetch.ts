import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defaultWorkspacePath } from '../backend/paths.ts';
import {
  fetchGraphSnapshotTracked,
  type FetchGraphSnapshotOptions,
  type FetchedGraphSnapshot,
} from '../backend/directory/graph-fetch.ts';
import { DirectoryReadCancelledError, GraphReader, type FetchProgress } from '../backend/directory/graph-reader.ts';
import { GraphUsersDocumentWriter, storeGraphChanges } from '../backend/directory/snapshot.ts';
import { GraphDeltaReader, readRefresh } from '../backend/directory/graph-delta.ts';
import type { SnapshotSummary } from '../../shared/api.ts';
import { withWorkspace } from '../backend/session/workspace-session.ts';
import type { DeltaState, WorkspaceStore } from '../backend/workspace/store.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT_OK, EXIT_PROBLEMS, UsageError, type CliCommand } from './command.ts';
import { GRAPH_SIGN_IN_OPTIONS, GRAPH_SIGN_IN_USAGE, connectToGraph, graphTarget, signInExitCode } from './graph-sign-in.ts';

const usage = `Usage: scim-planner fetch (--tenant ID --client-id ID [--device-code] [--token-cache FILE]
                            | --access-token TOKEN)
                           [--cloud global|usgov|usgovdod|china] [--graph-base-url URL]
                           [--assigned-to APP-ID [--import-mappings]] [--out FILE] [--workspace FILE]
                           [--label TEXT]
       scim-planner fetch --refresh (sign-in flags as above) [--graph-base-url URL] [--workspace FILE]
                           [--label TEXT]

Reads users (every source attribute, managers, directory extensions), groups and their direct members
from Microsoft Graph with read-only permissions, stores them as a snapshot in the workspace, and with
--out also writes Graph users JSON ({"value": [...]}) that "scim-planner preview --users" reads.

${GRAPH_SIGN_IN_USAGE}
Refresh:
  --refresh            refresh the workspace's newest Graph snapshot: read only what changed since it (Graph
                       delta) into a new snapshot that shares the unchanged users with it. An expired deltaLink
                       (Graph keeps them seven days) falls back to a full read, said on stderr.
Scope:
  --assigned-to APP-ID only users and groups assigned to this enterprise app (its application id),
                       like Entra's "Sync only assigned users and groups"
  --import-mappings    with --assigned-to: also save the app's provisioning mappings (its synchronization
                       job's schema) as a new mapping revision; needs Synchronization.Read.All
Output:
  --out FILE           also write the users as Graph users JSON
  --workspace FILE     the workspace (default: the app's default workspace)
  --label TEXT         the snapshot's name
Exit codes: 0 done; 1 Graph failed or you cancelled (Ctrl+C; nothing is stored);
            2 bad usage or a refused token ("sign in again").`;

function describeProgress(p: FetchProgress): string {
  const count =
    p.total === null
      ? `${p.fetched.toLocaleString('en-US')}`
      : `${p.fetched.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')}`;
  const rate = p.ratePerSecond > 0 ? `, ${Math.round(p.ratePerSecond).toLocaleString('en-US')}/s` : '';
  const eta = p.etaSeconds !== null && p.etaSeconds > 0 ? `, ${Math.ceil(p.etaSeconds)} s left` : '';
  const wait = p.retryInSeconds !== undefined ? ` — Graph is throttling, retrying in ${p.retryInSeconds} s` : '';
  return `${p.phase}: ${count}${rate}${eta}${wait}`;
}

/** "Graph: contoso · refreshed", once however often it is refreshed. */
function refreshedLabel(label: string): string {
  return `${label.replace(/ · refreshed$/, '')} · refreshed`;
}

/** The workspace's newest Graph snapshot and its deltaLinks, or a RefreshTargetError saying why there is none. */
function refreshTarget(store: WorkspaceStore, projectId: number, path: string): { snapshot: SnapshotSummary; state: DeltaState } {
  const snapshot = store.listSnapshots(projectId).find((s) => s.origin === 'graph');
  if (!snapshot) throw new RefreshTargetError(`${path} has no Graph snapshot to refresh; run scim-planner fetch first.`);
  const state = store.getDeltaState(snapshot.id);
  if (!state)
    throw new RefreshTargetError(
      `Snapshot ${snapshot.id} (${snapshot.label}) keeps no Graph deltaLinks: it was read for one app's assignments, before ` +
        'refresh existed, or from a Graph without delta. Run scim-planner fetch for a whole read, which can then be refreshed.',
    );
  return { snapshot, state };
}

class RefreshTargetError extends Error {}

export const command: CliCommand = {
  name: 'fetch',
  summary: 'read users, groups and managers from Microsoft Graph into a snapshot',
  usage,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      ...GRAPH_SIGN_IN_OPTIONS,
      'assigned-to': { type: 'string' },
      'import-mappings': { type: 'boolean', default: false },
      out: { type: 'string' },
      workspace: { type: 'string' },
      label: { type: 'string' },
      refresh: { type: 'boolean', default: false },
    });
    const { origin, baseUrl, fetch: networkFetch } = graphTarget(values, io);
    if (values.refresh) {
      for (const flag of ['assigned-to', 'import-mappings', 'out'] as const)
        if (values[flag]) throw new UsageError(`--${flag} cannot be used with --refresh (a refresh keeps the snapshot's scope and writes no file)`);
    }

    if (values['import-mappings'] && !values['assigned-to'])
      throw new UsageError('--import-mappings needs --assigned-to APP-ID');

    const controller = new AbortController();
    const onInterrupt = () => {
      io.err('Cancelling...');
      controller.abort();
    };
    process.once('SIGINT', onInterrupt);
    // Staged while read, stored only after everything was read: a cancel or failure leaves no snapshot and no file.
    let fetched: FetchedGraphSnapshot | null = null;
    let out: GraphUsersDocumentWriter | null = null;
    try {
      const workspacePath = values.workspace ?? defaultWorkspacePath(io.env);
      // The snapshot to refresh is found before signing in: a workspace with nothing to refresh needs no token.
      const parent = values.refresh ? await withWorkspace(workspacePath, ({ store, projectId }) => refreshTarget(store, projectId, workspacePath)) : null;
      const { getAccessToken } = await connectToGraph(values, io, 'fetch');
      const readerOptions = { graphBaseUrl: baseUrl, getAccessToken, fetch: networkFetch };
      const reader = new GraphReader(readerOptions);
      const deltaReader = new GraphDeltaReader(readerOptions);
      let lastReport = 0;
      const readOptions: FetchGraphSnapshotOptions = {
        assignedToAppId: values['assigned-to'],
        signal: controller.signal,
        extraSelect: ['userType'],
        onProgress: (p: FetchProgress) => {
          // One line per second at most, plus every throttling notice.
          const now = performance.now();
          if (p.retryInSeconds === undefined && now - lastReport < 1000 && p.fetched !== p.total) return;
          lastReport = now;
          io.err(describeProgress(p));
        },
        onStart: ({ directoryExtensions }) => {
          if (!values.out) return;
          const path = resolve(values.out);
          mkdirSync(dirname(path), { recursive: true });
          out = new GraphUsersDocumentWriter(path, origin, directoryExtensions.map((e) => e.name), ['userType']);
        },
        onUsers: (users) => out?.write(users),
      };
      if (parent) {
        const read = await readRefresh(deltaReader, parent.state, { ...readOptions, onNotice: (message) => io.err(message) }, () =>
          fetchGraphSnapshotTracked(reader, deltaReader, readOptions),
        );
        if (read.kind === 'full') fetched = read.fetched;
        await withWorkspace(workspacePath, ({ store, projectId }) => {
          const label = values.label ?? refreshedLabel(parent.snapshot.label);
          const snapshot =
            read.kind === 'changes'
              ? storeGraphChanges(store, parent.snapshot.id, read.changes, label)
              : read.fetched.commit(store, projectId, {
                  label,
                  tenantName: values.tenant ?? parent.snapshot.tenantName,
                  who: values.tenant ?? new URL(origin).host,
                  parentId: parent.snapshot.id,
                });
          const what =
            read.kind === 'changes'
              ? `${read.changes.users.length} user and ${read.changes.groups.length} group change(s) read`
              : 'full read';
          io.out(
            `Refreshed snapshot ${parent.snapshot.id} into snapshot ${snapshot.id} of ${store.path} (${what}): ${snapshot.userCount} users and ${snapshot.groupCount} groups.`,
          );
        });
        return EXIT_OK;
      }
      fetched = await fetchGraphSnapshotTracked(reader, deltaReader, readOptions);
      const { assignedTo, nestedGroups } = fetched.summary;
      // The schema is read before anything is stored, so a refused read stores nothing either.
      let schema: { jobId: string; json: Record<string, unknown> } | null = null;
      if (values['import-mappings'] && assignedTo) {
        const spId = assignedTo.servicePrincipal.id;
        const jobs = await reader.readSynchronizationJobs(spId, controller.signal);
        if (jobs.length === 0) {
          io.err(`${assignedTo.servicePrincipal.displayName} has no provisioning job; no mappings imported.`);
        } else {
          schema = {
            jobId: jobs[0]!.id,
            json: await reader.readSynchronizationSchema(spId, jobs[0]!.id, controller.signal),
          };
        }
      }
      for (const nested of nestedGroups) {
        io.err(
          `note: group ${nested.groupId} contains ${nested.memberGroupIds.length} nested group(s); Entra provisioning does not expand nested groups.`,
        );
      }

      (out as GraphUsersDocumentWriter | null)?.finish();
      const read = fetched;
      await withWorkspace(workspacePath, ({ store, projectId }) => {
        const snapshot = read.commit(store, projectId, {
          label: values.label,
          tenantName: values.tenant ?? null,
          who: values.tenant ?? new URL(origin).host,
        });
        if (schema) {
          const revision = store.saveMappingRevision(
            projectId,
            `Imported from ${assignedTo!.servicePrincipal.displayName} (job ${schema.jobId})`,
            JSON.stringify(schema.json),
          );
          io.out(`Saved the app's provisioning mappings as mapping revision ${revision.revision}.`);
        }
        io.out(
          `Fetched ${snapshot.userCount} users and ${snapshot.groupCount} groups into snapshot ${snapshot.id} of ${store.path}.${values.out ? ` Wrote ${resolve(values.out)}.` : ''}`,
        );
      });
      return EXIT_OK;
    } catch (error) {
      const signInExit = signInExitCode(error, io);
      if (signInExit !== null) return signInExit;
      if (error instanceof DirectoryReadCancelledError) {
        io.err(error.message);
        return EXIT_PROBLEMS;
      }
      if (error instanceof UsageError) throw error;
      if (error instanceof RefreshTargetError) {
        io.err(error.message);
        return EXIT_PROBLEMS;
      }
      io.err(`fetch failed: ${(error as Error).message}`);
      return EXIT_PROBLEMS;
    } finally {
      (out as GraphUsersDocumentWriter | null)?.discard();
      (fetched as FetchedGraphSnapshot | null)?.discard();
      process.removeListener('SIGINT', onInterrupt);
    }
  },
};
