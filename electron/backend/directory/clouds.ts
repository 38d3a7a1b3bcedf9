/**
 * National clouds: each has its own sign-in authority host and Microsoft Graph endpoint. A token from one
 * cloud is refused by another's Graph, so the two always travel together.
 */
export type CloudName = 'global' | 'usgov' | 'usgovdod' | 'china';

interface CloudEndpoints {
  readonly name: CloudName;
  readonly label: string;
  /** Microsoft Entra authority host (the tenant id is appended) */
  readonly authorityHost: string;
  /** Microsoft Graph origin, without version */
  readonly graphBaseUrl: string;
}

export const CLOUDS: Readonly<Record<CloudName, CloudEndpoints>> = Object.freeze({
  global: {
    name: 'global',
    label: 'Global (commercial, GCC)',
    authorityHost: 'https://login.microsoftonline.com',
    graphBaseUrl: 'https://graph.microsoft.com',
  },
  // GCC High and DoD share the US Government authority but have different Graph hosts.
  usgov: {
    name: 'usgov',
    label: 'US Government L4 (GCC High)',
    authorityHost: 'https://login.microsoftonline.us',
    graphBaseUrl: 'https://graph.microsoft.us',
  },
  usgovdod: {
    name: 'usgovdod',
    label: 'US Government L5 (DoD)',
    authorityHost: 'https://login.microsoftonline.us',
    graphBaseUrl: 'https://dod-graph.microsoft.us',
  },
  china: {
    name: 'china',
    label: 'China (operated by 21Vianet)',
    authorityHost: 'https://login.chinacloudapi.cn',
    graphBaseUrl: 'https://microsoftgraph.chinacloudapi.cn',
  },
});

export function isCloudName(value: string): value is CloudName {
  return Object.hasOwn(CLOUDS, value);
}

/** Permissions beyond the read-only set a sign-in asks for. */
export interface GraphAccess {
  /** Synchronization.Read.All (import an enterprise app's mappings, read a job), or ReadWrite ('write') */
  synchronization?: boolean | 'write';
  /** AuditLog.Read.All: the provisioning logs */
  auditLog?: boolean;
}

/**
 * The read-only delegated permissions the app asks for (docs/tenant-setup.md). Full resource URIs,
 * because short names like `User.Read.All` resolve to the global cloud's Graph only.
 * Synchronization.Read.All is optional: only to import an enterprise app's existing mappings.
 */
export function graphScopes(cloud: CloudName, options: GraphAccess = {}): string[] {
  const graph = CLOUDS[cloud].graphBaseUrl;
  const scopes = ['User.Read.All', 'Group.Read.All', 'Application.Read.All'];
  // 'write': the go-live commands save schemas and provision on demand (docs/go-live.md).
  if (options.synchronization) scopes.push(options.synchronization === 'write' ? 'Synchronization.ReadWrite.All' : 'Synchronization.Read.All');
  // planned vs actual reads GET /auditLogs/provisioning (docs/tenant-setup.md)
  if (options.auditLog) scopes.push('AuditLog.Read.All');
  return scopes.map((scope) => `${graph}/${scope}`);
}
