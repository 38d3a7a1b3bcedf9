/**
 * The app's side of real tenants (issue 7): sign-ins kept by MSAL, pasted tokens kept in memory, fetch
 * jobs with progress and cancel, file imports and snapshot comparison. The CLI drives the same building
 * blocks (auth.ts, graph-reader.ts, snapshot.ts) directly; this class adds what a long-lived backend
 * needs: several sign-ins at once, jobs the renderer can follow by id, and events.
 *
 * Tokens never leave this module: accounts are described to the renderer by username and tenant only.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ensureAppOwnedFolder } from '../paths.ts';
import { join } from 'node:path';
import type {
  CloudName,
  CompareSection,
  DeviceCodePrompt,
  DirectoryAccount,
  FetchJobStatus,
  FetchProgressEvent,
  ImportResult,
  SignInStatus,
  SnapshotComparison,
  SnapshotSummary,
} from '../../../shared/api.ts';
import type { SnapshotDiff } from '../../../shared/directory/snapshot-diff.ts';
import { compareStoredSnapshots } from '../workspace/snapshot-compare.ts';
import type { BackendContext } from '../context.ts';
import { UserFacingError } from '../errors.ts';
import { demoTenantSnapshot } from '../workspace/demo-tenant.ts';
import type { DirectoryServiceOptions } from './options.ts';
import {
  EntraSignIn,
  SignInRequiredError,
  encryptedFileCache,
  memoryCache,
  type SignedInAccount,
  type TokenCacheStore,
} from './auth.ts';
import { CLOUDS, graphScopes, type GraphAccess } from './clouds.ts';
import { environmentFetch, explainedFetch } from './network.ts';
import { DirectoryReadCancelledError, GraphReader, type FetchProgress } from './graph-reader.ts';
import { GraphDeltaReader, readRefresh } from './graph-delta.ts';
import { fetchGraphSnapshotTracked, type FetchedGraphSnapshot, type GraphSnapshotNames } from './graph-fetch.ts';
import { GraphClient, GraphRequestError, GraphSignInRequiredError, graphOrigin } from './graph-client.ts';
import { storeGraphChanges } from './snapshot.ts';
import { importUsersIntoWorkspace } from './users-file-import.ts';
import { consentingCache } from './token-caches.ts';

export type { DirectoryServiceOptions } from './options.ts';


interface SignInConfig {
  cloud: CloudName;
  tenant: string;
  clientId: string;
}

interface PastedToken {
  accountId: string;
  token: string;
  cloud: CloudName;
  username: string | null;
  displayName: string | null;
  tenantId: string | null;
  expiresAt: string | null;
}

interface SignInSession {
  status: SignInStatus;
  controller: AbortController;
}

interface FetchJob {
  status: FetchJobStatus;
  controller: AbortController;
  settled: Promise<void>;
}

const PROGRESS_INTERVAL_MS = 200;
const SIGN_INS_FILE = 'sign-ins.json';

function configKey(config: SignInConfig): string {
  return createHash('sha256')
    .update(`${config.cloud}|${config.clientId.toLowerCase()}|${config.tenant.toLowerCase()}`)
    .digest('hex')
    .slice(0, 16);
}

/** The audiences a Microsoft Graph token carries, in any cloud (the app id or a Graph origin). */
const GRAPH_AUDIENCES = new Set([
  '00000003-0000-0000-c000-000000000000',
  ...Object.values(CLOUDS).flatMap((c) => [c.graphBaseUrl, `${c.graphBaseUrl}/`]),
]);

/** The claims of a JWT access token (not verified: only Graph can, and it will), or null for an opaque token. */
function tokenClaims(token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * Stores a staged Graph read in the workspace it was fetched from, unless the job was cancelled meanwhile; the staging
 * file goes either way.
 */
function commitFetched(
  workspace: ReturnType<BackendContext['session']>,
  fetched: FetchedGraphSnapshot,
  signal: AbortSignal,
  names: GraphSnapshotNames,
): SnapshotSummary {
  try {
    if (signal.aborted) throw new DirectoryReadCancelledError();
    return workspace.write((store, projectId) => fetched.commit(store, projectId, names));
  } finally {
    fetched.discard();
  }
}

export class DirectoryService {
  private readonly configs = new Map<string, SignInConfig>();
  private readonly signIns = new Map<string, EntraSignIn>();
  private readonly tokens = new Map<string, PastedToken>();
  private readonly sessions = new Map<string, SignInSession>();
  private readonly jobs = new Map<string, FetchJob>();
  private readonly confirmWeakStorage?: () => Promise<boolean>;
  /** one network stack for sign-in and Graph, so a sign-in works wherever Graph does */
  private readonly networkFetch: typeof fetch;
  private comparison: { key: string; diff: SnapshotDiff } | null = null;

  constructor(
    private readonly ctx: BackendContext,
    private readonly options: DirectoryServiceOptions = {},
  ) {
    // One question per session, whichever tenant's cache is written first.
    let answer: Promise<boolean> | null = null;
    const ask = options.confirmWeakStorage;
    if (ask) this.confirmWeakStorage = () => (answer ??= ask());
    this.networkFetch = explainedFetch(options.graph?.fetch ?? environmentFetch());
    for (const config of this.readSavedConfigs()) this.configs.set(configKey(config), config);
  }

  // ---- sign-in -------------------------------------------------------------------------------

  private persistent(): boolean {
    return Boolean(this.options.tokenCacheDir && this.options.encryptor);
  }

  private readSavedConfigs(): SignInConfig[] {
    if (!this.persistent()) return [];
    const file = join(this.options.tokenCacheDir!, SIGN_INS_FILE);
    if (!existsSync(file)) return [];
    try {
      const list = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      return Array.isArray(list)
        ? list.filter(
            (c): c is SignInConfig =>
              c && typeof c.tenant === 'string' && typeof c.clientId === 'string' && Object.hasOwn(CLOUDS, c.cloud),
          )
        : [];
    } catch (error) {
      // A damaged list only forgets which tenants were used; the encrypted caches stay intact.
      console.warn(`[directory] ignoring ${file}: ${(error as Error).message}`);
      return [];
    }
  }

  private saveConfigs(): void {
    if (!this.persistent()) return;
    ensureAppOwnedFolder(this.options.tokenCacheDir!);
    // Not secret (tenant, client id, cloud): which caches to open on the next start.
    writeFileSync(join(this.options.tokenCacheDir!, SIGN_INS_FILE), JSON.stringify([...this.configs.values()], null, 2), {
      mode: 0o600,
    });
  }

  private cacheFor(key: string): TokenCacheStore {
    if (!this.persistent()) return memoryCache();
    const file = encryptedFileCache(join(this.options.tokenCacheDir!, `msal-${key}.bin`), this.options.encryptor!);
    return this.confirmWeakStorage ? consentingCache(file, this.confirmWeakStorage) : file;
  }

  private signInFor(config: SignInConfig): { key: string; signIn: EntraSignIn } {
    const key = configKey(config);
    let signIn = this.signIns.get(key);
    if (!signIn) {
      try {
        signIn = new EntraSignIn({
          clientId: config.clientId,
          tenant: config.tenant,
          cloud: config.cloud,
          cache: this.cacheFor(key),
          networkClient: this.options.identityNetworkClient,
          fetch: this.networkFetch,
        });
      } catch (error) {
        throw new UserFacingError('invalid-input', (error as Error).message);
      }
      this.signIns.set(key, signIn);
    }
    return { key, signIn };
  }

  private describeSignedIn(key: string, config: SignInConfig, account: SignedInAccount): DirectoryAccount {
    return {
      accountId: `${key}:${account.homeAccountId}`,
      kind: 'signed-in',
      username: account.username,
      displayName: account.name,
      tenantId: account.tenantId,
      cloud: config.cloud,
      clientId: config.clientId,
      expiresAt: null,
      storage: this.signInFor(config).signIn.options.cache?.description ?? 'in memory only',
    };
  }

  /**
   * Starts a sign-in and answers as soon as the admin has something to do: the device code to enter,
   * or the sign-in page to open. The flow then finishes in the background (directory.signIn.finished).
   */
  async startSignIn(input: SignInConfig & { method: 'browser' | 'device-code' }): Promise<{
    signInId: string;
    deviceCode: DeviceCodePrompt | null;
    authorizationUrl: string | null;
  }> {
    const config: SignInConfig = { cloud: input.cloud, tenant: input.tenant, clientId: input.clientId };
    const { key, signIn } = this.signInFor(config);
    const signInId = randomUUID();
    const session: SignInSession = {
      status: { signInId, state: 'waiting', account: null, error: null },
      controller: new AbortController(),
    };
    this.sessions.set(signInId, session);

    let announce!: (value: { deviceCode: DeviceCodePrompt | null; authorizationUrl: string | null }) => void;
    const announced = new Promise<{ deviceCode: DeviceCodePrompt | null; authorizationUrl: string | null }>(
      (resolve) => (announce = resolve),
    );
    const flow =
      input.method === 'device-code'
        ? signIn.signInWithDeviceCode((message, details) => {
            const prompt: DeviceCodePrompt = {
              signInId,
              userCode: details.userCode,
              verificationUri: details.verificationUri,
              message,
              expiresAt: new Date(Date.now() + details.expiresInSeconds * 1000).toISOString(),
            };
            this.ctx.events.emit('directory.signIn.deviceCode', prompt);
            announce({ deviceCode: prompt, authorizationUrl: null });
          }, session.controller.signal)
        : signIn.signInInteractive(async (url) => {
            // The renderer opens the page: Electron hands https links to the system browser, and in
            // browser mode it is a new tab. The loopback listener is already waiting for the redirect.
            announce({ deviceCode: null, authorizationUrl: url });
          }, session.controller.signal);

    const finished = flow.then(
      (account) => {
        if (!this.configs.has(key)) {
          this.configs.set(key, config);
          this.saveConfigs();
        }
        session.status = { signInId, state: 'signed-in', account: this.describeSignedIn(key, config, account), error: null };
      },
      (error: Error) => {
        const cancelled = session.controller.signal.aborted;
        session.status = {
          signInId,
          state: cancelled ? 'cancelled' : 'failed',
          account: null,
          error: cancelled ? 'The sign-in was cancelled.' : `Sign-in failed: ${error.message}`,
        };
      },
    );
    void finished.then(() => this.ctx.events.emit('directory.signIn.finished', session.status));

    const first = await Promise.race([announced, finished.then(() => null)]);
    if (first === null) {
      // The flow ended before the admin had anything to do: the authority refused or was unreachable.
      this.sessions.delete(signInId);
      throw new UserFacingError('sign-in-failed', session.status.error ?? 'The sign-in ended before it started.');
    }
    return { signInId, ...first };
  }

  signInStatus(signInId: string): SignInStatus {
    const session = this.sessions.get(signInId);
    if (!session) throw new UserFacingError('not-found', `There is no sign-in ${signInId}; start a new one.`);
    return session.status;
  }

  cancelSignIn(signInId: string): boolean {
    const session = this.sessions.get(signInId);
    if (!session || session.status.state !== 'waiting') return false;
    session.controller.abort();
    return true;
  }

  async accounts(): Promise<DirectoryAccount[]> {
    const list: DirectoryAccount[] = [];
    for (const [key, config] of this.configs) {
      for (const account of await this.signInFor(config).signIn.accounts()) {
        list.push(this.describeSignedIn(key, config, account));
      }
    }
    for (const pasted of this.tokens.values()) {
      list.push({
        accountId: pasted.accountId,
        kind: 'access-token',
        username: pasted.username,
        displayName: pasted.displayName,
        tenantId: pasted.tenantId,
        cloud: pasted.cloud,
        clientId: null,
        expiresAt: pasted.expiresAt,
        storage: 'in memory only (forgotten when the app closes)',
      });
    }
    return list;
  }

  async signOut(accountId: string): Promise<boolean> {
    if (this.tokens.delete(accountId)) return true;
    const resolved = this.signedInAccount(accountId);
    if (!resolved) return false;
    return resolved.signIn.signOut(resolved.homeAccountId);
  }

  private signedInAccount(accountId: string): { config: SignInConfig; signIn: EntraSignIn; homeAccountId: string } | null {
    const colon = accountId.indexOf(':');
    const config = colon > 0 ? this.configs.get(accountId.slice(0, colon)) : undefined;
    if (!config) return null;
    return { config, signIn: this.signInFor(config).signIn, homeAccountId: accountId.slice(colon + 1) };
  }

  /** A pasted token: checked for what can be checked offline (audience, expiry), then kept in memory. */
  useAccessToken(token: string, cloud: CloudName): DirectoryAccount {
    const claims = tokenClaims(token);
    const audience = str(claims?.aud);
    if (audience && !GRAPH_AUDIENCES.has(audience)) {
      throw new UserFacingError(
        'invalid-input',
        `This token is for ${audience}, not Microsoft Graph. Get one for Graph: az account get-access-token --resource-type ms-graph`,
      );
    }
    const exp = typeof claims?.exp === 'number' ? new Date(claims.exp * 1000) : null;
    if (exp && exp.getTime() <= Date.now()) {
      throw new UserFacingError('invalid-input', `This token expired at ${exp.toISOString()}; get a fresh one.`);
    }
    const pasted: PastedToken = {
      accountId: `token:${randomUUID()}`,
      token,
      cloud,
      username: str(claims?.upn) ?? str(claims?.unique_name) ?? str(claims?.preferred_username),
      displayName: str(claims?.name),
      tenantId: str(claims?.tid),
      expiresAt: exp?.toISOString() ?? null,
    };
    this.tokens.set(pasted.accountId, pasted);
    return {
      accountId: pasted.accountId,
      kind: 'access-token',
      username: pasted.username,
      displayName: pasted.displayName,
      tenantId: pasted.tenantId,
      cloud,
      clientId: null,
      expiresAt: pasted.expiresAt,
      storage: 'in memory only (forgotten when the app closes)',
    };
  }

  // ---- fetch ---------------------------------------------------------------------------------

  /**
   * Where a Graph token comes from for a call: a pasted token (given now or kept), or a signed-in account, whose
   * token is asked for `scopes` (default: the sign-in's read-only set).
   */
  private tokenSource(
    input: { accountId?: string; token?: string; cloud?: CloudName },
    scopes?: (cloud: CloudName) => string[],
  ): { getAccessToken: () => Promise<string>; cloud: CloudName; who: string | null; tenantName: string | null } {
    if (input.token !== undefined) {
      const token = input.token;
      return { getAccessToken: async () => token, cloud: input.cloud ?? 'global', who: null, tenantName: null };
    }
    const pasted = this.tokens.get(input.accountId!);
    if (pasted) return { getAccessToken: async () => pasted.token, cloud: input.cloud ?? pasted.cloud, who: pasted.username, tenantName: pasted.tenantId };
    const signedIn = this.signedInAccount(input.accountId!);
    if (!signedIn) throw new UserFacingError('sign-in-required', 'That account is no longer signed in: sign in again.');
    const wanted = scopes?.(signedIn.config.cloud);
    return {
      getAccessToken: () => signedIn.signIn.accessToken(signedIn.homeAccountId, wanted),
      cloud: signedIn.config.cloud,
      who: signedIn.config.tenant,
      tenantName: signedIn.config.tenant,
    };
  }

  /**
   * A Graph client for the current sign-in (a signed-in account or a pasted token), so services call Graph without
   * ever seeing a token. `synchronization: 'write'` asks a signed-in account's token for Synchronization.ReadWrite.All
   * (parseExpression needs it), `auditLog` for AuditLog.Read.All (the provisioning logs); a sign-in that was never
   * granted them gets a message saying so.
   */
  graphClient(input: { accountId: string; graphBaseUrl?: string } & GraphAccess): GraphClient {
    const access = input.synchronization;
    const extra = [access && (access === 'write' ? 'Synchronization.ReadWrite.All' : 'Synchronization.Read.All'), input.auditLog && 'AuditLog.Read.All'].filter(Boolean);
    const source = this.tokenSource(input, extra.length ? (cloud) => graphScopes(cloud, { synchronization: access, auditLog: input.auditLog }) : undefined);
    const getAccessToken = extra.length
      ? () =>
          source.getAccessToken().catch((error: unknown) => {
            if (!(error instanceof SignInRequiredError)) throw error;
            throw new SignInRequiredError(
              `This needs the delegated permission${extra.length > 1 ? 's' : ''} ${extra.join(' and ')}, which the sign-in has not been ` +
                'granted (or it has expired). Have an admin grant it to your app registration, then sign in again, or paste a token that carries it. ' +
                `(${error.message})`,
            );
          })
      : source.getAccessToken;
    try {
      return new GraphClient({
        // the test seams (sleep, retries, backoff) as the directory reader takes them
        ...this.options.graph,
        fetch: this.networkFetch,
        graphBaseUrl: input.graphBaseUrl || CLOUDS[source.cloud].graphBaseUrl,
        getAccessToken,
      });
    } catch (error) {
      throw new UserFacingError('invalid-input', (error as Error).message);
    }
  }


  /** The readers for a fetch or refresh, and whose read it is. */
  private graphReaders(input: { accountId?: string; token?: string; cloud?: CloudName; graphBaseUrl?: string }) {
    const { getAccessToken, cloud, who, tenantName } = this.tokenSource(input);
    const baseUrl = input.graphBaseUrl || CLOUDS[cloud].graphBaseUrl;
    let origin: string;
    try {
      origin = graphOrigin(baseUrl);
    } catch (error) {
      throw new UserFacingError('invalid-input', (error as Error).message);
    }
    const options = { ...this.options.graph, fetch: this.networkFetch, graphBaseUrl: baseUrl, cloud, getAccessToken };
    return {
      reader: new GraphReader(options),
      deltaReader: new GraphDeltaReader(options),
      who: who ?? new URL(origin).host,
      tenantName,
    };
  }

  startFetch(input: {
    accountId?: string;
    token?: string;
    cloud?: CloudName;
    assignedToAppId?: string;
    graphBaseUrl?: string;
    label?: string;
  }): { jobId: string } {
    const { reader, deltaReader, who, tenantName } = this.graphReaders(input);
    // The snapshot belongs to the workspace the admin fetched from. A Graph read can take minutes and is staged
    // outside the workspace until its end, so File > Open does not throw it away: it is written to that workspace
    // (opened again for the write if it was closed meanwhile), never to the one open when it ends.
    const workspace = this.ctx.session();
    return this.startJob(workspace, async ({ signal, onProgress, note }) => {
      const fetched = await fetchGraphSnapshotTracked(reader, deltaReader, {
        assignedToAppId: input.assignedToAppId,
        signal,
        onProgress,
        extraSelect: ['userType'],
      });
      const snapshot = commitFetched(workspace, fetched, signal, { label: input.label, tenantName, who });
      for (const n of fetched.summary.nestedGroups)
        note(`Group ${n.groupId} contains ${n.memberGroupIds.length} nested group(s); Entra provisioning does not expand nested groups.`);
      return snapshot;
    });
  }

  /**
   * Refreshes a Graph snapshot with Graph delta (graph-delta.ts): the changes since it become a new snapshot that
   * shares the unchanged users; an expired deltaLink reads the whole tenant, and the progress says so.
   */
  startRefresh(input: {
    snapshotId: number;
    accountId?: string;
    token?: string;
    cloud?: CloudName;
    graphBaseUrl?: string;
    label?: string;
  }): { jobId: string } {
    const workspace = this.ctx.session();
    const parent = workspace.snapshot(input.snapshotId);
    const state = workspace.store.getDeltaState(parent.id);
    if (!state)
      throw new UserFacingError(
        'invalid-input',
        `“${parent.label}” keeps no Graph deltaLinks (a file, one app's assignments, or read before refresh existed): fetch it again to refresh it later.`,
      );
    const { reader, deltaReader, who, tenantName } = this.graphReaders(input);
    const label = input.label ?? `${parent.label.replace(/ · refreshed$/, '')} · refreshed`;
    return this.startJob(workspace, async ({ signal, onProgress, notice }) => {
      const options = { signal, onProgress, extraSelect: ['userType'] };
      const read = await readRefresh(deltaReader, state, { ...options, onNotice: notice }, () =>
        fetchGraphSnapshotTracked(reader, deltaReader, options),
      );
      if (read.kind === 'full')
        return commitFetched(workspace, read.fetched, signal, { label, tenantName: tenantName ?? parent.tenantName, who, parentId: parent.id });
      if (signal.aborted) throw new DirectoryReadCancelledError();
      return workspace.write((store) => storeGraphChanges(store, parent.id, read.changes, label));
    });
  }

  /**
   * A job the renderer follows by id: progress events (throttled), notes for the admin (also sent with the progress as
   * they happen), cancel, and the snapshot it wrote.
   */
  private startJob(
    workspace: ReturnType<BackendContext['session']>,
    work: (job: {
      signal: AbortSignal;
      onProgress: (p: FetchProgress) => void;
      /** kept with the result */
      note: (message: string) => void;
      /** kept with the result and shown with the progress now */
      notice: (message: string) => void;
    }) => Promise<SnapshotSummary>,
  ): { jobId: string } {
    const jobId = randomUUID();
    const controller = new AbortController();
    const status: FetchJobStatus = { jobId, state: 'running', progress: null, snapshot: null, error: null, notes: [] };
    let lastEmit = -Infinity;
    let lastPhase: string | null = null;
    let notice: string | null = null;
    const onProgress = (p: FetchProgress) => {
      const event: FetchProgressEvent = {
        jobId,
        phase: p.phase,
        fetched: p.fetched,
        total: p.total,
        ratePerSecond: p.ratePerSecond,
        etaSeconds: p.etaSeconds,
        retryInSeconds: p.retryInSeconds ?? null,
        ...(notice !== null ? { notice } : {}),
      };
      status.progress = event;
      // Throttled so 100 pages a second do not flood the IPC channel; throttling notices, phase changes
      // and the last page of a phase always go out.
      const now = performance.now();
      const important = event.retryInSeconds !== null || p.phase !== lastPhase || (p.total !== null && p.fetched >= p.total);
      if (!important && now - lastEmit < PROGRESS_INTERVAL_MS) return;
      lastEmit = now;
      lastPhase = p.phase;
      this.ctx.events.emit('directory.fetch.progress', event);
    };
    const note = (message: string) => void status.notes.push(message);
    const announce = (message: string) => {
      note(message);
      notice = message;
      if (status.progress) {
        status.progress = { ...status.progress, notice };
        this.ctx.events.emit('directory.fetch.progress', status.progress);
      }
    };

    const settled = work({ signal: controller.signal, onProgress, note, notice: announce }).then(
      (snapshot: SnapshotSummary) => {
        status.state = 'done';
        status.snapshot = snapshot;
        this.ctx.changed(workspace, { change: 'snapshot-added', snapshotId: snapshot.id });
      },
      (error: Error) => {
        if (error instanceof DirectoryReadCancelledError || controller.signal.aborted) {
          status.state = 'cancelled';
          status.error = { code: 'cancelled', message: new DirectoryReadCancelledError().message };
        } else if (error instanceof GraphSignInRequiredError || error instanceof SignInRequiredError) {
          status.state = 'failed';
          status.error = { code: 'sign-in-required', message: error.message };
        } else if (error instanceof GraphRequestError) {
          status.state = 'failed';
          status.error = { code: 'graph', message: error.message };
        } else {
          status.state = 'failed';
          status.error = { code: 'internal', message: `Fetching failed: ${error.message}` };
        }
      },
    );
    const job: FetchJob = {
      status,
      controller,
      settled: settled.then(() => this.ctx.events.emit('directory.fetch.finished', status)),
    };
    this.jobs.set(jobId, job);
    return { jobId };
  }

  fetchStatus(jobId: string): FetchJobStatus {
    const job = this.jobs.get(jobId);
    if (!job) throw new UserFacingError('not-found', `There is no fetch ${jobId}.`);
    return job.status;
  }

  cancelFetch(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job || job.status.state !== 'running') return false;
    job.controller.abort();
    return true;
  }

  /** On backend close: running fetches stop (storing nothing) and waiting sign-ins give up. */
  async close(): Promise<void> {
    for (const session of this.sessions.values()) session.controller.abort();
    for (const job of this.jobs.values()) job.controller.abort();
    await Promise.all([...this.jobs.values()].map((j) => j.settled));
  }

  // ---- import, demo, compare -----------------------------------------------------------------

  importFile(input: { fileName: string; content: string; label?: string }): ImportResult {
    return importUsersIntoWorkspace(this.ctx, { fileName: input.fileName, label: input.label, chunks: [input.content] });
  }

  useDemoTenant(): SnapshotSummary {
    const workspace = this.ctx.session();
    const existing = workspace.store.listSnapshots(workspace.projectId).find((s) => s.origin === 'demo');
    if (existing) return existing;
    const snapshot = workspace.store.addSnapshot(demoTenantSnapshot(workspace.projectId));
    this.ctx.changed(workspace, { change: 'snapshot-added', snapshotId: snapshot.id });
    return snapshot;
  }

  compare(input: { from: number; to: number; section: CompareSection; offset: number; limit: number }): SnapshotComparison {
    const workspace = this.ctx.session();
    const from = workspace.snapshot(input.from);
    const to = workspace.snapshot(input.to);
    // Paging asks for the same comparison again and again; snapshots never change once written, but an
    // id can be reused after a delete, so the key carries what would differ.
    const key = [workspace.path, from.id, from.fetchedAt, from.userCount, to.id, to.fetchedAt, to.userCount].join('|');
    if (this.comparison?.key !== key) {
      const store = workspace.store;
      this.comparison = { key, diff: compareStoredSnapshots(store.db, from.id, to.id) };
    }
    const diff = this.comparison.diff;
    const ids =
      input.section === 'added'
        ? diff.added.map((id) => ({ id, changes: [] as SnapshotComparison['items'][number]['changes'] }))
        : input.section === 'removed'
          ? diff.removed.map((id) => ({ id, changes: [] }))
          : diff.changed.map((c) => ({ id: c.id, changes: c.changes }));
    // Removed users exist only in the older snapshot; everyone else is described as they are now.
    const describeFrom = input.section === 'removed' ? from.id : to.id;
    const users = ids.slice(input.offset, input.offset + input.limit).map(({ id, changes }) => {
      const raw = workspace.store.getUser(describeFrom, id)?.raw ?? {};
      return {
        id,
        userPrincipalName: str(raw.userPrincipalName),
        displayName: str(raw.displayName),
        changes,
      };
    });
    return {
      from: from.id,
      to: to.id,
      counts: {
        added: diff.added.length,
        changed: diff.changed.length,
        removed: diff.removed.length,
        unchanged: diff.unchanged,
      },
      section: input.section,
      offset: input.offset,
      total: ids.length,
      items: users,
    };
  }
}
