import { describe, expect, it } from 'vitest';
import type { CheckedEvaluationDto, RevisionCheckDto } from '../../../shared/api.ts';
import { entraDefaultSet } from '../../../shared/reports/compare.ts';
import { parseCsv, renderCsv, renderHtml, renderMarkdown } from '../../../shared/reports/index.ts';
import { buildReport, type BuildReportInput } from '../../../electron/backend/reports/build.ts';
import { checkSummary, notCheckedText, REPORT_DIFFERENCES_PER_ROW } from '../../../shared/reports/microsoft-check.ts';
import { loadBuiltInProfile } from '../../../shared/vendors/index.ts';
import { demoUsers } from './demo.ts';

/** Entra's answer to a department row, as hostile as a tenant's data can make it: markup and a table's column bar. */
const HOSTILE = '<img src=x onerror=alert(1)>|R&D';

function evaluation(targetAttribute: string, user: number, entra: string | null): CheckedEvaluationDto {
  const ours = targetAttribute === 'department' ? 'R&D' : 'x';
  return {
    targetAttribute,
    expression: `Trim([${targetAttribute}])`,
    userId: `u${user}`,
    userPrincipalName: `user${user}@contoso.com`,
    verdict: entra === null ? 'entra-refused' : entra === ours ? 'agree' : 'differ',
    ours: { ok: true, value: [ours] },
    entra:
      entra === null
        ? { parsingSucceeded: true, evaluationSucceeded: false, value: null, error: 'Evaluation failed' }
        : { parsingSucceeded: true, evaluationSucceeded: true, value: [entra], error: null },
    attributes: [targetAttribute],
  };
}

function check(evaluations: CheckedEvaluationDto[], extra: Partial<RevisionCheckDto> = {}): RevisionCheckDto {
  return {
    revision: 3,
    checkedAt: '2026-12-01T09:30:12.000Z',
    servicePrincipalId: 'sp',
    jobId: 'scim.1',
    complete: true,
    evaluations,
    skipped: [],
    ...extra,
  };
}

const input = (microsoftCheck: BuildReportInput['microsoftCheck']): BuildReportInput => ({
  projectName: 'Contoso',
  tenantName: 'Contoso demo',
  mappingLabel: 'Revision 3',
  set: entraDefaultSet(),
  users: demoUsers,
  profile: loadBuiltInProfile('generic'),
  ...(microsoftCheck ? { microsoftCheck } : {}),
  options: { generatedAt: '2026-12-05T11:00:00.000Z', redaction: 'off', sections: ['microsoftCheck'] },
});

describe('Checked with Microsoft, in words', () => {
  it('counts rows that agree on every sampled user and rows that do not, with the check’s revision, time and job', () => {
    expect(checkSummary(check([evaluation('title', 1, 'x'), evaluation('title', 2, 'x')]))).toBe(
      'Checked with Microsoft (revision 3, 2026-12-01 09:30 UTC, job scim.1): 1 row agrees on all 2 sampled users, 0 differ.',
    );
    const cancelled = check([evaluation('title', 1, 'x'), evaluation('city', 1, 'y'), evaluation('mail', 1, 'x')], {
      complete: false,
      skipped: [{ targetAttribute: 'id', reason: 'it gives a new value on every run' }],
    });
    expect(checkSummary(cancelled)).toBe(
      'Checked with Microsoft (revision 3, 2026-12-01 09:30 UTC, job scim.1): 2 rows agree on all 1 sampled user, 1 differs. The check was cancelled: only what was checked before it stopped is counted. Not sent to Entra: id (it gives a new value on every run).',
    );
  });

  it('never lends another revision’s check to an unchecked one, and says how to check it', () => {
    expect(notCheckedText(4, { revision: 3, checkedAt: '2026-12-01T09:30:12.000Z' })).toBe(
      'Not checked with Microsoft for this revision (revision 4): to check it, use "Check with Microsoft" on the Mappings screen, or `scim-planner verify --workspace FILE --revision N`. The newest check is of revision 3 (2026-12-01 09:30 UTC); it does not apply to this one.',
    );
    expect(notCheckedText(4, null)).not.toMatch(/newest/);
    expect(notCheckedText(null)).toMatch(
      /^Not checked with Microsoft: Entra's default mappings are not a saved revision/,
    );
  });
});

describe('the report section', () => {
  it('escapes what Entra answered in HTML and Markdown, so a value can neither run nor break a table', async () => {
    const report = await buildReport(input({ revision: 3, check: check([evaluation('department', 1, HOSTILE)]) }));
    expect(report.microsoftCheck!.differences).toEqual([
      {
        targetAttribute: 'department',
        user: 'user1@contoso.com',
        verdict: 'differ',
        ours: '["R&D"]',
        entra: JSON.stringify([HOSTILE]),
      },
    ]);
    const html = renderHtml(report);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;|R&amp;D');
    const row = renderMarkdown(report)
      .split('\n')
      .find((line) => line.startsWith('| department | user1@contoso.com'))!;
    expect(row).not.toContain('<img');
    // five cells, the bar inside Entra's value escaped
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(5);
  });

  it('lists at most a bounded number of differences per row, and says how many more the counts cover', async () => {
    const many = Array.from({ length: REPORT_DIFFERENCES_PER_ROW + 5 }, (_, i) => evaluation('title', i, 'y'));
    const report = await buildReport(input({ revision: 3, check: check(many) }));
    expect(report.microsoftCheck!.rows[0]!.counts.differ).toBe(REPORT_DIFFERENCES_PER_ROW + 5);
    expect(report.microsoftCheck!.differences).toHaveLength(REPORT_DIFFERENCES_PER_ROW);
    expect(report.microsoftCheck!.unlisted).toBe(5);
    expect(renderHtml(report)).toContain(
      `the first ${REPORT_DIFFERENCES_PER_ROW} users per row; 5 more are counted above`,
    );
    expect(
      parseCsv(renderCsv(report)).some(
        (line) =>
          line[13] ===
          `5 more differences are counted but not listed (the first ${REPORT_DIFFERENCES_PER_ROW} users per row are).`,
      ),
    ).toBe(true);
  });

  it('leaves the CSV as it was when the section is not chosen', async () => {
    const report = await buildReport({
      ...input({ revision: 3, check: check([evaluation('title', 1, 'y')]) }),
      options: { sections: ['mappings', 'findings'], redaction: 'off' },
    });
    expect(report.microsoftCheck).toBeNull();
    expect(parseCsv(renderCsv(report)).some((line) => line[0] === 'Checked with Microsoft')).toBe(false);
  });
});
