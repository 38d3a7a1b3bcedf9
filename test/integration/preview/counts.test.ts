import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../../electron/backend/backend.ts';
import { dispatch } from '../../../electron/backend/dispatch.ts';
import type { MappingTemplate, MethodName, PreviewRunSummary } from '../../../shared/api.ts';
import { findObjectMapping, type MappingSet } from '../../../shared/mapping/model.ts';
import type { Report } from '../../../shared/reports/index.ts';
import { tempDir } from '../../support/temp.ts';

const HIRE_DATE = 'urn:ietf:params:scim:schemas:extension:hithrive:1.0:User:hire_date';
const MANAGER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager';

/**
 * Issue 20 item 6: every number the Preview screen and the report show is decided once. The demo project with the
 * HiThrive template and a hire date sent as dd.MM.yyyy (what an admin edits before "Fix it"), through the handlers.
 */
describe('one counting rule per number: Preview screen and report on the demo tenant with HiThrive', () => {
  const dir = tempDir('scim-planner-counts-');
  let backend: Backend;
  let summary: PreviewRunSummary;
  let report: Report;

  async function call<T = unknown>(name: MethodName, input: unknown): Promise<T> {
    const envelope = await dispatch(backend.handlers, name, input);
    if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), { code: envelope.error.code });
    return envelope.value as T;
  }

  beforeAll(async () => {
    backend = new Backend({ mode: 'browser', version: 'test', workspacePath: join(dir.path, 'w.scimplan') });
    const templates = await call<MappingTemplate[]>('mappings.templates', {});
    const set = structuredClone(templates.find((t) => t.id === 'hithrive')!.mappingSet) as MappingSet;
    const hireDate = findObjectMapping(set, 'User')!.objectMapping.attributeMappings.find((m) => m.targetAttributeName === HIRE_DATE)!;
    hireDate.source = { ...hireDate.source!, expression: 'FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "dd.MM.yyyy")' };
    await call('mappings.save', { label: 'Hire date as dd.MM.yyyy', mappingSet: set });
    summary = await call<PreviewRunSummary>('preview.run', { vendorId: 'hithrive' });
    const saved = await call<{ content: string }>('reports.save', { format: 'json', options: { vendorId: 'hithrive', redaction: 'pseudonymise' } });
    report = JSON.parse(saved.content) as Report;
  }, 120_000);
  afterAll(async () => {
    await backend.close();
    dir.cleanup();
  });

  const sumOf = (groups: ReadonlyArray<{ severity: string; count: number }>, severity: string) =>
    groups.filter((g) => g.severity === severity).reduce((n, g) => n + g.count, 0);

  it('the error total is the users the error findings cover, not one more for their summary line', () => {
    const errors = summary.findingGroups.filter((g) => g.severity === 'error');
    expect(errors.map((g) => [g.code, g.count])).toEqual([['VENDOR_FORMAT', 170]]);
    expect(summary.errors).toBe(170);
    expect(summary.warnings).toBe(sumOf(summary.findingGroups, 'warning'));
  });

  it('the report counts errors and warnings as the Preview screen does', async () => {
    expect(report.summary.errors).toBe(summary.errors);
    expect(report.summary.warnings).toBe(summary.warnings);
    expect(report.summary.errors).toBe(sumOf(report.findings, 'error'));
    const html = await call<{ errors: number; warnings: number }>('reports.preview', { options: { vendorId: 'hithrive' } });
    expect([html.errors, html.warnings]).toEqual([summary.errors, summary.warnings]);
  });

  it('managers that are not provisioned are one finding, with the vendor’s consequence as its summary', async () => {
    expect(summary.findingGroups.some((g) => g.code === 'VENDOR_MANAGER_OUT_OF_SCOPE')).toBe(false);
    const manager = summary.findingGroups.filter((g) => g.attribute === MANAGER);
    expect(manager.map((g) => g.code)).toEqual(['MANAGER_NOT_PROVISIONED']);
    const listed = await call<{ total: number }>('preview.listUsers', { runId: summary.runId, findingCode: 'MANAGER_NOT_PROVISIONED', limit: 1 });
    expect(manager[0]!.count).toBe(listed.total);
    expect(manager[0]!.message).toMatch(new RegExp(`^${listed.total} user\\(s\\) have a manager .*HiThrive will show them with no manager`));
    expect(report.findings.filter((f) => f.attribute === MANAGER).map((f) => [f.code, f.count])).toEqual([['MANAGER_NOT_PROVISIONED', listed.total]]);
  });

  it('coverage is the same on the Preview chart and in the report, and counts only manager links Entra sends', () => {
    const chart = summary.coverage.find((row) => row.target === MANAGER)!;
    const inReport = report.coverage.find((row) => row.target === MANAGER)!;
    expect(inReport).toEqual({ target: MANAGER, value: chart.value, empty: chart.empty, missing: chart.null, error: chart.error });
    const notProvisioned = summary.findingGroups.find((g) => g.code === 'MANAGER_NOT_PROVISIONED')!.count;
    expect(chart.null).toBeGreaterThanOrEqual(notProvisioned);
    const percent = (row: { value: number; empty: number; error: number }, missing: number) => Math.round((row.value / (row.value + row.empty + missing + row.error)) * 100);
    expect(percent(inReport, inReport.missing)).toBe(percent(chart, chart.null));
    for (const row of summary.coverage) {
      const other = report.coverage.find((r) => r.target === row.target)!;
      expect([other.value, other.empty, other.missing, other.error]).toEqual([row.value, row.empty, row.null, row.error]);
    }
  });
});
