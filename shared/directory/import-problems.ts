/**
 * The problems a users file import finds, for both readers (CSV and Graph users JSON). A file with any problem is
 * refused whole; only the first few dozen are kept in detail, the rest are counted, so a 50 MB junk file is refused
 * with its first problems in seconds instead of building hundreds of thousands of messages.
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

/** How many problems are kept with their line and column; every later one is only counted. */
export const MAX_DETAILED_PROBLEMS = 50;

/** How many of the kept problems an error message lists (the Import panel shows all kept ones). */
const LISTED_IN_MESSAGE = 20;

export class ImportProblems {
  readonly issues: ImportIssue[] = [];
  /** problems found after the first MAX_DETAILED_PROBLEMS, counted but not kept */
  skipped = 0;

  add(issue: ImportIssue): void {
    if (this.issues.length < MAX_DETAILED_PROBLEMS) this.issues.push(issue);
    else this.skipped++;
  }

  get count(): number {
    return this.issues.length + this.skipped;
  }
}

/** The import error's text: how many problems, then the first ones by line and column. */
function describeProblems(kind: 'CSV' | 'JSON', issues: readonly ImportIssue[], skipped: number): string {
  const total = issues.length + skipped;
  const listed = issues
    .slice(0, LISTED_IN_MESSAGE)
    .map((i) => `  line ${i.line}${i.column ? `, column ${i.column}${i.columnName ? ` (${i.columnName})` : ''}` : ''}: ${i.message}`);
  const more = total - listed.length;
  return (
    `The ${kind} file has ${total} problem${total === 1 ? '' : 's'}; nothing was imported.\n` +
    listed.join('\n') +
    (more > 0 ? `\n  ... and ${more} more` : '')
  );
}

/** A refused users file: `issues` are the first problems in file order, `skipped` how many more were found. */
export abstract class UsersFileImportError extends Error {
  abstract readonly format: 'csv' | 'json';
  constructor(
    kind: 'CSV' | 'JSON',
    readonly issues: readonly ImportIssue[],
    readonly skipped = 0,
  ) {
    super(describeProblems(kind, issues, skipped));
  }

  get problemCount(): number {
    return this.issues.length + this.skipped;
  }
}

export class CsvImportError extends UsersFileImportError {
  override readonly name = 'CsvImportError';
  readonly format = 'csv';
  constructor(issues: readonly ImportIssue[], skipped = 0) {
    super('CSV', issues, skipped);
  }
}

export class JsonImportError extends UsersFileImportError {
  override readonly name = 'JsonImportError';
  readonly format = 'json';
  constructor(issues: readonly ImportIssue[], skipped = 0) {
    super('JSON', issues, skipped);
  }
}
