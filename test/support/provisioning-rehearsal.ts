// Child process for the provisioning memory test and benchmark: writes a generated tenant of N users into a workspace
// snapshot, then runs what the app runs on it (snapshot read in batches, the audit log written to the workspace as it
// happens, links and escrow in the workspace) against a SCIM server, and works out go-live's impact of a scoping
// filter from the same snapshot. Prints one JSON line with what it found.
//   node --import tsx test/support/provisioning-rehearsal.ts DIR USERS SCIM_URL TOKEN [concurrency]
import { join } from 'node:path';
import { graphUserToSource } from '../../shared/directory/graph-to-source.ts';
import { importMappingSet, type MappingSet } from '../../shared/mapping/model.ts';
import { runCycle, AUDIT_SAMPLE } from '../../electron/backend/provisioning/cycle.ts';
import { snapshotUsers } from '../../electron/backend/provisioning/directory-users.ts';
import { ScimClient } from '../../electron/backend/provisioning/scim-client.ts';
import { snapshotReader } from '../../electron/backend/provisioning/service.ts';
import { ProvisioningStore, targetKeyOf } from '../../electron/backend/provisioning/store.ts';
import type { AuditEntry } from '../../electron/backend/provisioning/types.ts';
import { impactOf } from '../../electron/backend/go-live/impact.ts';
import { WorkspaceStore } from '../../electron/backend/workspace/store.ts';
import { planSchema } from '../integration/go-live/fixtures.ts';
import { demoUserCopies } from './users-files.ts';
import { demoSynchronizationSchema } from './fake-graph/demo-data.ts';

const [dir, count, url, token, concurrency = '16'] = process.argv.slice(2);
const users = Number(count);

function mappingSet(json: unknown): MappingSet {
  const imported = importMappingSet(json);
  if (!imported.ok) throw new Error(imported.issues.join('; '));
  return imported.set;
}

const store = new WorkspaceStore(join(dir!, 'rehearsal.scimplan'));
const project = store.createProject('rehearsal');
const snapshot = store.addSnapshot({
  projectId: project.id,
  label: 'generated',
  origin: 'json',
  users: (function* () {
    for (const raw of demoUserCopies(users)) yield { raw: raw as unknown as Record<string, unknown>, source: graphUserToSource(raw) };
  })(),
});
const written = process.memoryUsage().rss;

// The cycle as the app's service runs it: entries flushed to the workspace in batches as they happen.
const set = mappingSet(demoSynchronizationSchema());
const client = new ScimClient({ tenantUrl: url!, auth: { kind: 'bearer', token: token! } });
const provisioning = new ProvisioningStore(store.db);
const run = provisioning.createRun({ projectId: project.id, kind: 'initial', targetUrl: client.base, targetKey: targetKeyOf(client.base), dialect: client.dialect, dryRun: false });
let pending: AuditEntry[] = [];
let flushed = 0;
const flush = () => {
  provisioning.appendEntries(run.id, flushed, pending);
  flushed += pending.length;
  pending = [];
};
const cycleStarted = performance.now();
const result = await runCycle(client, {
  kind: 'initial',
  set,
  current: snapshotReader(store, snapshot.id),
  state: provisioning.stateFor(project.id, targetKeyOf(client.base)),
  concurrency: Number(concurrency),
  onEntry: (entry) => {
    pending.push(entry);
    if (pending.length >= 500) flush();
  },
});
flush();
provisioning.finishRun(run.id, result.summary, result.summary.status);
const cycleSeconds = (performance.now() - cycleStarted) / 1000;

// Go-live: the impact of a plan whose scoping filter keeps only Sales, from the same snapshot.
const impactStarted = performance.now();
const { impact, forecast } = impactOf({ live: set, plan: mappingSet(planSchema('Sales')), users: snapshotUsers(store, snapshot.id) });
const impactSeconds = (performance.now() - impactStarted) / 1000;

console.log(
  JSON.stringify({
    users: snapshot.userCount,
    summary: result.summary,
    processed: result.processed,
    sample: result.entries.length,
    sampleLimit: AUDIT_SAMPLE,
    auditRows: provisioning.auditLog({ runId: run.id, limit: 1 }).total,
    failedRows: provisioning.auditLog({ runId: run.id, status: 'failure', limit: 1 }).total,
    cycleSeconds,
    impact: { ...impact, outOfScope: impact.outOfScope.length },
    forecastUsers: forecast.users,
    impactSeconds,
    rssAfterWriteMb: Math.round(written / 2 ** 20),
  }),
);
store.close();
