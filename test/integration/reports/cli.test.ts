import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '../../../electron/cli/report.ts';
import { findChromium } from '../../../electron/backend/reports/pdf.ts';
import { exportMappingSet, importMappingSet } from '../../../shared/mapping/model.ts';
import { parseCsv, REPORT_FORMATS, type ReportFormat } from '../../../shared/reports/index.ts';
import { tempDir } from '../../support/temp.ts';
import { demoPersonalValues, leakedValues, vendorReadySet } from '../../unit/reports/demo.ts';

const USERS = join(process.cwd(), 'resources/demo-tenant/users.json');
const GROUPS = join(process.cwd(), 'resources/demo-tenant/groups.json');
const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');
const chromiumPath = findChromium();
const hasPoppler = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!chromiumPath || !hasPoppler) {
  console.warn(`\n*** PDF REPORT TESTS SKIPPED: ${!chromiumPath ? 'no Chromium (set SCIM_PLANNER_CHROMIUM)' : 'no pdftotext/pdftoppm (apt-get install poppler-utils)'} ***\n`);
}

async function runReport(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await command.run(args, { out: (t) => (out += t), err: (t) => (err += t), stdin: new PassThrough(), env: process.env });
  return { code, out, err };
}

/** `scim-planner report` on the demo tenant with HiThrive's recommended mappings: every format, every redaction. */
describe('scim-planner report on the demo project', () => {
  const dir = tempDir('scim-planner-report-');
  const mappings = join(dir.path, 'hithrive.schema.json');
  const provisionLog = join(dir.path, 'provision-log.json');
  const outputs = new Map<string, string>();
  const file = (format: ReportFormat, redact: string) => join(dir.path, `report-${redact}.${format === 'entra-schema' ? 'schema.json' : format}`);

  beforeAll(async () => {
    writeFileSync(mappings, JSON.stringify(exportMappingSet(vendorReadySet('hithrive')), null, 2));
    const users = JSON.parse(readFileSync(USERS, 'utf8')).value as { userPrincipalName: string; id: string }[];
    writeFileSync(
      provisionLog,
      JSON.stringify({
        cycle: 'initial',
        target: 'http://127.0.0.1:4010/scim',
        startedAt: '2026-01-05T09:00:00.000Z',
        finishedAt: '2026-01-05T09:00:03.500Z',
        entries: [
          { action: 'create', status: 'success', user: { userPrincipalName: users[0]!.userPrincipalName, id: users[0]!.id } },
          { action: 'create', status: 'failure', user: { userPrincipalName: users[1]!.userPrincipalName, id: users[1]!.id }, error: { code: 'uniqueness', message: `409 for ${users[1]!.userPrincipalName}` } },
        ],
      }),
    );
    const formats = REPORT_FORMATS.filter((f) => f !== 'pdf' || (chromiumPath && hasPoppler));
    for (const redact of ['pseudonymise', 'remove', 'off']) {
      for (const format of formats) {
        if (format === 'pdf' && redact === 'off') continue;
        const out = file(format, redact);
        const result = await runReport([
          '--mappings', mappings, '--users', USERS, '--groups', GROUPS, '--vendor', 'hithrive', '--format', format,
          '--redact', redact, '--tenant-name', 'Contoso demo', '--provision-log', provisionLog, '--out', out,
        ]);
        expect(result.code, result.err).toBe(0);
        outputs.set(`${format}/${redact}`, format === 'pdf' ? execFileSync('pdftotext', ['-layout', out, '-']).toString() : readFileSync(out, 'utf8'));
        if (format === 'entra-schema') expect(result.out).toContain('PUT https://graph.microsoft.com/v1.0/servicePrincipals/{servicePrincipalId}/synchronization/jobs/{jobId}/schema');
      }
    }
  }, 120_000);
  afterAll(() => dir.cleanup());

  it('redaction on: no name, UPN, mail, id or phone number of the demo tenant appears in any format', () => {
    const personal = demoPersonalValues();
    expect(personal.length).toBeGreaterThan(600);
    for (const [key, text] of outputs) {
      if (key.endsWith('/off')) continue;
      expect({ key, leaked: leakedValues(text, personal) }).toEqual({ key, leaked: [] });
    }
  });

  it('redaction off: the same report does show the real users (the scan would catch a leak)', () => {
    expect(leakedValues(outputs.get('html/off')!, demoPersonalValues()).length).toBeGreaterThan(10);
  });

  it('HTML: the vendor ticket, plain-word mappings, coverage chart and provisioning summary are there', () => {
    const html = outputs.get('html/pseudonymise')!;
    expect(html).toContain('urn:ietf:params:scim:schemas:extension:hithrive:1.0:User:hire_date');
    expect(html).toContain('urn:ietf:params:scim:schemas:extension:hithrive:1.0:User:hire_date ← employeeHireDate written as &quot;yyyy-MM-dd&quot;');
    expect(html).toMatch(/<svg[^>]+class="coverage-chart"/);
    expect(html).toMatch(/<b>1<\/b>created<\/li>.*<b>1<\/b>failed/s);
  });

  it('Markdown and CSV carry the mapping table and the findings', () => {
    const md = outputs.get('md/pseudonymise')!;
    expect(md).toContain('| `externalId` | Direct | `[objectId]` |');
    const csv = parseCsv(outputs.get('csv/pseudonymise')!);
    expect(csv.some((r) => r[0] === 'Mapping' && r[2] === 'externalId' && r[4] === '[objectId]')).toBe(true);
    expect(csv.some((r) => r[0] === 'Finding')).toBe(true);
  });

  it('JSON: the model with meta, findings and pseudonymised samples', () => {
    const json = JSON.parse(outputs.get('json/pseudonymise')!);
    expect(json.meta).toMatchObject({ vendor: { id: 'hithrive' }, tenantName: 'Contoso demo', redaction: 'pseudonymise', users: 200 });
    expect(json.samples.length).toBeGreaterThan(0);
    expect(json.provisioning.counts).toMatchObject({ created: 1, failed: 1 });
    expect(JSON.parse(outputs.get('json/remove')!).samples).toEqual([]);
  });

  it('Entra schema: re-imports to a mapping set equal to the one given', () => {
    const imported = importMappingSet(JSON.parse(outputs.get('entra-schema/pseudonymise')!));
    expect(imported.ok).toBe(true);
    const original = importMappingSet(JSON.parse(readFileSync(mappings, 'utf8')));
    expect(imported.ok && original.ok && imported.set).toEqual(original.ok && original.set);
  });

  it.skipIf(!chromiumPath || !hasPoppler)('PDF: pages render to PNG and their text holds the report', () => {
    const text = outputs.get('pdf/pseudonymise')!;
    expect(text).toContain('SCIM mapping report');
    expect(text).toContain('Information for the vendor');
    expect(text).toMatch(/hithrive:1\.0:User:birth_date/);
    const pdf = file('pdf', 'pseudonymise');
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf]).toString())![1]);
    expect(pages).toBeGreaterThan(2);
    mkdirSync(SCREENSHOTS, { recursive: true });
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdf, join(dir.path, 'page1')]);
    expect(existsSync(join(dir.path, 'page1.png'))).toBe(true);
    copyFileSync(join(dir.path, 'page1.png'), join(SCREENSHOTS, 'report-pdf-page1.png'));
  });

  it.skipIf(!chromiumPath)('the HTML opens in Chromium with no request leaving the file and is screenshotted', async () => {
    const browser = await chromium.launch({ executablePath: chromiumPath!, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(`file://${file('html', 'pseudonymise')}`);
      await expect(page.locator('h1').textContent()).resolves.toContain('SCIM mapping report');
      await expect(page.locator('section#vendorTicket .ticket').count()).resolves.toBe(3);
      expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, 'report-html.png') });
    } finally {
      await browser.close();
    }
  });

  it('rejects bad input with usage errors', async () => {
    await expect(runReport(['--format', 'docx', '--out', 'x'])).rejects.toThrow(/--format must be one of/);
    await expect(runReport(['--format', 'html', '--out', 'x', '--mappings', mappings, '--users', USERS, '--vendor', 'hithrive', '--redact', 'hide'])).rejects.toThrow(/--redact must be one of/);
    await expect(runReport(['--format', 'html', '--out', 'x'])).rejects.toThrow(/--mappings FILE and --users FILE, or --workspace/);
  });
});
