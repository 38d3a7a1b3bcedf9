/**
 * The one CSV writer for every file the app hands an admin (report, provisioning log, users template):
 * RFC 4180 quoting with CRLF line ends, and the spreadsheet-formula guard.
 */

/**
 * A cell a spreadsheet would run as a formula starts with = + - @ tab or CR (OWASP "CSV Injection"); it is
 * written with a leading apostrophe, which spreadsheets show as text. Values that already start with
 * apostrophes before such a character get one more, so unguardCsvFormula restores every value exactly.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/** One field: guarded, then quoted when it holds a quote, a delimiter (, or ;), a line break or edge spaces. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",;\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, without its line end. */
export function csvLine(values: readonly unknown[]): string {
  return values.map(csvField).join(',');
}

/** Records joined with CRLF and ended with one (RFC 4180 §2). */
export function csvDocument(lines: readonly string[]): string {
  return `${lines.join('\r\n')}\r\n`;
}

/** The inverse of the formula guard, for files the app reads back (the users template). */
export function unguardCsvFormula(text: string): string {
  return /^'+[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}
