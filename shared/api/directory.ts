import { z } from 'zod';
import { empty, id, method, page, type MethodSpec } from './define.ts';
import { SnapshotSummary } from './tenant.ts';

/**
 * Real tenants (issue 7, app part): sign in with MSAL (browser or device code) or paste a Graph token,
 * fetch users into a snapshot with progress and cancel, import a CSV or Graph users JSON file, and
 * compare two snapshots. Tokens stay in the backend: no method here ever answers with one.
 */
export const CloudName = z.enum(['global', 'usgov', 'usgovdod', 'china']);
export type CloudName = z.infer<typeof CloudName>;

const Guid = z
  .string()
  .trim()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)');

/** A way to reach Graph: a signed-in account (MSAL cache) or a pasted access token (memory only). */
export const DirectoryAccount = z.object({
  accountId: z.string(),
  kind: z.enum(['signed-in', 'access-token']),
  username: z.string().nullable(),
  displayName: z.string().nullable(),
  tenantId: z.string().nullable(),
  cloud: CloudName,
  clientId: z.string().nullable(),
  /** a pasted token's expiry (from its claims), when it says */
  expiresAt: z.string().nullable(),
  /** where the sign-in is kept: "encrypted in ...", "in memory only ..." */
  storage: z.string(),
});
export type DirectoryAccount = z.infer<typeof DirectoryAccount>;

export const DeviceCodePrompt = z.object({
  signInId: z.string(),
  userCode: z.string(),
  verificationUri: z.string(),
  /** Microsoft's own sentence ("To sign in, use a web browser to open ...") */
  message: z.string(),
  expiresAt: z.string(),
});
export type DeviceCodePrompt = z.infer<typeof DeviceCodePrompt>;

export const SignInState = z.enum(['waiting', 'signed-in', 'failed', 'cancelled']);
export const SignInStatus = z.object({
  signInId: z.string(),
  state: SignInState,
  account: DirectoryAccount.nullable(),
  error: z.string().nullable(),
});
export type SignInStatus = z.infer<typeof SignInStatus>;

export const FetchPhase = z.enum(['users', 'groups', 'members', 'assignments', 'extensions', 'schema', 'deleted']);
export const FetchProgressEvent = z.object({
  jobId: z.string(),
  phase: FetchPhase,
  fetched: z.number().int(),
  total: z.number().int().nullable(),
  ratePerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  /** set while Graph throttles (429/503 Retry-After) and the read waits before resuming */
  retryInSeconds: z.number().nullable(),
  /** what the admin should know while the job runs (a refresh whose deltaLink expired reads the whole tenant) */
  notice: z.string().nullable().optional(),
});
export type FetchProgressEvent = z.infer<typeof FetchProgressEvent>;

export const JobError = z.object({
  /** sign-in-required: sign in again or paste a fresh token */
  code: z.enum(['sign-in-required', 'graph', 'cancelled', 'internal']),
  message: z.string(),
});

export const FetchJobState = z.enum(['running', 'done', 'cancelled', 'failed']);
export const FetchJobStatus = z.object({
  jobId: z.string(),
  state: FetchJobState,
  progress: FetchProgressEvent.nullable(),
  snapshot: SnapshotSummary.nullable(),
  error: JobError.nullable(),
  /** things the admin should know about the result (nested groups, ...) */
  notes: z.array(z.string()),
});
export type FetchJobStatus = z.infer<typeof FetchJobStatus>;

export const ImportIssueDto = z.object({
  line: z.number().int(),
  column: z.number().int(),
  columnName: z.string().nullable(),
  message: z.string(),
});
export type ImportIssueDto = z.infer<typeof ImportIssueDto>;

export const ImportResult = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('imported'),
    snapshot: SnapshotSummary,
    format: z.enum(['csv', 'json']),
    warnings: z.array(z.string()),
  }),
  z.object({
    /** the file was refused whole: nothing was imported */
    status: z.literal('rejected'),
    format: z.enum(['csv', 'json']),
    message: z.string(),
    /** the first problems in file order */
    issues: z.array(ImportIssueDto),
    /** present when there were too many problems to go on: the line where reading stopped */
    stoppedAtLine: z.number().int().positive().optional(),
  }),
]);
export type ImportResult = z.infer<typeof ImportResult>;

/** Browser mode's streaming upload of a users file (any size): the bridge route beside the JSON API. */
export const USERS_FILE_UPLOAD_PATH = '/api/upload/users-file';

export const CompareSection = z.enum(['added', 'changed', 'removed']);
export type CompareSection = z.infer<typeof CompareSection>;
export const AttributeChangeDto = z.object({ attribute: z.string(), before: z.unknown(), after: z.unknown() });
export const CompareUser = z.object({
  id: z.string(),
  userPrincipalName: z.string().nullable(),
  displayName: z.string().nullable(),
  /** for changed users: the source attributes that differ */
  changes: z.array(AttributeChangeDto),
});
export type CompareUser = z.infer<typeof CompareUser>;
/** One page of the users in one section (total counts that section), with every section's count. */
export const SnapshotComparison = page(CompareUser).extend({
  from: id,
  to: id,
  counts: z.object({
    added: z.number().int(),
    changed: z.number().int(),
    removed: z.number().int(),
    unchanged: z.number().int(),
  }),
  section: CompareSection,
});
export type SnapshotComparison = z.infer<typeof SnapshotComparison>;

const signInRef = z.object({ signInId: z.string().min(1).max(100) }).strict();
const jobRef = z.object({ jobId: z.string().min(1).max(100) }).strict();

export const directoryMethods = {
  'directory.signIn.start': method(
    'Start signing in to a tenant: the system browser (authorization code + PKCE) or a device code',
    z
      .object({
        cloud: CloudName.default('global'),
        /** tenant id or domain; "organizations" lets the admin pick at sign-in */
        tenant: z.string().trim().min(1).max(200),
        clientId: Guid,
        method: z.enum(['browser', 'device-code']),
      })
      .strict(),
    z.object({
      signInId: z.string(),
      /** device code: what to show the admin (also sent as the directory.signIn.deviceCode event) */
      deviceCode: DeviceCodePrompt.nullable(),
      /** browser: the sign-in page to open (the renderer opens it; the backend listens on loopback) */
      authorizationUrl: z.string().nullable(),
    }),
  ),
  'directory.signIn.status': method('Where a sign-in stands', signInRef, SignInStatus),
  'directory.signIn.cancel': method('Give up a sign-in that is waiting', signInRef, z.object({ cancelled: z.boolean() })),
  'directory.accounts': method('The signed-in accounts and pasted tokens Graph can be read with', empty, z.array(DirectoryAccount)),
  'directory.signOut': method(
    'Sign an account out (its tokens leave the cache) or forget a pasted token',
    z.object({ accountId: z.string().min(1).max(400) }).strict(),
    z.object({ signedOut: z.boolean() }),
  ),
  'directory.useAccessToken': method(
    'Use a pasted Graph access token (kept in memory in the backend only)',
    z.object({ token: z.string().trim().min(16).max(20_000), cloud: CloudName.default('global') }).strict(),
    DirectoryAccount,
  ),
  'directory.fetch': method(
    'Read users, groups and managers from Microsoft Graph into a new snapshot; emits directory.fetch.progress',
    z
      .object({
        accountId: z.string().min(1).max(400).optional(),
        /** a token used for this fetch only, instead of an account */
        token: z.string().trim().min(16).max(20_000).optional(),
        cloud: CloudName.optional(),
        /** the enterprise app's application id: only users and groups assigned to it */
        assignedToAppId: Guid.optional(),
        /** another Graph endpoint: https, or http on 127.0.0.1 for a local stand-in */
        graphBaseUrl: z.string().trim().max(500).optional(),
        label: z.string().trim().min(1).max(200).optional(),
      })
      .strict()
      .refine((v) => (v.accountId === undefined) !== (v.token === undefined), {
        message: 'give either accountId or token',
      }),
    z.object({ jobId: z.string() }),
  ),
  'directory.refresh': method(
    "Refresh a Graph snapshot with Graph delta: only what changed since it, into a new snapshot; emits directory.fetch.progress",
    z
      .object({
        snapshotId: id,
        accountId: z.string().min(1).max(400).optional(),
        token: z.string().trim().min(16).max(20_000).optional(),
        cloud: CloudName.optional(),
        graphBaseUrl: z.string().trim().max(500).optional(),
        label: z.string().trim().min(1).max(200).optional(),
      })
      .strict()
      .refine((v) => (v.accountId === undefined) !== (v.token === undefined), {
        message: 'give either accountId or token',
      }),
    z.object({ jobId: z.string() }),
  ),
  'directory.fetch.status': method('Where a fetch stands', jobRef, FetchJobStatus),
  'directory.cancel': method('Cancel a running fetch; nothing read so far is kept', jobRef, z.object({ cancelled: z.boolean() })),
  'directory.useDemoTenant': method(
    'The built-in Contoso demo snapshot (loaded again if it was deleted)',
    empty,
    SnapshotSummary,
  ),
  'directory.import': method(
    'Import users from a CSV (Entra download or template) or Graph users JSON; all or nothing',
    z
      .object({
        fileName: z.string().trim().min(1).max(260),
        content: z.string().max(200 * 1024 * 1024),
        label: z.string().trim().min(1).max(200).optional(),
      })
      .strict(),
    ImportResult,
  ),
  'directory.compareSnapshots': method(
    'Users added, changed (with the changed source attributes) and removed between two snapshots, paged',
    z
      .object({
        from: id,
        to: id,
        section: CompareSection.default('changed'),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    SnapshotComparison,
  ),
} satisfies Record<string, MethodSpec>;

export const directoryEvents = {
  'directory.signIn.deviceCode': DeviceCodePrompt,
  'directory.signIn.finished': SignInStatus,
  'directory.fetch.progress': FetchProgressEvent,
  'directory.fetch.finished': FetchJobStatus,
};
