import { create } from 'zustand';
import type { FetchJobStatus, FetchProgressEvent } from '../../shared/api.ts';

/**
 * The fetch the admin started, followed by its progress events. Kept outside the Tenant screen so a
 * running fetch survives navigating to another screen and back.
 */
interface FetchJobState {
  jobId: string | null;
  progress: FetchProgressEvent | null;
  result: FetchJobStatus | null;
  started(jobId: string): void;
  progressed(event: FetchProgressEvent): void;
  finished(status: FetchJobStatus): void;
  dismiss(): void;
}

export const useFetchJob = create<FetchJobState>()((set, get) => ({
  jobId: null,
  progress: null,
  result: null,
  started: (jobId) => set({ jobId, progress: null, result: null }),
  progressed: (event) => {
    if (event.jobId === get().jobId && !get().result) set({ progress: event });
  },
  finished: (status) => {
    if (status.jobId === get().jobId) set({ result: status, progress: status.progress ?? get().progress });
  },
  dismiss: () => set({ jobId: null, progress: null, result: null }),
}));

const phaseLabels: Record<FetchProgressEvent['phase'], string> = {
  extensions: 'Directory extensions',
  users: 'Users',
  groups: 'Groups',
  members: 'Group members',
  assignments: 'App assignments',
  schema: 'Provisioning schema',
  deleted: 'Deleted users',
};

export function phaseLabel(phase: FetchProgressEvent['phase']): string {
  return phaseLabels[phase];
}

/** "1 min 5 s", "12 s": time left the way the admin reads it. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  return s % 60 === 0 ? `${minutes} min` : `${minutes} min ${s % 60} s`;
}

export const formatCount = (n: number) => n.toLocaleString('en-US');
