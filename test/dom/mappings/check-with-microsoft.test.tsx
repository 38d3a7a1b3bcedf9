import { act } from 'react';
import { fetch as nodeFetch } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckWithMicrosoftPanel } from '../../../renderer/mappings/CheckWithMicrosoftPanel.tsx';
import { resetProvisioningJob } from '../../../renderer/state/provisioning-job.ts';
import { synchronizationJob, type SynchronizationChecksData } from '../../support/fake-graph/synchronization-checks.ts';
import { startFakeGraph, type FakeGraph } from '../../support/fake-graph/server.ts';
import { agreeingAnswers, JOB_ID, mappingSet, SERVICE_PRINCIPAL_ID, USERS } from '../../integration/synchronization/tenant.ts';
import { startRealBackend, type RealBackend } from '../support/real-backend.ts';
import { choose, click, mount, type, type Mounted } from './support.tsx';

/**
 * The "Check with Microsoft" panel on the real backend, reaching the fake Graph over HTTP with a pasted token: pick the
 * job (its health shown), run the check, read its outcome; a 403 shows the permission it needs.
 */

let graph: FakeGraph;
let checks: SynchronizationChecksData;
let real: RealBackend;
let view: Mounted | null = null;

beforeEach(async () => {
  checks = { parseExpression: agreeingAnswers() };
  graph = await startFakeGraph({
    users: USERS,
    servicePrincipals: [
      { id: SERVICE_PRINCIPAL_ID, appId: '8adf8e6e-67b2-4cf2-a259-e3dc5476c621', displayName: 'Contoso', tags: ['WindowsAzureActiveDirectoryIntegratedApp'] },
      { id: 'quarantined', appId: 'a3', displayName: 'Box', tags: ['WindowsAzureActiveDirectoryIntegratedApp'] },
    ],
    synchronizationJobs: {
      [SERVICE_PRINCIPAL_ID]: [synchronizationJob(JOB_ID, 'Active')],
      quarantined: [synchronizationJob('box.1', 'Quarantine', { reason: 'EncounteredQuarantineException', errorCode: 'CredentialsInvalid', message: 'The credentials are invalid.' })],
    },
    synchronizationSchemas: { [JOB_ID]: mappingSet() },
    synchronizationChecks: checks,
  });
  // happy-dom's fetch keeps to the page's origin; the backend is Node's, so it calls Graph with Node's fetch
  real = startRealBackend({ directory: { graph: { fetch: nodeFetch as unknown as typeof fetch } } });
});
afterEach(async () => {
  view?.unmount();
  view = null;
  resetProvisioningJob();
  await real.close();
  await graph.close();
});

async function until<T>(what: string, probe: () => T | null | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; the panel says: ${view?.container.textContent}`);
    await act(async () => new Promise((resolve) => setTimeout(resolve, 20)));
  }
}

const button = (text: string) => [...view!.container.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);

/** What a click on the summary does: the panel opens (and only then renders and reads the accounts). */
async function openDetails(): Promise<void> {
  const details = view!.container.querySelector('details')!;
  await act(async () => {
    details.open = true;
    details.dispatchEvent(new Event('toggle'));
  });
}

async function openPanel(): Promise<void> {
  await real.call('directory.useAccessToken', { token: graph.accessToken, cloud: 'global' });
  const { revision } = await real.call('mappings.save', { label: 'Contoso', mappingSet: mappingSet() as never });
  const imported = await real.call('directory.import', { fileName: 'users.json', content: JSON.stringify({ value: USERS }) });
  if (imported.status !== 'imported') throw new Error(imported.message);
  view = await mount(<CheckWithMicrosoftPanel revision={revision} unsaved={false} snapshotId={imported.snapshot.id} />);
  await openDetails();
  await until('the pasted token as the account', () => view!.container.querySelector<HTMLSelectElement>('#check-account')?.value.startsWith('token:'));
  expect(view!.container.textContent).toContain('parseExpression changes nothing in the tenant');
  expect(view!.container.textContent).toContain('Synchronization.ReadWrite.All');
  await type(view!.container.querySelector('#check-graph'), graph.baseUrl);
  await click(button('Find provisioning jobs'));
  await until('the jobs', () => view!.container.querySelector('[aria-label="Provisioning job"]'));
}

describe('Check with Microsoft', () => {
  it('picks the job with its health, runs the check and says what Microsoft confirmed', async () => {
    await openPanel();
    const options = [...view!.container.querySelectorAll('[aria-label="Provisioning job"] option')].map((o) => o.textContent);
    expect(options).toEqual(['Box · scim · Quarantine', 'Contoso · scim · Active']);
    await until('the first job\'s health', () => view!.container.querySelector('[data-testid="job-health"]')?.textContent?.includes('Test Connection'));
    expect(view!.container.querySelector('[data-testid="job-health"]')!.textContent).toContain('EncounteredQuarantineException');

    await choose(view!.container.querySelector('[aria-label="Provisioning job"]'), `${SERVICE_PRINCIPAL_ID}|${JOB_ID}`);
    await until('the Contoso job\'s health', () => view!.container.querySelector('[data-testid="job-health"]')?.textContent?.startsWith('Active'));
    await click(button('Check with Microsoft'));
    const outcome = await until('the outcome', () => [...view!.container.querySelectorAll('[role="status"]')].map((s) => s.textContent).find((t) => t?.startsWith('Checked with Microsoft:')));
    expect(outcome).toBe('Checked with Microsoft: 9 evaluations, 9 agree, 0 differ, 0 refused. The rows show the result.');
    expect(checks.parseExpressionCalls).toHaveLength(9);
  });

  it('a 403 from parseExpression shows the permission and role it needs', async () => {
    checks.denied = ['parseExpression'];
    await openPanel();
    await choose(view!.container.querySelector('[aria-label="Provisioning job"]'), `${SERVICE_PRINCIPAL_ID}|${JOB_ID}`);
    await click(button('Check with Microsoft'));
    const alert = await until('the refusal', () => [...view!.container.querySelectorAll('[role="alert"]')].map((a) => a.textContent).find((t) => t?.includes('403')));
    expect(alert).toMatch(/Synchronization\.ReadWrite\.All/);
    expect(alert).toMatch(/Application Administrator or Cloud Application Administrator/);
  });

  it('says why the check cannot run on unsaved edits', async () => {
    view = await mount(<CheckWithMicrosoftPanel revision={1} unsaved={true} snapshotId={1} />);
    expect(button('Check with Microsoft')).toBeUndefined();
    await openDetails();
    expect(button('Check with Microsoft')!.getAttribute('title')).toBe('Save your edits first: the check runs on the saved revision');
    expect((button('Check with Microsoft') as HTMLButtonElement).disabled).toBe(true);
  });
});
