import { csvDocument, csvLine } from '../csv.ts';
import { examplesText, type Report } from './model.ts';

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
  return `\uFEFF${csvDocument(lines)}`;
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
