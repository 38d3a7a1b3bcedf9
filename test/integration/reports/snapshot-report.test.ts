import { afterAll, describe, expect, it } from 'vitest';
import { buildReport, type BuildReportInput } from '../../../electron/backend/reports/build.ts';
import { snapshotUsersOf } from '../../../electron/backend/reports/service.ts';
import { startUsersPreview } from '../../../electron/backend/services/preview.ts';
import { toSnapshotUsers } from '../../../electron/backend/workspace/demo-tenant.ts';
import { WorkspaceStore } from '../../../electron/backend/workspace/store.ts';
import { CycleForecastTally } from '../../../shared/go-live/forecast.ts';
import { entraDefaultSet, readProvisioningLog } from '../../../shared/reports/index.ts';
import { loadBuiltInProfile } from '../../../shared/vendors/index.ts';
import { leakedValues } from '../../unit/reports/demo.ts';
import { tempDir } from '../../support/temp.ts';
import { demoUserCopies } from '../../support/users-files.ts';

// Above the runner's in-process size, so the preview's workers read the snapshot as the app's do.
const USERS = 3_000;
const users = [...demoUserCopies(USERS)];
/** A user far from the sample: the provisioning log names it, so only the redaction scan can find its values. */
const failed = users[2_345]!;

describe('a report of a workspace snapshot, with the users read by the workers and the redaction by a scan', () => {
  const dir = tempDir();
  const store = new WorkspaceStore(`${dir.path}/w.scimplan`);
  const project = store.createProject('Scale');
  const snapshot = store.addSnapshot({ projectId: project.id, label: 'generated', origin: 'json', users: toSnapshotUsers(users as unknown as Record<string, unknown>[]) });
  afterAll(() => {
    store.close();
    dir.cleanup();
  });

  const input = (redaction: 'off' | 'pseudonymise'): BuildReportInput => ({
    projectName: 'Scale',
    tenantName: null,
    mappingLabel: 'Entra default mappings',
    set: entraDefaultSet(),
    users: snapshotUsersOf(store, snapshot.id, snapshot.userCount),
    profile: loadBuiltInProfile('hithrive'),
    provisioning: readProvisioningLog({ cycle: 'initial', entries: [{ status: 'failure', action: 'create', user: failed.userPrincipalName, error: `409: ${failed.displayName} exists` }] }),
    options: { redaction, generatedAt: '2026-12-05T20:00:00.000Z' },
  });

  it('summarises every user and shows a bounded sample', async () => {
    const report = await buildReport(input('pseudonymise'));
    expect(report.meta.users).toBe(USERS);
    expect(Object.values(report.summary.byAction).reduce((a, b) => a + b, 0)).toBe(USERS);
    expect(report.samples).toHaveLength(3);
    expect(report.samples.some((s) => s.requests.some((r) => r.label === 'Manager link (PATCH)'))).toBe(true);
    expect(report.findings.every((f) => f.examples.length <= 3)).toBe(true);
    expect(report.forecast!.users).toBe(users.filter((u) => u.accountEnabled !== false).length);
  });

  it("forecasts the requests the workers' full previews list, counted during their pass", async () => {
    const report = await buildReport(input('off'));
    // The same preview again, every user's full preview fetched from the workers and counted one by one.
    const run = await startUsersPreview({ set: entraDefaultSet(), users: snapshotUsersOf(store, snapshot.id, snapshot.userCount), profile: loadBuiltInProfile('hithrive') });
    const tally = new CycleForecastTally();
    try {
      for (const user of await run.session.users()) tally.add('User', user);
    } finally {
      await run.close();
    }
    const expected = tally.forecast(entraDefaultSet());
    expect(expected.requests.POST).toBeGreaterThan(0);
    expect(expected.requests.PATCH).toBeGreaterThan(0);
    expect(report.forecast!.requests).toEqual(expected.requests);
    expect(report.forecast!.users).toBe(expected.users);
  });

  it('holds no personal value of any user, the one only the provisioning log names included', async () => {
    const personal = users.flatMap((u) => [u.id, u.userPrincipalName, u.displayName, u.givenName, u.surname, u.mail, u.mobilePhone, u.employeeId]).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
    const values = [...new Set(personal)];
    const off = JSON.stringify(await buildReport(input('off')));
    expect(off).toContain(String(failed.userPrincipalName));
    expect(leakedValues(JSON.stringify(await buildReport(input('pseudonymise'))), values)).toEqual([]);
  });

  it('finds a sample user asked for by userPrincipalName in the snapshot', async () => {
    const asked = await buildReport({ ...input('off'), options: { redaction: 'off', sampleUsers: [String(failed.userPrincipalName).toUpperCase(), 'nobody@contoso.com'] } });
    expect(asked.samples.map((s) => s.userPrincipalName)).toEqual([failed.userPrincipalName]);
    expect(asked.samplesNote).toMatch(/^One sample user was not found in the snapshot: nobody@contoso.com/);
  });
});
