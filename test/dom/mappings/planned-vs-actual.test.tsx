import { act } from 'react';
import { fetch as nodeFetch } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlannedVsActualPanel } from '../../../renderer/mappings/PlannedVsActualPanel.tsx';
import { resetProvisioningJob } from '../../../renderer/state/provisioning-job.ts';
import type { SynchronizationChecksData } from '../../support/fake-graph/synchronization-checks.ts';
import { startFakeGraph, type FakeGraph } from '../../support/fake-graph/server.ts';
import { plantedLogEntries } from '../../integration/synchronization/logs-fixture.ts';
import { agreeingAnswers, contosoEnterpriseApp, mappingSet, USERS } from '../../integration/synchronization/tenant.ts';
import { startRealBackend, type RealBackend } from '../support/real-backend.ts';
import { click, mount, type, waitUntil, type Mounted } from './support.tsx';

/**
 * The "Planned vs actual" panel on the real backend, reading the fake Graph's provisioning logs over HTTP with a pasted
 * token: the summary, the planted difference with its cause, the failures by error code, the vector export offered for
 * a preview disagreement, the comparison shown again when the panel is opened later, and a 403's permission.
 */

let graph: FakeGraph;
let checks: SynchronizationChecksData;
let real: RealBackend;
let view: Mounted | null = null;

/** The planted entries, and Alice's displayName as Entra sent it after the snapshot was read: the preview's own difference. */
function logs(): Record<string, unknown>[] {
  const later = plantedLogEntries().find((e) => e.changeId === 'c-alice')!;
  const modified = (later.modifiedProperties as { displayName: string; oldValue: string | null; newValue: string | null }[]).map((p) => (p.displayName === 'displayName' ? { ...p, newValue: 'A. Smith' } : p));
  return [...plantedLogEntries(), { ...later, id: 'c-alice-later', changeId: 'c-alice-later', activityDateTime: '2999-01-01T00:00:00Z', modifiedProperties: modified }];
}

beforeEach(async () => {
  checks = { parseExpression: agreeingAnswers(), provisioningLogs: logs() };
  graph = await startFakeGraph(contosoEnterpriseApp(checks));
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

const until = <T,>(what: string, probe: () => T | null | undefined | false) => waitUntil(what, probe, () => view?.container.textContent);

const button = (text: string) => [...view!.container.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);
const alerts = () => [...view!.container.querySelectorAll('[role="alert"]')].map((a) => a.textContent ?? '');

async function mountOpen(props: { revision: number; snapshotId: number; unsaved?: boolean }): Promise<void> {
  view = await mount(<PlannedVsActualPanel revision={props.revision} unsaved={props.unsaved ?? false} snapshotId={props.snapshotId} />);
  const details = view.container.querySelector('details')!;
  await act(async () => {
    details.open = true;
    details.dispatchEvent(new Event('toggle'));
  });
}

/** A pasted token, the job's mappings saved, the tenant's users as the snapshot; the panel opened and the job found. */
async function openWithJob(): Promise<{ revision: number; snapshotId: number }> {
  await real.call('directory.useAccessToken', { token: graph.accessToken, cloud: 'global' });
  const { revision } = await real.call('mappings.save', { label: 'Contoso', mappingSet: mappingSet() as never });
  const imported = await real.call('directory.import', { fileName: 'users.json', content: JSON.stringify({ value: USERS }) });
  if (imported.status !== 'imported') throw new Error(imported.message);
  const target = { revision, snapshotId: imported.snapshot.id };
  await mountOpen(target);
  await until('the pasted token as the account', () => view!.container.querySelector<HTMLSelectElement>('#logs-account')?.value.startsWith('token:'));
  await type(view!.container.querySelector('#logs-graph'), graph.baseUrl);
  await click(button('Find provisioning jobs'));
  await until('the job and its health', () => view!.container.querySelector('[data-testid="job-health"]')?.textContent?.startsWith('Active'));
  await until('the compare button', () => !(button('Compare with the job’s logs') as HTMLButtonElement).disabled);
  return target;
}

describe('Planned vs actual', { timeout: 30_000 }, () => {
  it('says what reading the logs needs and does, compares the job\'s logs, and shows the differences and failures', async () => {
    const target = await openWithJob();
    const text = view!.container.textContent!;
    expect(text).toContain('Reading the provisioning logs changes nothing in the tenant');
    expect(text).toContain('AuditLog.Read.All');
    expect(text).toContain('Reports Reader, Security Reader, Application Administrator or Cloud Application Administrator');

    await click(button('Compare with the job’s logs'));
    const summary = await until('the summary', () => view!.container.querySelector('.log-summary')?.textContent);
    expect(summary).toBe("8 entries, 3 matched to the snapshot's users, 1 agreed with the plan, 1 not in the snapshot, 1 skipped.");

    const rows = [...view!.container.querySelectorAll('.log-differences tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toHaveLength(2);
    expect(rows[0]!.slice(0, 4)).toEqual(['chloe@contoso.com', 'displayName', 'Chloé Martin', 'Chloé Dupré']);
    expect(rows[0]![4]).toMatch(/^The source value changed since Entra sent this\./);
    expect(rows[1]!.slice(0, 4)).toEqual(['alice@contoso.com', 'displayName', 'A. Smith', 'Alice Smith']);
    expect(rows[1]![4]).toMatch(/^The preview disagrees with Entra\./);
    // the preview's own disagreement can be exported, with real values only when ticked
    expect(view!.container.querySelector('.vector-export')!.textContent).toContain('1 difference point at the preview itself');
    expect(button('Export vectors')).toBeDefined();
    expect(view!.container.textContent).toContain('Include real values');

    const groups = [...view!.container.querySelectorAll('.failure-group')];
    expect(groups.map((g) => g.querySelector('h4')!.textContent)).toEqual(['SystemForCrossDomainIdentityManagementEntryConflict × 2', 'Timeout × 1']);
    expect(groups[0]!.textContent).toContain('same value in a unique attribute');
    expect(groups[0]!.textContent).toContain('Fix: Correct the conflicting value');
    expect(groups[0]!.textContent).toContain('Affected users: bob@fabrikam.com, Dana');
    // Bob is in the snapshot, Dana is not: only Bob can be replayed; Eve (the timeout) is not either
    expect([...groups[0]!.querySelectorAll('option')].map((o) => o.textContent)).toEqual([]);
    expect(groups[0]!.querySelector('button')!.textContent).toBe('Replay against the mock server');
    expect(groups[1]!.textContent).toContain('None of these users is in the snapshot');
    expect(groups[1]!.querySelector('button')).toBeNull();

    // the replay starts the mock server with the project's vendor and provisions Bob on demand; happy-dom's fetch cannot
    // reach the mock server, so what the vendor answered is the e2e's to check (test/e2e/provisioning-logs.test.ts)
    await click([...groups[0]!.querySelectorAll('button')].find((b) => b.textContent === 'Replay against the mock server'));
    const replayed = await until('the replay', () => view!.container.querySelector('.failure-group .replay-result')?.textContent);
    expect(replayed).toMatch(/^Replayed against the mock server emulating Generic SCIM 2\.0 \(run \d+, \w+\)/);
    expect(replayed).toContain('bob@fabrikam.com: ');
    expect(await real.call('mockServer.status', {})).toMatchObject({ running: true, vendorName: 'Generic SCIM 2.0' });

    // kept in the workspace: the panel opened again shows it without reading Graph again
    view!.unmount();
    const reads = graph.requests.filter((r) => r.url.startsWith('/v1.0/auditLogs')).length;
    await mountOpen(target);
    await until('the kept comparison', () => view!.container.querySelector('.log-summary')?.textContent?.startsWith('8 entries'));
    expect(graph.requests.filter((r) => r.url.startsWith('/v1.0/auditLogs')).length).toBe(reads);
  });

  it('a 403 on the logs shows the permission and roles it needs', async () => {
    checks.denied = ['provisioningLogs'];
    await openWithJob();
    await click(button('Compare with the job’s logs'));
    const alert = await until('the refusal', () => alerts().find((t) => t.includes('403')));
    expect(alert).toContain('AuditLog.Read.All');
    expect(alert).toContain('changes nothing in the tenant');
  });

  it('says why it cannot compare on unsaved edits, and offers the download as the other source', async () => {
    await mountOpen({ revision: 1, snapshotId: 1, unsaved: true });
    expect(button('Compare with the job’s logs')!.getAttribute('title')).toBe('Save your edits first: the logs are compared with the saved revision');
    await click(view!.container.querySelectorAll<HTMLInputElement>('input[name="log-source"]')[1]);
    expect(view!.container.querySelector('[aria-label="Provisioning-log files"]')).not.toBeNull();
    expect((button('Compare with the download') as HTMLButtonElement).disabled).toBe(true);
  });
});
