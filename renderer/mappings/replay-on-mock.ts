import type { EventPayload } from '../../shared/api.ts';
import type { AuditRowDto } from '../../shared/api/provisioning.ts';
import { api, onEvent } from '../api-client.ts';

export interface ReplayResult {
  runId: number;
  /** the vendor the mock server emulated */
  vendorName: string;
  status: EventPayload<'provisioning.progress'>['status'];
  rows: AuditRowDto[];
}

/**
 * "Replay against the mock server": the Provisioning screen's provision on demand for one user of the snapshot,
 * against this app's mock server emulating the project's vendor (started if it is stopped), waited for to its end.
 */
export async function replayOnMockServer(user: string, snapshotId: number): Promise<ReplayResult> {
  let server = await api['mockServer.status']({});
  if (!server.running) server = await api['mockServer.start']({});
  // events can arrive before provisioning.run answers: keep them until the run id is known
  const ended = new Map<number, EventPayload<'provisioning.progress'>['status']>();
  let runId: number | null = null;
  let settle: (() => void) | null = null;
  const stop = onEvent('provisioning.progress', (progress) => {
    if (progress.status === 'running') return;
    ended.set(progress.runId, progress.status);
    if (progress.runId === runId) settle?.();
  });
  try {
    const started = await api['provisioning.run']({ cycle: 'on-demand', target: 'mock', snapshotId, user, edits: [], concurrency: 1, confirm: false });
    runId = started.runId;
    if (!ended.has(runId)) await new Promise<void>((resolve) => (settle = resolve));
  } finally {
    stop();
  }
  const log = await api['provisioning.auditLog']({ runId, search: '', offset: 0, limit: 50 });
  return { runId, vendorName: server.vendorName, status: ended.get(runId)!, rows: log.items };
}
