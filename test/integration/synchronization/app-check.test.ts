/**
 * The check against Microsoft from the app: the job picker and "Check with Microsoft" through the backend's handlers,
 * with a pasted token, against the fake Graph over HTTP on 127.0.0.1.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckRunStatus, EventName, MethodOutput } from '../../../shared/api.ts';
import { Backend } from '../../../electron/backend/backend.ts';
import { createFakeAuthority } from '../../support/fake-graph/fake-authority.ts';
import { evaluated, synchronizationJob, type ParseExpressionAnswer, type ParseExpressionInput } from '../../support/fake-graph/synchronization-checks.ts';
import { tempDir } from '../../support/temp.ts';
import { appHarness } from './app-harness.ts';
import { DISPLAY_NAME_EXPRESSION, JOB_ID, mappingSet, SERVICE_PRINCIPAL_ID, startTenant, USERS, type Tenant } from './tenant.ts';

const ENTERPRISE_APP = 'WindowsAzureActiveDirectoryIntegratedApp';

let temp: ReturnType<typeof tempDir>;
let tenant: Tenant;
let backend: Backend;
let events: { name: EventName; payload: unknown }[];

beforeEach(async () => {
  temp = tempDir('app-check-');
  tenant = await startTenant(temp.path);
  backend = new Backend({ mode: 'browser', version: 'test', workspacePath: join(temp.path, 'w.scimplan') });
  events = [];
  backend.events.subscribe((name, payload) => events.push({ name, payload }));
});
afterEach(async () => {
  await backend.close();
  await tenant.graph.close();
  temp.cleanup();
});

const { call, failure, prepare, eventOf } = appHarness(() => backend, () => tenant, () => events);
const finished = (checkId: string) => eventOf<CheckRunStatus>('synchronization.check.finished', (status) => status.checkId === checkId);

describe('the job picker', () => {
  it("lists the tenant's enterprise apps that have a provisioning job, with each job's status", async () => {
    const servicePrincipals = [
      { id: SERVICE_PRINCIPAL_ID, appId: '8adf8e6e-67b2-4cf2-a259-e3dc5476c621', displayName: 'Contoso', tags: [ENTERPRISE_APP] },
      { id: 'no-job', appId: 'a2', displayName: 'Single sign-on only', tags: [ENTERPRISE_APP] },
      { id: 'quarantined', appId: 'a3', displayName: 'Box', tags: [ENTERPRISE_APP] },
      { id: 'not-an-enterprise-app', appId: 'a4', displayName: 'Microsoft Graph', tags: [] },
    ];
    await tenant.graph.close();
    tenant = await startTenant(temp.path, {
      servicePrincipals,
      jobs: {
        quarantined: [synchronizationJob('box.1', 'Quarantine', { reason: 'EncounteredQuarantineException', errorCode: 'SystemForCrossDomainIdentityManagementCredentialValidationUnavailable', message: 'The credentials are invalid.' })],
        'not-an-enterprise-app': [synchronizationJob('hidden.1', 'Active')],
      },
    });
    const { accountId } = await prepare();
    const apps = await call('synchronization.provisioningApps', { accountId, graphBaseUrl: tenant.graph.baseUrl });
    expect(apps).toEqual([
      { servicePrincipalId: 'quarantined', appId: 'a3', displayName: 'Box', jobs: [{ jobId: 'box.1', templateId: 'scim', statusCode: 'Quarantine' }] },
      { servicePrincipalId: SERVICE_PRINCIPAL_ID, appId: '8adf8e6e-67b2-4cf2-a259-e3dc5476c621', displayName: 'Contoso', jobs: [{ jobId: JOB_ID, templateId: 'scim', statusCode: 'Active' }] },
    ]);
    const listed = tenant.graph.requests.find((r) => r.url.startsWith('/v1.0/servicePrincipals?'))!;
    expect(decodeURIComponent(listed.url)).toContain(`$filter=tags/any(t:t eq '${ENTERPRISE_APP}')`);

    const health = await call('synchronization.jobHealth', { accountId, graphBaseUrl: tenant.graph.baseUrl, servicePrincipalId: 'quarantined', jobId: 'box.1' });
    expect(health).toMatchObject({ code: 'Quarantine', healthy: false, quarantine: { reason: 'EncounteredQuarantineException', since: '2026-11-30T08:04:10Z' } });
    expect(health.quarantine!.fix).toMatch(/Test Connection/);
  });

  it('a 403 on the job says which permission and role it needs', async () => {
    tenant.checks.denied = ['job'];
    const { accountId } = await prepare();
    const error = await failure('synchronization.jobHealth', { accountId, graphBaseUrl: tenant.graph.baseUrl, servicePrincipalId: SERVICE_PRINCIPAL_ID, jobId: JOB_ID });
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/Synchronization\.Read\.All/);
    expect(error.message).toMatch(/Application Administrator/);
  });
});

describe('Check with Microsoft from the app', () => {
  it('checks the saved revision for a sample of the snapshot, with progress, and keeps the result for the Mappings badges', async () => {
    const agreeing = tenant.checks.parseExpression![DISPLAY_NAME_EXPRESSION] as (input: ParseExpressionInput) => ParseExpressionAnswer;
    tenant.checks.parseExpression![DISPLAY_NAME_EXPRESSION] = (input) => (input.properties.get('givenName') === 'Chloé' ? evaluated(['Chloe Dupre']) : agreeing(input));
    const { accountId, revision, snapshotId } = await prepare();
    const started = await call('synchronization.check.start', { accountId, graphBaseUrl: tenant.graph.baseUrl, servicePrincipalId: SERVICE_PRINCIPAL_ID, jobId: JOB_ID, revision, snapshotId });
    expect(started).toMatchObject({ state: 'running', revision, total: 9 });
    const done = await finished(started.checkId);
    expect(done).toMatchObject({ state: 'done', done: 9, total: 9, error: null, summary: { checked: 9, agreed: 8, differed: 1, refused: 0 } });
    expect(events.some((e) => e.name === 'synchronization.check.progress' && (e.payload as CheckRunStatus).done > 0)).toBe(true);
    expect(await call('synchronization.check.status', { checkId: started.checkId })).toEqual(done);

    const check = await call('synchronization.mappingCheck', { revision });
    expect(check).toMatchObject({ revision, jobId: JOB_ID, complete: true });
    const displayName = check!.rows.find((row) => row.targetAttribute === 'displayName')!;
    expect(displayName.counts).toMatchObject({ agree: 2, differ: 1 });
    expect(displayName.example).toMatchObject({ userPrincipalName: 'chloe@contoso.com', verdict: 'differ', entra: '["Chloe Dupre"]' });
    expect(check!.rows.find((row) => row.targetAttribute === 'active')!.counts.agree).toBe(3);
  });

  it('honours a 429 Retry-After and reports the wait', async () => {
    const { accountId, revision, snapshotId } = await prepare();
    tenant.graph.injectFault({ path: /parseExpression$/, after: 1, status: 429, retryAfterSeconds: 1 });
    const started = await call('synchronization.check.start', { accountId, graphBaseUrl: tenant.graph.baseUrl, servicePrincipalId: SERVICE_PRINCIPAL_ID, jobId: JOB_ID, revision, snapshotId, users: ['alice@contoso.com'] });
    const done = await finished(started.checkId);
    expect(done).toMatchObject({ state: 'done', summary: { checked: 3, agreed: 3 } });
    expect(events.some((e) => e.name === 'synchronization.check.progress' && (e.payload as CheckRunStatus).waitSeconds === 1)).toBe(true);
    expect(tenant.graph.requests.filter((r) => r.status === 429)).toHaveLength(1);
  });

  it('cancel stops the run and keeps what was checked before', async () => {
    const { accountId, revision, snapshotId } = await prepare();
    // after two answers Entra slows down to 5 s a call, so the check is still running when the test cancels it
    let answered = 0;
    for (const [expression, rule] of Object.entries({ ...tenant.checks.parseExpression! })) {
      tenant.checks.parseExpression![expression] = (input) => {
        if (++answered === 2) tenant.graph.latencyMs = 5000;
        return typeof rule === 'function' ? rule(input) : rule;
      };
    }
    const started = await call('synchronization.check.start', { accountId, graphBaseUrl: tenant.graph.baseUrl, servicePrincipalId: SERVICE_PRINCIPAL_ID, jobId: JOB_ID, revision, snapshotId });
    while ((await call('synchronization.check.status', { checkId: started.checkId })).done < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await call('synchronization.check.cancel', { checkId: started.checkId })).toEqual({ cancelled: true });
    const done = await finished(started.checkId);
    expect(done.state).toBe('cancelled');
    expect(done.summary!.checked).toBeGreaterThanOrEqual(2);
    expect(done.summary!.checked).toBeLessThan(9);
    const check = await call('synchronization.mappingCheck', { revision });
    expect(check!.complete).toBe(false);
    const kept = check!.rows.reduce((sum, row) => sum + Object.values(row.counts).reduce((n, count) => n + count, 0), 0);
    expect(kept).toBe(done.summary!.checked);
    expect(await call('synchronization.check.cancel', { checkId: started.checkId })).toEqual({ cancelled: false });
  });

  it('a 403 on parseExpression ends the check with the permission message, and says it changes nothing', async () => {
    tenant.checks.denied = ['parseExpression'];
    const { accountId, revision, snapshotId } = await prepare();
    const started = await call('synchronization.check.start', { accountId, graphBaseUrl: tenant.graph.baseUrl, servicePrincipalId: SERVICE_PRINCIPAL_ID, jobId: JOB_ID, revision, snapshotId });
    const done = await finished(started.checkId);
    expect(done.state).toBe('failed');
    expect(done.error!.code).toBe('permission');
    expect(done.error!.message).toMatch(/Synchronization\.ReadWrite\.All/);
    expect(done.error!.message).toMatch(/changes nothing in the tenant/);
    expect(await call('synchronization.mappingCheck', { revision })).toBeNull();
  });

  it('refuses a user the snapshot does not have, naming it, before any call to Graph', async () => {
    const { accountId, revision, snapshotId } = await prepare();
    const error = await failure('synchronization.check.start', { accountId, graphBaseUrl: tenant.graph.baseUrl, servicePrincipalId: SERVICE_PRINCIPAL_ID, jobId: JOB_ID, revision, snapshotId, users: ['nobody@contoso.com'] });
    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain('nobody@contoso.com');
    expect(tenant.graph.requests.some((r) => r.url.includes('parseExpression'))).toBe(false);
  });
});

describe('with a signed-in account', () => {
  const CLIENT_ID = '6f1c0f0e-a7a9-4b1f-a0a1-b2c3d4e5f607';
  const TENANT_ID = '3c5f8a21-7d4e-4b9a-8f61-2e0d9c7b1a54';

  /** Signs in with a device code against the fake authority, in a backend that reaches it. */
  async function signIn(notConsented: string[] = []): Promise<{ accountId: string; authority: ReturnType<typeof createFakeAuthority> }> {
    const authority = createFakeAuthority({ tenantId: TENANT_ID, accessToken: tenant.graph.accessToken, notConsented });
    await backend.close();
    backend = new Backend({ mode: 'browser', version: 'test', workspacePath: join(temp.path, 'w.scimplan'), directory: { identityNetworkClient: authority.networkClient } });
    backend.events.subscribe((name, payload) => events.push({ name, payload }));
    const started = await call('directory.signIn.start', { tenant: TENANT_ID, clientId: CLIENT_ID, method: 'device-code' });
    const status = await new Promise<MethodOutput<'directory.signIn.status'>>((resolve) => {
      const stop = backend.events.subscribe((name, payload) => {
        if (name === 'directory.signIn.finished') {
          stop();
          resolve(payload as MethodOutput<'directory.signIn.status'>);
        }
      });
    });
    expect(status, status.error ?? '').toMatchObject({ signInId: started.signInId, state: 'signed-in' });
    return { accountId: status.account!.accountId, authority };
  }

  it('asks the token for Synchronization.ReadWrite.All only when the check starts', async () => {
    const { accountId, authority } = await signIn();
    const { revision } = await call('mappings.save', { label: 'Contoso', mappingSet: mappingSet() as never });
    const imported = await call('directory.import', { fileName: 'users.json', content: JSON.stringify({ value: USERS }) });
    if (imported.status !== 'imported') throw new Error(imported.message);
    const askedForSync = () => authority.requests.filter((r) => r.form?.scope?.includes('Synchronization.ReadWrite.All')).length;
    await call('synchronization.jobHealth', { accountId, graphBaseUrl: tenant.graph.baseUrl, servicePrincipalId: SERVICE_PRINCIPAL_ID, jobId: JOB_ID });
    expect(askedForSync()).toBe(0);
    const started = await call('synchronization.check.start', { accountId, graphBaseUrl: tenant.graph.baseUrl, servicePrincipalId: SERVICE_PRINCIPAL_ID, jobId: JOB_ID, revision, snapshotId: imported.snapshot.id });
    expect(await finished(started.checkId)).toMatchObject({ state: 'done', summary: { checked: 9, agreed: 9 } });
    expect(askedForSync()).toBeGreaterThan(0);
  });

  it('says the permission was never granted when the sign-in has no consent for it', async () => {
    const { accountId } = await signIn(['Synchronization.ReadWrite.All']);
    const { revision } = await call('mappings.save', { label: 'Contoso', mappingSet: mappingSet() as never });
    const imported = await call('directory.import', { fileName: 'users.json', content: JSON.stringify({ value: USERS }) });
    if (imported.status !== 'imported') throw new Error(imported.message);
    const started = await call('synchronization.check.start', { accountId, graphBaseUrl: tenant.graph.baseUrl, servicePrincipalId: SERVICE_PRINCIPAL_ID, jobId: JOB_ID, revision, snapshotId: imported.snapshot.id });
    const done = await finished(started.checkId);
    expect(done.state).toBe('failed');
    expect(done.error!.code).toBe('sign-in-required');
    expect(done.error!.message).toMatch(/needs the delegated permission Synchronization\.ReadWrite\.All, which the sign-in has not been granted/);
    expect(done.error!.message).toContain('AADSTS65001');
    expect(tenant.graph.requests.some((r) => r.url.includes('parseExpression'))).toBe(false);
  });
});
