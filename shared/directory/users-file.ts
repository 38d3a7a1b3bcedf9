/**
 * A users file of either kind, read as a stream: Entra's "Download users" CSV, the documented CSV template, or Graph
 * users JSON. The one place that decides which kind a file is, for the Tenant screen's import, `scim-planner import`
 * and the CLI's --users files.
 */
import { UsersCsvReader } from './csv-import.ts';
import { GraphUsersJsonReader, type OnGraphUser } from './graph-json-import.ts';
import { CsvImportError } from './import-problems.ts';

export type UsersFileFormat = 'csv' | 'json';

const isCsvName = (fileName: string): boolean => /\.csv$/i.test(fileName);

/**
 * Which kind of users file this is: a `.csv` name, or content that does not open with `{` or `[`, is a users CSV;
 * anything else is Graph users JSON. `start` is the file's first characters (whitespace and a BOM are skipped).
 */
export function usersFileFormat(fileName: string, start: string): UsersFileFormat {
  return isCsvName(fileName) || !/^\uFEFF?\s*[[{]/.test(start) ? 'csv' : 'json';
}

/**
 * A file read as CSV only because it does not start like JSON (it is not named .csv), which the CSV reader
 * refused too: the admin is told why it is neither, not only why it is no CSV.
 */
export class NeitherUsersFileError extends CsvImportError {
  constructor(csv: CsvImportError, firstCharacter: string) {
    super(csv.issues, csv.stoppedAtLine);
    const notJson = firstCharacter === '' ? 'it is empty' : `it starts with "${firstCharacter}", where JSON starts with "{" or "["`;
    const [first, ...details] = csv.message.split('\n');
    const count = / has (.*); nothing/.exec(first!)?.[1] ?? `${csv.issues.length} problems`;
    this.message = `The file is neither Graph users JSON (${notJson}) nor a users CSV (${count}); nothing was imported.\n${details.join('\n')}`;
  }
}

export interface UsersFileOutcome {
  format: UsersFileFormat;
  warnings: string[];
  userCount: number;
}

/**
 * Reads a users file pushed in text chunks of any size. Users reach `onUser` with their ordinal (their place in the
 * file), and a compact JSON user with its text (OnGraphUser), while no problem has been found; `end()` throws a
 * UsersFileImportError with the first problems otherwise.
 */
export class UsersFileReader {
  private reader: UsersCsvReader | GraphUsersJsonReader | null = null;
  /** leading whitespace held until the first character says which kind of file this is */
  private held = '';

  constructor(
    private readonly fileName: string,
    private readonly onUser: OnGraphUser = () => undefined,
  ) {
    if (isCsvName(fileName)) this.reader = new UsersCsvReader(onUser);
  }

  get format(): UsersFileFormat | null {
    if (!this.reader) return null;
    return this.reader instanceof UsersCsvReader ? 'csv' : 'json';
  }

  /** True once the rest of the input cannot change the outcome: stop reading it. */
  get stopped(): boolean {
    return this.reader?.stopped ?? false;
  }

  /** True once a problem was found: the file will be refused, whatever follows. */
  get hasProblems(): boolean {
    return (this.reader?.problems.count ?? 0) > 0;
  }

  /** How many users were read so far. */
  get userCount(): number {
    return this.reader?.userCount ?? 0;
  }

  push(chunk: string): void {
    if (this.reader) {
      this.reader.push(chunk);
      return;
    }
    const text = this.held + chunk;
    if (/^\uFEFF?\s*$/.test(text)) {
      this.held = text;
      return;
    }
    this.held = '';
    this.choose(text);
    this.reader!.push(text);
  }

  end(): UsersFileOutcome {
    if (!this.reader) {
      this.choose(this.held);
      this.reader!.push(this.held);
    }
    const reader = this.reader!;
    if (reader instanceof GraphUsersJsonReader) {
      const userCount = reader.end();
      return { format: 'json', warnings: [], userCount };
    }
    try {
      const { warnings } = reader.end();
      return { format: 'csv', warnings, userCount: reader.userCount };
    } catch (error) {
      if (error instanceof CsvImportError && !isCsvName(this.fileName)) throw new NeitherUsersFileError(error, this.firstCharacter);
      throw error;
    }
  }

  private firstCharacter = '';

  private choose(text: string): void {
    this.firstCharacter = text.replace(/^\uFEFF/, '').trimStart().slice(0, 1);
    this.reader = usersFileFormat(this.fileName, text) === 'csv' ? new UsersCsvReader(this.onUser) : new GraphUsersJsonReader(this.onUser);
  }
}

