import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GraphClient } from '../../../electron/backend/directory/graph-client.ts';
import { readProvisioningLogs } from '../../../electron/backend/synchronization/provisioning-logs.ts';
import { tempDir } from '../../support/temp.ts';
import { plantedLogEntries as entries, writeCsvDownload } from './logs-fixture.ts';
import { cli, DISPLAY_NAME_EXPRESSION, JOB_ID, mappingSet, startTenant, type Tenant } from './tenant.ts';

interface LogsJson {
  entries: number;
  matched: number;
  agreed: number;
  unmatched: number;
  skipped: number;
  differences: { userPrincipalName: string; sourceId: string; changeId: string; attribute: string; entraSent: string | null; planned: unknown; cause: string; why: string }[];
  failures: { errorCode: string; count: number; explanation: string; fix: string; users: string[]; replay?: string }[];
}

/** the users file is read after every log entry (the snapshot is newer) */
const SNAPSHOT_TIME = '2026-12-01T00:00:00Z';

let temp: ReturnType<typeof tempDir>;
let tenant: Tenant;

beforeEach(async () => {
  temp = tempDir();
  tenant = await startTenant(temp.path);
  tenant.checks.provisioningLogs = entries();
  tenant.checks.provisioningLogPageSize = 2;
});
afterEach(async () => {
  await tenant.graph.close();
  temp.cleanup();
});

const common = () => ['--mappings', tenant.mappingsFile, '--users', tenant.usersFile, '--snapshot-time', SNAPSHOT_TIME];

describe('scim-planner logs', () => {
  it('reads every page of the job\'s logs from Graph, matches entries by source id and names the planted change\'s cause', async () => {
    const run = await cli(['logs', ...tenant.graphFlags, ...common()]);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as LogsJson;
    // 7 entries of this job (the other job's is filtered out by Graph), over 4 pages of 2
    expect(result).toMatchObject({ entries: 7, matched: 2, agreed: 1, unmatched: 1, skipped: 1 });
    const pages = tenant.graph.requests.filter((r) => r.url.startsWith('/v1.0/auditLogs/provisioning'));
    expect(pages).toHaveLength(4);
    expect(decodeURIComponent(pages[0]!.url)).toContain(`jobId eq '${JOB_ID}'`);
    expect(result.differences).toEqual([
      expect.objectContaining({ userPrincipalName: 'chloe@contoso.com', changeId: 'c-chloe', attribute: 'displayName', entraSent: 'Chloé Martin', planned: 'Chloé Dupré', cause: 'source-changed' }),
    ]);
  });

  it('groups failed entries by error code with the explanation, the fix and the mapping\'s matching attribute', async () => {
    const run = await cli(['logs', ...tenant.graphFlags, ...common(), '--vendor', 'hithrive']);
    const result = JSON.parse(run.stdout) as LogsJson;
    const conflict = result.failures.find((f) => f.errorCode === 'SystemForCrossDomainIdentityManagementEntryConflict')!;
    expect(conflict).toMatchObject({ count: 2, users: ['bob@fabrikam.com', 'Dana'] });
    expect(conflict.explanation).toContain('same value in a unique attribute');
    expect(conflict.fix).toContain('Matching attribute in this mapping: userName (precedence 1)');
    expect(conflict.replay).toContain('scim-planner mock-server --vendor hithrive');
    // the source UPN the provisioning engine uses for a guest (#EXT# and the inviting domain stripped)
    expect(conflict.replay).toContain('--user bob@fabrikam.com');
    const timeout = result.failures.find((f) => f.errorCode === 'Timeout')!;
    expect(timeout).toMatchObject({ count: 1, users: ['Eve'] });
    expect(timeout.fix).toContain('retries');
    const table = await cli(['logs', ...tenant.graphFlags, ...common(), '--format', 'table']);
    expect(table.stdout).toContain('7 entries: 2 matched, 1 agree, 1 not in the users file, 1 skipped.');
    expect(table.stdout).toMatch(/chloe@contoso\.com +displayName +Entra sent "Chloé Martin", plan "Chloé Dupré" +\[source-changed\]/);
    expect(table.stdout).toContain('SystemForCrossDomainIdentityManagementEntryConflict × 2');
  });

  it('reads only the time window asked for', async () => {
    const run = await cli(['logs', ...tenant.graphFlags, ...common(), '--since', '2026-11-30T08:01:30Z', '--until', '2026-11-30T08:04:30Z']);
    const result = JSON.parse(run.stdout) as LogsJson;
    // c-chloe, c-bob and c-stranger-fail fall inside
    expect(result.entries).toBe(3);
    expect(decodeURIComponent(tenant.graph.requests.find((r) => r.url.startsWith('/v1.0/auditLogs/provisioning'))!.url)).toContain('activityDateTime gt 2026-11-30T08:01:30Z and activityDateTime lt 2026-11-30T08:04:30Z');
    expect((await cli(['logs', ...tenant.graphFlags, ...common(), '--until', 'yesterday'])).code).toBe(2);
  });

  it('honours a 429 on the reporting API and resumes at the same page', async () => {
    tenant.graph.injectFault({ path: /auditLogs\/provisioning$/, status: 429, retryAfterSeconds: 1, after: 1, times: 1 });
    const run = await cli(['logs', ...tenant.graphFlags, ...common()]);
    expect((JSON.parse(run.stdout) as LogsJson).entries).toBe(7);
    expect(tenant.graph.requests.filter((r) => r.status === 429)).toHaveLength(1);
  });

  it('gives the same result from the portal\'s JSON download and from its CSV download as from the Graph read', async () => {
    const graph = await cli(['logs', ...tenant.graphFlags, ...common()]);
    const thisJob = entries().filter((e) => e.jobId === JOB_ID);
    const jsonFile = join(temp.path, 'ProvisioningLogs.json');
    writeFileSync(jsonFile, JSON.stringify(thisJob));
    const json = await cli(['logs', '--file', jsonFile, ...common()]);
    const csvFile = writeCsvDownload(temp.path, thisJob);
    const csv = await cli(['logs', '--file', csvFile, ...common()]);
    expect(json.code).toBe(graph.code);
    expect(csv.code).toBe(graph.code);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(graph.stdout));
    expect(JSON.parse(csv.stdout)).toEqual(JSON.parse(graph.stdout));
  });

  it('names mapping-changed when the job runs another expression, and preview-disagrees when the log is newer than the users', async () => {
    const file = join(temp.path, 'ProvisioningLogs.json');
    writeFileSync(file, JSON.stringify(entries().filter((e) => e.changeId === 'c-chloe')));
    const jobSchema = join(temp.path, 'job-schema.json');
    writeFileSync(jobSchema, JSON.stringify(mappingSet({ displayName: '[displayName]' })));
    const changed = JSON.parse((await cli(['logs', '--file', file, ...common(), '--job-schema', jobSchema])).stdout) as LogsJson;
    expect(changed.differences[0]).toMatchObject({ attribute: 'displayName', cause: 'mapping-changed' });
    expect(changed.differences[0]!.why).toContain(DISPLAY_NAME_EXPRESSION);

    const newer = JSON.parse((await cli(['logs', '--file', file, '--mappings', tenant.mappingsFile, '--users', tenant.usersFile, '--snapshot-time', '2026-11-01T00:00:00Z'])).stdout) as LogsJson;
    expect(newer.differences[0]).toMatchObject({ attribute: 'displayName', cause: 'preview-disagrees' });
  });

  it('exits 0 when the plan matches every matched entry and nothing failed', async () => {
    tenant.checks.provisioningLogs = entries().filter((e) => e.changeId === 'c-alice' || e.changeId === 'c-skip');
    const run = await cli(['logs', ...tenant.graphFlags, ...common()]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ entries: 2, matched: 1, agreed: 1, differences: [], failures: [] });
  });

  it('explains a 403 on the logs with the permission and roles', async () => {
    tenant.checks.denied = ['provisioningLogs'];
    const run = await cli(['logs', ...tenant.graphFlags, ...common()]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('AuditLog.Read.All');
    expect(run.stderr).toContain('changes nothing in the tenant');
  });

  it('exits 2 on bad input: both sources, neither, a file that is not a log download, a CSV without its second file', async () => {
    expect((await cli(['logs', ...tenant.graphFlags, '--file', 'x.json', ...common()])).code).toBe(2);
    expect((await cli(['logs', ...common()])).code).toBe(2);
    const notLogs = join(temp.path, 'not-logs.json');
    writeFileSync(notLogs, JSON.stringify({ value: [{ id: 'x' }] }));
    const wrong = await cli(['logs', '--file', notLogs, ...common()]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('has no sourceIdentity');
    const lonely = join(temp.path, 'lonely');
    mkdirSync(lonely);
    writeFileSync(join(lonely, 'ProvisioningLogs.csv'), 'Change ID,Source ID,Status\nc1,a,success\n');
    const csv = await cli(['logs', '--file', join(lonely, 'ProvisioningLogs.csv'), ...common()]);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toContain('ProvisioningLogs_ModifiedProperties.csv');
  });

  it('stays within the reporting API\'s 5 requests per 10 seconds', async () => {
    tenant.checks.provisioningLogPageSize = 1;
    let clock = 0;
    const waits: number[] = [];
    const client = new GraphClient({ graphBaseUrl: tenant.graph.baseUrl, getAccessToken: async () => tenant.graph.accessToken });
    const read = await readProvisioningLogs(client, {
      jobId: JOB_ID,
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });
    expect(read).toHaveLength(7);
    // five requests at t=0 (no time passes in between); the 6th waits until they are 10 s old, the 7th is then in budget
    expect(waits).toEqual([10_000]);
    expect(tenant.graph.requests.filter((r) => r.url.startsWith('/v1.0/auditLogs/provisioning'))).toHaveLength(7);
  });
});
