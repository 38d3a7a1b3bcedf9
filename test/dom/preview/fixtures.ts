import { z } from 'zod';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FindingGroup, FixImpact, PreviewRunSummary, PreviewUserDetail, PreviewUserRow, methods, type MethodOutput } from '../../../shared/api.ts';

/**
 * Preview data shaped by the contract (shared/api/preview.ts): every fixture goes through its zod
 * schema, so a change of the contract breaks these tests rather than leaving them testing a ghost.
 */
const HIRE_DATE = 'urn:ietf:params:scim:schemas:extension:hithrive:1.0:User:hire_date';

export const hireDateGroup = FindingGroup.parse({
  code: 'VENDOR_ROW_MISSING',
  severity: 'warning',
  attribute: HIRE_DATE,
  count: 1,
  message: `No mapping sends ${HIRE_DATE}, so Entra will never send it.`,
  fix: `Add New Mapping: FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd") → ${HIRE_DATE}.`,
  fixable: true,
  exampleUserIds: [],
});

export const findingGroups = z.array(FindingGroup).parse([
  hireDateGroup,
  {
    code: 'VENDOR_ROW_MISSING',
    severity: 'error',
    attribute: 'externalId',
    count: 1,
    message: 'No mapping sends externalId from objectId.',
    fix: 'Add New Mapping: [objectId] → externalId, matching precedence 1.',
    fixable: true,
    exampleUserIds: [],
  },
  {
    code: 'VENDOR_REQUIRED_MISSING',
    severity: 'error',
    attribute: 'emails[type eq "work"].value',
    count: 7,
    message: '7 users have no work email (for example adele@contoso.test).',
    fix: null,
    fixable: false,
    exampleUserIds: ['u-3', 'u-8'],
  },
  {
    code: 'VENDOR_VALUE_SPACES',
    severity: 'warning',
    attribute: 'userName',
    count: 2,
    message: '2 users have spaces around userName.',
    fix: null,
    fixable: false,
    exampleUserIds: ['u-5'],
  },
]);

export function summary(overrides: Partial<z.input<typeof PreviewRunSummary>> = {}): PreviewRunSummary {
  return PreviewRunSummary.parse({
    runId: 'run-1',
    revision: null,
    snapshotId: 1,
    vendorId: 'generic',
    dialect: 'default',
    dialectSource: 'tenant-url',
    users: 1000,
    byAction: { create: 940, update: 0, deactivate: 0, delete: 0, none: 0, skip: 55, error: 5 },
    errors: 12,
    warnings: 4,
    findingGroups: [],
    coverage: [
      { target: 'userName', value: 1000, empty: 0, null: 0, error: 0 },
      { target: 'title', value: 600, empty: 100, null: 250, error: 50 },
    ],
    durationMs: 321,
    ...overrides,
  });
}

/** A preview run of `count` users; user i gets a deterministic action, so filters can be checked. */
export function userRows(count: number): PreviewUserRow[] {
  return Array.from({ length: count }, (_, i) =>
    PreviewUserRow.parse({
      id: `u-${i}`,
      userPrincipalName: `user${i}@contoso.test`,
      displayName: `User ${i}`,
      action: i % 10 === 9 ? 'skip' : 'create',
      reason: i % 10 === 9 ? 'Out of scope: accountEnabled is false' : null,
      errors: i % 7 === 0 ? 1 : 0,
      warnings: i % 5 === 0 ? 2 : 0,
      requestCount: i % 10 === 9 ? 0 : 2,
    }),
  );
}

/** preview.listUsers over an in-memory list, honouring action, search, offset and limit like the backend. */
export function listUsersOver(rows: PreviewUserRow[]) {
  return (input: { action?: string; search?: string; offset?: number; limit?: number }): MethodOutput<'preview.listUsers'> => {
    const needle = (input.search ?? '').toLowerCase();
    const matching = rows.filter(
      (r) => (!input.action || r.action === input.action) && (!needle || `${r.displayName} ${r.userPrincipalName}`.toLowerCase().includes(needle)),
    );
    const offset = input.offset ?? 0;
    return methods['preview.listUsers'].output.parse({ total: matching.length, offset, items: matching.slice(offset, offset + (input.limit ?? 200)) });
  };
}

export const adeleDetail = PreviewUserDetail.parse({
  id: 'u-1',
  userPrincipalName: 'adele@contoso.test',
  action: 'create',
  reason: null,
  inScope: true,
  source: { displayName: 'Adele Vance', objectId: 'u-1', employeeHireDate: '2021-03-01T00:00:00Z', mobile: null },
  target: { userName: 'adele@contoso.test', active: true, title: 'Retail Manager' },
  requests: [
    {
      method: 'GET',
      path: '/Users?filter=userName+eq+%22adele%40contoso.test%22',
      headers: { Accept: 'application/scim+json' },
      body: null,
      curl: "curl -X GET 'https://scim.example.test/scim/v2/Users?filter=userName+eq+%22adele%40contoso.test%22'",
    },
    {
      method: 'POST',
      path: '/Users',
      headers: { 'Content-Type': 'application/scim+json' },
      body: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'adele@contoso.test',
        active: true,
        [HIRE_DATE]: '2021-03-01',
        nickName: null,
        loginCount: 3,
      },
      curl: "curl -X POST 'https://scim.example.test/scim/v2/Users' -H 'Content-Type: application/scim+json' -d '{\"userName\":\"adele@contoso.test\"}'",
    },
  ],
  findings: [{ severity: 'warning', code: 'VENDOR_VALUE_SPACES', attribute: 'userName', userId: 'u-1', message: 'userName has a trailing space.' }],
  unverifiedRules: ['FormatDateTime with an empty input format'],
});

export const vendorList = methods['vendors.list'].output.parse([
  { id: 'generic', name: 'Generic SCIM 2.0', builtIn: true, summary: 'RFC 7643/7644 as Entra sends it.' },
  { id: 'hithrive', name: 'HiThrive', builtIn: true, summary: 'Employee recognition; custom hithrive:1.0 attributes.' },
]);

export const hireDateFormatGroup = FindingGroup.parse({
  code: 'VENDOR_FORMAT',
  severity: 'error',
  attribute: HIRE_DATE,
  count: 170,
  message: `Entra will send ${HIRE_DATE} values that are not a date as YYYY-MM-DD for 170 user(s), e.g. "09.07.2004" (megan.bowen@contoso.com).`,
  fix: 'Change the output format of FormatDateTime to yyyy-MM-dd (was dd.MM.yyyy).',
  fixable: true,
  exampleUserIds: ['u-1'],
});

/** Entra's default template with a hire date row mapped from `expression`. */
function setWithHireDate(expression: string): z.infer<typeof FixImpact>['before'] {
  const set = JSON.parse(readFileSync(join(process.cwd(), 'resources/templates/entra-scim-default.schema.json'), 'utf8')) as FixImpact['before'];
  const users = set.synchronizationRules[0]!.objectMappings.find((m) => m.sourceObjectName === 'User')!;
  users.attributeMappings.push({
    targetAttributeName: HIRE_DATE,
    source: { type: 'Function', name: null, expression, parameters: [] },
    defaultValue: null,
    matchingPriority: 0,
    flowType: 'Always',
    flowBehavior: 'FlowWhenChanged',
    exportMissingReferences: false,
  });
  return set;
}

/** The preview of the hire-date fix of issue 20: the output format replaced, 170 users changed, no error left. */
export function fixImpact(overrides: Partial<z.input<typeof FixImpact>> = {}): FixImpact {
  return FixImpact.parse({
    runId: 'run-1',
    code: 'VENDOR_FORMAT',
    attribute: HIRE_DATE,
    description: 'Change the output format of FormatDateTime to yyyy-MM-dd (was dd.MM.yyyy)',
    before: setWithHireDate('FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "dd.MM.yyyy")'),
    after: setWithHireDate('FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd")'),
    users: 200,
    changedUsers: 170,
    sample: [
      { id: 'u-1', userPrincipalName: 'megan.bowen@contoso.com', changes: [{ attribute: HIRE_DATE, from: '09.07.2004', to: '2004-07-09' }], errorsAfter: [] },
      { id: 'u-2', userPrincipalName: 'adele.vance@contoso.com', changes: [{ attribute: HIRE_DATE, from: '01.03.2021', to: '2021-03-01' }], errorsAfter: [] },
    ],
    errorsBefore: 170,
    errorsAfter: 0,
    newErrors: [],
    offered: true,
    notOffered: null,
    ...overrides,
  });
}
