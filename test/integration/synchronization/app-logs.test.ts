/**
 * Planned vs actual from the app: the backend's synchronization.logs.* handlers against the fake Graph over HTTP on
 * 127.0.0.1 with a pasted token, the portal's downloads handed over through the bridge's upload route, and the
 * comparison kept in the workspace file.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName, LogComparisonDto, LogRunStatus, LogUploadDto } from '../../../shared/api.ts';
import { LOG_FILE_UPLOAD_PATH } from '../../../shared/api.ts';
import { Backend } from '../../../electron/backend/backend.ts';
import { KEEP_PER_PROJECT } from '../../../electron/backend/synchronization/log-store.ts';
import { startBridge, type RunningBridge } from '../../../electron/bridge/server.ts';
import { tempDir } from '../../support/temp.ts';
import { appHarness } from './app-harness.ts';
import { csvDownload, plantedLogEntries } from './logs-fixture.ts';
import { JOB_ID, SERVICE_PRINCIPAL_ID, startTenant, USERS, type Tenant } from './tenant.ts';

let temp: ReturnType<typeof tempDir>;
let tenant: Tenant;
let backend: Backend;
let bridge: RunningBridge | null;
let events: { name: EventName; payload: unknown }[];
const workspacePath = () => join(temp.path, 'w.scimplan');

function open(): Backend {
  const opened = new Backend({ mode: 'browser', version: 'test', workspacePath: workspacePath() });
  opened.events.subscribe((name, payload) => events.push({ name, payload }));
  return opened;
}

beforeEach(async () => {
  temp = tempDir('app-logs-');
  tenant = await startTenant(temp.path);
  tenant.checks.provisioningLogs = plantedLogEntries();
  tenant.checks.provisioningLogPageSize = 2;
  events = [];
  bridge = null;
  backend = open();
});
afterEach(async () => {
  await bridge?.close();
  await backend.close();
  await tenant.graph.close();
  temp.cleanup();
});

const { call, failure, prepare, eventOf } = appHarness(() => backend, () => tenant, () => events);
const finished = (runId: string) => eventOf<LogRunStatus>('synchronization.logs.finished', (status) => status.runId === runId);

/** The comparison without what differs by nature between two runs: its id, time and source. */
function outcome(comparison: LogComparisonDto) {
  const { id: _id, comparedAt: _at, source: _source, ...rest } = comparison;
  return rest;
}

async function upload(fileName: string, text: string): Promise<{ status: number; body: { ok: boolean; value?: LogUploadDto; error?: { message: string } } }> {
  bridge ??= await startBridge({
    handlers: backend.handlers,
    events: backend.events,
    staticDir: temp.path,
    token: 'test-token',
    acceptLogFile: (name, content) => backend.logUploads.add(name, content),
  });
  const response = await fetch(`${bridge.url}${LOG_FILE_UPLOAD_PATH}?name=${encodeURIComponent(fileName)}`, {
    method: 'POST',
    headers: { authorization: 'Bearer test-token', 'content-type': 'application/octet-stream' },
    body: text,
  });
  return { status: response.status, body: (await response.json()) as { ok: boolean; value?: LogUploadDto } };
}

describe('planned vs actual from Graph', () => {
  it("reads the job's logs page by page with progress, compares them with the plan and keeps the comparison", async () => {
    const { accountId, revision, snapshotId } = await prepare();
    const started = await call('synchronization.logs.start', { accountId, graphBaseUrl: tenant.graph.baseUrl, servicePrincipalId: SERVICE_PRINCIPAL_ID, jobId: JOB_ID, revision, snapshotId });
    expect(started).toMatchObject({ state: 'running', read: 0, comparison: null, error: null });
    const done = await finished(started.runId);
    expect(done).toMatchObject({ state: 'done', read: 7, pages: 4, error: null });
    expect(events.some((e) => e.name === 'synchronization.logs.progress' && (e.payload as LogRunStatus).read > 0)).toBe(true);

    const comparison = done.comparison!;
    expect(comparison).toMatchObject({
      source: { kind: 'graph', servicePrincipalId: SERVICE_PRINCIPAL_ID, jobId: JOB_ID, since: null },
      revision,
      snapshotId,
      complete: true,
      entries: 7,
      matched: 2,
      agreed: 1,
      unmatched: 1,
      skipped: 1,
    });
    // the planted change: Chloé's displayName as Entra sent it before the snapshot was read
    expect(comparison.differences).toEqual([
      expect.objectContaining({ userPrincipalName: 'chloe@contoso.com', attribute: 'displayName', entraSent: 'Chloé Martin', planned: 'Chloé Dupré', cause: 'source-changed' }),
    ]);
    const conflict = comparison.failures.find((f) => f.errorCode === 'SystemForCrossDomainIdentityManagementEntryConflict')!;
    expect(conflict).toMatchObject({ count: 2, users: ['bob@fabrikam.com', 'Dana'], sourceIds: [USERS[1]!.id, 'd4444444-0000-4000-8000-000000000004'], inSnapshot: [true, false] });
    expect(conflict.explanation).toContain('same value in a unique attribute');
    expect(conflict.fix).toContain('Matching attribute in this mapping: userName (precedence 1)');
    expect(conflict).not.toHaveProperty('replay');
    expect(await call('synchronization.logs.status', { runId: started.runId })).toEqual(done);
    expect(await call('synchronization.logs.latest', {})).toEqual(comparison);
  });

  it('reads only the window asked for', async () => {
    const { accountId, revision, snapshotId } = await prepare();
    const since = '2026-11-30T08:04:30Z';
    const started = await call('synchronization.logs.start', { accountId, graphBaseUrl: tenant.graph.baseUrl, servicePrincipalId: SERVICE_PRINCIPAL_ID, jobId: JOB_ID, since, revision, snapshotId });
    const done = await finished(started.runId);
    // c-timeout, c-skip and c-stranger are after it
    expect(done.comparison).toMatchObject({ entries: 3, source: { since } });
    const read = tenant.graph.requests.find((r) => r.url.startsWith('/v1.0/auditLogs/provisioning'))!;
    expect(decodeURIComponent(read.url)).toContain(`activityDateTime gt ${since}`);
  });

  it('cancel stops the read and compares and keeps what was read before', async () => {
    // one entry a page: the sixth page waits for the reporting API's 5 requests per 10 seconds, and is cancelled there
    tenant.checks.provisioningLogPageSize = 1;
    const { accountId, revision, snapshotId } = await prepare();
    const waiting = new Promise<void>((resolve) => {
      const stop = backend.events.subscribe((name, payload) => {
        if (name === 'synchronization.logs.progress' && (payload as LogRunStatus).waitSeconds !== null) {
          stop();
          resolve();
        }
      });
    });
    const started = await call('synchronization.logs.start', { accountId, graphBaseUrl: tenant.graph.baseUrl, servicePrincipalId: SERVICE_PRINCIPAL_ID, jobId: JOB_ID, revision, snapshotId });
    await waiting;
    expect(await call('synchronization.logs.cancel', { runId: started.runId })).toEqual({ cancelled: true });
    const done = await finished(started.runId);
    expect(done).toMatchObject({ state: 'cancelled', read: 5, error: null, comparison: { complete: false, entries: 5 } });
    expect(await call('synchronization.logs.latest', {})).toMatchObject({ complete: false, entries: 5 });
    expect(await call('synchronization.logs.cancel', { runId: started.runId })).toEqual({ cancelled: false });
  });

  it('a 403 on the logs says which permission and role it needs, and that it changes nothing', async () => {
    tenant.checks.denied = ['provisioningLogs'];
    const { accountId, revision, snapshotId } = await prepare();
    const started = await call('synchronization.logs.start', { accountId, graphBaseUrl: tenant.graph.baseUrl, servicePrincipalId: SERVICE_PRINCIPAL_ID, jobId: JOB_ID, revision, snapshotId });
    const done = await finished(started.runId);
    expect(done.state).toBe('failed');
    expect(done.error!.code).toBe('permission');
    expect(done.error!.message).toContain('AuditLog.Read.All');
    expect(done.error!.message).toContain('Reports Reader');
    expect(done.error!.message).toContain('changes nothing in the tenant');
    expect(done.error!.message).toContain('Provisioning logs > Download) and import the file');
    expect(await call('synchronization.logs.latest', {})).toBeNull();
  });

  it('refuses a revision or snapshot that does not exist before calling Graph', async () => {
    const { accountId, revision, snapshotId } = await prepare();
    const base = { accountId, graphBaseUrl: tenant.graph.baseUrl, servicePrincipalId: SERVICE_PRINCIPAL_ID, jobId: JOB_ID };
    expect((await failure('synchronization.logs.start', { ...base, revision: revision + 5, snapshotId })).message).toContain(`Mapping revision ${revision + 5}`);
    expect((await failure('synchronization.logs.start', { ...base, revision, snapshotId: snapshotId + 5 })).message).toContain(`Snapshot ${snapshotId + 5}`);
    expect((await failure('synchronization.logs.start', { ...base, revision, snapshotId, since: 'yesterday' })).code).toBe('invalid-input');
    expect(tenant.graph.requests.some((r) => r.url.startsWith('/v1.0/auditLogs'))).toBe(false);
  });
});

describe("planned vs actual from the portal's download", () => {
  it('the JSON download and the CSV pair, uploaded through the bridge, give the same result as the Graph read', async () => {
    const { accountId, revision, snapshotId } = await prepare();
    const started = await call('synchronization.logs.start', { accountId, graphBaseUrl: tenant.graph.baseUrl, servicePrincipalId: SERVICE_PRINCIPAL_ID, jobId: JOB_ID, revision, snapshotId });
    const fromGraph = (await finished(started.runId)).comparison!;
    // a download of a file has no job schema: the CSV and JSON compare with no "mapping changed" knowledge, which these entries do not need
    const thisJob = plantedLogEntries().filter((e) => e.jobId === JOB_ID);

    const json = await upload('ProvisioningLogs.json', JSON.stringify(thisJob));
    expect(json).toMatchObject({ status: 200, body: { ok: true, value: { fileName: 'ProvisioningLogs.json' } } });
    const fromJson = await call('synchronization.logs.compareFiles', { uploadIds: [json.body.value!.uploadId], revision, snapshotId });
    expect(fromJson.source).toEqual({ kind: 'file', fileNames: ['ProvisioningLogs.json'] });
    expect(outcome(fromJson)).toEqual(outcome(fromGraph));

    const csv = csvDownload(thisJob);
    // chosen in either order: the portal's file names tell which is which
    const props = await upload('ProvisioningLogs_ModifiedProperties.csv', csv.modifiedProperties);
    const logs = await upload('ProvisioningLogs.csv', csv.logs);
    const fromCsv = await call('synchronization.logs.compareFiles', { uploadIds: [props.body.value!.uploadId, logs.body.value!.uploadId], revision, snapshotId });
    expect(outcome(fromCsv)).toEqual(outcome(fromGraph));
    expect(await call('synchronization.logs.latest', {})).toEqual(fromCsv);
  });

  it('refuses a CSV without its second file, and a file that is not a log download, naming the file', async () => {
    const { revision, snapshotId } = await prepare();
    const lonely = backend.logUploads.add('ProvisioningLogs.csv', csvDownload(plantedLogEntries()).logs);
    const missing = await failure('synchronization.logs.compareFiles', { uploadIds: [lonely.uploadId], revision, snapshotId });
    expect(missing).toMatchObject({ code: 'invalid-input' });
    expect(missing.message).toContain('ProvisioningLogs_ModifiedProperties.csv');
    const junk = backend.logUploads.add('users.json', JSON.stringify({ value: [{ id: 'x' }] }));
    expect((await failure('synchronization.logs.compareFiles', { uploadIds: [junk.uploadId], revision, snapshotId })).message).toContain('"users.json": entry 0 has no sourceIdentity');
    // a file is compared once: taken files are no longer held
    expect((await failure('synchronization.logs.compareFiles', { uploadIds: [junk.uploadId], revision, snapshotId })).message).toContain('choose it again');
    expect(await call('synchronization.logs.latest', {})).toBeNull();
  });
});

describe('kept in the workspace', () => {
  it('reopening the workspace shows the last comparison; only the last few are kept', async () => {
    const { revision, snapshotId } = await prepare();
    const thisJob = JSON.stringify(plantedLogEntries().filter((e) => e.jobId === JOB_ID));
    let last: LogComparisonDto | null = null;
    for (let i = 0; i < KEEP_PER_PROJECT + 2; i++) {
      last = await call('synchronization.logs.compareFiles', { uploadIds: [backend.logUploads.add(`ProvisioningLogs-${i}.json`, thisJob).uploadId], revision, snapshotId });
    }
    await backend.close();
    backend = open();
    const reopened = await call('synchronization.logs.latest', {});
    expect(reopened).toEqual(last);
    expect(reopened!.differences).toHaveLength(1);
    expect((await failure('synchronization.logs.vectors', { comparisonId: last!.id - KEEP_PER_PROJECT })).code).toBe('not-found');
    expect((await call('synchronization.logs.vectors', { comparisonId: last!.id - KEEP_PER_PROJECT + 1 })).count).toBe(0);
  });

  it('exports the "preview disagrees" differences as vectors, with real values only when asked', async () => {
    const { revision } = await prepare();
    // a snapshot read before Entra sent Chloé's displayName: the difference is the preview's, not the source's
    const older = await call('directory.import', { fileName: 'users.json', content: JSON.stringify({ value: USERS }) });
    if (older.status !== 'imported') throw new Error(older.message);
    const entries = plantedLogEntries().filter((e) => e.changeId === 'c-chloe').map((e) => ({ ...e, activityDateTime: '2999-01-01T00:00:00Z' }));
    const comparison = await call('synchronization.logs.compareFiles', { uploadIds: [backend.logUploads.add('ProvisioningLogs.json', JSON.stringify(entries)).uploadId], revision, snapshotId: older.snapshot.id });
    expect(comparison.differences).toEqual([expect.objectContaining({ attribute: 'displayName', cause: 'preview-disagrees' })]);

    const withheld = await call('synchronization.logs.vectors', { comparisonId: comparison.id });
    expect(withheld.count).toBe(1);
    const vector = JSON.parse(withheld.jsonl.trim()) as { expression: string; source: Record<string, unknown>; expected?: unknown; attributes: string[] };
    expect(vector).toMatchObject({ expression: 'Join(" ", [givenName], [surname])', source: {}, attributes: ['givenName', 'surname'] });
    expect(vector).not.toHaveProperty('expected');
    expect(withheld.jsonl).not.toContain('Dupré');

    const real = JSON.parse((await call('synchronization.logs.vectors', { comparisonId: comparison.id, includeValues: true })).jsonl.trim()) as { source: Record<string, unknown>; expected?: unknown };
    expect(real).toMatchObject({ source: { givenName: 'Chloé', surname: 'Dupré' }, expected: 'Chloé Martin' });
  });
});
