import { z } from 'zod';
import { method, type MethodSpec } from './define.ts';

/**
 * Checks against Microsoft (issue 14), as the Mappings screen reads them: per row of a mapping revision, how many
 * users Entra's own evaluation (Graph parseExpression) agreed with the preview on, and how many it did not. The checks
 * are run by `scim-planner verify --workspace` and kept with the revision.
 */
export const CHECK_VERDICTS = ['agree', 'differ', 'entra-refused', 'ours-refused', 'both-refused'] as const;

export const RowCheckDto = z.object({
  targetAttribute: z.string(),
  /** the expression that was checked: a row edited since shows no badge */
  expression: z.string(),
  counts: z.object(Object.fromEntries(CHECK_VERDICTS.map((verdict) => [verdict, z.number().int().min(0)])) as Record<(typeof CHECK_VERDICTS)[number], z.ZodNumber>),
  /** one disagreement to show beside the badge: the user and both values (null when every user agreed) */
  example: z
    .object({
      userPrincipalName: z.string().nullable(),
      verdict: z.enum(CHECK_VERDICTS),
      ours: z.string(),
      entra: z.string(),
    })
    .nullable(),
});
export type RowCheckDto = z.infer<typeof RowCheckDto>;

export const MappingCheckDto = z.object({
  revision: z.number().int().positive(),
  checkedAt: z.string(),
  jobId: z.string(),
  /** false when the check was cancelled: the counts cover what was checked before */
  complete: z.boolean(),
  rows: z.array(RowCheckDto),
});
export type MappingCheckDto = z.infer<typeof MappingCheckDto>;

export const synchronizationMethods = {
  'synchronization.mappingCheck': method(
    'The newest check against Microsoft of a saved mapping revision, per row; null when it was never checked',
    z.object({ revision: z.number().int().positive() }).strict(),
    MappingCheckDto.nullable(),
  ),
} satisfies Record<string, MethodSpec>;
