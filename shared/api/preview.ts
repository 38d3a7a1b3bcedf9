import { z } from 'zod';
import { countLimit, id, JsonObject, MappingSet, method, page, type MethodSpec } from './define.ts';

/**
 * The Preview screen's contract (issue 8) over the preview engine (issue 4) and vendor findings
 * (issue 5). A preview run stays in the backend; the renderer pages through it, so 100,000 users
 * never cross the door at once.
 */
export const Severity = z.enum(['error', 'warning', 'info']);
export const UserAction = z.enum(['create', 'update', 'deactivate', 'delete', 'none', 'skip', 'error']);
export const Dialect = z.enum(['default', 'aadOptscim062020']);

export const FindingDto = z.object({
  severity: Severity,
  code: z.string(),
  attribute: z.string().optional(),
  userId: z.string().optional(),
  message: z.string(),
  fix: z.string().optional(),
  source: z.object({ expression: z.string(), start: z.number(), end: z.number() }).optional(),
});
export type FindingDto = z.infer<typeof FindingDto>;

/** Findings grouped by code (and attribute) with counts, for the "findings by code" panel. */
export const FindingGroup = z.object({
  code: z.string(),
  severity: Severity,
  attribute: z.string().nullable(),
  /** how many users (or 1 for a mapping-level finding) */
  count: z.number().int(),
  /** the mapping-level message, or the first user's */
  message: z.string(),
  fix: z.string().nullable(),
  /** "Fix it" is offered: applying it saves a new mapping revision */
  fixable: z.boolean(),
  exampleUserIds: z.array(z.string()),
});
export type FindingGroup = z.infer<typeof FindingGroup>;

/** Per target attribute, how many users get a value, an empty string, null (omitted) or an error. */
export const CoverageRow = z.object({
  target: z.string(),
  value: z.number().int(),
  empty: z.number().int(),
  null: z.number().int(),
  error: z.number().int(),
});

export const PreviewRunSummary = z.object({
  runId: z.string(),
  revision: z.number().int().nullable(),
  snapshotId: id,
  vendorId: z.string(),
  dialect: Dialect,
  /** which rule chose the dialect: the tenant URL's aadOptscim062020 flag, or the picker's override */
  dialectSource: z.enum(['tenant-url', 'override']),
  users: z.number().int(),
  byAction: z.record(UserAction, z.number().int()),
  errors: z.number().int(),
  warnings: z.number().int(),
  findingGroups: z.array(FindingGroup),
  coverage: z.array(CoverageRow),
  /**
   * the snapshot's groups (Microsoft Learn "Develop a SCIM endpoint for user provisioning", "Group operations"): absent
   * from older runs; `enabled` false when the set does not provision groups
   */
  groups: z
    .object({
      enabled: z.boolean(),
      reason: z.string().nullable(),
      total: z.number().int(),
      byAction: z.record(z.enum(['create', 'update', 'delete', 'none', 'skip', 'error']), z.number().int()),
    })
    .optional(),
  durationMs: z.number(),
});
export type PreviewRunSummary = z.infer<typeof PreviewRunSummary>;

export const PreviewUserRow = z.object({
  id: z.string(),
  userPrincipalName: z.string().nullable(),
  displayName: z.string().nullable(),
  action: UserAction,
  reason: z.string().nullable(),
  errors: z.number().int(),
  warnings: z.number().int(),
  requestCount: z.number().int(),
});
export type PreviewUserRow = z.infer<typeof PreviewUserRow>;

export const RequestDto = z.object({
  method: z.string(),
  path: z.string(),
  headers: z.record(z.string(), z.string()),
  body: z.unknown().nullable(),
  curl: z.string(),
});

export const PreviewUserDetail = z.object({
  id: z.string(),
  userPrincipalName: z.string().nullable(),
  action: UserAction,
  reason: z.string().nullable(),
  inScope: z.boolean(),
  source: JsonObject,
  /** the resource as the vendor would hold it after the requests */
  target: JsonObject.nullable(),
  requests: z.array(RequestDto),
  findings: z.array(FindingDto),
  /** names of unverified rules this user's values depend on (shared/expressions/fidelity.ts) */
  unverifiedRules: z.array(z.string()),
});
export type PreviewUserDetail = z.infer<typeof PreviewUserDetail>;

const runRef = z.object({ runId: z.string().min(1).max(100) }).strict();

/** A finding of a run, as "Fix it" names it. */
const fixRef = {
  runId: z.string().min(1).max(100),
  code: z.string().min(1).max(100),
  attribute: z.string().max(300).nullable().default(null),
};

/** One user the fix changes: the payload attributes before → after, and the user's errors after the fix. */
export const FixImpactUser = z.object({
  id: z.string(),
  userPrincipalName: z.string().nullable(),
  changes: z.array(z.object({ attribute: z.string(), from: z.unknown(), to: z.unknown() })),
  errorsAfter: z.array(z.string()),
});

/**
 * What a fix would do, previewed before anything is saved: the mapping change, the users it changes with a
 * bounded sample, and the errors before and after over the run's snapshot.
 */
export const FixImpact = z.object({
  runId: z.string(),
  code: z.string(),
  attribute: z.string().nullable(),
  /** what the fix changes in the mappings, in the admin's words */
  description: z.string(),
  /** the run's mapping set and the same set with the fix, for the row-by-row difference */
  before: MappingSet,
  after: MappingSet,
  users: z.number().int(),
  changedUsers: z.number().int(),
  sample: z.array(FixImpactUser),
  /** counted as the run summary counts them */
  errorsBefore: z.number().int(),
  errorsAfter: z.number().int(),
  /** errors the fix would add: a (code, attribute) with no error before, or with more users in error */
  newErrors: z.array(z.object({ code: z.string(), attribute: z.string().nullable(), users: z.number().int(), message: z.string() })),
  /** false when the fix would leave more errors or any new one: Apply is refused and `notOffered` says why */
  offered: z.boolean(),
  notOffered: z.string().nullable(),
});
export type FixImpactUser = z.infer<typeof FixImpactUser>;
export type FixImpact = z.infer<typeof FixImpact>;

export const previewMethods = {
  'preview.run': method(
    'Preview a mapping revision (or the unsaved set given) over a snapshot, with a vendor profile; emits progress',
    z
      .object({
        snapshotId: id.optional(),
        /** a saved revision; omitted = the latest saved one (or Entra's defaults when none is saved) */
        revision: z.number().int().positive().optional(),
        /** an unsaved mapping set, used instead of a revision */
        mappingSet: MappingSet.optional(),
        /** omitted = the project's vendor */
        vendorId: z.string().min(1).max(100).optional(),
        /** overrides the dialect the tenant URL selects (a what-if) */
        dialect: Dialect.optional(),
      })
      .strict(),
    PreviewRunSummary,
  ),
  'preview.cancel': method('Cancel a running preview', runRef, z.object({ cancelled: z.boolean() })),
  'preview.listUsers': method(
    'Page through a preview run’s users, filtered by action, finding code or search text',
    z
      .object({
        runId: z.string().min(1).max(100),
        action: UserAction.optional(),
        findingCode: z.string().max(100).optional(),
        search: z.string().max(200).default(''),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(200),
        countLimit,
      })
      .strict(),
    page(PreviewUserRow),
  ),
  'preview.getUser': method(
    'One user of a preview run: source, target object, the exact requests and findings',
    z.object({ runId: z.string().min(1).max(100), userId: z.string().min(1).max(200) }).strict(),
    PreviewUserDetail,
  ),
  'preview.fixImpact': method(
    'Preview a finding’s mechanical fix over the run’s snapshot without saving it: users changed, before/after, errors',
    z.object({ ...fixRef, sample: z.number().int().min(1).max(50).default(10) }).strict(),
    FixImpact,
  ),
  'preview.applyFix': method(
    'Apply a finding’s mechanical fix to the mapping set and save it as a new revision (refused when it adds errors)',
    z.object(fixRef).strict(),
    z.object({ revision: z.number().int(), label: z.string() }),
  ),
  'preview.compareRevisions': method(
    'The payload difference between two mapping revisions for the same users',
    z
      .object({
        snapshotId: id.optional(),
        fromRevision: z.number().int().positive(),
        toRevision: z.number().int().positive(),
        /** omitted = the project's vendor */
        vendorId: z.string().min(1).max(100).optional(),
        limit: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
    z.object({
      changedUsers: z.number().int(),
      users: z.array(
        z.object({
          id: z.string(),
          userPrincipalName: z.string().nullable(),
          changes: z.array(z.object({ attribute: z.string(), from: z.unknown(), to: z.unknown() })),
        }),
      ),
    }),
  ),
  'vendors.list': method(
    'The vendor profiles: built-in and imported',
    z.object({}).strict(),
    z.array(z.object({ id: z.string(), name: z.string(), builtIn: z.boolean(), summary: z.string() })),
  ),
} satisfies Record<string, MethodSpec>;

export const previewEvents = {
  'preview.progress': z.object({ runId: z.string(), done: z.number().int(), total: z.number().int() }),
};
