import { z } from 'zod';
import { empty, JsonObject, method, type MethodSpec } from './define.ts';

/**
 * The "Vendor endpoint" panel's contract (issue 16): the project's plan checked against a vendor's SCIM endpoint the
 * way Entra will use it, and a vendor profile drafted from the endpoint's discovery documents. Secrets cross once,
 * into the backend, and never come back: every request in the answer shows `Bearer <redacted>`.
 */
const EndpointCredentials = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('bearer'), token: z.string().min(1).max(8000) }).strict(),
  z
    .object({
      kind: z.literal('client-credentials'),
      tokenUrl: z.string().min(1).max(2000),
      clientId: z.string().min(1).max(500),
      clientSecret: z.string().min(1).max(8000),
      scope: z.string().max(2000).optional(),
    })
    .strict(),
]);

export const EndpointTarget = z
  .object({
    /** the Tenant URL as typed in Entra, flags included */
    url: z.string().min(1).max(2000),
    credentials: EndpointCredentials,
  })
  .strict();
export type EndpointTarget = z.infer<typeof EndpointTarget>;

export const CheckStep = z.object({
  id: z.string(),
  title: z.string(),
  outcome: z.enum(['pass', 'fail', 'skip']),
  request: z.object({ method: z.string(), url: z.string(), headers: z.record(z.string(), z.string()), body: JsonObject.nullable() }).nullable(),
  response: z.object({ status: z.number().int().nullable(), body: z.unknown() }).nullable(),
  explanation: z.string(),
  durationMs: z.number(),
  errorCode: z.string().nullable(),
});
export type CheckStep = z.infer<typeof CheckStep>;

const CreatedResource = z.object({ resourceType: z.enum(['User', 'Group']), id: z.string(), path: z.string(), label: z.string() });

export const CheckResult = z.object({
  target: z.string(),
  runId: z.string(),
  mode: z.enum(['full', 'read-only']),
  dialects: z.array(z.enum(['default', 'aadOptscim062020'])),
  passed: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  cancelled: z.boolean(),
  steps: z.array(CheckStep),
  cleanup: z.object({ deleted: z.array(CreatedResource), leftOver: z.array(CreatedResource.extend({ reason: z.string() })) }),
  startedAt: z.string(),
  durationMs: z.number(),
});
export type CheckResult = z.infer<typeof CheckResult>;

export const PlanDifference = z.object({
  kind: z.enum(['undeclared-target', 'required-not-mapped', 'type-mismatch', 'value-outside-canonical', 'read-only-target', 'other']),
  severity: z.enum(['error', 'warning', 'info']),
  target: z.string().nullable(),
  message: z.string(),
  users: z.number().int().optional(),
  code: z.string(),
});
export type PlanDifference = z.infer<typeof PlanDifference>;

/** The downloads of a kept run: the Postman collection (v2.1) and the report section in Markdown. */
export const ENDPOINT_CHECK_EXPORTS = ['postman', 'report-section'] as const;
export type EndpointCheckExport = (typeof ENDPOINT_CHECK_EXPORTS)[number];

export const endpointCheckMethods = {
  'endpointCheck.run': method(
    'Check a vendor endpoint the way Entra will use it: read-only (discovery and Test Connection) or full (writes run-id-marked test users and a group, then deletes them)',
    z
      .object({
        target: EndpointTarget,
        readOnly: z.boolean(),
        dialect: z.enum(['default', 'aadOptscim062020', 'both']).optional(),
        /** the full check writes to the target: the admin confirmed the description the panel showed */
        confirmWrites: z.boolean().default(false),
      })
      .strict(),
    CheckResult,
  ),
  'endpointCheck.last': method("The project's last endpoint check run, kept in the workspace (null before the first)", empty, CheckResult.nullable()),
  'endpointCheck.export': method(
    "The project's last run as a file the vendor can use: a Postman collection (the CLI's --postman) or the report section (the CLI's --report)",
    z.object({ format: z.enum(ENDPOINT_CHECK_EXPORTS) }).strict(),
    z.object({ fileName: z.string(), mediaType: z.string(), encoding: z.literal('utf8'), content: z.string() }),
  ),
  'endpointCheck.cancel': method('Cancel the running endpoint check (its cleanup still runs)', empty, z.object({ cancelled: z.boolean() })),
  'endpointCheck.discover': method(
    "Draft a vendor profile from the endpoint's /ServiceProviderConfig, /ResourceTypes and /Schemas, and compare it with the project's plan",
    z.object({ target: EndpointTarget }).strict(),
    z.object({
      target: z.string(),
      discovered: z.boolean(),
      /** why there is no draft (the generic profile is returned instead) */
      message: z.string().nullable(),
      /** the drafted profile in the vendor profile file format */
      profile: JsonObject,
      diff: z.array(PlanDifference),
    }),
  ),
} satisfies Record<string, MethodSpec>;

export const endpointCheckEvents = {
  /** one step of the running check, as soon as the vendor answered it */
  'endpointCheck.step': CheckStep,
};
