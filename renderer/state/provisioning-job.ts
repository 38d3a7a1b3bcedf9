import { create } from 'zustand';
import type { DirectoryAccount, JobHealthDto, ProvisioningAppDto } from '../../shared/api.ts';
import { api } from '../api-client.ts';

/** How the backend reaches Graph for the chosen job: the account's sign-in, and the Graph endpoint when not the cloud's own. */
interface GraphAccess {
  accountId: string;
  graphBaseUrl?: string;
}

/** The enterprise app's provisioning job every Graph feature works on (check, logs, go live, canary). */
interface ChosenJob {
  servicePrincipalId: string;
  jobId: string;
  appName: string;
}

interface ProvisioningJobState {
  accounts: DirectoryAccount[];
  accountId: string;
  graphBaseUrl: string;
  /** null until "Find provisioning jobs" answered */
  apps: ProvisioningAppDto[] | null;
  /** `servicePrincipalId|jobId`, the value of the job picker */
  jobKey: string;
  health: JobHealthDto | null;
  busy: string | null;
  error: string | null;
  listAccounts(): Promise<void>;
  setAccountId(accountId: string): void;
  setGraphBaseUrl(url: string): void;
  findApps(): Promise<void>;
  pickJob(key: string): Promise<void>;
}

export const jobKeyOf = (app: ProvisioningAppDto, jobId: string) => `${app.servicePrincipalId}|${jobId}`;

/**
 * The provisioning job picked once for the session: Mappings' "Check with Microsoft", the logs comparison and going
 * live on Provisioning all act on the same job, so the admin picks it (and sees its health) in one place.
 */
export const useProvisioningJobStore = create<ProvisioningJobState>()((set, get) => {
  const attempt = async (busy: string, work: () => Promise<void>) => {
    set({ busy, error: null });
    try {
      await work();
    } catch (e) {
      set({ error: (e as Error).message });
    } finally {
      set({ busy: null });
    }
  };
  return {
    accounts: [],
    accountId: '',
    graphBaseUrl: '',
    apps: null,
    jobKey: '',
    health: null,
    busy: null,
    error: null,
    async listAccounts() {
      try {
        const accounts = await api['directory.accounts']({});
        // keep the chosen account only while it is still signed in
        const current = get().accountId;
        set({ accounts, accountId: accounts.some((a) => a.accountId === current) ? current : (accounts[0]?.accountId ?? '') });
      } catch (e) {
        set({ error: (e as Error).message });
      }
    },
    setAccountId: (accountId) => set({ accountId, apps: null, jobKey: '', health: null }),
    setGraphBaseUrl: (graphBaseUrl) => set({ graphBaseUrl }),
    findApps: () =>
      attempt('Finding the enterprise apps…', async () => {
        const apps = await api['synchronization.provisioningApps'](graphAccess(get()));
        set({ apps, jobKey: '', health: null });
        const first = apps[0];
        if (first?.jobs[0]) await get().pickJob(jobKeyOf(first, first.jobs[0].jobId));
      }),
    async pickJob(key) {
      set({ jobKey: key, health: null });
      const [servicePrincipalId, jobId] = key.split('|') as [string, string | undefined];
      if (!jobId) return;
      try {
        const health = await api['synchronization.jobHealth']({ ...graphAccess(get()), servicePrincipalId, jobId });
        if (get().jobKey === key) set({ health });
      } catch (e) {
        set({ error: (e as Error).message });
      }
    },
  };
});

export function graphAccess(state: Pick<ProvisioningJobState, 'accountId' | 'graphBaseUrl'>): GraphAccess {
  const graphBaseUrl = state.graphBaseUrl.trim();
  return { accountId: state.accountId, ...(graphBaseUrl ? { graphBaseUrl } : {}) };
}

/** The picked job with its app's name, or null while none is picked. */
export function chosenJob(state: Pick<ProvisioningJobState, 'apps' | 'jobKey'>): ChosenJob | null {
  const [servicePrincipalId, jobId] = state.jobKey.split('|') as [string, string | undefined];
  if (!jobId) return null;
  const app = state.apps?.find((a) => a.servicePrincipalId === servicePrincipalId);
  return { servicePrincipalId, jobId, appName: app?.displayName ?? servicePrincipalId };
}

/** Tests mount screens one after another in one module: each starts with nothing picked. */
export function resetProvisioningJob(): void {
  useProvisioningJobStore.setState({ accounts: [], accountId: '', graphBaseUrl: '', apps: null, jobKey: '', health: null, busy: null, error: null });
}
