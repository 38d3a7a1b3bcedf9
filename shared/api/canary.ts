import { z } from 'zod';
import { id, method, page, type MethodSpec } from './define.ts';

/**
 * The canary from the Provisioning screen (issue 15): one user, or one group with at most 5 members, provisioned on
 * demand through the live job (Graph provisionOnDemand), Entra's answer set beside the preview attribute by attribute.
 * It writes to the vendor, so it is two calls: canary.preview writes nothing and hands out a confirmation token;
 * canary.run needs that token and runs exactly what was previewed.
 */

/** The sign-in and the job, as the shared job picker holds them. */
const JobAccess = {
  accountId: z.string().min(1).max(300),
  graphBaseUrl: z.string().url().max(2000).optional(),
  servicePrincipalId: z.string().trim().min(1).max(100),
  jobId: z.string().trim().min(1).max(300),
};

export const CanaryGroupRow = z.object({
  id: z.string(),
  displayName: z.string().nullable(),
  /** direct user members: provision on demand takes a group with at most 5 */
  memberCount: z.number().int(),
});
export type CanaryGroupRow = z.infer<typeof CanaryGroupRow>;

/** One user as the preview sends it to the vendor: the row's target attribute and the value as Entra logs it. */
export const CanaryUserPreview = z.object({
  objectId: z.string(),
  userPrincipalName: z.string().nullable(),
  displayName: z.string().nullable(),
  /** what the preview expects Entra to do in an empty vendor: create, skip, error… */
  action: z.string(),
  reason: z.string().nullable(),
  attributes: z.array(z.object({ attribute: z.string(), value: z.string().nullable() })),
});
export type CanaryUserPreview = z.infer<typeof CanaryUserPreview>;

export const CanaryPreviewDto = z.object({
  /** canary.run needs it: it names this preview (who, which job, which mappings) and is good for one run */
  token: z.string(),
  expiresAt: z.string(),
  tenant: z.string(),
  appName: z.string().nullable(),
  servicePrincipalId: z.string(),
  jobId: z.string(),
  /** the mapping set the preview used: "Revision 3 — …" or Entra's default template */
  mappings: z.string(),
  group: z.object({ objectId: z.string(), displayName: z.string().nullable() }).nullable(),
  users: z.array(CanaryUserPreview),
  /** provisionOnDemand calls the run makes (a group: one per member, then the group) */
  calls: z.number().int(),
  budget: z.object({ calls: z.number().int(), windowSeconds: z.number() }),
  /** aadOptscim062020 does not apply to on-demand runs */
  note: z.string(),
});
export type CanaryPreviewDto = z.infer<typeof CanaryPreviewDto>;

/** Entra's answer: the result, and the steps Import, Matching, Scoping, Export with their status and details. */
export const OnDemandAnswerDto = z.object({
  result: z.string(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  action: z.string().nullable(),
  steps: z.array(z.object({ name: z.string(), type: z.string(), status: z.string(), description: z.string(), details: z.record(z.string(), z.string()) })),
});
export type OnDemandAnswerDto = z.infer<typeof OnDemandAnswerDto>;

export const CanaryUserResult = z.object({
  objectId: z.string(),
  userPrincipalName: z.string(),
  entra: OnDemandAnswerDto,
  previewAction: z.string(),
  /** per attribute: what the preview sends beside what Entra exported */
  attributes: z.array(z.object({ attribute: z.string(), preview: z.string().nullable(), entra: z.string().nullable(), same: z.boolean() })),
  agrees: z.boolean(),
});
export type CanaryUserResult = z.infer<typeof CanaryUserResult>;

export const CanaryRunDto = z.object({
  tenant: z.string(),
  appName: z.string().nullable(),
  group: z.object({ objectId: z.string(), displayName: z.string().nullable(), entra: OnDemandAnswerDto }).nullable(),
  users: z.array(CanaryUserResult),
  /** every user agrees with the preview and Entra failed nowhere */
  agrees: z.boolean(),
  /** seconds the run waited to stay within 5 calls per 10 seconds */
  waitedSeconds: z.number(),
  note: z.string(),
});
export type CanaryRunDto = z.infer<typeof CanaryRunDto>;

export const canaryMethods = {
  'canary.groups': method(
    "Page through a snapshot's groups by name or id, with their member counts, to pick one for the canary",
    z
      .object({
        snapshotId: id,
        search: z.string().max(200).default(''),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
    page(CanaryGroupRow),
  ),
  'canary.preview': method(
    'Who the canary provisions (a user of the snapshot, or a group with at most 5 members) and what the preview sends for them; writes nothing, returns the confirmation token',
    z
      .object({
        ...JobAccess,
        /** the newest snapshot when absent */
        snapshotId: id.optional(),
        /** the newest saved revision (or Entra's default template) when absent */
        revision: z.number().int().positive().optional(),
        user: z.string().trim().min(1).max(400).optional(),
        group: z.string().trim().min(1).max(400).optional(),
      })
      .strict()
      .refine((input) => (input.user === undefined) !== (input.group === undefined), { message: 'Give exactly one of user and group' }),
    CanaryPreviewDto,
  ),
  'canary.run': method(
    "Provisions the previewed user or group on demand (WRITES TO THE VENDOR) and sets Entra's answer beside the preview; refused without the token canary.preview gave",
    z.object({ token: z.string().trim().min(1).max(200) }).strict(),
    CanaryRunDto,
  ),
} satisfies Record<string, MethodSpec>;
