/**
 * The mock SCIM server as the app runs it: inside the backend, on the open workspace's database, at most
 * one at a time. The screen's API handlers (electron/backend/handlers/mock-server.ts) are thin calls into
 * this class; the CLI runs the same server on a file of its own (electron/cli/mock-server.ts).
 */
import type Database from 'better-sqlite3';
import type { Page } from '../../../shared/api/define.ts';
import type { MockRequestSummary, MockResourceRow, MockServerStatus } from '../../../shared/api/mock-server.ts';
import { isPlainObject, type Json } from '../../../shared/scim/schemas-values.ts';
import { toMockBehaviour } from '../../../shared/vendors/index.ts';
import { UserFacingError } from '../errors.ts';
import { projectVendorEntries, projectVendorId, vendorProfileOf } from '../services/vendors.ts';
import { toDisposable, type Disposable } from '../session/disposables.ts';
import type { WorkspaceSession } from '../session/workspace-session.ts';
import { RequestLog, type RequestLogEntry, type RequestLogSummary } from './request-log.ts';
import { PortInUseError, startMockServer, TOKEN_SETTING, type RunningMockServer } from './server.ts';
import { MockStore } from './store.ts';

interface MockServerStartSettings {
  port: number;
  vendorId: string;
  strict: boolean;
  latencyMs: number;
  failureRate: number;
  host: string;
}

/** A start the admin can fix (unknown vendor, port taken); the handler turns it into a user-facing error. */
export class MockServerStartError extends Error {
  constructor(
    readonly code: 'invalid-input' | 'port-in-use',
    message: string,
  ) {
    super(message);
    this.name = 'MockServerStartError';
  }
}

const SETTINGS_KEY = 'app.start-settings';
const DEFAULT_SETTINGS: Omit<MockServerStartSettings, 'vendorId'> = { port: 0, strict: false, latencyMs: 0, failureRate: 0, host: '127.0.0.1' };

interface Running {
  server: RunningMockServer;
  session: WorkspaceSession;
  /** stops this server when its workspace closes (File > Open, app exit) */
  release: Disposable;
  settings: MockServerStartSettings;
  startedAt: string;
  unsubscribe: () => void;
}

interface MockServerServiceOptions {
  /** the open workspace: a server runs on the database of the one it started in and stops when that closes */
  session(): WorkspaceSession;
  /** every answered request, for the live log */
  onRequest(entry: MockRequestSummary): void;
}

const summaryOf = (entry: RequestLogEntry | RequestLogSummary): MockRequestSummary => ({
  seq: entry.seq,
  at: entry.at,
  method: entry.method,
  path: entry.path,
  status: entry.status,
  durationMs: entry.durationMs,
  rule: entry.rule,
});

export class MockServerService {
  private running: Running | undefined;
  private starting: Promise<MockServerStatus> | undefined;
  /** per database: statements are prepared once per connection */
  private readonly stores = new WeakMap<Database.Database, { store: MockStore; log: RequestLog }>();

  constructor(private readonly options: MockServerServiceOptions) {}

  private storage(db = this.options.session().store.db): { store: MockStore; log: RequestLog } {
    let hit = this.stores.get(db);
    if (!hit) {
      hit = { store: new MockStore(db), log: new RequestLog(db) };
      this.stores.set(db, hit);
    }
    return hit;
  }

  /** The running server, unless the workspace it runs on has been swapped out meanwhile. */
  private current(): Running | undefined {
    return this.running && this.running.session === this.options.session() ? this.running : undefined;
  }

  /** The last start's settings (a stopped server says what it last emulated); before any start, the project's vendor. */
  private savedSettings(store: MockStore): MockServerStartSettings {
    const vendorId = projectVendorId(this.options.session().project());
    const text = store.getSetting(SETTINGS_KEY);
    if (text) {
      try {
        return { ...DEFAULT_SETTINGS, vendorId, ...(JSON.parse(text) as Partial<MockServerStartSettings>) };
      } catch {
        // a damaged settings row only loses the remembered choices
      }
    }
    return { ...DEFAULT_SETTINGS, vendorId };
  }

  status(): MockServerStatus {
    const { store } = this.storage();
    const running = this.current();
    const settings = running?.settings ?? this.savedSettings(store);
    const session = this.options.session();
    const vendors = projectVendorEntries(session.store, session.projectId).map((v) => ({ id: v.id, name: v.name }));
    const counts = store.counts();
    return {
      running: running !== undefined,
      url: running?.server.url ?? null,
      token: running?.server.token ?? store.getSetting(TOKEN_SETTING) ?? null,
      host: settings.host,
      port: running?.server.port ?? settings.port,
      vendorId: settings.vendorId,
      vendorName: vendors.find((v) => v.id === settings.vendorId)?.name ?? settings.vendorId,
      mode: settings.strict ? 'strict' : 'entra',
      latencyMs: settings.latencyMs,
      failureRate: settings.failureRate,
      startedAt: running?.startedAt ?? null,
      users: counts.users,
      groups: counts.groups,
      vendors,
    };
  }

  /** Starts the server; a running one is stopped first, so Start with new settings is a restart. */
  start(input: Omit<MockServerStartSettings, 'vendorId'> & { vendorId?: string | undefined }): Promise<MockServerStatus> {
    const settings = { ...input, vendorId: input.vendorId ?? projectVendorId(this.options.session().project()) };
    const previous = this.starting ?? Promise.resolve(undefined);
    const next = previous.catch(() => undefined).then(() => this.doStart(settings));
    this.starting = next;
    return next.finally(() => {
      if (this.starting === next) this.starting = undefined;
    });
  }

  private async doStart(settings: MockServerStartSettings): Promise<MockServerStatus> {
    const session = this.options.session();
    let profile;
    try {
      profile = vendorProfileOf(session.store, session.projectId, settings.vendorId);
    } catch (error) {
      if (error instanceof UserFacingError) throw new MockServerStartError('invalid-input', error.message);
      throw error;
    }
    await this.stop();
    const db = session.store.db;
    const { store } = this.storage(db);
    let server: RunningMockServer;
    try {
      server = await startMockServer({
        db,
        port: settings.port,
        host: settings.host,
        mode: settings.strict ? 'strict' : 'entra',
        behaviour: toMockBehaviour(profile),
        latencyMs: settings.latencyMs,
        failureRate: settings.failureRate,
        // the workspace connection is shared with the other areas: no batched commits across their writes
        groupCommit: false,
      });
    } catch (error) {
      if (error instanceof PortInUseError) {
        throw new MockServerStartError('port-in-use', `Port ${settings.port} is already in use on ${settings.host}. Choose another port, or 0 for any free port.`);
      }
      throw error;
    }
    store.putSetting(SETTINGS_KEY, JSON.stringify(settings));
    const unsubscribe = server.onRequest((entry) => this.options.onRequest(summaryOf(entry)));
    const release = session.add(toDisposable(() => this.stopOn(session)));
    this.running = { server, session, release, settings, startedAt: new Date().toISOString(), unsubscribe };
    return this.status();
  }

  async stop(): Promise<MockServerStatus | undefined> {
    const running = this.running;
    this.running = undefined;
    if (running) {
      running.session.remove(running.release);
      running.unsubscribe();
      await running.server.stop();
    }
    return running && !running.session.closed ? this.status() : undefined;
  }

  /** Stops the server when it runs on `session` (that workspace is closing). */
  private async stopOn(session: WorkspaceSession): Promise<void> {
    if (this.running?.session === session) await this.stop();
  }

  reset(): { deletedUsers: number; deletedGroups: number } {
    const { store } = this.storage();
    const counts = store.counts();
    store.reset();
    return { deletedUsers: counts.users, deletedGroups: counts.groups };
  }

  requestLog(query: { search: string; status?: number; method?: string; offset: number; limit: number }) {
    const request = {
      text: query.search,
      offset: query.offset,
      limit: query.limit,
      withBodies: false,
      ...(query.status !== undefined ? { status: query.status } : {}),
      ...(query.method ? { method: query.method } : {}),
    };
    // the running server's log holds rows not yet flushed; its page() flushes them first
    const running = this.current();
    const page = running ? running.server.requestLogPage(request) : this.storage().log.page(request);
    return { total: page.total, offset: query.offset, items: page.entries.map(summaryOf) };
  }

  requestDetail(seq: number): RequestLogEntry | undefined {
    const running = this.current();
    return running ? running.server.requestEntry(seq) : this.storage().log.entry(seq);
  }

  listUsers(query: { search: string; offset: number; limit: number }): Page<MockResourceRow> {
    const { total, resources } = this.storage().store.browseUsers(query.search, query.offset, query.limit);
    return {
      total,
      offset: query.offset,
      items: resources.map((user) => ({
        ...rowBasics(user),
        name: typeof user.userName === 'string' ? user.userName : '',
        active: typeof user.active === 'boolean' ? user.active : null,
        members: null,
      })),
    };
  }

  listGroups(query: { search: string; offset: number; limit: number }): Page<MockResourceRow> {
    const { total, groups } = this.storage().store.browseGroups(query.search, query.offset, query.limit);
    return {
      total,
      offset: query.offset,
      items: groups.map(({ resource, members }) => ({
        ...rowBasics(resource),
        name: typeof resource.displayName === 'string' ? resource.displayName : '',
        active: null,
        members,
      })),
    };
  }
}

function rowBasics(resource: Json) {
  const meta = isPlainObject(resource.meta) ? resource.meta : {};
  return {
    id: String(resource.id),
    externalId: typeof resource.externalId === 'string' ? resource.externalId : null,
    lastModified: typeof meta.lastModified === 'string' ? meta.lastModified : null,
    resource,
  };
}
