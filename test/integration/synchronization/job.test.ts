import { afterEach, describe, expect, it } from 'vitest';
import { JOB_STATUS_CODES, synchronizationJob } from '../../support/fake-graph/synchronization-checks.ts';
import { tempDir } from '../../support/temp.ts';
import { cli, JOB_ID, startTenant, type Tenant } from './tenant.ts';

let temp: ReturnType<typeof tempDir> | undefined;
let tenant: Tenant | undefined;

afterEach(async () => {
  await tenant?.graph.close();
  temp?.cleanup();
});

async function withJob(job: Record<string, unknown>): Promise<Tenant> {
  temp = tempDir();
  tenant = await startTenant(temp.path, { job });
  return tenant;
}

describe('scim-planner job', () => {
  for (const code of JOB_STATUS_CODES) {
    it(`reads a ${code} job and says what it means; exit ${code === 'Active' || code === 'NotRun' ? 0 : 1}`, async () => {
      const { graphFlags } = await withJob(synchronizationJob(JOB_ID, code, code === 'Quarantine' ? { reason: 'EncounteredQuarantineException', errorCode: 'SystemForCrossDomainIdentityManagementCredentialValidationUnavailable', message: 'The credentials are not valid.' } : undefined));
      const run = await cli(['job', ...graphFlags]);
      expect(run.code).toBe(code === 'Active' || code === 'NotRun' ? 0 : 1);
      const health = JSON.parse(run.stdout) as { code: string; meaning: string; quarantine: unknown };
      expect(health.code).toBe(code);
      expect(health.meaning.length).toBeGreaterThan(20);
      expect(health.quarantine === null).toBe(code !== 'Quarantine');
    });
  }

  it('explains a quarantine: reason, since when, next attempt, series, what to do, the last cycle\'s counts', async () => {
    const { graphFlags } = await withJob(synchronizationJob(JOB_ID, 'Quarantine', { reason: 'EncounteredQuarantineException', errorCode: 'SystemForCrossDomainIdentityManagementCredentialValidationUnavailable', message: 'The credentials are not valid.' }));
    const json = JSON.parse((await cli(['job', ...graphFlags])).stdout) as Record<string, unknown>;
    expect(json.quarantine).toMatchObject({
      reason: 'EncounteredQuarantineException',
      since: '2026-11-30T08:04:10Z',
      nextAttempt: '2026-12-01T08:04:10Z',
      seriesCount: 2,
      error: { code: 'SystemForCrossDomainIdentityManagementCredentialValidationUnavailable' },
    });
    expect((json.quarantine as { fix: string }).fix).toContain('Test Connection');
    expect(json.lastExecution).toMatchObject({ state: 'Failed', counts: { countEscrowed: 12, countExported: 25 } });
    const table = await cli(['job', ...graphFlags, '--format', 'table']);
    expect(table.stdout).toContain('Quarantine: EncounteredQuarantineException');
    expect(table.stdout).toContain('What to do:');
  });

  it('explains a 403 and exits 2 without a job id', async () => {
    const { graphFlags, checks } = await withJob(synchronizationJob(JOB_ID, 'Active'));
    checks.denied = ['job'];
    const denied = await cli(['job', ...graphFlags]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('Synchronization.Read.All');
    expect((await cli(['job', '--access-token', 't', '--service-principal', 'x'])).code).toBe(2);
  });
});
