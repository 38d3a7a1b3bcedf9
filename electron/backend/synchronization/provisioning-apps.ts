/**
 * The tenant's enterprise apps that have a provisioning job, for the admin to pick one. Graph has no filter for
 * "has a synchronization job", so, as Microsoft documents the pieces: "List servicePrincipals" filtered on the tag the
 * Enterprise applications blade shows (WindowsAzureActiveDirectoryIntegratedApp), then "List synchronization jobs" of
 * each, a few at a time. Both are reads.
 */
import type { ProvisioningAppDto } from '../../../shared/api/synchronization.ts';
import { GraphRequestError, type GraphClient } from '../directory/graph-client.ts';
import { explainDenied } from './permissions.ts';

const ENTERPRISE_APP_TAG = 'WindowsAzureActiveDirectoryIntegratedApp';
/** job lists read at once: well under Graph's per-app throttling, quick enough for a few hundred apps */
const JOB_READS_IN_FLIGHT = 4;

interface GraphPage<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

interface ServicePrincipal {
  id: string;
  appId?: string;
  displayName?: string | null;
}

interface RawJob {
  id?: string;
  templateId?: string | null;
  status?: { code?: string } | null;
}

async function enterpriseApps(client: GraphClient, signal?: AbortSignal): Promise<ServicePrincipal[]> {
  const apps: ServicePrincipal[] = [];
  const filter = encodeURIComponent(`tags/any(t:t eq '${ENTERPRISE_APP_TAG}')`);
  let next: string | undefined = `/servicePrincipals?$filter=${filter}&$select=id,appId,displayName&$top=999`;
  while (next) {
    const page: GraphPage<ServicePrincipal> = await client.request('GET', next, { signal });
    apps.push(...(page.value ?? []));
    next = page['@odata.nextLink'];
  }
  return apps;
}

async function jobsOf(client: GraphClient, servicePrincipalId: string, signal?: AbortSignal): Promise<RawJob[]> {
  try {
    const page = await client.request<GraphPage<RawJob>>('GET', `/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/synchronization/jobs`, { signal });
    return page.value ?? [];
  } catch (error) {
    // an app that cannot provision has no synchronization to list
    if (error instanceof GraphRequestError && error.status === 404) return [];
    throw explainDenied(error, 'job');
  }
}

/** Every enterprise app with at least one provisioning job, by display name, with its jobs' status codes. */
export async function listProvisioningApps(client: GraphClient, signal?: AbortSignal): Promise<ProvisioningAppDto[]> {
  let apps: ServicePrincipal[];
  try {
    apps = await enterpriseApps(client, signal);
  } catch (error) {
    throw explainDenied(error, 'job');
  }
  const found: (ProvisioningAppDto | null)[] = new Array(apps.length).fill(null);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < apps.length) {
      const index = next++;
      const app = apps[index]!;
      const jobs = await jobsOf(client, app.id, signal);
      if (jobs.length === 0) continue;
      found[index] = {
        servicePrincipalId: app.id,
        appId: app.appId ?? null,
        displayName: app.displayName ?? app.id,
        jobs: jobs.map((job) => ({ jobId: String(job.id ?? ''), templateId: job.templateId ?? null, statusCode: String(job.status?.code ?? 'Unknown') })),
      };
    }
  }
  await Promise.all(Array.from({ length: Math.min(JOB_READS_IN_FLIGHT, apps.length) }, () => worker()));
  return found.filter((app): app is ProvisioningAppDto => app !== null).sort((a, b) => a.displayName.localeCompare(b.displayName));
}
