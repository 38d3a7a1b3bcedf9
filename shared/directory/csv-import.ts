/**
 * Users from CSV → Graph-shaped users (the same JSON `GET /users` returns), so an import goes through the
 * one Graph → source conversion like a fetch does. Two layouts are read:
 *
 * - Entra's "Download users" export (Entra admin center > Users > Download users): Azure AD-era column
 *   names such as objectId, physicalDeliveryOfficeName, telephoneNumber, mobile, or the portal's
 *   display labels ("Object Id", "Office phone", ...). Columns the source model does not use
 *   (authenticationEmail, ageGroup, ...) are ignored with a warning.
 * - The documented template (docs/tenant-setup.md "Import from CSV"): one column per Graph property,
 *   multi-valued cells separated by ";", plus manager, extensionAttribute1..15 and extension_* columns.
 *
 * Parsing follows RFC 4180 (quoted fields, doubled quotes, CRLF or LF, embedded newlines) and accepts a
 * UTF-8 BOM and ";" as the delimiter (Excel in many locales). Import is all-or-nothing: any error throws
 * CsvImportError listing every problem with its line and column, and no user is returned.
 */
import { csvDocument, csvField, csvLine, unguardCsvFormula } from '../csv.ts';
import type { GraphUser } from './graph-to-source.ts';
import { CsvImportError, ImportProblems, type ImportIssue } from './import-problems.ts';
import { isDirectoryExtensionName } from './source-schema.ts';

export { CsvImportError } from './import-problems.ts';
export type { ImportIssue } from './import-problems.ts';

interface CsvImportResult {
  users: GraphUser[];
  /** which layout the header matched */
  layout: 'entra-download' | 'template';
  /** columns that were ignored, and other non-fatal notes */
  warnings: string[];
}

interface CsvRow {
  /** line on which the row starts */
  line: number;
  fields: string[];
}

const enum Field {
  /** at the start of a field */
  Start,
  Unquoted,
  Quoted,
  /** a quote inside a quoted field: doubled (a literal quote) or the closing one */
  QuoteInQuoted,
  /** after a closing quote and a character that is no delimiter: skipped up to the next delimiter or line */
  AfterClosing,
}

const CR = 13;
const LF = 10;
const QUOTE = 34;

/**
 * RFC 4180 tokenizer over a stream of text chunks: rows are handed to `onRow` as they complete, so only the row being
 * read is held. Reports an unterminated quote at the line where the field opened, and then stops.
 */
class CsvRowReader {
  private sep = -1;
  /** text held back until the first line is complete, to detect the delimiter */
  private head: string[] | null = [];
  private started = false;
  private state = Field.Start;
  private fields: string[] = [];
  private value: string[] = [];
  private line = 1;
  private rowLine = 1;
  private openLine = 1;
  /** a row ended on CR: an LF right after it belongs to the same line break */
  private afterCr = false;
  private stoppedAtQuote = false;

  constructor(
    private readonly onRow: (row: CsvRow) => void,
    private readonly problems: ImportProblems,
    private readonly delimiter?: ',' | ';',
  ) {}

  /** True after an unclosed quote (the rest of the file is one field) or once there are too many problems to go on. */
  get stopped(): boolean {
    return this.stoppedAtQuote || this.problems.full;
  }


  push(chunk: string): void {
    if (this.stopped || chunk === '') return;
    if (this.head) {
      this.head.push(chunk);
      if (!chunk.includes('\n')) return;
      this.flushHead();
      return;
    }
    this.scan(chunk);
  }

  end(): void {
    if (this.head) this.flushHead();
    if (this.stopped) return;
    switch (this.state) {
      case Field.Quoted:
        this.problems.add({ line: this.openLine, column: this.fields.length + 1, message: 'a quoted field is never closed (missing ")' });
        this.stoppedAtQuote = true;
        return;
      case Field.Start:
        // "a,b," ends with an empty last field; a file ending on a line break has no row left
        if (this.fields.length > 0) this.endField(true);
        return;
      default:
        this.endField(true);
    }
  }

  private flushHead(): void {
    let text = this.head!.join('');
    this.head = null;
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    this.sep = (this.delimiter ?? detectDelimiter(text)).charCodeAt(0);
    this.scan(text);
  }

  private endField(endOfRow: boolean): void {
    this.fields.push(this.value.length === 1 ? this.value[0]! : this.value.join(''));
    this.value = [];
    this.state = Field.Start;
    if (!endOfRow) return;
    const fields = this.fields;
    this.fields = [];
    // A blank line (one empty field) is skipped, as spreadsheet exports often end with one.
    if (!(fields.length === 1 && fields[0] === '')) this.onRow({ line: this.rowLine, fields });
  }

  private scan(chunk: string): void {
    const sep = this.sep;
    const n = chunk.length;
    let i = 0;
    let from = 0;
    const problems = this.problems;
    while (i < n) {
      if (problems.full) return;
      const c = chunk.charCodeAt(i);
      if (this.afterCr) {
        this.afterCr = false;
        if (c === LF) {
          i++;
          continue;
        }
      }
      switch (this.state) {
        case Field.Start:
          if (this.fields.length === 0) this.rowLine = this.line;
          if (c === QUOTE) {
            this.state = Field.Quoted;
            this.openLine = this.line;
            from = i + 1;
          } else {
            this.state = Field.Unquoted;
            from = i;
            continue; // the same character is read again as part of the unquoted field
          }
          break;
        case Field.Unquoted:
          if (c === sep || c === CR || c === LF) {
            this.value.push(chunk.slice(from, i));
            this.lineBreakOrDelimiter(c, c === sep);
          } else if (c === QUOTE) {
            this.problems.add({
              line: this.line,
              column: this.fields.length + 1,
              message: 'a quote inside an unquoted field (quote the whole field and double the quote)',
            });
          }
          break;
        case Field.Quoted:
          if (c === QUOTE) {
            this.value.push(chunk.slice(from, i));
            this.state = Field.QuoteInQuoted;
          } else if (c === LF) this.line++;
          break;
        case Field.QuoteInQuoted:
          if (c === QUOTE) {
            // a doubled quote is one literal quote; the field goes on after it
            this.value.push('"');
            this.state = Field.Quoted;
            from = i + 1;
          } else if (c === sep || c === CR || c === LF) {
            this.lineBreakOrDelimiter(c, c === sep);
          } else {
            // After a closing quote only a delimiter or the end of the row may follow.
            this.problems.add({
              line: this.line,
              column: this.fields.length + 1,
              message: `unexpected character ${JSON.stringify(chunk[i])} after a closing quote`,
            });
            this.state = Field.AfterClosing;
          }
          break;
        case Field.AfterClosing:
          if (c === sep || c === LF) this.lineBreakOrDelimiter(c, c === sep);
          break;
      }
      i++;
    }
    if (this.state === Field.Unquoted || this.state === Field.Quoted) this.value.push(chunk.slice(from, n));
  }

  private lineBreakOrDelimiter(c: number, delimiter: boolean): void {
    if (delimiter) {
      this.endField(false);
      return;
    }
    this.endField(true);
    this.line++;
    if (c === CR) this.afterCr = true;
  }
}

/** RFC 4180 tokenizer for text held in one string. Reports an unterminated quote at the line where the field opened. */
export function parseCsv(text: string, delimiter?: ',' | ';'): { rows: CsvRow[]; issues: ImportIssue[] } {
  const rows: CsvRow[] = [];
  const problems = new ImportProblems();
  const reader = new CsvRowReader((row) => rows.push(row), problems, delimiter);
  reader.push(text);
  reader.end();
  return { rows, issues: problems.issues };
}

function detectDelimiter(text: string): ',' | ';' {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const commas = (firstLine.match(/,/g) ?? []).length;
  const semicolons = (firstLine.match(/;/g) ?? []).length;
  return semicolons > commas ? ';' : ',';
}

type Target =
  | { kind: 'string'; property: string }
  | { kind: 'list'; property: 'businessPhones' | 'proxyAddresses' | 'otherMails' }
  | { kind: 'boolean'; property: 'accountEnabled' | 'onPremisesSyncEnabled'; invert?: boolean }
  | { kind: 'date'; property: 'employeeHireDate' }
  | { kind: 'orgData'; field: 'costCenter' | 'division' }
  | { kind: 'extensionAttribute'; name: string }
  | { kind: 'directoryExtension'; name: string }
  | { kind: 'manager' };

/** Header names are compared without case, spaces, dots, dashes or underscores. */
function normalise(header: string): string {
  return header.toLowerCase().replace(/[\s._\-()/]/g, '');
}

const STRING_PROPERTIES = [
  'id',
  'userPrincipalName',
  'displayName',
  'givenName',
  'surname',
  'mail',
  'mailNickname',
  'jobTitle',
  'department',
  'companyName',
  'employeeId',
  'employeeType',
  'officeLocation',
  'mobilePhone',
  'faxNumber',
  'streetAddress',
  'city',
  'state',
  'postalCode',
  'country',
  'usageLocation',
  'preferredLanguage',
  'onPremisesSecurityIdentifier',
  'userType',
] as const;

/** Azure AD-era names and portal labels seen in Entra's "Download users" CSV, mapped to Graph properties. */
const ALIASES: Record<string, Target> = {
  objectid: { kind: 'string', property: 'id' },
  physicaldeliveryofficename: { kind: 'string', property: 'officeLocation' },
  office: { kind: 'string', property: 'officeLocation' },
  telephonenumber: { kind: 'list', property: 'businessPhones' },
  officephone: { kind: 'list', property: 'businessPhones' },
  mobile: { kind: 'string', property: 'mobilePhone' },
  facsimiletelephonenumber: { kind: 'string', property: 'faxNumber' },
  fax: { kind: 'string', property: 'faxNumber' },
  firstname: { kind: 'string', property: 'givenName' },
  lastname: { kind: 'string', property: 'surname' },
  stateorprovince: { kind: 'string', property: 'state' },
  countryorregion: { kind: 'string', property: 'country' },
  ziporpostalcode: { kind: 'string', property: 'postalCode' },
  directorysynced: { kind: 'boolean', property: 'onPremisesSyncEnabled' },
  dirsyncenabled: { kind: 'boolean', property: 'onPremisesSyncEnabled' },
  blocksignin: { kind: 'boolean', property: 'accountEnabled', invert: true },
  blocksigninyesno: { kind: 'boolean', property: 'accountEnabled', invert: true },
  alternateemailaddress: { kind: 'list', property: 'otherMails' },
  manager: { kind: 'manager' },
  managerid: { kind: 'manager' },
  manageruserprincipalname: { kind: 'manager' },
  employeeorgdatacostcenter: { kind: 'orgData', field: 'costCenter' },
  costcenter: { kind: 'orgData', field: 'costCenter' },
  employeeorgdatadivision: { kind: 'orgData', field: 'division' },
  division: { kind: 'orgData', field: 'division' },
};

/** Columns of Entra's download that are not Graph source data; ignored quietly beyond one warning. */
const ENTRA_DOWNLOAD_ONLY = new Set(
  [
    'authenticationPhoneNumber',
    'authenticationAlternativePhoneNumber',
    'authenticationEmail',
    'ageGroup',
    'consentProvidedForMinor',
    'legalAgeGroupClassification',
    'creationType',
    'invitationState',
    'identityIssuer',
    'createdDateTime',
  ].map(normalise),
);

function targetFor(header: string): Target | null {
  const trimmed = header.trim();
  if (isDirectoryExtensionName(trimmed)) return { kind: 'directoryExtension', name: trimmed };
  const key = normalise(trimmed);
  const ext = /^(?:onpremisesextensionattributes)?extensionattribute(\d{1,2})$/.exec(key);
  if (ext && Number(ext[1]) >= 1 && Number(ext[1]) <= 15)
    return { kind: 'extensionAttribute', name: `extensionAttribute${Number(ext[1])}` };
  for (const property of STRING_PROPERTIES) if (normalise(property) === key) return { kind: 'string', property };
  if (key === 'accountenabled') return { kind: 'boolean', property: 'accountEnabled' };
  if (key === 'onpremisessyncenabled') return { kind: 'boolean', property: 'onPremisesSyncEnabled' };
  if (key === 'businessphones') return { kind: 'list', property: 'businessPhones' };
  if (key === 'proxyaddresses') return { kind: 'list', property: 'proxyAddresses' };
  if (key === 'othermails') return { kind: 'list', property: 'otherMails' };
  if (key === 'employeehiredate') return { kind: 'date', property: 'employeeHireDate' };
  return ALIASES[key] ?? null;
}

function parseBoolean(value: string): boolean | null {
  const v = value.trim().toLowerCase();
  if (['true', 'yes', '1', 'y'].includes(v)) return true;
  if (['false', 'no', '0', 'n'].includes(v)) return false;
  return null;
}

/** A stable stand-in object id for a template row without one (FNV-1a over the UPN, GUID-shaped). */
function derivedObjectId(upn: string): string {
  let hex = '';
  for (let round = 0; round < 4; round++) {
    let hash = 0x811c9dc5 ^ round;
    for (const ch of `${round}:${upn.toLowerCase()}`) hash = Math.imul(hash ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
    hex += hash.toString(16).padStart(8, '0');
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** What a manager cell resolves to: the manager's own columns, filled in from the user in the file when there is one. */
interface ManagerSummary {
  id: string;
  displayName: string | null;
  userPrincipalName: string | null;
  mail: string | null;
}

interface PendingManager {
  user: GraphUser;
  ordinal: number;
  value: string;
  line: number;
  column: number;
}

const managerOf = (m: ManagerSummary): GraphUser['manager'] => ({ '@odata.type': '#microsoft.graph.user', ...m });

/**
 * Users CSV over a stream of text chunks. Each user is handed to `onUser` with its position in the file (its ordinal)
 * as soon as it is complete, while the file has no problem so far; a user whose manager cell names a user further down
 * is held until that user is read (or the file ends), so only those wait in memory.
 */
export class UsersCsvReader {
  readonly problems = new ImportProblems();
  private readonly rows: CsvRowReader;
  private header: CsvRow | null = null;
  private targets: (Target | null)[] = [];
  private upnColumn = -1;
  private headerRefused = false;
  private result: Omit<CsvImportResult, 'users'> = { layout: 'template', warnings: [] };
  private ordinal = 0;
  /** keys Entra itself keeps unique; by id the manager columns a GUID manager cell is filled in from */
  private readonly byId = new Map<string, ManagerSummary>();
  private readonly byUpn = new Map<string, ManagerSummary>();
  private readonly pending: PendingManager[] = [];

  constructor(private readonly onUser: (user: GraphUser, ordinal: number) => void = () => undefined) {
    this.rows = new CsvRowReader((row) => this.row(row), this.problems);
  }

  /** True when the rest of the input is not read: an unclosed quote, a refused header, too many problems. */
  get stopped(): boolean {
    return this.rows.stopped || this.headerRefused;
  }

  get userCount(): number {
    return this.ordinal;
  }

  push(chunk: string): void {
    if (!this.stopped) this.rows.push(chunk);
  }

  /** The input is complete: throws CsvImportError with the first problems, or says which layout was read. */
  end(): Omit<CsvImportResult, 'users'> {
    if (!this.stopped) this.rows.end();
    if (!this.header && this.problems.count === 0) this.problems.add({ line: 1, column: 0, message: 'the file is empty; expected a header row' });
    const stoppedAtLine = this.problems.full ? this.problems.issues.at(-1)!.line : null;
    if (!this.stopped) {
      // manager: an object id (kept even when that user is not in the file: a manager outside the
      // import is a real case) or the UPN of a user in the file.
      for (const cell of this.pending) {
        const summary = this.byUpn.get(cell.value.toLowerCase()) ?? (GUID.test(cell.value) ? (this.byId.get(cell.value) ?? { id: cell.value, displayName: null, userPrincipalName: null, mail: null }) : null);
        if (summary) {
          cell.user.manager = managerOf(summary);
          this.accept(cell.user, cell.ordinal);
        } else {
          this.problems.add({
            line: cell.line,
            column: cell.column,
            columnName: this.header!.fields[cell.column - 1]!,
            message: `manager ${JSON.stringify(cell.value)} is neither an object id nor the userPrincipalName of a user in this file`,
          });
        }
      }
    }
    this.pending.length = 0;
    if (this.problems.count > 0) {
      // A refused header's problems keep the header's order; the rows' are sorted (manager cells are checked last).
      const issues = this.headerRefused ? this.problems.issues : [...this.problems.issues].sort((a, b) => a.line - b.line || a.column - b.column);
      throw new CsvImportError(issues, stoppedAtLine);
    }
    return this.result;
  }

  private accept(user: GraphUser, ordinal: number): void {
    if (this.problems.count === 0) this.onUser(user, ordinal);
  }

  private row(row: CsvRow): void {
    if (this.headerRefused) return;
    if (!this.header) {
      this.readHeader(row);
      return;
    }
    this.dataRow(row);
  }

  private readHeader(header: CsvRow): void {
    this.header = header;
    const targets = header.fields.map((name) => targetFor(name));
    this.targets = targets;
    const ignored = header.fields.filter((name, index) => targets[index] === null && name.trim() !== '');
    const unknown = ignored.filter((name) => !ENTRA_DOWNLOAD_ONLY.has(normalise(name)));
    if (ignored.length > 0) this.result.warnings.push(`Ignored column${ignored.length === 1 ? '' : 's'}: ${ignored.join(', ')}`);
    const before = this.problems.count;
    const seen = new Map<string, number>();
    header.fields.forEach((name, index) => {
      const target = targets[index];
      if (!target) return;
      const key = JSON.stringify(target);
      if (seen.has(key))
        this.problems.add({
          line: header.line,
          column: index + 1,
          columnName: name,
          message: `duplicates column ${seen.get(key)! + 1} (${header.fields[seen.get(key)!]})`,
        });
      else seen.set(key, index);
    });
    this.upnColumn = targets.findIndex((t) => t?.kind === 'string' && t.property === 'userPrincipalName');
    if (this.upnColumn < 0)
      this.problems.add({ line: header.line, column: 0, message: 'no userPrincipalName column; the header must name one' });
    // Without a usable header no row can be read: the rest of the file is not looked at.
    if (this.problems.count > before) this.headerRefused = true;

    // The download carries Azure AD-era names (objectId, physicalDeliveryOfficeName) or portal labels.
    this.result.layout =
      header.fields.some((h) => ['objectid', 'physicaldeliveryofficename', 'telephonenumber', 'mobile'].includes(normalise(h))) ||
      unknown.length < ignored.length
        ? 'entra-download'
        : 'template';
  }

  private dataRow(row: CsvRow): void {
    const header = this.header!;
    const targets = this.targets;
    const problems = this.problems;
    if (row.fields.length !== header.fields.length) {
      problems.add({ line: row.line, column: 0, message: `has ${row.fields.length} fields, the header has ${header.fields.length}` });
      return;
    }
    const user: Record<string, unknown> = {};
    const extensionAttributes: Record<string, string | null> = {};
    let orgData: { costCenter: string | null; division: string | null } | null = null;
    let managerCell: { value: string; column: number } | null = null;
    for (let index = 0; index < row.fields.length; index++) {
      const raw = row.fields[index]!;
      const target = targets[index];
      if (!target) continue;
      // the export's formula guard (shared/csv.ts) is taken off, so exported users read back unchanged
      const value = unguardCsvFormula(raw).trim();
      const at = { line: row.line, column: index + 1, columnName: header.fields[index]! };
      const empty = value === '';
      switch (target.kind) {
        case 'string':
          user[target.property] = empty ? null : value;
          break;
        case 'list':
          user[target.property] = empty
            ? []
            : value
                .split(';')
                .map((v) => v.trim())
                .filter(Boolean);
          break;
        case 'boolean': {
          if (empty) {
            user[target.property] = null;
            break;
          }
          const parsed = parseBoolean(value);
          if (parsed === null) problems.add({ ...at, message: `expected True or False (or Yes/No), got ${JSON.stringify(value)}` });
          else user[target.property] = target.invert ? !parsed : parsed;
          break;
        }
        case 'date':
          if (empty) user[target.property] = null;
          else if (!ISO_DATE.test(value) || Number.isNaN(Date.parse(value)))
            problems.add({
              ...at,
              message: `expected an ISO 8601 date such as 2023-01-15 or 2023-01-15T00:00:00Z, got ${JSON.stringify(value)}`,
            });
          // Graph returns DateTimeOffset in UTC with a Z; a bare date is taken as midnight UTC.
          else user[target.property] = /T/.test(value) ? value : `${value}T00:00:00Z`;
          break;
        case 'orgData':
          orgData ??= { costCenter: null, division: null };
          orgData[target.field] = empty ? null : value;
          break;
        case 'extensionAttribute':
          extensionAttributes[target.name] = empty ? null : value;
          break;
        case 'directoryExtension':
          if (!empty) user[target.name] = value;
          break;
        case 'manager':
          if (!empty) managerCell = { value, column: index + 1 };
          break;
      }
    }
    const upn = user.userPrincipalName;
    if (typeof upn !== 'string') {
      problems.add({ line: row.line, column: this.upnColumn + 1, columnName: header.fields[this.upnColumn]!, message: 'userPrincipalName is empty' });
      return;
    }
    if (typeof user.id !== 'string') user.id = derivedObjectId(upn);
    if (Object.keys(extensionAttributes).length > 0) {
      const all: Record<string, string | null> = {};
      for (let n = 1; n <= 15; n++) all[`extensionAttribute${n}`] = extensionAttributes[`extensionAttribute${n}`] ?? null;
      user.onPremisesExtensionAttributes = all;
    }
    // Graph returns employeeOrgData: null, not an object of nulls, when neither field is set.
    if (orgData) user.employeeOrgData = orgData.costCenter === null && orgData.division === null ? null : orgData;

    const graphUser = user as GraphUser;
    const ordinal = this.ordinal++;
    this.checkUnique(graphUser, row.line);
    if (!managerCell) {
      this.accept(graphUser, ordinal);
      return;
    }
    // A manager already read is resolved now; one further down (or outside the file) when the file ends.
    const known = this.byUpn.get(managerCell.value.toLowerCase()) ?? (GUID.test(managerCell.value) ? this.byId.get(managerCell.value) : undefined);
    if (known) {
      graphUser.manager = managerOf(known);
      this.accept(graphUser, ordinal);
    } else {
      this.pending.push({ user: graphUser, ordinal, value: managerCell.value, line: row.line, column: managerCell.column });
    }
  }

  /** Uniqueness of the keys Entra itself keeps unique. */
  private checkUnique(user: GraphUser, line: number): void {
    const summary: ManagerSummary = {
      id: user.id,
      displayName: user.displayName ?? null,
      userPrincipalName: user.userPrincipalName ?? null,
      mail: user.mail ?? null,
    };
    if (this.byId.has(user.id)) this.problems.add({ line, column: 0, message: `object id ${user.id} appears twice` });
    this.byId.set(user.id, summary);
    const upnKey = String(user.userPrincipalName).toLowerCase();
    if (this.byUpn.has(upnKey))
      this.problems.add({
        line,
        column: this.upnColumn + 1,
        columnName: this.header!.fields[this.upnColumn]!,
        message: `userPrincipalName ${user.userPrincipalName} appears twice`,
      });
    this.byUpn.set(upnKey, summary);
  }
}

/** Parses a users CSV held in one string into Graph-shaped users, or throws CsvImportError with its first problems. */
export function importUsersCsv(text: string): CsvImportResult {
  const users: GraphUser[] = [];
  const reader = new UsersCsvReader((user, ordinal) => {
    users[ordinal] = user;
  });
  reader.push(text);
  return { users, ...reader.end() };
}

/** The documented template's header (docs/tenant-setup.md): Graph property names, in this order. */
const CSV_TEMPLATE_COLUMNS: readonly string[] = Object.freeze([
  'id',
  'userPrincipalName',
  'displayName',
  'givenName',
  'surname',
  'mail',
  'mailNickname',
  'accountEnabled',
  'userType',
  'jobTitle',
  'department',
  'companyName',
  'employeeId',
  'employeeType',
  'employeeHireDate',
  'employeeOrgData.costCenter',
  'employeeOrgData.division',
  'officeLocation',
  'businessPhones',
  'mobilePhone',
  'faxNumber',
  'streetAddress',
  'city',
  'state',
  'postalCode',
  'country',
  'usageLocation',
  'preferredLanguage',
  'proxyAddresses',
  'otherMails',
  'onPremisesSyncEnabled',
  'onPremisesSecurityIdentifier',
  'manager',
  ...Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`),
]);

/** Writes users in the template layout (CRLF, as RFC 4180 says); importUsersCsv reads it back unchanged. */
export function exportUsersCsv(users: readonly GraphUser[], directoryExtensions: readonly string[] = []): string {
  const columns = [...CSV_TEMPLATE_COLUMNS, ...directoryExtensions];
  const lines = [csvLine(columns)];
  for (const user of users) {
    const cells = columns.map((column) => {
      let value: unknown;
      if (column === 'manager') value = user.manager?.id;
      else if (column.startsWith('employeeOrgData.'))
        value = user.employeeOrgData?.[column.slice(16) as 'costCenter' | 'division'];
      else if (/^extensionAttribute\d+$/.test(column))
        value = user.onPremisesExtensionAttributes?.[column as `extensionAttribute${number}`];
      else value = user[column];
      if (value === null || value === undefined) return '';
      if (Array.isArray(value)) return csvField(value.join(';'));
      if (typeof value === 'boolean') return value ? 'True' : 'False';
      return csvField(String(value));
    });
    lines.push(cells.join(','));
  }
  return csvDocument(lines);
}
