import { csvDocument, csvLine } from '../csv.ts';
import { NO_WORKSPACE_CHECK, REPORT_DIFFERENCES_PER_ROW, VERDICT_LABELS } from './microsoft-check.ts';
import { examplesText, SECTION_TITLES, type Report } from './model.ts';

/**
 * The mapping table and the findings as one CSV for a spreadsheet: the first column says which (Mapping or
 * Finding), so a filter on it gives either table, and one file is what `--out FILE` and the browser's
 * download both expect. Written by shared/csv.ts, with a UTF-8 byte-order mark so Excel reads accented
 * names correctly.
 */

export const CSV_COLUMNS = [
  'Section',
  'Object mapping',
  'Target attribute',
  'Mapping type',
  'Source attribute / expression',
  'Default value if null',
  'Matching precedence',
  'Apply this mapping',
  'In plain words',
  'vs. Entra default',
  'Severity',
  'Code',
  'Users',
  'Message',
  'Fix',
  'Examples',
] as const;

type Column = (typeof CSV_COLUMNS)[number];

function line(values: Partial<Record<Column, string | number | null>>): string {
  return csvLine(CSV_COLUMNS.map((column) => values[column]));
}

export function renderCsv(report: Report): string {
  const lines = [csvLine(CSV_COLUMNS)];
  for (const om of report.objectMappings) {
    for (const row of om.rows) {
      lines.push(
        line({
          Section: 'Mapping',
          'Object mapping': om.name,
          'Target attribute': row.target,
          'Mapping type': row.mappingType,
          'Source attribute / expression': row.source,
          'Default value if null': row.defaultValue,
          'Matching precedence': row.matchingPrecedence || null,
          'Apply this mapping': row.apply,
          'In plain words': row.explanation,
          'vs. Entra default': row.vsDefault,
        }),
      );
    }
  }
  for (const finding of report.findings) {
    lines.push(
      line({
        Section: 'Finding',
        'Target attribute': finding.attribute,
        Severity: finding.severity,
        Code: finding.code,
        Users: finding.count,
        Message: finding.message,
        Fix: finding.fix,
        Examples: examplesText(finding, '; '),
      }),
    );
  }
  lines.push(...microsoftCheckLines(report));
  return `\uFEFF${csvDocument(lines)}`;
}

/** "Checked with Microsoft" rows: what was checked (or why nothing was), one row per mapping row, one per difference. */
function microsoftCheckLines(report: Report): string[] {
  if (!report.sections.includes('microsoftCheck')) return [];
  const section = report.microsoftCheck;
  const Section = SECTION_TITLES.microsoftCheck;
  if (!section) return [line({ Section, Message: NO_WORKSPACE_CHECK })];
  const lines = [line({ Section, Message: section.summary, Fix: section.valuesNote })];
  if (section.unlisted > 0) lines.push(line({ Section, Message: `${section.unlisted} more differences are counted but not listed (the first ${REPORT_DIFFERENCES_PER_ROW} users per row are).` }));
  for (const row of section.rows) {
    const total = Object.values(row.counts).reduce((sum, n) => sum + n, 0);
    const verdicts = Object.entries(row.counts)
      .filter(([, n]) => n > 0)
      .map(([verdict, n]) => `${VERDICT_LABELS[verdict as keyof typeof VERDICT_LABELS]} ${n}`)
      .join(', ');
    lines.push(line({ Section, 'Target attribute': row.targetAttribute, 'Source attribute / expression': row.expression, Users: total, Message: verdicts }));
  }
  for (const difference of section.differences) {
    lines.push(
      line({
        Section,
        'Target attribute': difference.targetAttribute,
        Code: difference.verdict,
        Message: difference.ours === null ? `${VERDICT_LABELS[difference.verdict]}; values left out` : `Preview ${difference.ours}; Microsoft Entra ${difference.entra ?? ''}`,
        Examples: difference.user,
      }),
    );
  }
  return lines;
}

/** Parses CSV text written by renderCsv (RFC 4180), for tests and for re-reading a report. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const input = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (quoted) {
      if (ch === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && input[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
