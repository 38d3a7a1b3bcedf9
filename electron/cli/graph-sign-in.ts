/**
 * The sign-in flags every command that calls Microsoft Graph takes (`fetch`, and the provisioning job commands:
 * verify, logs, job, apply, rollback, canary), and the token source they select. One place, so a flag
 * added for one command works for all of them.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import {
  EntraSignIn,
  PLAIN_FILE_CACHE_WARNING,
  memoryCache,
  plainFileCache,
  SignInRequiredError,
} from '../backend/directory/auth.ts';
import { CLOUDS, isCloudName, type CloudName, type GraphAccess } from '../backend/directory/clouds.ts';
import { GraphClient, GraphSignInRequiredError, graphOrigin } from '../backend/directory/graph-client.ts';
import { environmentFetch } from '../backend/directory/network.ts';
import { EXIT_USAGE, UsageError, type CliIO } from './command.ts';

/** parseArgs options for the sign-in flags; spread into a command's own options. */
export const GRAPH_SIGN_IN_OPTIONS = {
  tenant: { type: 'string' },
  'client-id': { type: 'string' },
  'device-code': { type: 'boolean', default: false },
  'token-cache': { type: 'string' },
  'access-token': { type: 'string' },
  cloud: { type: 'string', default: 'global' },
  'graph-base-url': { type: 'string' },
} as const;

/** The usage lines for the flags above, for a command's help text. */
export const GRAPH_SIGN_IN_USAGE = `Sign-in (docs/tenant-setup.md):
  --tenant ID, --client-id ID  sign in with your app registration, in the system browser
  --device-code                sign in with a code on another device instead of a browser
  --token-cache FILE           keep the sign-in in FILE (unencrypted, readable only by you);
                               without it the sign-in lasts only for this command
  --access-token TOKEN         use a token you already have, e.g. from
                               az account get-access-token --resource-type ms-graph --query accessToken -o tsv
                               (or set SCIM_PLANNER_ACCESS_TOKEN)
  --cloud NAME                 global (default), usgov (GCC High), usgovdod (DoD), china
  --graph-base-url URL         another Graph endpoint (https; http only on 127.0.0.1 for a local stand-in)`;

type SignInValues = Record<string, string | boolean | undefined>;


/** Where Graph is and how to reach it, from the flags; refuses a bad cloud or base URL as a usage error. */
interface GraphConnection {
  cloud: CloudName;
  baseUrl: string;
  origin: string;
  fetch: typeof fetch;
  getAccessToken: () => Promise<string>;
}

/** Validates the flags (no network yet). */
export function graphTarget(values: SignInValues, io: CliIO): Omit<GraphConnection, 'getAccessToken'> {
  const cloud = (values.cloud as string | undefined) ?? 'global';
  if (!isCloudName(cloud)) throw new UsageError(`--cloud must be one of ${Object.keys(CLOUDS).join(', ')}; got "${cloud}"`);
  const baseUrl = (values['graph-base-url'] as string | undefined) ?? CLOUDS[cloud].graphBaseUrl;
  let origin: string;
  let networkFetch: typeof fetch;
  try {
    origin = graphOrigin(baseUrl);
    // Sign-in and Graph share one network stack: HTTPS_PROXY/HTTP_PROXY/NO_PROXY, which Node's fetch ignores.
    networkFetch = environmentFetch(io.env);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return { cloud, baseUrl, origin, fetch: networkFetch };
}

/** The flags' target plus a token source (this may sign in: a browser or a device code). */
export async function connectToGraph(values: SignInValues, io: CliIO, commandName: string, access: GraphAccess = {}): Promise<GraphConnection> {
  const target = graphTarget(values, io);
  return { ...target, getAccessToken: await tokenProvider(values, target.cloud, io, target.fetch, commandName, access) };
}

/** A Graph client for the commands that call Graph directly (not through the directory reader). */
export async function graphClientFromFlags(values: SignInValues, io: CliIO, commandName: string, access: GraphAccess = {}): Promise<GraphClient> {
  const connection = await connectToGraph(values, io, commandName, access);
  return new GraphClient({ graphBaseUrl: connection.baseUrl, getAccessToken: connection.getAccessToken, fetch: connection.fetch });
}

/** A refused token is a usage problem ("sign in again", exit 2); anything else is the caller's to word. */
export function signInExitCode(error: unknown, io: CliIO): number | null {
  if (error instanceof GraphSignInRequiredError || error instanceof SignInRequiredError) {
    io.err(error.message);
    return EXIT_USAGE;
  }
  return null;
}

async function tokenProvider(
  values: SignInValues,
  cloud: CloudName,
  io: CliIO,
  networkFetch: typeof fetch,
  commandName: string,
  access: GraphAccess,
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
  if (!tenant || !clientId) throw new UsageError(`${commandName} needs --tenant and --client-id (to sign in) or --access-token`);
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
      ...(access.synchronization ? { synchronization: access.synchronization } : {}),
      ...(access.auditLog ? { auditLog: true } : {}),
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
