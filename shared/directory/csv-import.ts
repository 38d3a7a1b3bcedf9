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
import { isDirectoryExtensionName } from './source-schema.ts';

export interface ImportIssue {
  /** 1-based physical line in the file */
  line: number;
  /** 1-based column (field index) or 0 when the problem is the whole row */
  column: number;
  /** header of that column, when known */
  columnName?: string;
  message: string;
}

export class CsvImportError extends Error {
  override readonly name = 'CsvImportError';
  constructor(readonly issues: readonly ImportIssue[]) {
    super(
      `The CSV file has ${issues.length} problem${issues.length === 1 ? '' : 's'}; nothing was imported.\n` +
        issues
          .slice(0, 20)
          .map(
            (i) =>
              `  line ${i.line}${i.column ? `, column ${i.column}${i.columnName ? ` (${i.columnName})` : ''}` : ''}: ${i.message}`,
          )
          .join('\n') +
        (issues.length > 20 ? `\n  ... and ${issues.length - 20} more` : ''),
    );
  }
}

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

/** RFC 4180 tokenizer. Reports an unterminated quote at the line where the field opened. */
export function parseCsv(text: string, delimiter?: ',' | ';'): { rows: CsvRow[]; issues: ImportIssue[] } {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const sep = delimiter ?? detectDelimiter(input);
  const rows: CsvRow[] = [];
  const issues: ImportIssue[] = [];
  let line = 1;
  let i = 0;
  while (i < input.length) {
    const rowLine = line;
    const fields: string[] = [];
    let endOfRow = false;
    while (!endOfRow) {
      let value = '';
      if (input[i] === '"') {
        const openLine = line;
        i++;
        let closed = false;
        while (i < input.length) {
          const ch = input[i]!;
          if (ch === '"') {
            if (input[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (ch === '\n') line++;
          value += ch;
          i++;
        }
        if (!closed) {
          issues.push({
            line: openLine,
            column: fields.length + 1,
            message: 'a quoted field is never closed (missing ")',
          });
          return { rows, issues };
        }
        // After a closing quote only a delimiter or the end of the row may follow.
        if (i < input.length && input[i] !== sep && input[i] !== '\r' && input[i] !== '\n') {
          issues.push({
            line,
            column: fields.length + 1,
            message: `unexpected character ${JSON.stringify(input[i])} after a closing quote`,
          });
          while (i < input.length && input[i] !== sep && input[i] !== '\n') i++;
        }
      } else {
        while (i < input.length && input[i] !== sep && input[i] !== '\r' && input[i] !== '\n') {
          if (input[i] === '"')
            issues.push({
              line,
              column: fields.length + 1,
              message: 'a quote inside an unquoted field (quote the whole field and double the quote)',
            });
          value += input[i];
          i++;
        }
      }
      fields.push(value);
      if (i >= input.length) endOfRow = true;
      else if (input[i] === sep) i++;
      else {
        if (input[i] === '\r') i++;
        if (input[i] === '\n') i++;
        line++;
        endOfRow = true;
      }
    }
    // A blank line (one empty field) is skipped, as spreadsheet exports often end with one.
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ line: rowLine, fields });
  }
  return { rows, issues };
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

/** Parses a users CSV into Graph-shaped users, or throws CsvImportError with every problem found. */
export function importUsersCsv(text: string): CsvImportResult {
  const { rows, issues } = parseCsv(text);
  if (issues.length > 0) throw new CsvImportError(issues);
  if (rows.length === 0)
    throw new CsvImportError([{ line: 1, column: 0, message: 'the file is empty; expected a header row' }]);
  const [header, ...data] = rows as [CsvRow, ...CsvRow[]];
  const warnings: string[] = [];
  const targets = header.fields.map((name) => targetFor(name));
  const ignored = header.fields.filter((name, index) => targets[index] === null && name.trim() !== '');
  const unknown = ignored.filter((name) => !ENTRA_DOWNLOAD_ONLY.has(normalise(name)));
  if (ignored.length > 0) warnings.push(`Ignored column${ignored.length === 1 ? '' : 's'}: ${ignored.join(', ')}`);
  const headerIssues: ImportIssue[] = [];
  const seen = new Map<string, number>();
  header.fields.forEach((name, index) => {
    const target = targets[index];
    if (!target) return;
    const key = JSON.stringify(target);
    if (seen.has(key))
      headerIssues.push({
        line: header.line,
        column: index + 1,
        columnName: name,
        message: `duplicates column ${seen.get(key)! + 1} (${header.fields[seen.get(key)!]})`,
      });
    else seen.set(key, index);
  });
  const upnColumn = targets.findIndex((t) => t?.kind === 'string' && t.property === 'userPrincipalName');
  if (upnColumn < 0)
    headerIssues.push({
      line: header.line,
      column: 0,
      message: 'no userPrincipalName column; the header must name one',
    });
  if (headerIssues.length > 0) throw new CsvImportError(headerIssues);

  // The download carries Azure AD-era names (objectId, physicalDeliveryOfficeName) or portal labels.
  const layout: CsvImportResult['layout'] =
    header.fields.some((h) =>
      ['objectid', 'physicaldeliveryofficename', 'telephonenumber', 'mobile'].includes(normalise(h)),
    ) || unknown.length < ignored.length
      ? 'entra-download'
      : 'template';

  const problems: ImportIssue[] = [];
  const users: GraphUser[] = [];
  const userLines: number[] = [];
  const managerCells: { user: GraphUser; value: string; line: number; column: number }[] = [];
  for (const row of data) {
    if (row.fields.length !== header.fields.length) {
      problems.push({
        line: row.line,
        column: 0,
        message: `has ${row.fields.length} fields, the header has ${header.fields.length}`,
      });
      continue;
    }
    const user: Record<string, unknown> = {};
    const extensionAttributes: Record<string, string | null> = {};
    let orgData: { costCenter: string | null; division: string | null } | null = null;
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
          if (parsed === null)
            problems.push({ ...at, message: `expected True or False (or Yes/No), got ${JSON.stringify(value)}` });
          else user[target.property] = target.invert ? !parsed : parsed;
          break;
        }
        case 'date':
          if (empty) user[target.property] = null;
          else if (!ISO_DATE.test(value) || Number.isNaN(Date.parse(value)))
            problems.push({
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
          if (!empty) managerCells.push({ user: user as GraphUser, value, line: row.line, column: index + 1 });
          break;
      }
    }
    const upn = user.userPrincipalName;
    if (typeof upn !== 'string') {
      problems.push({
        line: row.line,
        column: upnColumn + 1,
        columnName: header.fields[upnColumn]!,
        message: 'userPrincipalName is empty',
      });
      continue;
    }
    if (typeof user.id !== 'string') user.id = derivedObjectId(upn);
    if (Object.keys(extensionAttributes).length > 0) {
      const all: Record<string, string | null> = {};
      for (let n = 1; n <= 15; n++)
        all[`extensionAttribute${n}`] = extensionAttributes[`extensionAttribute${n}`] ?? null;
      user.onPremisesExtensionAttributes = all;
    }
    // Graph returns employeeOrgData: null, not an object of nulls, when neither field is set.
    if (orgData) user.employeeOrgData = orgData.costCenter === null && orgData.division === null ? null : orgData;
    users.push(user as GraphUser);
    userLines.push(row.line);
  }

  // Uniqueness of the keys Entra itself keeps unique.
  const byId = new Map<string, number>();
  const byUpn = new Map<string, GraphUser>();
  users.forEach((user, index) => {
    const line = userLines[index]!;
    if (byId.has(user.id)) problems.push({ line, column: 0, message: `object id ${user.id} appears twice` });
    byId.set(user.id, index);
    const upnKey = String(user.userPrincipalName).toLowerCase();
    if (byUpn.has(upnKey))
      problems.push({
        line,
        column: upnColumn + 1,
        columnName: header.fields[upnColumn]!,
        message: `userPrincipalName ${user.userPrincipalName} appears twice`,
      });
    byUpn.set(upnKey, user);
  });

  // manager: an object id (kept even when that user is not in the file: a manager outside the
  // import is a real case) or the UPN of a user in the file.
  for (const cell of managerCells) {
    const byUpnMatch = byUpn.get(cell.value.toLowerCase());
    if (byUpnMatch) {
      cell.user.manager = {
        '@odata.type': '#microsoft.graph.user',
        id: byUpnMatch.id,
        displayName: byUpnMatch.displayName ?? null,
        userPrincipalName: byUpnMatch.userPrincipalName ?? null,
        mail: byUpnMatch.mail ?? null,
      };
    } else if (GUID.test(cell.value)) {
      const inFile = users[byId.get(cell.value) ?? -1];
      cell.user.manager = {
        '@odata.type': '#microsoft.graph.user',
        id: cell.value,
        displayName: inFile?.displayName ?? null,
        userPrincipalName: inFile?.userPrincipalName ?? null,
        mail: inFile?.mail ?? null,
      };
    } else {
      problems.push({
        line: cell.line,
        column: cell.column,
        columnName: header.fields[cell.column - 1]!,
        message: `manager ${JSON.stringify(cell.value)} is neither an object id nor the userPrincipalName of a user in this file`,
      });
    }
  }

  if (problems.length > 0) throw new CsvImportError(problems.sort((a, b) => a.line - b.line || a.column - b.column));
  return { users, layout, warnings };
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
