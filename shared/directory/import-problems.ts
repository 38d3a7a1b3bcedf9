/**
 * The problems a users file import finds, for both readers (CSV and Graph users JSON). A file with any problem is
 * refused whole; after the first few dozen the file is not read further, so a 50 MB junk file is refused with its
 * first problems in seconds instead of building hundreds of thousands of messages.
 */

export interface ImportIssue {
  /** 1-based physical line in the file */
  line: number;
  /** 1-based column (a CSV field index, a JSON character column) or 0 when the problem is the whole row */
  column: number;
  /** header of that column, when known */
  columnName?: string;
  message: string;
}

/** After this many problems a file is not read further: it is refused with these (a junk file has one per line). */
export const MAX_DETAILED_PROBLEMS = 50;

/** How many of the kept problems an error message lists (the Import panel shows all kept ones). */
const LISTED_IN_MESSAGE = 20;

export class ImportProblems {
  readonly issues: ImportIssue[] = [];

  add(issue: ImportIssue): void {
    if (!this.full) this.issues.push(issue);
  }

  get count(): number {
    return this.issues.length;
  }

  /** the limit is reached: the reader stops, the rest of the file is not read */
  get full(): boolean {
    return this.issues.length >= MAX_DETAILED_PROBLEMS;
  }
}

/** The import error's text: how many problems, the first ones by line and column, and where checking stopped. */
function describeProblems(kind: 'CSV' | 'JSON', issues: readonly ImportIssue[], stoppedAtLine: number | null): string {
  const count = `${stoppedAtLine !== null ? 'at least ' : ''}${issues.length} problem${issues.length === 1 ? '' : 's'}`;
  const listed = issues
    .slice(0, LISTED_IN_MESSAGE)
    .map((i) => `  line ${i.line}${i.column ? `, column ${i.column}${i.columnName ? ` (${i.columnName})` : ''}` : ''}: ${i.message}`);
  const more = issues.length - listed.length;
  return (
    `The ${kind} file has ${count}; nothing was imported.\n` +
    listed.join('\n') +
    (more > 0 ? `\n  ... and ${more} more` : '') +
    (stoppedAtLine !== null ? `\n  ${stoppedReading(stoppedAtLine)}` : '')
  );
}

/** What the admin is told about the part of a refused file that was not read. */
export function stoppedReading(line: number): string {
  return `Checking stopped at line ${line.toLocaleString('en-US')}, after the first ${MAX_DETAILED_PROBLEMS} problems; the rest of the file was not read.`;
}

/**
 * A refused users file: `issues` are its first problems in file order; `stoppedAtLine` is the line of the last of them
 * when there were too many to go on and the rest was not read (null: the whole file was checked).
 */
export abstract class UsersFileImportError extends Error {
  abstract readonly format: 'csv' | 'json';
  constructor(
    kind: 'CSV' | 'JSON',
    readonly issues: readonly ImportIssue[],
    readonly stoppedAtLine: number | null = null,
  ) {
    super(describeProblems(kind, issues, stoppedAtLine));
  }
}

export class CsvImportError extends UsersFileImportError {
  override readonly name = 'CsvImportError';
  readonly format = 'csv';
  constructor(issues: readonly ImportIssue[], stoppedAtLine: number | null = null) {
    super('CSV', issues, stoppedAtLine);
  }
}

export class JsonImportError extends UsersFileImportError {
  override readonly name = 'JsonImportError';
  readonly format = 'json';
  constructor(issues: readonly ImportIssue[], stoppedAtLine: number | null = null) {
    super('JSON', issues, stoppedAtLine);
  }
}
