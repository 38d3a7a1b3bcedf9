import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defaultWorkspacePath } from '../backend/paths.ts';
import {
  EntraSignIn,
  PLAIN_FILE_CACHE_WARNING,
  memoryCache,
  plainFileCache,
  SignInRequiredError,
} from '../backend/directory/auth.ts';
import { CLOUDS, isCloudName, type CloudName } from '../backend/directory/clouds.ts';
import {
  DirectoryReadCancelledError,
  GraphReader,
  GraphSignInRequiredError,
  graphOrigin,
  readDirectory,
  type FetchProgress,
} from '../backend/directory/graph-reader.ts';
import { environmentFetch } from '../backend/directory/network.ts';
import { graphUsersDocument, storeGraphRead } from '../backend/directory/snapshot.ts';
import { withWorkspace } from '../backend/session/workspace-session.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError, type CliCommand, type CliIO } from './command.ts';

const usage = `Usage: scim-planner fetch (--tenant ID --client-id ID [--device-code] [--token-cache FILE]
                            | --access-token TOKEN)
                           [--cloud global|usgov|usgovdod|china] [--graph-base-url URL]
                           [--assigned-to APP-ID [--import-mappings]] [--out FILE] [--workspace FILE]
                           [--label TEXT]

Reads users (every source attribute, managers, directory extensions), groups and their direct members
from Microsoft Graph with read-only permissions, stores them as a snapshot in the workspace, and with
--out also writes Graph users JSON ({"value": [...]}) that "scim-planner preview --users" reads.

Sign-in (docs/tenant-setup.md):
  --tenant ID, --client-id ID  sign in with your app registration, in the system browser
  --device-code                sign in with a code on another device instead of a browser
  --token-cache FILE           keep the sign-in in FILE (unencrypted, readable only by you);
                               without it the sign-in lasts only for this command
  --access-token TOKEN         use a token you already have, e.g. from
                               az account get-access-token --resource-type ms-graph --query accessToken -o tsv
                               (or set SCIM_PLANNER_ACCESS_TOKEN)
Scope and target:
  --cloud NAME         global (default), usgov (GCC High), usgovdod (DoD), china
  --graph-base-url URL another Graph endpoint (https; http only on 127.0.0.1 for a local stand-in)
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

function openInBrowser(url: string): Promise<void> {
  const opener =
    process.platform === 'win32'
      ? ['cmd', ['/c', 'start', '', url]]
      : process.platform === 'darwin'
        ? ['open', [url]]
        : ['xdg-open', [url]];
  return new Promise((resolvePromise) => {
    try {
      const child = spawn(opener[0] as string, opener[1] as string[], { stdio: 'ignore', detached: true });
      child.on('error', () => resolvePromise());
      child.unref();
    } catch {
      // No opener: the URL is printed as well, so the admin can open it by hand.
    }
    resolvePromise();
  });
}

async function tokenProvider(
  values: Record<string, string | boolean | undefined>,
  cloud: CloudName,
  io: CliIO,
  networkFetch: typeof fetch,
): Promise<() => Promise<string>> {
  const accessToken = (values['access-token'] as string | undefined) ?? io.env.SCIM_PLANNER_ACCESS_TOKEN;
  if (accessToken) {
    if (values.tenant || values['client-id'])
      throw new UsageError('use either --access-token or --tenant/--client-id, not both');
    const token = accessToken.trim();
    return async () => token;
  }
  const tenant = values.tenant as string | undefined;
  const clientId = values['client-id'] as string | undefined;
  if (!tenant || !clientId) throw new UsageError('fetch needs --tenant and --client-id (to sign in) or --access-token');
  const cachePath = values['token-cache'] as string | undefined;
  if (cachePath) io.err(PLAIN_FILE_CACHE_WARNING);
  let signIn: EntraSignIn;
  try {
    signIn = new EntraSignIn({
      clientId,
      tenant,
      cloud,
      cache: cachePath ? plainFileCache(resolve(cachePath)) : memoryCache(),
      fetch: networkFetch,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const existing = await signIn.accounts();
  let account = existing.find((a) => a.tenantId === tenant || a.username.endsWith(`@${tenant}`)) ?? existing[0];
  if (!account) {
    account = values['device-code']
      ? await signIn.signInWithDeviceCode((message) => io.err(message))
      : await signIn.signInInteractive(async (url) => {
          io.err(`Opening your browser to sign in. If it does not open, visit:\n${url}`);
          await openInBrowser(url);
        });
    io.err(`Signed in as ${account.username}.`);
  }
  const homeAccountId = account.homeAccountId;
  return () => signIn.accessToken(homeAccountId);
}

export const command: CliCommand = {
  name: 'fetch',
  summary: 'read users, groups and managers from Microsoft Graph into a snapshot',
  usage,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      tenant: { type: 'string' },
      'client-id': { type: 'string' },
      'device-code': { type: 'boolean', default: false },
      'token-cache': { type: 'string' },
      'access-token': { type: 'string' },
      cloud: { type: 'string', default: 'global' },
      'graph-base-url': { type: 'string' },
      'assigned-to': { type: 'string' },
      'import-mappings': { type: 'boolean', default: false },
      out: { type: 'string' },
      workspace: { type: 'string' },
      label: { type: 'string' },
    });
    const cloudName = values.cloud!;
    if (!isCloudName(cloudName))
      throw new UsageError(`--cloud must be one of ${Object.keys(CLOUDS).join(', ')}; got "${cloudName}"`);
    const baseUrl = values['graph-base-url'] ?? CLOUDS[cloudName].graphBaseUrl;
    let origin: string;
    try {
      origin = graphOrigin(baseUrl);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }

    if (values['import-mappings'] && !values['assigned-to'])
      throw new UsageError('--import-mappings needs --assigned-to APP-ID');

    const controller = new AbortController();
    const onInterrupt = () => {
      io.err('Cancelling...');
      controller.abort();
    };
    process.once('SIGINT', onInterrupt);
    try {
      // Sign-in and Graph share one network stack: HTTPS_PROXY/HTTP_PROXY/NO_PROXY, which Node's fetch ignores.
      let networkFetch: typeof fetch;
      try {
        networkFetch = environmentFetch(io.env);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const getAccessToken = await tokenProvider(values, cloudName, io, networkFetch);
      const reader = new GraphReader({ graphBaseUrl: baseUrl, getAccessToken, fetch: networkFetch });
      let lastReport = 0;
      const result = await readDirectory(reader, {
        assignedToAppId: values['assigned-to'],
        signal: controller.signal,
        extraSelect: ['userType'],
        onProgress: (p) => {
          // One line per second at most, plus every throttling notice.
          const now = performance.now();
          if (p.retryInSeconds === undefined && now - lastReport < 1000 && p.fetched !== p.total) return;
          lastReport = now;
          io.err(describeProgress(p));
        },
      });
      // The schema is read before anything is stored, so a refused read stores nothing either.
      let schema: { jobId: string; json: Record<string, unknown> } | null = null;
      if (values['import-mappings'] && result.assignedTo) {
        const spId = result.assignedTo.servicePrincipal.id;
        const jobs = await reader.readSynchronizationJobs(spId, controller.signal);
        if (jobs.length === 0) {
          io.err(`${result.assignedTo.servicePrincipal.displayName} has no provisioning job; no mappings imported.`);
        } else {
          schema = {
            jobId: jobs[0]!.id,
            json: await reader.readSynchronizationSchema(spId, jobs[0]!.id, controller.signal),
          };
        }
      }
      for (const nested of result.nestedGroups) {
        io.err(
          `note: group ${nested.groupId} contains ${nested.memberGroupIds.length} nested group(s); Entra provisioning does not expand nested groups.`,
        );
      }

      // Stored only after everything was read: a cancel or failure above leaves no snapshot and no file.
      const extensions = result.directoryExtensions.map((e) => e.name);
      if (values.out) {
        const out = resolve(values.out);
        mkdirSync(dirname(out), { recursive: true });
        const temp = `${out}.${process.pid}.partial`;
        writeFileSync(temp, graphUsersDocument(result.users, origin, extensions, ['userType']), 'utf8');
        renameSync(temp, out);
      }
      await withWorkspace(values.workspace ?? defaultWorkspacePath(io.env), ({ store, projectId }) => {
        const snapshot = storeGraphRead(store, projectId, result, {
          label: values.label,
          tenantName: values.tenant ?? null,
          who: values.tenant ?? new URL(origin).host,
        });
        if (schema) {
          const revision = store.saveMappingRevision(
            projectId,
            `Imported from ${result.assignedTo!.servicePrincipal.displayName} (job ${schema.jobId})`,
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
      if (error instanceof GraphSignInRequiredError || error instanceof SignInRequiredError) {
        io.err(error.message);
        return EXIT_USAGE;
      }
      if (error instanceof DirectoryReadCancelledError) {
        io.err(error.message);
        return EXIT_PROBLEMS;
      }
      if (error instanceof UsageError) throw error;
      io.err(`fetch failed: ${(error as Error).message}`);
      return EXIT_PROBLEMS;
    } finally {
      process.removeListener('SIGINT', onInterrupt);
    }
  },
};
