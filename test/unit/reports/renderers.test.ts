import { describe, expect, it } from 'vitest';
import { importMappingSet, withTenantUrl } from '../../../shared/mapping/model.ts';
import { CSV_COLUMNS as CSV_COLUMNS_FOR_TEST } from '../../../shared/reports/csv.ts';
import {
  coverageChartSvg,
  entraSchemaJson,
  parseCsv,
  renderCsv,
  renderHtml,
  renderJson,
  renderMarkdown,
  type Report,
} from '../../../shared/reports/index.ts';
import { loadBuiltInProfile } from '../../../shared/vendors/index.ts';
import { demoGroups, demoUsers, vendorReadySet } from './demo.ts';
import { buildReport } from '../../../electron/backend/reports/build.ts';

const set = vendorReadySet('thrive');
const report: Report = await buildReport({
  projectName: 'Contoso | demo',
  tenantName: 'Contoso demo',
  mappingLabel: 'Thrive recommended',
  set,
  users: demoUsers,
  groups: demoGroups,
  profile: loadBuiltInProfile('thrive'),
  options: { generatedAt: '2026-01-05T09:00:00.000Z' },
});

describe('HTML', () => {
  const html = renderHtml(report);

  it('is one self-contained document: inline style and SVG, no script, no external resource', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)=["']https?:/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('<svg');
  });

  it('has a section per chosen section, in order', () => {
    const ids = [...html.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(report.sections);
  });

  it('escapes text that looks like markup', () => {
    const tricky = { ...report, meta: { ...report.meta, projectName: '<img src=x onerror=alert(1)>' } };
    expect(renderHtml(tricky)).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('Markdown', () => {
  const md = renderMarkdown(report);

  it('keeps every table row on one line with the header’s column count', () => {
    const lines = md.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^\| --- /.test(lines[i]!)) continue;
      const columns = lines[i - 1]!.split(/(?<!\\)\|/).length;
      for (let j = i + 1; j < lines.length && lines[j]!.startsWith('|'); j++) expect(lines[j]!.split(/(?<!\\)\|/).length).toBe(columns);
    }
  });

  it('escapes pipes inside cells', () => {
    expect(md).toContain('Contoso \\| demo');
  });

  it('escapes HTML and link syntax in tenant, mapping and display names', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const tricky: Report = {
      ...report,
      meta: { ...report.meta, tenantName: hostile, title: `Report ${hostile}` },
      objectMappings: report.objectMappings.map((om) => ({ ...om, name: `![x](https://evil.example/t.png) ${hostile}` })),
      samples: report.samples.map((sample) => ({ ...sample, displayName: `${hostile} | *bold*` })),
    };
    const out = renderMarkdown(tricky);
    expect(out).not.toContain('<img');
    expect(out).not.toMatch(/(?<!\\)\]\(https:\/\/evil/);
    expect(out).toContain('| Tenant | &lt;img src=x onerror=alert(1)&gt; |');
    expect(out).toContain('# Report &lt;img src=x onerror=alert(1)&gt;');
    expect(out).toContain('### !\\[x\\](https://evil.example/t.png) &lt;img');
    expect(out).toContain('### &lt;img src=x onerror=alert(1)&gt; \\| \\*bold\\* (');
  });

  it('opens a fenced block with a fence longer than any backtick run inside it', () => {
    const sample = report.samples.find((s) => s.requests.length > 0)!;
    const withFences = { ...report, samples: [{ ...sample, requests: [{ ...sample.requests[0]!, body: { note: '````' } }] }] };
    expect(renderMarkdown(withFences)).toMatch(/`````http\n/);
  });

  it('puts payloads in fenced blocks and the Thrive ticket fields in code', () => {
    expect(md).toMatch(/```http\nPOST \/Users\n\n\{/);
    expect(md).toContain('- Thrive custom field ref: `employeenumber`');
  });
});

describe('CSV', () => {
  const rows = parseCsv(renderCsv(report));

  it('has one mapping line per row and one finding line per finding', () => {
    expect(rows[0]).toEqual([...CSV_COLUMNS_FOR_TEST]);
    const mappingRows = report.objectMappings.reduce((n, om) => n + om.rows.length, 0);
    expect(rows.filter((r) => r[0] === 'Mapping')).toHaveLength(mappingRows);
    expect(rows.filter((r) => r[0] === 'Finding')).toHaveLength(report.findings.length);
    expect(rows.every((r) => r.length === CSV_COLUMNS_FOR_TEST.length)).toBe(true);
  });

  it('round-trips expressions with quotes and commas', () => {
    const active = rows.find((r) => r[0] === 'Mapping' && r[2] === 'active')!;
    expect(active[4]).toBe('Switch([IsSoftDeleted], , "False", "True", "True", "False")');
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    const evil = { ...report, findings: [{ severity: 'info' as const, code: 'X', attribute: null, count: 1, message: '=HYPERLINK("http://x")', fix: null, examples: [] }] };
    const parsed = parseCsv(renderCsv(evil));
    expect(parsed.find((r) => r[0] === 'Finding')![13]).toBe(`'=HYPERLINK("http://x")`);
  });
});

describe('JSON and Entra schema', () => {
  it('JSON is the report model, tagged', () => {
    const json = JSON.parse(renderJson(report));
    expect(json.format).toBe('scim-planner-report');
    expect(json.meta).toEqual(report.meta);
    expect(json.findings).toEqual(report.findings);
  });

  it('the Entra schema re-imports to an equal mapping set, without the app’s tenant-URL annotation', () => {
    const withUrl = withTenantUrl(set, 'https://scim.example.com/scim?aadOptscim062020');
    const text = entraSchemaJson(withUrl);
    expect(text).not.toContain('@scimPlanner');
    const imported = importMappingSet(JSON.parse(text));
    expect(imported.ok && imported.set).toEqual(withTenantUrl(set, null));
  });
});

describe('coverage chart', () => {
  it('draws one bar group per target with its share of users given a value', () => {
    const svg = coverageChartSvg([
      { target: 'userName', value: 10, empty: 0, missing: 0, error: 0 },
      { target: 'title', value: 5, empty: 1, missing: 4, error: 0 },
    ]);
    expect(svg.match(/<g>/g)).toHaveLength(2);
    expect(svg).toContain('>100%<');
    expect(svg).toContain('>50%<');
    expect(svg).toContain('class="cov-missing"');
  });
});
