import { describe, expect, it } from 'vitest';
import { entraDefaultSet, readProvisioningLog, renderHtml, renderMarkdown, type Report } from '../../../shared/reports/index.ts';
import { buildReport } from '../../../electron/backend/reports/build.ts';
import { loadBuiltInProfile } from '../../../shared/vendors/index.ts';
import { demoGroups, demoPersonalValues, demoUsers, leakedValues, vendorReadySet } from './demo.ts';

function report(vendorId: string, set = entraDefaultSet(), redaction: 'off' | 'pseudonymise' | 'remove' = 'pseudonymise'): Promise<Report> {
  return buildReport({
    projectName: 'Contoso demo',
    tenantName: 'Contoso demo',
    mappingLabel: 'test',
    set,
    users: demoUsers,
    groups: demoGroups,
    profile: loadBuiltInProfile(vendorId),
    options: { redaction, generatedAt: '2026-01-05T09:00:00.000Z' },
  });
}

const hithrive = await report('hithrive', vendorReadySet('hithrive'));

describe('report model', () => {

  it('marks rows against Entra’s defaults and lists what changed', () => {
    const users = hithrive.objectMappings.find((om) => om.sourceObject === 'User')!;
    const externalId = users.rows.find((r) => r.target === 'externalId')!;
    expect(externalId.vsDefault).toBe('changed');
    expect(hithrive.defaultDifferences).toContainEqual(expect.objectContaining({ target: 'externalId', change: 'changed', before: '[mailNickname]' }));
    expect(hithrive.defaultDifferences.some((d) => d.change === 'added' && d.target.endsWith(':hire_date'))).toBe(true);
  });

  it('finds the vendor-ready set as the vendor recommends, and the default set not', async () => {
    expect(hithrive.vendorDifferences.filter((d) => d.status !== 'ok' && d.recommendation !== 'Map it (the guide leaves the source to you)')).toEqual([]);
    const defaults = await report('hithrive');
    expect(defaults.vendorDifferences).toContainEqual(expect.objectContaining({ target: 'externalId', status: 'to-remove' }));
  });

  it('lists HiThrive’s custom attributes with their exact names for the attribute list', () => {
    const names = hithrive.customAttributes.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['urn:ietf:params:scim:schemas:extension:hithrive:1.0:User:hire_date', 'urn:ietf:params:scim:schemas:extension:hithrive:1.0:User:birth_date']));
    expect(hithrive.vendorTicket?.blocks.map((b) => b.title)).toContain('urn:ietf:params:scim:schemas:extension:hithrive:1.0:User:employee_id');
  });

  it('groups findings with user counts, errors first', () => {
    const severities = hithrive.findings.map((f) => f.severity);
    expect([...severities].sort((a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b))).toEqual(severities);
    const guests = hithrive.findings.find((f) => f.code === 'VENDOR_GUEST_USERNAME');
    expect(guests?.count).toBe(5);
    expect(guests?.examples.length).toBe(3);
  });

  it('shows the match queries, POST and manager PATCH of a sample user', () => {
    const withManager = hithrive.samples.find((s) => s.requests.some((r) => r.label === 'Manager link (PATCH)'));
    // HiThrive matches on externalId first, then Entra's userName row
    expect(withManager?.requests.map((r) => r.label)).toEqual(['Match query', 'Match query (next matching attribute)', 'Create (POST)', 'Manager link (PATCH)']);
    expect(decodeURIComponent(withManager!.requests[0]!.path)).toMatch(/^\/Users\?filter=externalId\+eq\+"00000000-0000-4000-8000-\d{12}"$/);
  });

  it('counts coverage per target over the users Entra sends', () => {
    const userName = hithrive.coverage.find((c) => c.target === 'userName')!;
    expect(userName.value + userName.empty + userName.missing + userName.error).toBe(hithrive.summary.byAction.create);
    expect(userName.value).toBe(hithrive.summary.byAction.create);
  });

  it('shows the chosen sample users', async () => {
    const chosen = await buildReport({
      projectName: 'p', tenantName: null, mappingLabel: 'm', set: entraDefaultSet(), users: demoUsers, profile: loadBuiltInProfile('generic'),
      options: { redaction: 'off', sampleUsers: ['EMMA.BROWN@contoso.com'] },
    });
    expect(chosen.samples.map((s) => s.userPrincipalName)).toEqual(['emma.brown@contoso.com']);
  });

  it('says a sample user asked for is not found, instead of "No user was chosen"', async () => {
    const asked = (redaction: 'off' | 'pseudonymise', sampleUsers: string[]) =>
      buildReport({
        projectName: 'p', tenantName: null, mappingLabel: 'm', set: entraDefaultSet(), users: demoUsers, profile: loadBuiltInProfile('generic'),
        options: { redaction, sampleUsers },
      });
    const unknown = await asked('off', ['nobody@contoso.com']);
    expect(unknown.samples).toEqual([]);
    expect(unknown.samplesNote).toBe('One sample user was not found in the snapshot: nobody@contoso.com (searched by object id and userPrincipalName).');
    expect(renderHtml(unknown)).toContain('not found in the snapshot: nobody@contoso.com');
    expect(renderHtml(unknown)).not.toContain('No user was chosen');
    expect(renderMarkdown(unknown)).toContain('> One sample user was not found');
    // one found, one not: the found one is shown, the other named; a redacted report only counts them
    const mixed = await asked('pseudonymise', ['emma.brown@contoso.com', 'nobody@contoso.com', 'ghost@contoso.com']);
    expect(mixed.samples).toHaveLength(1);
    expect(mixed.samplesNote).toBe('2 sample users were not found in the snapshot (searched by object id and userPrincipalName).');
    expect(renderHtml(mixed)).toMatch(/not found in the snapshot[\s\S]*pseudonymised/);
  });

  it('leaves samples and example users out under remove', async () => {
    const removed = await report('hithrive', vendorReadySet('hithrive'), 'remove');
    expect(removed.samples).toEqual([]);
    expect(removed.samplesNote).toMatch(/left out/);
    expect(removed.findings.every((f) => f.examples.length === 0)).toBe(true);
  });

  it('holds no personal value of the demo tenant once pseudonymised', async () => {
    expect(leakedValues(JSON.stringify(hithrive), demoPersonalValues())).toEqual([]);
    expect(leakedValues(JSON.stringify(await report('thrive', entraDefaultSet(), 'off')), demoPersonalValues()).length).toBeGreaterThan(0);
  });
});

describe('vendor ticket sections', () => {
  it('Thrive: the customappsso name with exact casing and the field ref in lower case', async () => {
    const set = vendorReadySet('thrive');
    const ticket = (await report('thrive', set)).vendorTicket!;
    const costCenter = ticket.blocks.find((b) => b.title === 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber');
    expect(costCenter?.items).toEqual(
      expect.arrayContaining([
        { label: 'Customappsso attribute name', value: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber' },
        { label: 'Thrive custom field ref', value: 'employeenumber' },
      ]),
    );
    expect(ticket.intro).toMatch(/exact casing/);
  });

  it('Hector: the provisioned groups for the role association, without the one whose name has a ";"', async () => {
    const ticket = (await report('hector')).vendorTicket!;
    const association = ticket.blocks[0]!;
    const groups = association.items.find((i) => i.label === 'Groups Entra provisions')!.value;
    expect(groups).toContain('hector_admins');
    expect(groups).not.toContain('Facilities; Field Ops');
    expect(ticket.blocks[1]?.items).toEqual([{ label: 'Group', value: 'Facilities; Field Ops' }]);
  });

  it('no ticket section for a vendor whose guide asks for nothing', async () => {
    expect((await report('haiilo')).vendorTicket).toBeNull();
  });
});

describe('provisioning log', () => {
  it('reads a summary object when the log has one', () => {
    const run = readProvisioningLog({ cycle: 'initial', target: 'http://127.0.0.1:4000/scim', startedAt: '2026-01-05T09:00:00Z', finishedAt: '2026-01-05T09:00:04Z', summary: { created: 190, updated: 0, disabled: 1, failed: 2 }, entries: [{ status: 'failure', action: 'create', user: { userPrincipalName: 'a@b.c' }, error: { code: '409', message: 'uniqueness' } }] });
    expect(run).toMatchObject({ cycle: 'initial', durationMs: 4000, counts: { created: 190, disabled: 1, failed: 2 }, failures: [{ user: 'a@b.c', action: 'create', error: '409: uniqueness' }] });
  });

  it('lists a bounded sample of the failed objects and says how many failed, in every format', async () => {
    const entries = Array.from({ length: 5_000 }, (_, i) => ({ action: 'create', status: 'failure', user: `user${i}@contoso.com`, error: 'HTTP 500' }));
    const run = readProvisioningLog({ cycle: 'initial', entries });
    expect(run.counts.failed).toBe(5_000);
    expect([run.failures.length, run.failuresFound]).toEqual([20, 5_000]);
    expect(run.failures[19]!.user).toBe('user19@contoso.com');
    const withRun = { ...(await report('haiilo', entraDefaultSet(), 'off')), provisioning: run };
    expect(renderMarkdown(withRun)).toContain('Failures showing 20 of 5,000.');
    expect(renderHtml(withRun)).toContain('Failures showing 20 of 5,000.');
    expect(renderMarkdown(withRun)).not.toContain('user20@contoso.com');
  });

  it('counts entries when the log has no summary', () => {
    const run = readProvisioningLog([{ action: 'create', status: 'success' }, { action: 'update' }, { action: 'deactivate' }, { status: 'skipped' }, { action: 'create', status: 'failed', error: 'HTTP 500' }]);
    expect(run.counts).toEqual({ created: 1, updated: 1, disabled: 1, deleted: 0, skipped: 1, failed: 1 });
  });

  it('refuses something that is not a log', () => {
    expect(() => readProvisioningLog('nope')).toThrow(/not a JSON object/);
  });
});
