/**
 * Graph delta for refreshing a snapshot (issue 18): keep the users/delta and groups/delta deltaLinks with a full read,
 * and later read only what changed since ("Use delta query to track changes in Microsoft Graph data", Microsoft Learn).
 *
 * The full read itself stays /users and /groups (graph-fetch.ts): delta supports neither $expand (the manager's name
 * and UPN) nor $top nor $count (the progress total), and the full read pages users and groups concurrently. Its
 * deltaLinks come from `$deltaToken=latest` ("sync from now"), asked *before* the users are read: a change made while
 * the read runs is then replayed by the first refresh (delta replays are expected and applied idempotently), never
 * missed.
 */
import type { GraphGroup, GraphUser } from '../../../shared/directory/graph-to-source.ts';
import { GRAPH_GROUP_SELECT, graphUserSelect } from '../../../shared/directory/source-schema.ts';
import type { DeltaState } from '../workspace/snapshot-refresh.ts';
import { GraphCallCancelledError, GraphClient, GraphRequestError } from './graph-client.ts';
import { DirectoryReadCancelledError, type FetchProgress, type GraphReaderOptions } from './graph-reader.ts';

/** Graph's way of saying a deltaLink can no longer be used: 410 Gone, or one of the sync-state error codes. */
const EXPIRED_CODES = new Set(['syncstatenotfound', 'syncstateinvalid', 'resyncrequired', 'resyncapplication']);

/** The stored deltaLink has expired (directory objects keep them seven days) or Graph asks for a full resync. */
class DeltaLinkExpiredError extends Error {
  override readonly name = 'DeltaLinkExpiredError';
  constructor(readonly graphMessage: string) {
    super(`The snapshot's Graph deltaLink can no longer be used (${graphMessage}); reading the whole tenant instead.`);
  }
}

function isExpiredDeltaLink(error: unknown): boolean {
  return error instanceof GraphRequestError && (error.status === 410 || EXPIRED_CODES.has(error.code.toLowerCase()));
}

/** A user as users/delta returns it: its state, or `@removed` (reason `deleted`, or `changed`: in the recycle bin). */
export type DeltaUser = GraphUser & {
  '@removed'?: { reason?: string };
  'manager@delta'?: { id: string; '@odata.type'?: string; '@removed'?: { reason?: string } }[];
};
export type DeltaGroup = GraphGroup & {
  '@removed'?: { reason?: string };
  'members@delta'?: { id: string; '@odata.type'?: string; '@removed'?: { reason?: string } }[];
};

export interface DirectoryChanges {
  users: DeltaUser[];
  groups: DeltaGroup[];
  /** the deltaLinks to refresh the refreshed snapshot with */
  state: DeltaState;
}

interface DeltaPage<T> {
  value: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

export class GraphDeltaReader {
  private readonly graph: GraphClient;
  private readonly now: () => number;

  constructor(options: GraphReaderOptions) {
    this.graph = new GraphClient(options);
    this.now = options.now ?? (() => performance.now());
  }

  private async get<T>(path: string, signal?: AbortSignal, onWait?: (seconds: number) => void): Promise<T> {
    try {
      return await this.graph.request<T>('GET', path, { signal, onWait });
    } catch (error) {
      if (error instanceof GraphCallCancelledError) throw new DirectoryReadCancelledError();
      throw error;
    }
  }

  /** "Sync from now": the deltaLinks for the users (with their manager) and groups (with their members) as they are now. */
  async latestLinks(directoryExtensions: readonly string[], extraSelect: readonly string[], signal?: AbortSignal): Promise<DeltaState> {
    const userSelect = [...graphUserSelect(directoryExtensions), ...extraSelect, 'manager'].join(',');
    const groupSelect = [...GRAPH_GROUP_SELECT, 'members'].join(',');
    const link = async (path: string) => {
      const page = await this.get<DeltaPage<unknown>>(path, signal);
      const deltaLink = page['@odata.deltaLink'];
      if (!deltaLink) throw new GraphRequestError(200, 'NoDeltaLink', `Graph answered ${path} without an @odata.deltaLink.`, path);
      return deltaLink;
    };
    return {
      users: await link(`/users/delta?$select=${userSelect}&$deltaToken=latest`),
      groups: await link(`/groups/delta?$select=${groupSelect}&$deltaToken=latest`),
      directoryExtensions: [...directoryExtensions],
    };
  }

  /** Every change since `link`, page after page, and the deltaLink that ends the round. */
  private async readChanges<T>(
    link: string,
    phase: 'users' | 'groups',
    signal: AbortSignal | undefined,
    onProgress: ((p: FetchProgress) => void) | undefined,
  ): Promise<{ items: T[]; deltaLink: string }> {
    const origin = new URL(link).origin;
    if (origin !== this.graph.origin)
      throw new Error(`The snapshot was read from ${origin}; refresh it from that Graph endpoint, not ${this.graph.origin}.`);
    const items: T[] = [];
    const started = this.now();
    const report = (retryInSeconds?: number) =>
      onProgress?.({
        phase,
        fetched: items.length,
        total: null,
        ratePerSecond: items.length / Math.max(1e-3, (this.now() - started) / 1000),
        etaSeconds: null,
        ...(retryInSeconds !== undefined ? { retryInSeconds } : {}),
      });
    let next: string | undefined = link;
    try {
      for (;;) {
        const page: DeltaPage<T> = await this.get<DeltaPage<T>>(next, signal, (s) => report(s));
        for (const item of page.value) items.push(item);
        report();
        if (page['@odata.deltaLink']) return { items, deltaLink: page['@odata.deltaLink'] };
        next = page['@odata.nextLink'];
        if (!next) throw new GraphRequestError(200, 'NoDeltaLink', 'Graph ended a delta round without an @odata.deltaLink.', link);
      }
    } catch (error) {
      if (isExpiredDeltaLink(error)) throw new DeltaLinkExpiredError((error as Error).message);
      throw error;
    }
  }

  /** What changed since the snapshot's deltaLinks; throws DeltaLinkExpiredError when they no longer work. */
  async readDirectoryChanges(
    state: DeltaState,
    options: { signal?: AbortSignal; onProgress?: (p: FetchProgress) => void } = {},
  ): Promise<DirectoryChanges> {
    const users = await this.readChanges<DeltaUser>(state.users, 'users', options.signal, options.onProgress);
    const groups = await this.readChanges<DeltaGroup>(state.groups, 'groups', options.signal, options.onProgress);
    return {
      users: users.items,
      groups: groups.items,
      state: { users: users.deltaLink, groups: groups.deltaLink, directoryExtensions: state.directoryExtensions },
    };
  }
}

/**
 * How a full read takes its deltaLinks (graph-fetch.ts calls it just before the users are read): not at all when it is
 * limited to an app's assignments (the scope depends on the app's assignments, which delta on users and groups does
 * not follow), and null when this Graph offers no delta.
 */
export function deltaTracker(
  deltaReader: GraphDeltaReader,
  options: { assignedToAppId?: string; extraSelect?: readonly string[]; signal?: AbortSignal },
): ((directoryExtensions: string[]) => Promise<DeltaState | null>) | undefined {
  if (options.assignedToAppId) return undefined;
  return async (directoryExtensions) => {
    try {
      return await deltaReader.latestLinks(directoryExtensions, options.extraSelect ?? [], options.signal);
    } catch (error) {
      // Refresh is a convenience: a Graph without delta (a national cloud's gap, a stand-in) still gets its snapshot.
      if (!(error instanceof GraphRequestError)) throw error;
      return null;
    }
  };
}

type RefreshRead<Full> = { kind: 'changes'; changes: DirectoryChanges } | { kind: 'full'; fetched: Full; notice: string };

/**
 * A refresh: only the changes since `state`, or, when Graph says the deltaLink has expired, `fullRead` (the streamed
 * full read with new deltaLinks, graph-fetch.ts); `onNotice` tells the admin which, as it happens.
 */
export async function readRefresh<Full>(
  deltaReader: GraphDeltaReader,
  state: DeltaState,
  options: { signal?: AbortSignal; onProgress?: (p: FetchProgress) => void; onNotice?: (message: string) => void },
  fullRead: () => Promise<Full>,
): Promise<RefreshRead<Full>> {
  try {
    return { kind: 'changes', changes: await deltaReader.readDirectoryChanges(state, options) };
  } catch (error) {
    if (!(error instanceof DeltaLinkExpiredError)) throw error;
    options.onNotice?.(error.message);
    return { kind: 'full', fetched: await fullRead(), notice: error.message };
  }
}
