import { z } from 'zod';
import { SynchronizationSchemaSchema } from '../mapping/schema.ts';

/**
 * How an API method is declared: a name, a zod schema for its input and its output, a summary.
 * Each area of the app declares its methods in its own module under shared/api/; shared/api.ts
 * assembles them into the one table all three doors are built from.
 */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  /** what the method does, for error messages and docs */
  summary: string;
}

export function method<I extends z.ZodType, O extends z.ZodType>(summary: string, input: I, output: O): MethodSpec<I, O> {
  return { summary, input, output };
}

export const empty = z.object({}).strict();
export const id = z.number().int().positive();
export const JsonObject = z.record(z.string(), z.unknown());

/**
 * A mapping set as it crosses the API: Graph's synchronization schema JSON, validated at the door (a wrong
 * shape is refused naming the bad field) and kept whole (properties the app does not model stay).
 */
export const MappingSet = SynchronizationSchemaSchema;
export type MappingSet = z.infer<typeof MappingSet>;

/**
 * One page of a long list. Every paged method answers this shape, so the renderer has one reader
 * for all of them (renderer/state/use-paged-rows.ts).
 */
export function page<T extends z.ZodType>(item: T) {
  return z.object({ total: z.number().int(), offset: z.number().int(), items: z.array(item), counting: z.literal(true).optional() });
}
/** The rows of one page, as a paged method answers them. */
export interface Page<T> {
  total: number;
  offset: number;
  items: T[];
  /**
   * Set when the request capped its count (countLimit) and more rows match: `total` is then the rows counted so far, a
   * lower bound; the same request without countLimit answers the exact count.
   */
  counting?: true;
}

/**
 * A paged request's optional cap on its count: the backend may stop counting past it (and past the page asked for)
 * and answer `counting`, so a search that matches most of a million rows shows its first page without walking them.
 */
export const countLimit = z.number().int().min(1).max(1_000_000).optional();
