import { describe, expect, it } from 'vitest';
import { endpointCheckFile, endpointCheckMarkdown as cliSection } from '../../../electron/backend/endpoint-check/report.ts';
import type { CheckResult, CheckStep } from '../../../shared/api.ts';
import { entraDefaultSet } from '../../../shared/reports/compare.ts';
import {
  EndpointCheckFileError,
  readEndpointCheck,
  redactCredentials,
  renderHtml,
  renderJson,
  renderMarkdown,
  REPORT_SECTIONS,
} from '../../../shared/reports/index.ts';
import { buildReport, type BuildReportInput } from '../../../electron/backend/reports/build.ts';
import { loadBuiltInProfile } from '../../../shared/vendors/index.ts';
import { demoUsers } from './demo.ts';

const TOKEN = 'tok-3f9c.SECRET-9d1e';
const TARGET = 'https://vendor.example/scim/v2';

/** A real person's phone, borrowed by the test user (the check keeps the sample user's other attributes). */
const realPhone = String(demoUsers.find((u) => typeof u.telephoneNumber === 'string')!.telephoneNumber);

function step(id: string, title: string, outcome: CheckStep['outcome'], extra: Partial<CheckStep> = {}): CheckStep {
  return {
    id,
    title,
    outcome,
    request: { method: 'GET', url: `${TARGET}/Users?filter=userName+eq+%22x%22`, headers: { Authorization: 'Bearer <redacted>' }, body: null },
    response: { status: 200, body: { totalResults: 0, Resources: [] } },
    explanation: `${title} went as Entra needs.`,
    durationMs: 5,
    errorCode: null,
    ...extra,
  };
}

/** A run read from a hand-edited file: the header still carries the token, and the vendor echoed it in its answer. */
const run: CheckResult = {
  target: TARGET,
  runId: '3f9c2a1b',
  mode: 'full',
  dialects: ['default'],
  passed: 1,
  failed: 1,
  skipped: 1,
  cancelled: false,
  steps: [
    step('test-connection', 'Test Connection', 'pass'),
    step('user-disable', 'Disable (soft delete, PATCH active)', 'fail', {
      request: {
        method: 'PATCH',
        url: `${TARGET}/Users/v-42`,
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/scim+json' },
        body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: 'False' }, { op: 'Replace', path: 'phoneNumbers[type eq "work"].value', value: realPhone }] },
      },
      response: { status: 400, body: { detail: `Request with Authorization: Bearer ${TOKEN} refused: active must be a boolean | not "False"` } },
      explanation: 'The vendor refused "False" as a string.\nAdd ?aadOptscim062020 to the Tenant URL.',
      errorCode: 'BadRequest',
    }),
    step('group-create', 'Create the test group', 'skip', { request: null, response: null, explanation: 'The plan provisions no groups.' }),
  ],
  cleanup: {
    deleted: [{ resourceType: 'User', id: 'v-42', path: '/Users/v-42', label: 'scimcheck-3f9c2a1b-2@contoso.com' }],
    leftOver: [{ resourceType: 'User', id: 'v-41', path: '/Users/v-41', label: 'scimcheck-3f9c2a1b-1@contoso.com', reason: 'DELETE answered 500' }],
  },
  startedAt: '2026-12-05T10:00:00.000Z',
  durationMs: 2300,
};

const input: BuildReportInput = {
  projectName: 'Contoso',
  tenantName: 'Contoso demo',
  mappingLabel: 'Entra default mappings',
  set: entraDefaultSet(),
  users: demoUsers,
  profile: loadBuiltInProfile('generic'),
  endpointCheck: run,
  options: { generatedAt: '2026-12-05T11:00:00.000Z' },
};

const report = await buildReport(input);

describe('the Vendor endpoint check section', () => {

  it('is a section of every report, after the provisioning run, built from the run', () => {
    expect(REPORT_SECTIONS.indexOf('endpointCheck')).toBe(REPORT_SECTIONS.indexOf('provisioning') + 1);
    expect(report.sections).toContain('endpointCheck');
    const check = report.endpointCheck!;
    expect([check.target, check.runId, check.startedAt, check.passed, check.failed, check.skipped]).toEqual([TARGET, '3f9c2a1b', '2026-12-05T10:00:00.000Z', 1, 1, 1]);
    expect(check.steps.map((s) => [s.id, s.outcome, s.status])).toEqual([['test-connection', 'pass', 200], ['user-disable', 'fail', 400], ['group-create', 'skip', null]]);
    expect(check.failures.map((f) => f.id)).toEqual(['user-disable']);
    expect(check.failures[0]!.request).not.toHaveProperty('headers');
    expect(check.cleanup).toEqual({ deleted: 1, leftOver: [{ resourceType: 'User', path: '/Users/v-41', label: 'scimcheck-3f9c2a1b-1@contoso.com', reason: 'DELETE answered 500' }] });
  });

  it('in HTML: target, time, counts, each step, and the failed step’s explanation with its request and answer', () => {
    const html = renderHtml(report);
    const section = html.slice(html.indexOf('<section id="endpointCheck">'), html.indexOf('</section>', html.indexOf('<section id="endpointCheck">')));
    expect(section).toContain('<h2>Vendor endpoint check</h2>');
    expect(section).toContain(`<code>${TARGET}</code>`);
    expect(section).toContain('run 3f9c2a1b started 2026-12-05T10:00:00.000Z');
    expect(section).toContain('1 passed, 1 failed, 1 skipped');
    expect(section).toContain('1 test resource(s) deleted, 1 left over');
    expect(section).toContain('<span class="badge oc-fail">fail</span>');
    expect(section).toContain('<h4>Disable (soft delete, PATCH active) (user-disable)</h4>');
    expect(section).toContain('PATCH https://vendor.example/scim/v2/Users/v-42');
    expect(section).toContain('&quot;value&quot;: &quot;False&quot;');
    expect(section).toContain('Response: 400');
    expect(section).toContain('DELETE answered 500');
  });

  it('in Markdown: one row per step on one line, and the evidence in fences', () => {
    const md = renderMarkdown(report);
    const section = md.slice(md.indexOf('## Vendor endpoint check'), md.indexOf('\n## ', md.indexOf('## Vendor endpoint check') + 1));
    expect(section).toContain(`Target \`${TARGET}\`, full check in the default dialect, run 3f9c2a1b started 2026-12-05T10:00:00.000Z (2.3 s): **1 passed, 1 failed, 1 skipped**.`);
    expect(section).toMatch(/^\| Disable \(soft delete, PATCH active\) \| fail \| 400 \| The vendor refused "False" as a string\. Add \?aadOptscim062020 to the Tenant URL\. \|$/m);
    expect(section).toMatch(/^\| Create the test group \| skip \| – \| The plan provisions no groups\. \|$/m);
    expect(section).toContain('- Left over: User `/Users/v-41` (scimcheck-3f9c2a1b-1@contoso.com): DELETE answered 500');
    expect(section).toContain('#### Disable (soft delete, PATCH active) (`user-disable`)');
    expect(section).toContain('```http\nPATCH https://vendor.example/scim/v2/Users/v-42\n\n{');
    expect(section).toContain('"value": "False"');
    expect(section).toContain('Response: 400\n\n```json\n{');
  });

  it('in JSON: the same section as data', () => {
    const json = JSON.parse(renderJson(report)) as { endpointCheck: { runId: string; failures: { id: string; response: { status: number } }[] } };
    expect(json.endpointCheck.runId).toBe('3f9c2a1b');
    expect(json.endpointCheck.failures.map((f) => [f.id, f.response.status])).toEqual([['user-disable', 400]]);
  });

  it('never shows the token, in any format, nor in the CLI’s section and Postman collection', () => {
    const outputs = {
      html: renderHtml(report),
      md: renderMarkdown(report),
      json: renderJson(report),
      section: cliSection(run),
      postman: endpointCheckFile(run, 'postman').content,
      exportedSection: endpointCheckFile(run, 'report-section').content,
    };
    for (const [format, text] of Object.entries(outputs)) {
      expect(text, format).not.toContain(TOKEN);
      expect(text, format).not.toContain('SECRET');
    }
    expect(outputs.md).toContain('Authorization: Bearer <redacted> refused');
  });

  it('pseudonymises the real values the test user borrowed, like every other section', async () => {
    expect(JSON.stringify(report.endpointCheck)).not.toContain(realPhone);
    const off = await buildReport({ ...input, options: { ...input.options, redaction: 'off' } });
    expect(JSON.stringify(off.endpointCheck)).toContain(realPhone);
  });

  it('says how to get a run when the project has none, and is left out when not chosen', async () => {
    const none = await buildReport({ ...input, endpointCheck: null });
    expect(none.endpointCheck).toBeNull();
    expect(renderMarkdown(none)).toMatch(/## Vendor endpoint check\n\nNo endpoint check has been run for this project: run one in the Vendor endpoint panel/);
    expect(renderHtml(none)).toContain('<p>No endpoint check has been run for this project');
    const without = await buildReport({ ...input, options: { ...input.options, sections: ['summary', 'findings'] } });
    expect(without.endpointCheck).toBeNull();
    expect(renderHtml(without)).not.toContain('Vendor endpoint check');
  });

  it('is rendered in one place: the CLI’s --report file is the report’s own Markdown section', async () => {
    const md = renderMarkdown(await buildReport({ ...input, options: { ...input.options, redaction: 'off', sections: ['endpointCheck'] } }));
    expect(md.endsWith(cliSection(run))).toBe(true);
    expect(endpointCheckFile(run, 'report-section')).toMatchObject({ fileName: 'scim-check-3f9c2a1b-report.md', content: cliSection(run) });
    expect(endpointCheckFile(run, 'postman').fileName).toBe('scim-check-3f9c2a1b.postman_collection.json');
  });
});

describe('credentials', () => {
  it('are masked at any depth, the known secrets and any bearer credential, while prose about bearer tokens stays', () => {
    const masked = redactCredentials({ a: [`x ${TOKEN} y`], b: { c: 'Authorization: Bearer eyJhbGciOi.eyJzdWIi.c2ln' }, d: 'OAuth Bearer Token', e: 42 }, [TOKEN]);
    expect(masked).toEqual({ a: ['x <redacted> y'], b: { c: 'Authorization: Bearer <redacted>' }, d: 'OAuth Bearer Token', e: 42 });
  });

  it('leave ordinary text alone when a secret is too short to tell from it', () => {
    expect(redactCredentials({ id: 'test-connection' }, ['t'])).toEqual({ id: 'test-connection' });
  });
});

describe('an endpoint check file', () => {
  it('reads what check-endpoint --format json prints', () => {
    expect(readEndpointCheck(JSON.parse(JSON.stringify(run)))).toEqual(run);
  });

  it('is refused with the field that is wrong', () => {
    const broken = { ...run, steps: [{ ...run.steps[0], outcome: 'maybe' }] };
    expect(() => readEndpointCheck(broken)).toThrow(EndpointCheckFileError);
    expect(() => readEndpointCheck(broken)).toThrow(/steps\.0\.outcome/);
    expect(() => readEndpointCheck([])).toThrow(/not an endpoint check run as `scim-planner check-endpoint --format json` prints it/);
  });
});
